/**
 * Edits that must never act on the wrong thing or lose someone else's change: concurrent
 * add-assignee calls, ids from another project, points named by id, repeated epic links.
 */

import assert from "node:assert/strict";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import { startHarness } from "../helpers/harness.ts";

const p = { project: "demo-demo-project" };

Deno.test("assign_item add: a concurrent add is kept, not overwritten by a stale payload", async () => {
  const h = await startHarness({ tools: ALL_TOOLS });
  try {
    const story = [...h.sandbox.state.items.userstory.values()].find((s) => s.ref === 4)!;
    await h.ok("assign_item", { ...p, kind: "user_story", item: "#4", assignee: "none" });
    h.sandbox.faults.add({
      kind: "delay",
      ms: 300,
      match: new RegExp(`PATCH /api/v1/userstories/${story.id}$`),
    });
    const slow = h.ok("assign_item", {
      ...p,
      kind: "user_story",
      item: "#4",
      assignee: "alice",
      mode: "add",
    });
    await new Promise((resolve) => setTimeout(resolve, 100));
    await h.ok("assign_item", {
      ...p,
      kind: "user_story",
      item: "#4",
      assignee: "bob",
      mode: "add",
    });
    await slow;
    const usernames = story.assigned_users.map((id) => h.sandbox.state.users.get(id)?.username)
      .sort();
    assert.deepEqual(usernames, ["alice", "bob"]);
  } finally {
    await h.close();
  }
});

Deno.test("an item id from another project is refused when a project is named", async () => {
  const h = await startHarness({ tools: ALL_TOOLS });
  try {
    const other = await h.ok("create_project", { name: "Other", description: "elsewhere" });
    const slug = (other.project as { slug: string }).slug;
    const created = await h.ok("create_user_story", { project: slug, subject: "Not yours" });
    const id = (created.item as { id: number }).id;
    const text = await h.fails("delete_user_story", { ...p, item: id });
    assert.match(text, /belongs to project .*not demo-demo-project/);
    assert.ok(h.sandbox.state.items.userstory.has(id), "nothing was deleted");
  } finally {
    await h.close();
  }
});

Deno.test("points are named by name or value, never silently by id", async () => {
  const h = await startHarness({ tools: ALL_TOOLS });
  try {
    const created = await h.ok("create_user_story", {
      ...p,
      subject: "Estimated",
      points: { Back: "1/2", Front: 3 },
    });
    const item = created.item as { points?: number };
    assert.equal(item.points, 3.5);
    // An existing points id that is neither a points name nor a value: once silently accepted.
    const points = [...h.sandbox.state.settings.points.values()].filter((row) => row.project === 1);
    const byId = points.find((row) =>
      !points.some((other) => other.name === String(row.id) || other.value === row.id)
    )!;
    assert.ok(byId, "the seed has a points id that is not a name or value");
    const unusedId = byId.id;
    const text = await h.fails("create_user_story", {
      ...p,
      subject: "Bad estimate",
      points: { Back: String(unusedId) },
    });
    assert.match(text, /points/i);
    assert.match(text, /1\/2/);
  } finally {
    await h.close();
  }
});

Deno.test("link_epic_stories is idempotent: repeating a link or an unlink changes nothing", async () => {
  const h = await startHarness({ tools: ALL_TOOLS });
  try {
    const first = await h.ok("link_epic_stories", { ...p, epic: "#1", stories: ["#3", "#4"] });
    const again = await h.ok("link_epic_stories", { ...p, epic: "#1", stories: ["#3", "#4"] });
    assert.deepEqual(again.changed, []);
    assert.deepEqual(first.stories, ["#3", "#4"], "stories are named by ref");
    assert.deepEqual(again.unchanged, ["#3", "#4"]);
    await h.ok("link_epic_stories", { ...p, epic: "#1", stories: ["#3"], action: "remove" });
    const removedTwice = await h.ok("link_epic_stories", {
      ...p,
      epic: "#1",
      stories: ["#3"],
      action: "remove",
    });
    assert.deepEqual(removedTwice.changed, []);
  } finally {
    await h.close();
  }
});

Deno.test("link_epic_stories checks every story before its first link: a bad id links nothing", async () => {
  const h = await startHarness({ tools: ALL_TOOLS });
  try {
    const links = h.sandbox.state.relatedStories;
    const before = links.size;
    const story6 = [...h.sandbox.state.items.userstory.values()].find((s) => s.ref === 6)!;
    const missing = await h.fails("link_epic_stories", {
      ...p,
      epic: "#2",
      stories: [story6.id, 9999],
    });
    assert.match(missing, /no user story with id 9999/);
    const other = await h.ok("create_project", { name: "Elsewhere", description: "x" });
    const slug = (other.project as { slug: string }).slug;
    const foreign = await h.ok("create_user_story", { project: slug, subject: "Not here" });
    const foreignId = (foreign.item as { id: number }).id;
    assert.match(
      await h.fails("link_epic_stories", { ...p, epic: "#2", stories: [story6.id, foreignId] }),
      /belongs to project/,
    );
    assert.equal(links.size, before, "nothing was linked");
  } finally {
    await h.close();
  }
});

Deno.test("bulk_create_tasks in the backlog says what it created when it stops midway", async () => {
  // 1 request logs in, 1 reads the project: the limit of 6 leaves room for 4 of the 6 POSTs.
  const h = await startHarness({
    tools: ALL_TOOLS,
    env: { RATE_LIMIT_REQUESTS: "6", REQUEST_TIMEOUT: "2" },
  });
  try {
    const before = h.sandbox.state.items.task.size;
    const subjects = ["one", "two", "three", "four", "five", "six"];
    const text = await h.fails("bulk_create_tasks", { ...p, subjects });
    assert.match(text, /RATE_LIMIT_REQUESTS/);
    assert.match(text, /4 of 6 tasks were created before that \(#\d+, #\d+, #\d+, #\d+\)/);
    assert.equal(h.sandbox.state.items.task.size, before + 4);
  } finally {
    await h.close();
  }
});

Deno.test("many #refs are resolved with one list walk, not a request each", async () => {
  const h = await startHarness({ tools: ALL_TOOLS });
  try {
    const created = await h.ok("bulk_create_user_stories", {
      ...p,
      subjects: Array.from({ length: 12 }, (_, index) => `Batch ${index}`),
    });
    const refs = (created.items as Array<{ ref: number }>).map((item) => `#${item.ref}`);
    h.sandbox.resetRequestCount();
    await h.ok("move_stories_to_sprint", { ...p, stories: refs, sprint: "Sprint 1" });
    assert.ok(h.sandbox.requestCount() <= 4, `${h.sandbox.requestCount()} requests for 12 refs`);
    const inSprint = [...h.sandbox.state.items.userstory.values()]
      .filter((story) => story.subject.startsWith("Batch ") && story.milestone !== null);
    assert.equal(inSprint.length, 12);
    const unknown = await h.fails("move_stories_to_sprint", {
      ...p,
      stories: [...refs, "#9999"],
      sprint: "Sprint 1",
    });
    assert.match(unknown, /#9999/);
  } finally {
    await h.close();
  }
});

Deno.test("order_by offers only what Taiga honours: epics cannot be ordered, stories not by points", async () => {
  const h = await startHarness({ tools: ALL_TOOLS });
  try {
    assert.match(await h.fails("list_epics", { ...p, order_by: "subject" }), /cannot order epics/);
    assert.match(
      await h.fails("list_user_stories", { ...p, order_by: "-total_points" }),
      /Cannot order user stories by "total_points"\. Valid: .*backlog_order/,
    );
    const ordered = await h.ok("list_issues", { ...p, order_by: "-ref" });
    const refs = (ordered.items as Array<{ ref: number }>).map((item) => item.ref);
    assert.deepEqual(refs, [...refs].sort((a, b) => b - a));
  } finally {
    await h.close();
  }
});
