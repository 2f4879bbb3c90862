/**
 * Cross-kind actions (assign, status, vote, watch) and planning extras (bulk creation, sprint moves,
 * backlog order, promote, epic links), checked against the sandbox's state.
 */

import assert from "node:assert/strict";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import { startHarness } from "../helpers/harness.ts";

const PROJECT = "demo-demo-project";
const p = { project: PROJECT };

type Row = Record<string, unknown>;

Deno.test("assign_item, change_item_status, vote_item and watch_item", async () => {
  const h = await startHarness({ tools: ALL_TOOLS });
  const stories = h.sandbox.state.items.userstory;
  const tasks = h.sandbox.state.items.task;
  try {
    let story = (await h.ok("assign_item", {
      ...p,
      kind: "user_story",
      item: "#4",
      assignee: ["bob", "me"],
    })).item as Row;
    assert.deepEqual(stories.get(2)?.assigned_users, [3, 1]);
    assert.equal(story.assigned_to, "bob");
    assert.deepEqual(story.assigned_users, ["bob", "demo"]);

    await h.ok("assign_item", {
      ...p,
      kind: "user_story",
      item: "#4",
      assignee: "alice",
      mode: "add",
    });
    assert.deepEqual(stories.get(2)?.assigned_users, [3, 1, 2]);
    story = (await h.ok("assign_item", {
      ...p,
      kind: "user_story",
      item: "#4",
      assignee: ["bob"],
      mode: "remove",
    })).item as Row;
    assert.deepEqual(stories.get(2)?.assigned_users, [1, 2]);
    assert.equal(story.assigned_to, "demo");

    await h.ok("assign_item", { ...p, kind: "task", item: "#7", assignee: "alice@example.com" });
    assert.equal(tasks.get(1)?.assigned_to, 2);
    await h.ok("assign_item", { ...p, kind: "task", item: "#7", assignee: "none" });
    assert.equal(tasks.get(1)?.assigned_to, null);
    assert.match(
      await h.fails("assign_item", { ...p, kind: "task", item: "#7", assignee: ["bob", "alice"] }),
      /only user stories take several/,
    );
    assert.match(
      await h.fails("assign_item", { ...p, kind: "issue", item: "#9", assignee: "mallory" }),
      /Unknown user "mallory".*me, demo, alice, bob/,
    );

    const closed = (await h.ok("change_item_status", {
      ...p,
      kind: "issue",
      item: "#9",
      status: "closed",
    })).item as Row;
    assert.equal(closed.status, "Closed");
    assert.equal(closed.closed, true);
    const stale = await h.fails("change_item_status", {
      ...p,
      kind: "issue",
      item: "#9",
      status: "New",
      version: 1,
    });
    assert.match(stale, /now at version 2/);
    assert.match(stale, /status="Closed"/);
    assert.match(
      await h.fails("change_item_status", { ...p, kind: "epic", item: "#1", status: "Closed" }),
      /Valid epic status names: New, Ready, In progress, Ready for test, Done/,
    );

    const up = await h.ok("vote_item", { ...p, kind: "issue", item: "#9", vote: "up" });
    assert.equal(up.voted, true);
    assert.equal(up.total_voters, 1);
    const down = await h.ok("vote_item", { ...p, kind: "issue", item: "#9", vote: "down" });
    assert.equal(down.voted, false);
    assert.equal(down.total_voters, 0);

    const watch = await h.ok("watch_item", { ...p, kind: "epic", item: "#1" });
    assert.equal(watch.watching, true);
    assert.ok(h.sandbox.state.items.epic.get(1)?.watchers.includes(1));
    const again = await h.ok("watch_item", { ...p, kind: "epic", item: "#1" });
    assert.equal(again.total_watchers, 1, "watching twice is idempotent");
    const unwatch = await h.ok("watch_item", { ...p, kind: "epic", item: "#1", watch: false });
    assert.equal(unwatch.watching, false);
  } finally {
    await h.close();
  }
});

Deno.test("bulk creation, sprint moves, backlog order and promotion", async () => {
  const h = await startHarness({ tools: ALL_TOOLS });
  const stories = h.sandbox.state.items.userstory;
  try {
    const bulk = await h.ok("bulk_create_user_stories", {
      ...p,
      subjects: ["Log in", "Log out", "Ünïcødé ✓"],
      status: "Ready",
      sprint: "Sprint 1",
    });
    assert.equal(bulk.created, 3);
    const made = bulk.items as Row[];
    assert.deepEqual(made.map((row) => row.subject), ["Log in", "Log out", "Ünïcødé ✓"]);
    for (const row of made) {
      const stored = stories.get(row.id as number)!;
      assert.equal(stored.milestone, 1);
      assert.equal(stored.status, 2);
      assert.equal(row.sprint, "Sprint 1");
    }
    const before = stories.size;
    assert.match(
      await h.fails("bulk_create_user_stories", { ...p, subjects: ["ok", "two\nlines"] }),
      /one line per subject/,
    );
    assert.equal(stories.size, before, "nothing created");

    const tasks = await h.ok("bulk_create_tasks", {
      ...p,
      user_story: "#5",
      subjects: ["Backend", "Frontend"],
    });
    assert.equal(tasks.created, 2);
    for (const row of tasks.items as Row[]) {
      const stored = h.sandbox.state.items.task.get(row.id as number)!;
      assert.equal(stored.user_story, 3);
      assert.equal(stored.milestone, null, "story #5 is in the backlog");
      assert.equal(row.user_story, "#5");
    }

    const inSprint = await h.ok("bulk_create_tasks", { ...p, user_story: "#3", subjects: ["QA"] });
    const qa = h.sandbox.state.items.task.get((inSprint.items as Row[])[0].id as number)!;
    assert.equal(qa.milestone, 1, "tasks of a story in a sprint join it");
    assert.equal(qa.user_story, 1);

    const moved = await h.ok("move_stories_to_sprint", {
      ...p,
      stories: ["#5", 4],
      sprint: "sprint 1",
    });
    assert.deepEqual(moved, { moved: 2, sprint: "Sprint 1", stories: ["#5", "#6"] });
    assert.equal(stories.get(3)?.milestone, 1);
    assert.equal(stories.get(4)?.milestone, 1);
    await h.ok("move_stories_to_sprint", { ...p, stories: ["#5", "#6"], sprint: "backlog" });
    assert.equal(stories.get(3)?.milestone, null);
    assert.equal(stories.get(4)?.milestone, null);
    assert.match(
      await h.fails("move_stories_to_sprint", { ...p, stories: ["#5"], sprint: "Sprint 7" }),
      /Unknown sprint "Sprint 7".*Sprint 1/,
    );

    const reordered = await h.ok("reorder_backlog", { ...p, stories: ["#6", "#5"] });
    assert.deepEqual(reordered.ordered, ["#6", "#5"]);
    const backlog = await h.ok("list_user_stories", {
      ...p,
      sprint: "backlog",
      order_by: "backlog_order",
    });
    const order = (backlog.items as Row[]).map((row) => row.ref);
    assert.ok(order.indexOf(6) < order.indexOf(5), `order ${order}`);
    await h.ok("reorder_backlog", { ...p, stories: ["#5"], before: "#6" });
    assert.ok(stories.get(3)!.backlog_order < stories.get(4)!.backlog_order);
    assert.match(
      await h.fails("reorder_backlog", { ...p, stories: ["#5"], before: "#6", after: "#3" }),
      /not both/,
    );
    const orderBefore = [...stories.values()].map((s) => s.backlog_order);
    assert.match(
      await h.fails("reorder_backlog", { ...p, stories: ["#6"], after: "#6" }),
      /#6 cannot be placed relative to itself/,
    );
    assert.match(
      await h.fails("reorder_backlog", { ...p, stories: ["#6", "#6"], after: "#5" }),
      /#6 appears more than once/,
    );
    assert.deepEqual([...stories.values()].map((s) => s.backlog_order), orderBefore);
    // Ordering the backlog would take a sprint's story out of its sprint: refused.
    await h.ok("move_stories_to_sprint", { ...p, stories: ["#5"], sprint: "Sprint 1" });
    assert.match(
      await h.fails("reorder_backlog", { ...p, stories: ["#6", "#5"] }),
      /#5 \(Sprint 1\) is in a sprint: ordering them in the backlog would take them out of it/,
    );
    assert.equal(stories.get(3)?.milestone, 1, "still in Sprint 1");
    await h.ok("reorder_backlog", { ...p, stories: ["#5"], sprint: "Sprint 1" });

    const promoted = await h.ok("promote_to_user_story", { ...p, item: "#9" });
    assert.equal(promoted.from, "issue #9");
    const newRef = Number(String((promoted.user_stories as string[])[0]).slice(1));
    const story = [...stories.values()].find((s) => s.ref === newRef)!;
    assert.equal(story.subject, "Card declined shows blank page");
    assert.equal(story.generated_from_issue, 1);
    // Taiga would promote it again: a retried call asks before making a second story.
    const storyCount = stories.size;
    assert.match(
      await h.asks("promote_to_user_story", { ...p, item: "#9" }),
      new RegExp(`issue #9 was already promoted to #${newRef} "Card declined shows blank page"`),
    );
    assert.equal(stories.size, storyCount, "asked, not promoted again");

    // A promoted task is deleted by Taiga: the person is asked first.
    const task = await h.ok("create_task", { ...p, subject: "Spike: try the new gateway" });
    const taskRef = `#${(task.item as { ref: number }).ref}`;
    const taskRows = h.sandbox.state.items.task;
    const taskCount = taskRows.size;
    assert.match(
      await h.asks("promote_to_user_story", { ...p, kind: "task", item: taskRef }),
      /Promote task #\d+ "Spike: try the new gateway" to a user story\?.*task itself is deleted/s,
    );
    assert.equal(taskRows.size, taskCount, "asked, not promoted");
    const fromTask = await h.ok("promote_to_user_story", {
      ...p,
      kind: "task",
      item: taskRef,
      confirm: true,
    });
    assert.equal(fromTask.from, `task ${taskRef}`);
    assert.equal(taskRows.size, taskCount - 1);
  } finally {
    await h.close();
  }
});

Deno.test("epic stories: list, link and unlink", async () => {
  const h = await startHarness({ tools: ALL_TOOLS });
  try {
    const refsOf = async () =>
      ((await h.ok("list_epic_stories", { ...p, epic: "#1" })).items as Row[]).map((r) => r.ref);
    assert.deepEqual(await refsOf(), [3]);
    const linked = await h.ok("link_epic_stories", { ...p, epic: "#1", stories: ["#5", "#6"] });
    assert.deepEqual(linked.stories, ["#5", "#6"]);
    assert.deepEqual((await refsOf()).sort(), [3, 5, 6]);
    const story = (await h.ok("get_user_story", { ...p, item: "#6" })).item as Row;
    assert.deepEqual((story.epics as Row[]).map((e) => e.ref), [1]);
    assert.equal(story.tasks, undefined, "no tasks, no tasks field");
    const withTasks = (await h.ok("get_user_story", { ...p, item: "#3" })).item as Row;
    // Taiga's inlined tasks (include_tasks) carry no assignee: list_tasks has it.
    assert.deepEqual(withTasks.tasks, [
      { ref: 7, subject: "Integrate card gateway", status: "New" },
    ]);
    assert.equal(withTasks.tasks_total, 1);
    await h.ok("link_epic_stories", { ...p, epic: "#1", stories: ["#3"], action: "remove" });
    assert.deepEqual((await refsOf()).sort(), [5, 6]);
    const epic = (await h.ok("get_epic", { ...p, item: "#1" })).item as Row;
    assert.equal(epic.stories, 2);
  } finally {
    await h.close();
  }
});
