import assert from "node:assert/strict";
import { type TestBed, withBed } from "./helpers.ts";

const ids = (r: { body: { id: number }[] }) => r.body.map((x) => x.id).sort((a, b) => a - b);
const subjects = (r: { body: { subject: string }[] }) => r.body.map((x) => x.subject);

Deno.test("issue create: project defaults for status, type, priority, severity", async () => {
  await withBed(async ({ call }) => {
    const project = (await call("GET", "/projects/1")).body;
    const r = await call("POST", "/issues", { project: 1, subject: "Bug" });
    assert.equal(r.status, 201);
    assert.equal(r.body.status, project.default_issue_status);
    assert.equal(r.body.type, project.default_issue_type);
    assert.equal(r.body.priority, project.default_priority);
    assert.equal(r.body.severity, project.default_severity);
    assert.equal(r.body.owner, 1);
    assert.equal(r.body.version, 1);
    const bad = await call("POST", "/issues", { project: 1, subject: "x", priority: 999 });
    assert.equal(bad.status, 400);
    assert.deepEqual(bad.body, { priority: ["Invalid pk '999' - object does not exist."] });
    const missing = await call("POST", "/userstories", { subject: "x" });
    assert.deepEqual(missing.body, { project: ["This field is required."] });
  });
});

Deno.test("filters: status (ids, null), assigned_to, tags any, q, milestone, exclude_*", async () => {
  await withBed(async ({ call }) => {
    const us = (q: string) => call("GET", `/userstories?project=1&${q}`);
    assert.deepEqual(subjects(await us("milestone=null")), [
      "Sign up with email",
      "Password reset",
    ]);
    assert.deepEqual(ids(await us("milestone=1")), [1, 2]);
    assert.deepEqual(ids(await us("milestone__isnull=false")), [1, 2]);
    assert.deepEqual(ids(await us("assigned_to=2")), [1]);
    assert.deepEqual(ids(await us("assigned_to=null")), [2, 3, 4]);
    assert.deepEqual(ids(await us("exclude_assigned_to=2")), [2, 3, 4]);
    assert.deepEqual(ids(await us("tags=accounts,payments")), [1, 3, 4]);
    assert.deepEqual(ids(await us("exclude_tags=accounts")), [1, 2]);
    assert.deepEqual(ids(await us("q=password")), [4]);
    assert.deepEqual(ids(await us("epic=1")), [1]);
    const statuses = (await call("GET", "/userstory-statuses?project=1")).body;
    const inProgress = statuses.find((s: { name: string }) => s.name === "In progress").id;
    assert.deepEqual(ids(await us(`status=${inProgress}`)), [2]);
    assert.deepEqual(ids(await us(`status=${inProgress},1`)), [1, 2, 3, 4]);
    assert.deepEqual(ids(await us("status__is_closed=true")), []);
    const bad = await us("status=abc");
    assert.equal(bad.status, 400);
    assert.equal(bad.body._error_message, "Error in filter params types.");
    assert.deepEqual(ids(await call("GET", "/tasks?project=1&user_story=1")), [1]);
    assert.deepEqual(ids(await call("GET", "/tasks?project=1&status__is_closed=true")), [2]);
    const issues = await call("GET", "/issues?project=1&order_by=-subject");
    assert.deepEqual(subjects(issues), [
      "Typo on the sign-up page",
      "Card declined shows blank page",
    ]);
    assert.equal(
      (await call("GET", "/userstories?project=1&created_date__gte=2000-01-01")).body.length,
      4,
    );
    assert.equal(
      (await call("GET", "/userstories?project=1&created_date__lt=2000-01-01")).body.length,
      0,
    );
  });
});

Deno.test("list vs detail shapes (§8)", async () => {
  await withBed(async ({ call }) => {
    const list = (await call("GET", "/tasks?project=1")).body[0];
    for (
      const k of ["description", "description_html", "blocked_note_html", "neighbors", "comment"]
    ) {
      assert.equal(k in list, false, k);
    }
    const storyList = (await call("GET", "/userstories?project=1")).body[0];
    assert.equal("comment" in storyList, true, "story lists keep comment");
    const detail = (await call("GET", "/tasks/1")).body;
    for (const k of ["description", "description_html", "neighbors", "comment"]) {
      assert.equal(k in detail, true, k);
    }
    const story = (await call("GET", "/userstories/1")).body;
    assert.equal(story.total_points, 5);
    assert.equal(story.milestone_slug, "sprint-1");
    assert.deepEqual(story.epics.map((e: { subject: string }) => e.subject), ["Checkout"]);
    assert.deepEqual(story.neighbors.next, { id: 2, ref: 4, subject: "Order confirmation email" });
  });
});

Deno.test("bulk_create for every kind; tasks need milestone_id", async () => {
  await withBed(async ({ call }) => {
    const cases: [string, string, Record<string, unknown>][] = [
      ["userstories", "bulk_stories", {}],
      ["epics", "bulk_epics", {}],
      ["issues", "bulk_issues", {}],
      ["tasks", "bulk_tasks", { milestone_id: 1, us_id: 1 }],
    ];
    for (const [plural, field, extra] of cases) {
      const r = await call("POST", `/${plural}/bulk_create`, {
        project_id: 1,
        [field]: "One\n\nTwo\n",
        ...extra,
      });
      assert.equal(r.status, 200, plural);
      assert.deepEqual(subjects(r), ["One", "Two"]);
      assert.equal(r.body[1].ref, r.body[0].ref + 1);
    }
    const noSprint = await call("POST", "/tasks/bulk_create", { project_id: 1, bulk_tasks: "x" });
    assert.deepEqual(noSprint.body, { milestone_id: ["This field is required."] });
  });
});

async function storyInSprint(call: TestBed["call"], id: number) {
  return (await call("GET", `/userstories/${id}`)).body.milestone;
}

Deno.test("bulk_update_backlog_order with milestone_id moves stories into the sprint", async () => {
  await withBed(async ({ call }) => {
    const r = await call("POST", "/userstories/bulk_update_backlog_order", {
      project_id: 1,
      milestone_id: 1,
      bulk_userstories: [3, 4],
    });
    assert.equal(r.status, 200);
    // The moved stories first, then the sprint's own stories renumbered after them.
    assert.deepEqual(
      r.body.map((x: { id: number; sprint_order: number }) => [x.id, x.sprint_order]),
      [[3, 1], [4, 2], [1, 3], [2, 4]],
    );
    assert.ok(r.body.every((x: { milestone: number }) => x.milestone === 1));
    assert.equal(await storyInSprint(call, 3), 1);
    const back = await call("POST", "/userstories/bulk_update_milestone", {
      project_id: 1,
      milestone_id: 1,
      bulk_stories: [{ us_id: 4, order: 1 }],
    });
    assert.equal(back.status, 204);
    // Without milestone_id the list is the backlog, and the stories land in it.
    const reorder = await call("POST", "/userstories/bulk_update_backlog_order", {
      project_id: 1,
      bulk_userstories: [2],
    });
    assert.equal(reorder.status, 200);
    assert.equal(await storyInSprint(call, 2), null, "pulled back to the backlog");
    const list = await call("GET", "/userstories?project=1&milestone=null&order_by=backlog_order");
    assert.equal(list.body[0].id, 2);
    const anchor = await call("POST", "/userstories/bulk_update_backlog_order", {
      project_id: 1,
      bulk_userstories: [2],
      before_userstory_id: 1,
    });
    assert.equal(anchor.status, 400, "the anchor must be in the same list");
    assert.deepEqual(Object.keys(anchor.body), ["before_userstory_id"]);
  });
});

Deno.test("moving a story to another sprint moves its tasks", async () => {
  await withBed(async ({ call }) => {
    const m = await call("POST", "/milestones", {
      project: 1,
      name: "Sprint 2",
      estimated_start: "2030-01-01",
      estimated_finish: "2030-01-14",
    });
    await call("PATCH", "/userstories/1", { milestone: m.body.id, version: 1 });
    assert.equal((await call("GET", "/tasks/1")).body.milestone, m.body.id);
  });
});

Deno.test("promote_to_user_story: issue keeps a link, task is deleted; refs returned", async () => {
  await withBed(async ({ call }) => {
    const noProject = await call("POST", "/issues/1/promote_to_user_story", {});
    assert.equal(noProject.status, 400);
    const r = await call("POST", "/issues/1/promote_to_user_story", { project_id: 1 });
    assert.equal(r.status, 200);
    assert.deepEqual(r.body, [11]);
    const us = await call("GET", "/userstories/by_ref?ref=11&project=1");
    assert.equal(us.body.subject, "Card declined shows blank page");
    assert.equal(us.body.generated_from_issue, 1);
    const issue = await call("GET", "/issues/1");
    assert.deepEqual(issue.body.generated_user_stories, [{
      id: us.body.id,
      ref: 11,
      subject: us.body.subject,
    }]);
    const t = await call("POST", "/tasks/1/promote_to_user_story", { project_id: 1 });
    assert.deepEqual(t.body, [12]);
    assert.equal((await call("GET", "/tasks/1")).status, 404);
    assert.equal(
      (await call("GET", "/userstories/by_ref?ref=12&project=1")).body.from_task_ref,
      "Task #7",
    );
  });
});

Deno.test("epic related stories: list, add (201), duplicate 400, delete", async () => {
  await withBed(async ({ call }) => {
    const add = await call("POST", "/epics/1/related_userstories", { epic: 1, user_story: 3 });
    assert.equal(add.status, 201);
    assert.deepEqual(Object.keys(add.body).sort(), ["epic", "order", "user_story"]);
    assert.equal(
      (await call("POST", "/epics/1/related_userstories", { epic: 1, user_story: 3 })).status,
      400,
    );
    const list = await call("GET", "/epics/1/related_userstories");
    assert.deepEqual(list.body.map((r: { user_story: number }) => r.user_story), [1, 3]);
    assert.equal((await call("GET", "/epics/1")).body.user_stories_counts.total, 2);
    assert.equal((await call("DELETE", "/epics/1/related_userstories/3")).status, 204);
    assert.equal((await call("GET", "/epics/1/related_userstories")).body.length, 1);
    assert.equal((await call("DELETE", "/epics/1/related_userstories/3")).status, 404);
  });
});

Deno.test("votes and watchers: upvote/downvote/watch/unwatch, voters/watchers lists", async () => {
  await withBed(async ({ call }) => {
    for (const plural of ["userstories", "tasks", "issues", "epics"]) {
      const up = await call("POST", `/${plural}/1/upvote`);
      assert.equal(up.status, 200);
      assert.equal(up.text, "");
      await call("POST", `/${plural}/1/watch`);
      const item = (await call("GET", `/${plural}/1`)).body;
      assert.equal(item.total_voters, 1);
      assert.equal(item.is_voter, true);
      assert.equal(item.is_watcher, true);
      assert.deepEqual((await call("GET", `/${plural}/1/voters`)).body, [
        { id: 1, username: "demo", full_name: "Demo User" },
      ]);
      assert.equal((await call("GET", `/${plural}/1/watchers`)).body.length, 1);
      await call("POST", `/${plural}/1/downvote`);
      await call("POST", `/${plural}/1/unwatch`);
      const after = (await call("GET", `/${plural}/1`)).body;
      assert.equal(after.total_voters + after.total_watchers, 0, plural);
    }
    assert.equal(
      (await call("POST", "/userstories/1/upvote", undefined, { auth: null })).status,
      401,
    );
  });
});

Deno.test("closing sets finish dates; is_closed follows the status", async () => {
  await withBed(async ({ call }) => {
    const statuses = (await call("GET", "/userstory-statuses?project=1")).body;
    const done = statuses.find((s: { name: string }) => s.name === "Done").id;
    const r = await call("PATCH", "/userstories/4", { status: done, version: 1 });
    assert.equal(r.body.is_closed, true);
    assert.notEqual(r.body.finish_date, null);
    const history = await call("GET", "/history/userstory/4");
    assert.deepEqual(history.body[0].values_diff.status, ["New", "Done"]);
  });
});
