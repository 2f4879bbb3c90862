/**
 * get_timeline through MCP → server → HTTP → sandbox: a project's, a person's and the items a
 * person is involved in; a time window in ISO or words; kinds; the user timeline's repeats
 * (one row per related person) and comment edits' repeats folded; paging and bad inputs.
 */

import assert from "node:assert/strict";
import { type Harness, startHarness } from "../helpers/harness.ts";

const PROJECT = "demo-demo-project";
const p = { project: PROJECT };
const DAY = 86_400_000;

type Row = Record<string, unknown>;

function events(result: Row): Row[] {
  return result.events as Row[];
}

/** Ten days ago: demo renames issue #10. Then, now: alice moves #9, demo comments and edits. */
async function arrange(h: Harness): Promise<string> {
  const realClock = h.sandbox.state.clock;
  h.sandbox.state.clock = () => realClock() - 10 * DAY;
  await h.ok("update_issue", { ...p, item: "#10", subject: "Typo on the sign-up page (old)" });
  h.sandbox.state.clock = realClock;
  const alice = String(
    (await h.ok("login", { username: "alice", password: "alice123" })).session_id,
  );
  await h.ok("login", { username: "demo", password: "demo123" });
  await h.ok("update_issue", { ...p, item: "#9", status: "In progress", session_id: alice });
  await h.ok("add_comment", { ...p, kind: "user_story", item: "#3", text: "Please review" });
  const [comment] = (await h.ok("get_item_history", {
    ...p,
    kind: "user_story",
    item: "#3",
    only: "comments",
  })).entries as Row[];
  await h.ok("manage_comment", {
    ...p,
    kind: "user_story",
    item: "#3",
    comment_id: comment.comment_id,
    action: "edit",
    text: "Please review today",
  });
  await h.ok("update_task", { ...p, item: "#7", status: "In progress" });
  return alice;
}

Deno.test("get_timeline: a project's events in a window, by kind and person, one line each", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    await arrange(h);
    const week = await h.ok("get_timeline", { ...p, kinds: ["issue", "user_story", "task"] });
    assert.equal(week.scope, `project ${PROJECT}`);
    const lines = events(week);
    assert.ok(lines.every((e) => e.project === undefined), "one project: no project per line");
    assert.ok(!lines.some((e) => String(e.what).includes("(old)")), "ten days ago is outside 7d");
    assert.deepEqual(lines.slice(0, 3).map((e) => [e.by, e.kind, e.ref, e.what]), [
      ["demo", "task", 7, 'changed task #7 "Integrate card gateway": status: New → In progress'],
      [
        "demo",
        "user_story",
        3,
        'commented on user story #3 "Pay with card" (edited): "Please review today"',
      ],
      [
        "alice",
        "issue",
        9,
        'changed issue #9 "Card declined shows blank page": status: New → In progress',
      ],
    ]);
    assert.ok(lines.some((e) => e.what === 'created user story #3 "Pay with card"'));
    assert.match(String(lines[0].at), /^\d{4}-\d{2}-\d{2}T/);

    const old = await h.ok("get_timeline", {
      ...p,
      since: new Date(Date.now() - 11 * DAY).toISOString().slice(0, 10),
      until: "2d",
      kinds: ["issue"],
    });
    assert.deepEqual(events(old).map((e) => e.what), [
      'changed issue #10 "Typo on the sign-up page (old)": subject: Typo on the sign-up page → Typo on the sign-up page (old)',
    ]);
    assert.ok(String(old.until) > String(old.since));

    const alices = await h.ok("get_timeline", { ...p, person: "alice", since: "today" });
    assert.equal(alices.scope, `project ${PROJECT} by alice`);
    assert.ok(events(alices).length > 0);
    assert.ok(events(alices).every((e) => e.by === "alice"));

    const sprints = await h.ok("get_timeline", { ...p, kinds: ["sprint", "wiki_page"] });
    assert.deepEqual(
      new Set(events(sprints).map((e) => e.kind)),
      new Set(["sprint", "wiki_page"]),
    );
    assert.ok(events(sprints).some((e) => e.what === 'created sprint "Sprint 1"'));

    const paged = await h.ok("get_timeline", { ...p, limit: 2 });
    assert.equal(paged.returned, 2);
    assert.equal(paged.has_more, true);
    assert.equal(paged.next_page, 2);
    const second = await h.ok("get_timeline", { ...p, limit: 2, page: 2 });
    assert.deepEqual(events(second)[0], events(await h.ok("get_timeline", p))[2]);

    const raw = await h.ok("get_timeline", { ...p, limit: 1, verbose: true });
    assert.equal(events(raw)[0].event_type, "tasks.task.change");
  } finally {
    await h.close();
  }
});

Deno.test("get_timeline: a person's actions across projects and the items they are involved in, repeats folded", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    await arrange(h);
    // demo's own timeline stores each event once per related person (owner, assignee,
    // watchers): task #7 is owned by demo and assigned to bob, so it is there twice.
    const mine = await h.ok("get_timeline", { person: "me", kinds: ["task", "user_story"] });
    assert.equal(mine.scope, "what demo did");
    const keys = events(mine).map((e) => `${e.at} ${e.what}`);
    assert.equal(new Set(keys).size, keys.length, "no event twice");
    const rawRows = h.sandbox.state.timeline.filter((row) =>
      row.namespace === "user:1" && row.event_type === "tasks.task.change"
    );
    assert.equal(rawRows.length, 2, "Taiga's user timeline repeats it per related person");
    const task = events(mine).filter((e) => e.kind === "task" && e.ref === 7);
    assert.deepEqual(task.map((e) => e.what), [
      'changed task #7 "Integrate card gateway": status: New → In progress',
      'created task #7 "Integrate card gateway"',
    ]);
    assert.ok(events(mine).every((e) => e.project === PROJECT), "across projects: each says");
    const comments = events(mine).filter((e) => String(e.what).startsWith("commented"));
    assert.equal(comments.length, 1, "a comment and its edit are one event");

    const bobs = await h.ok("get_timeline", { involving: "bob", since: "yesterday" });
    assert.equal(bobs.scope, "items bob is involved in");
    assert.ok(events(bobs).some((e) => e.kind === "task" && e.ref === 7 && e.by === "demo"));
    assert.ok(!events(bobs).some((e) => e.ref === 9), "issue #9 is not bob's");

    const byAlice = await h.ok("get_timeline", {
      ...p,
      involving: "alice",
      person: "alice",
      kinds: ["issue"],
    });
    assert.equal(byAlice.scope, `items alice is involved in in ${PROJECT} by alice`);
    assert.deepEqual(events(byAlice).map((e) => e.what), [
      'changed issue #9 "Card declined shows blank page": status: New → In progress',
      'created issue #9 "Card declined shows blank page"',
    ]);
  } finally {
    await h.close();
  }
});

Deno.test("get_timeline: a long window is walked page by page, a short one stops early", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    await h.ok("update_task", { ...p, item: "#7", status: "In progress" });
    const state = h.sandbox.state;
    const change = state.timeline.find((row) =>
      row.namespace === "project:1" && row.event_type === "tasks.task.change"
    )!;
    // 450 older changes of task #7, two to three days ago: three pages of Taiga's timeline.
    const start = Date.now() - 2 * DAY;
    for (let i = 0; i < 450; i++) {
      state.timeline.push({
        ...structuredClone(change),
        id: state.nextId("timeline"),
        created: new Date(start - i * 60_000).toISOString(),
      });
    }
    h.sandbox.resetRequestCount();
    const long = await h.ok("get_timeline", { ...p, since: "3d", kinds: ["task"], all: true });
    assert.equal(h.sandbox.requestCount(), 3, "three pages of 200");
    assert.equal(long.total, 451 + 2, "the change, the 450, and two creations");
    assert.equal(long.returned, long.total);
    assert.equal(long.has_more, false);
    h.sandbox.resetRequestCount();
    const short = await h.ok("get_timeline", { ...p, since: "1d", kinds: ["task"] });
    assert.equal(short.total, 3);
    assert.equal(h.sandbox.requestCount(), 1, "one page was enough: it reached older events");
  } finally {
    await h.close();
  }
});

Deno.test("get_timeline: bad windows, people and scopes are clear errors", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    assert.match(await h.fails("get_timeline", {}), /Say whose timeline/);
    assert.match(
      await h.fails("get_timeline", { ...p, since: "someday" }),
      /"someday" is not a time\. Use an ISO date.*yesterday.*7d/,
    );
    assert.match(
      await h.fails("get_timeline", { ...p, since: "2026-02-30" }),
      /"2026-02-30" is not a time/,
    );
    assert.match(
      await h.fails("get_timeline", { ...p, since: "yesterday", until: "2d" }),
      /"until" .* must be after "since"/,
    );
    assert.match(
      await h.fails("get_timeline", { person: "nobody-here" }),
      /No Taiga user "nobody-here"/,
    );
    assert.match(
      await h.fails("get_timeline", { ...p, person: "carol" }),
      /Unknown user "carol".*alice/,
    );
    assert.match(await h.fails("get_timeline", { project: "no-such-project" }), /no-such-project/);
  } finally {
    await h.close();
  }
});
