/**
 * Planning behaviours of the sandbox that the recorded samples do not show by themselves
 * (taiga-back 6.10 read for the rules): comment permissions, hidden order-only changes,
 * user vs profile timelines, faceted filters_data, the backlog-order trap, task sprints,
 * due-date thresholds and promotions.
 */

import assert from "node:assert/strict";
import { login, type TestBed, withBed } from "./helpers.ts";

async function as(bed: TestBed, username: string) {
  const { token } = await login(bed.sandbox, username, `${username}123`);
  return (method: string, path: string, body?: unknown) =>
    bed.call(method, path, body, { auth: `Bearer ${token}` });
}

async function comment(bed: TestBed, call: TestBed["call"], story: number, text: string) {
  const version = (await bed.call("GET", `/userstories/${story}`)).body.version;
  await call("PATCH", `/userstories/${story}`, { comment: text, version });
  return (await bed.call("GET", `/history/userstory/${story}?type=comment`)).body[0].id as string;
}

Deno.test("comments: the author or an admin edits and deletes; the deleter or an admin undeletes", async () => {
  await withBed(async (bed) => {
    const alice = await as(bed, "alice");
    const bob = await as(bed, "bob");
    const mine = await comment(bed, bed.call, 3, "by demo");
    const edit = (c: typeof bed.call, id: string, text?: string) =>
      c(
        "POST",
        `/history/userstory/3/edit_comment?id=${id}`,
        text === undefined ? {} : { comment: text },
      );
    assert.equal((await edit(alice, mine, "x")).status, 403, "not hers, not an admin");
    const hers = await comment(bed, alice, 3, "by alice");
    assert.equal((await edit(alice, hers, "edited")).status, 200);
    assert.deepEqual((await edit(alice, hers)).body, { error: "comment is required" });
    const versions = await bed.call("GET", `/history/userstory/3/comment_versions?id=${mine}`);
    assert.deepEqual([versions.status, versions.text], [200, ""], "never edited: an empty 200");
    assert.equal(
      (await alice("POST", `/history/userstory/3/delete_comment?id=${hers}`)).status,
      200,
    );
    const again = await alice("POST", `/history/userstory/3/delete_comment?id=${hers}`);
    assert.deepEqual(again.body, { error: "Comment already deleted" });
    assert.deepEqual((await edit(alice, hers, "y")).body, {
      error: "deleted comments can't be edited",
    });
    assert.equal(
      (await bob("POST", `/history/userstory/3/undelete_comment?id=${hers}`)).status,
      403,
    );
    assert.equal(
      (await alice("POST", `/history/userstory/3/undelete_comment?id=${hers}`)).status,
      200,
    );
    const twice = await bed.call("POST", `/history/userstory/3/undelete_comment?id=${hers}`);
    assert.deepEqual(twice.body, { error: "Comment not deleted" });
  });
});

Deno.test("history: an order-only change is hidden (not listed, no timeline event)", async () => {
  await withBed(async (bed) => {
    const events = async () =>
      (await bed.call("GET", "/timeline/project/1")).headers.get("x-pagination-count");
    const before = await events();
    await bed.call("PATCH", "/userstories/4", { backlog_order: 5, version: 1 });
    assert.deepEqual((await bed.call("GET", "/history/userstory/4")).body, []);
    assert.equal(await events(), before);
    assert.equal(bed.sandbox.state.history.get("userstories.userstory:4")!.at(-1)!.is_hidden, true);
    const closed = await bed.call("PATCH", "/userstories/4", { status: 5, version: 2 });
    const [entry] = (await bed.call("GET", "/history/userstory/4")).body;
    assert.equal(closed.status, 200);
    assert.deepEqual(Object.keys(entry.diff).sort(), [
      "finish_date",
      "is_closed",
      "kanban_order",
      "status",
    ]);
  });
});

Deno.test("timelines: user = what they did (once per related person), profile = what touched them", async () => {
  await withBed(async (bed) => {
    const alice = await as(bed, "alice");
    // Story 4 is demo's; alice changes it: demo's profile shows it, alice's user timeline too.
    await alice("PATCH", "/userstories/4", { subject: "Password reset v2", version: 1 });
    const profile = (await bed.call("GET", "/timeline/profile/1")).body;
    assert.equal(profile[0].event_type, "userstories.userstory.change");
    assert.equal(profile[0].data.user.username, "alice");
    assert.deepEqual([profile[0].content_type, profile[0].object_id], [6, 1]);
    const user = (await bed.call("GET", "/timeline/user/2")).body;
    assert.equal(user[0].namespace, "user:2");
    assert.equal(user[0].data.userstory.subject, "Password reset v2");
    const project = (await bed.call("GET", "/timeline/project/1")).body;
    assert.deepEqual([project[0].content_type, project[0].namespace], [15, "project:1"]);
    const relevant = await bed.call("GET", "/timeline/project/1?only_relevant=1");
    assert.ok(!relevant.body.some((e: { event_type: string }) => e.event_type.endsWith(".delete")));
  });
});

Deno.test("filters_data: each facet counts with every filter but its own", async () => {
  await withBed(async (bed) => {
    const r = await bed.call("GET", "/userstories/filters_data?project=1&status=1&tags=accounts");
    const count = (facet: string, name: string) =>
      r.body[facet].find((x: { name?: string; full_name?: string }) =>
        (x.name ?? x.full_name) === name
      ).count;
    assert.equal(count("statuses", "New"), 2, "statuses ignore ?status");
    assert.equal(count("statuses", "In progress"), 0, "but keep ?tags");
    assert.equal(count("tags", "payments"), 1, "tags ignore ?tags, keep ?status");
    assert.equal(count("tags", "accounts"), 2);
    assert.deepEqual(r.body.assigned_to[0], { id: null, full_name: "", count: 2 });
    assert.deepEqual(Object.keys(r.body), [
      "statuses",
      "assigned_to",
      "assigned_users",
      "owners",
      "tags",
      "epics",
      "roles",
    ]);
    const none = await bed.call("GET", "/tasks/filters_data");
    assert.deepEqual([none.status, none.body], [404, { _error_message: "" }]);
  });
});

Deno.test("backlog order: without milestone_id, stories of a sprint go back to the backlog", async () => {
  await withBed(async (bed) => {
    const r = await bed.call("POST", "/userstories/bulk_update_backlog_order", {
      project_id: 1,
      bulk_userstories: [1],
    });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body[0], { id: 1, milestone: null, backlog_order: 1 });
    assert.equal((await bed.call("GET", "/tasks/1")).body.milestone, null, "its task follows");
    const bad = await bed.call("POST", "/userstories/bulk_update_backlog_order", {
      project_id: 1,
      bulk_userstories: [1],
      after_userstory_id: 3,
      before_userstory_id: 4,
    });
    assert.deepEqual(bad.body, {
      before_userstory_id: ["You can't use after and before at the same time."],
    });
  });
});

Deno.test("tasks: a task takes its story's sprint; PATCH answers Taiga-Info-Order-Updated", async () => {
  await withBed(async (bed) => {
    const r = await bed.call("PATCH", "/tasks/1", { user_story: 2, milestone: null, version: 1 });
    assert.equal(r.status, 200);
    assert.equal(r.body.milestone, 1, "story 2 is in sprint 1: the milestone sent is overridden");
    // The task keeps its order in its new story's list; task 2, after it there, shifts.
    const orders = JSON.parse(r.headers.get("taiga-info-order-updated")!);
    assert.deepEqual(Object.keys(orders).sort(), ["1", "2"]);
    const issue = await bed.call("PATCH", "/issues/1", { subject: "x", version: 1 });
    assert.equal(issue.headers.get("taiga-info-order-updated"), null, "issues have no order");
  });
});

Deno.test("due dates: due_soon up to 14 days ahead, then set; closed items no longer apply", async () => {
  await withBed(async (bed) => {
    const day = (n: number) => new Date(Date.now() + n * 86_400_000).toISOString().slice(0, 10);
    const status = async (due: string, extra: object = {}) => {
      const version = (await bed.call("GET", "/issues/2")).body.version;
      return (await bed.call("PATCH", "/issues/2", { due_date: due, version, ...extra })).body
        .due_date_status;
    };
    assert.equal(await status(day(14)), "due_soon");
    assert.equal(await status(day(15)), "set");
    assert.equal(await status(day(-1)), "past_due");
    const closed = bed.sandbox.state.settingsOf("issue_status", 1).find((s) => s.is_closed)!.id;
    assert.equal(await status(day(-1), { status: closed }), "no_longer_applicable");
  });
});

Deno.test("promote a task: a story with its comments and votes, and the task is gone", async () => {
  await withBed(async (bed) => {
    await bed.call("PATCH", "/tasks/1", { comment: "keep me", version: 1 });
    await bed.call("POST", "/tasks/1/upvote");
    const r = await bed.call("POST", "/tasks/1/promote_to_user_story", { project_id: 1 });
    assert.equal(r.status, 200);
    const story = await bed.call("GET", `/userstories/by_ref?ref=${r.body[0]}&project=1`);
    assert.equal(story.body.from_task_ref, "Task #7");
    assert.equal(story.body.total_voters, 1);
    const comments =
      (await bed.call("GET", `/history/userstory/${story.body.id}?type=comment`)).body;
    assert.equal(comments[0].comment, "keep me");
    assert.equal((await bed.call("GET", "/tasks/1")).status, 404);
    const missing = await bed.call("POST", "/issues/1/promote_to_user_story", {});
    assert.deepEqual(missing.body, { project_id: ["This field is required."] });
  });
});
