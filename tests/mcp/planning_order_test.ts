import assert from "node:assert/strict";
import { type Harness, startHarness } from "../helpers/harness.ts";

const p = { project: "demo-demo-project" };
type Item = { ref: number; id: number; [key: string]: unknown };

/** Refs of `kind` items matching `keep`, sorted by `field` then id (as Taiga shows them). */
function order(
  h: Harness,
  kind: "userstory" | "task",
  field: string,
  keep: (item: Item) => boolean,
): number[] {
  const items = [...h.sandbox.state.items[kind].values()] as unknown as Item[];
  return items.filter((i) => i.project === 1 && keep(i))
    .sort((a, b) => Number(a[field]) - Number(b[field]) || a.id - b.id).map((i) => i.ref);
}

/** Every item's board fields, to prove a refused call changed nothing. */
function boards(h: Harness): string {
  const rows: unknown[] = [];
  for (const kind of ["userstory", "task"] as const) {
    for (const i of h.sandbox.state.items[kind].values()) {
      const { id, milestone, status, swimlane, backlog_order, sprint_order, kanban_order } = i;
      rows.push([kind, id, milestone, status, swimlane, backlog_order, sprint_order, kanban_order]);
      rows.push([i.taskboard_order, i.us_order]);
    }
  }
  return JSON.stringify(rows);
}

async function sandboxPost(h: Harness, path: string, body: unknown): Promise<unknown> {
  const session = await h.deps.sessions.resolve(undefined);
  const response = await fetch(`${h.sandbox.apiUrl}/${path}`, {
    method: "POST",
    headers: {
      authorization: `Bearer ${session.client.auth!.token}`,
      "content-type": "application/json",
    },
    body: JSON.stringify(body),
  });
  assert.equal(response.status, 201, path);
  return await response.json();
}

const backlogOf = (h: Harness) =>
  order(h, "userstory", "backlog_order", (s) => s.milestone === null);
const sprintOf = (h: Harness) => order(h, "userstory", "sprint_order", (s) => s.milestone === 1);

Deno.test("reorder_board: backlog and sprint order without moving stories", async (t) => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    await h.ok("bulk_create_user_stories", { ...p, subjects: ["Eleven", "Twelve"] });
    await t.step("backlog: first, then after an anchor", async () => {
      const out = await h.ok("reorder_board", { ...p, board: "backlog", items: ["#12", "#5"] });
      assert.deepEqual(out, {
        board: "backlog",
        where: "the backlog",
        ordered: ["#12 Twelve", "#5 Sign up with email"],
      });
      assert.deepEqual(backlogOf(h).slice(0, 2), [12, 5]);
      const after = await h.ok("reorder_board", {
        ...p,
        board: "backlog",
        items: ["#5"],
        after: "#6",
      });
      assert.equal(after.anchor, "after #6 Password reset");
      assert.deepEqual(backlogOf(h), [12, 6, 5, 11]);
      await h.ok("reorder_board", { ...p, board: "backlog", items: ["#11"], before: "#12" });
      assert.deepEqual(backlogOf(h), [11, 12, 6, 5]);
    });

    await t.step("a sprint story is never pulled into the backlog", async () => {
      const before = boards(h);
      const text = await h.fails("reorder_board", { ...p, board: "backlog", items: ["#3"] });
      assert.match(text, /#3 Pay with card is not in the backlog\. Ordering never moves stories/);
      const anchor = await h.fails("reorder_board", {
        ...p,
        board: "backlog",
        items: ["#5"],
        after: "#3",
      });
      assert.match(anchor, /#3 Pay with card is not in the backlog/);
      const inSprint = await h.fails("reorder_board", {
        ...p,
        board: "backlog",
        sprint: "Sprint 1",
        items: ["#5"],
      });
      assert.match(inSprint, /#5 Sign up with email is not in sprint "Sprint 1"/);
      assert.equal(boards(h), before);
    });

    await t.step("sprint order with sprint", async () => {
      const out = await h.ok("reorder_board", {
        ...p,
        board: "backlog",
        sprint: "Sprint 1",
        items: ["#4"],
      });
      assert.equal(out.where, 'sprint "Sprint 1"');
      assert.deepEqual(sprintOf(h), [4, 3]);
      assert.deepEqual(backlogOf(h), [11, 12, 6, 5], "the backlog is untouched");
    });

    await t.step("bad arguments change nothing", async () => {
      const before = boards(h);
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [{ board: "backlog", items: ["#5", "#5"] }, /#5 Sign up with email is listed twice/],
        [{ board: "backlog", items: ["#5"], after: "#5" }, /relative to itself/],
        [{ board: "backlog", items: ["#5"], after: "#6", before: "#12" }, /not both/],
        [{ board: "backlog", items: ["#5"], status: "New" }, /"status" applies to the kanban/],
        [{ board: "kanban", items: ["#5"], sprint: "Sprint 1" }, /"sprint" applies to the backlog/],
        [{ board: "backlog", items: ["#999"] }, /#999/],
        [{ board: "backlog", items: ["#5"], sprint: "Nope" }, /Unknown sprint "Nope"/],
      ];
      for (const [args, expected] of cases) {
        assert.match(await h.fails("reorder_board", { ...p, ...args }), expected);
      }
      assert.equal(boards(h), before);
    });
  } finally {
    await h.close();
  }
});

Deno.test("reorder_board: kanban columns and swimlanes", async (t) => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    const state = h.sandbox.state;
    const story = (ref: number) => [...state.items.userstory.values()].find((s) => s.ref === ref)!;
    const newStatus = story(5).status;
    const column = (status: number | null) =>
      order(h, "userstory", "kanban_order", (s) => s.status === status);

    await t.step("within a column", async () => {
      const out = await h.ok("reorder_board", { ...p, board: "kanban", items: ["#6", "#5"] });
      assert.equal(out.where, 'kanban column "New"');
      assert.equal(out.changed, undefined);
      assert.deepEqual(column(newStatus).slice(0, 2), [6, 5]);
    });

    await t.step("stories of several columns need status", async () => {
      const before = boards(h);
      const text = await h.fails("reorder_board", { ...p, board: "kanban", items: ["#4", "#5"] });
      assert.match(text, /different columns \("[^"]+": #\d+; "[^"]+": #\d+\)\. Pass status/);
      assert.equal(boards(h), before);
    });

    await t.step("status moves stories into that column", async () => {
      const out = await h.ok("reorder_board", {
        ...p,
        board: "kanban",
        items: ["#5"],
        status: "In progress",
        before: "#4",
      });
      assert.deepEqual(out.changed, [
        '#5 Sign up with email: New → kanban column "In progress"',
      ]);
      assert.equal(story(5).status, story(4).status);
      assert.deepEqual(column(story(4).status), [5, 4]);
    });

    await t.step("swimlanes are kept, or changed only when named", async () => {
      const lane1 = await sandboxPost(h, "swimlanes", { project: 1, name: "Web" }) as Item;
      const lane2 = await sandboxPost(h, "swimlanes", { project: 1, name: "Mobile" }) as Item;
      assert.equal(story(6).swimlane, lane1.id, "the first swimlane takes every story");
      const out = await h.ok("reorder_board", { ...p, board: "kanban", items: ["#6"] });
      assert.equal(out.where, 'kanban column "New" of swimlane "Web"');
      assert.equal(story(6).swimlane, lane1.id, "not taken out of its swimlane");
      const moved = await h.ok("reorder_board", {
        ...p,
        board: "kanban",
        items: ["#6"],
        swimlane: "mobile",
      });
      assert.match((moved.changed as string[])[0], /swimlane "Mobile"/);
      assert.equal(story(6).swimlane, lane2.id);
      const before = boards(h);
      const mixed = await h.fails("reorder_board", {
        ...p,
        board: "kanban",
        items: ["#6", "#3"],
        status: "New",
      });
      assert.match(mixed, /different swimlanes .*Pass swimlane/);
      const unknown = await h.fails("reorder_board", {
        ...p,
        board: "kanban",
        items: ["#6"],
        swimlane: "Desktop",
      });
      assert.match(unknown, /Unknown swimlane "Desktop"\. Valid swimlane names: Web, Mobile/);
      assert.equal(boards(h), before);
    });
  } finally {
    await h.close();
  }
});

Deno.test("reorder_board: taskboard cells and a story's tasks", async (t) => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    const sprint = { ...p, sprint: "Sprint 1" };
    await h.ok("create_task", { ...sprint, subject: "Loose A" }); // #11
    await h.ok("create_task", { ...sprint, subject: "Loose B" }); // #12
    await h.ok("create_task", { ...p, user_story: "#3", subject: "Story task C" }); // #13
    await h.ok("create_task", { ...p, subject: "Backlog task" }); // #14
    const state = h.sandbox.state;
    const task = (ref: number) => [...state.items.task.values()].find((x) => x.ref === ref)!;
    const cell = () =>
      order(h, "task", "taskboard_order", (x) => x.milestone === 1 && x.status === task(7).status);
    const ofStory = () => order(h, "task", "us_order", (x) => x.user_story === task(7).user_story);

    await t.step("taskboard: first, after, before", async () => {
      const out = await h.ok("reorder_board", { ...p, board: "taskboard", items: ["#12", "#13"] });
      assert.equal(out.where, 'taskboard of sprint "Sprint 1", column "New"');
      assert.deepEqual(cell().slice(0, 2), [12, 13]);
      await h.ok("reorder_board", { ...p, board: "taskboard", items: ["#12"], after: "#11" });
      assert.deepEqual(cell().indexOf(12), cell().indexOf(11) + 1);
      await h.ok("reorder_board", { ...p, board: "taskboard", items: ["#7"], before: "#13" });
      assert.deepEqual(cell().indexOf(7), cell().indexOf(13) - 1);
    });

    await t.step("story: its tasks in order", async () => {
      const out = await h.ok("reorder_board", { ...p, board: "story", items: ["#13", "#7"] });
      assert.equal(out.where, "tasks of story #3");
      assert.deepEqual(ofStory(), [13, 7]);
      await h.ok("reorder_board", { ...p, board: "story", items: ["#13"], after: "#7" });
      assert.deepEqual(ofStory(), [7, 13]);
    });

    await t.step("tasks outside one cell or story are refused, nothing changes", async () => {
      const before = boards(h);
      const cases: Array<[Record<string, unknown>, RegExp]> = [
        [
          { board: "taskboard", items: ["#7", "#8"] },
          /different columns \("[^"]+": #7; "[^"]+": #8\)\. .*update_task/,
        ],
        [{ board: "taskboard", items: ["#14"] }, /in no sprint/],
        [{ board: "taskboard", items: ["#7"], after: "#8" }, /#8 Write email template is not in/],
        [{ board: "story", items: ["#7", "#8"] }, /different stories/],
        [{ board: "story", items: ["#11"] }, /belong to no story/],
      ];
      for (const [args, expected] of cases) {
        assert.match(await h.fails("reorder_board", { ...p, ...args }), expected);
      }
      assert.equal(boards(h), before);
    });
  } finally {
    await h.close();
  }
});
