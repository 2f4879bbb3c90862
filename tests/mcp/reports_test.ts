/** get_stats (every scope) and project_health through MCP → server → HTTP → sandbox. */

import assert from "node:assert/strict";
import { reportTools } from "../../src/tools/reports.ts";
import { errorFacts, startHarness } from "../helpers/harness.ts";

const PROJECT = "demo-demo-project";
const p = { project: PROJECT };

type Row = Record<string, unknown>;

function addDays(day: string, days: number): string {
  const date = new Date(`${day}T00:00:00Z`);
  date.setUTCDate(date.getUTCDate() + days);
  return date.toISOString().slice(0, 10);
}

Deno.test("get_stats: project, issues, members and user, by name", async () => {
  const h = await startHarness({ tools: reportTools });
  try {
    const project = await h.ok("get_stats", p);
    assert.equal(project.scope, "project");
    assert.equal(project.project, PROJECT);
    const stats = project.stats as Row;
    assert.deepEqual(stats.points, {
      planned: null,
      defined: 5,
      closed: 0,
      assigned: 5,
      percent_closed: 0,
    });
    assert.deepEqual(stats.per_role, { Front: { defined: 5, closed: 0, assigned: 5 } });
    assert.deepEqual((stats.burnup as Row[]).map((row) => row.sprint), ["Sprint 1", "Project End"]);

    const verbose = await h.ok("get_stats", { ...p, verbose: true });
    assert.ok("defined_points_per_role" in (verbose.stats as Row), "verbose is Taiga's JSON");

    const issues = (await h.ok("get_stats", { ...p, scope: "issues" })).stats as Row;
    assert.equal(issues.total, 2);
    assert.equal(issues.open, 2);
    assert.deepEqual(issues.by_type, { Bug: 1, Enhancement: 1 });
    assert.deepEqual(issues.by_assignee, { "(unassigned)": 1, alice: 1 });
    assert.deepEqual(issues.by_owner, { alice: 1, bob: 1 });
    const weeks = issues.last_4_weeks as { created: number[]; closed: number[] };
    assert.equal(weeks.created.length, 4);
    assert.equal(weeks.created[3], 2, "both issues were created this week");

    const members = (await h.ok("get_stats", { ...p, scope: "members" })).stats as Row;
    assert.deepEqual((members.members as Row[]).map((row) => row.username), [
      "demo",
      "alice",
      "bob",
    ]);
    assert.equal((members.members as Row[])[1].created_bugs, 1);
    assert.deepEqual(members.unassigned, { closed_bugs: 0, closed_tasks: 1 });

    const me = await h.ok("get_stats", { scope: "user" });
    assert.equal(me.user, "demo");
    assert.deepEqual(me.stats, {
      projects: 1,
      roles: ["Product Owner"],
      contacts: 2,
      closed_user_stories: 0,
    });
    assert.deepEqual((await h.ok("get_stats", { scope: "user", user: "@alice" })).stats, {
      projects: 1,
      roles: ["Front"],
      contacts: 2,
      closed_user_stories: 0,
    });
    assert.equal((await h.ok("get_stats", { scope: "user", user: 3 })).user, "bob");
    const byName = await h.ok("get_stats", { ...p, scope: "user", user: "Alice Example" });
    assert.equal(byName.user, "alice", "with a project, a member's full name works");
  } finally {
    await h.close();
  }
});

Deno.test("get_stats: missing project, stray user, unknown people are clear errors", async () => {
  const h = await startHarness({ tools: reportTools });
  try {
    const before = h.sandbox.requestCount();
    assert.match(await h.fails("get_stats", { scope: "issues" }), /needs "project"/);
    assert.match(
      await h.fails("get_stats", { ...p, user: "alice" }),
      /only goes with scope "user"/,
    );
    assert.match(await h.fails("get_stats", { ...p, scope: "all" }), /project.*issues.*members/);
    assert.equal(h.sandbox.requestCount(), before, "refused before any request");

    const nobody = errorFacts(await h.call("get_stats", { scope: "user", user: "mallory" }));
    assert.equal(nobody.error_type, "not_found");
    assert.match(nobody.message, /No Taiga user named "mallory"/);
    assert.equal(
      errorFacts(await h.call("get_stats", { scope: "user", user: 999 })).error_type,
      "not_found",
    );
    assert.match(
      await h.fails("get_stats", { ...p, scope: "user", user: "mallory" }),
      /Unknown user "mallory".*me, demo, alice, bob/,
    );
    assert.match(
      await h.fails("get_stats", { project: "no-such-project", scope: "members" }),
      /no-such-project/,
    );
  } finally {
    await h.close();
  }
});

Deno.test("project_health: open counts, overdue/unassigned/blocked buckets, current sprint", async () => {
  const h = await startHarness({ tools: reportTools });
  const state = h.sandbox.state;
  const byRef = (kind: "userstory" | "task" | "issue", ref: number) =>
    [...state.items[kind].values()].find((item) => item.ref === ref)!;
  try {
    const today = new Date().toISOString().slice(0, 10);
    byRef("userstory", 4).due_date = addDays(today, -2);
    byRef("issue", 9).due_date = addDays(today, -9);
    byRef("issue", 10).due_date = addDays(today, 5);
    const task = byRef("task", 7);
    task.is_blocked = true;
    task.blocked_note = "Waiting for the gateway's sandbox keys";

    h.sandbox.resetRequestCount();
    const health = await h.ok("project_health", { ...p, sample: 1 });
    assert.ok(h.sandbox.requestCount() <= 9, `one call, few requests: ${h.sandbox.requestCount()}`);
    assert.equal(health.today, today);
    assert.deepEqual(health.open, {
      user_story: { total: 4, by_status: { New: 3, "In progress": 1 } },
      task: { total: 1, by_status: { New: 1 } },
      issue: { total: 2, by_status: { New: 2 } },
      epic: { total: 2, by_status: { New: 2 } },
    });
    assert.deepEqual(health.overdue, {
      count: 2,
      items: [{
        kind: "issue",
        ref: 9,
        subject: "Card declined shows blank page",
        due: addDays(today, -9),
      }],
    });
    assert.deepEqual(health.blocked, {
      count: 1,
      items: [{
        kind: "task",
        ref: 7,
        subject: "Integrate card gateway",
        note: "Waiting for the gateway's sandbox keys",
      }],
    });
    assert.equal((health.unassigned as Row).count, 6);
    const sprint = health.sprint as Row;
    assert.equal(sprint.name, "Sprint 1");
    assert.equal(sprint.state, "running");
    assert.equal(sprint.days_left, 11);
    assert.equal((sprint.progress as Row).points_total, 5);
    assert.equal((sprint.burndown as Row).day, today);
    assert.ok(((sprint.burndown as Row).behind_by as number) > 0, "nothing done yet: behind");
    assert.match(String(health.more), /bucket/);

    const overdue = await h.ok("project_health", { ...p, bucket: "overdue" });
    assert.deepEqual((overdue.items as Row[]).map((row) => row.ref), [9, 4], "most overdue first");
    assert.equal(overdue.total, 2);
    assert.equal("open" in overdue, false, "a bucket call is only that bucket");

    const page1 = await h.ok("project_health", { ...p, bucket: "unassigned", limit: 4 });
    assert.equal(page1.returned, 4);
    assert.equal(page1.next_page, 2);
    const page2 = await h.ok("project_health", { ...p, bucket: "unassigned", limit: 4, page: 2 });
    assert.deepEqual((page2.items as Row[]).map((row) => `${row.kind} #${row.ref}`), [
      "user_story #6",
      "issue #10",
    ]);
    assert.equal(page2.has_more, false);
    assert.match(
      await h.fails("project_health", { ...p, bucket: "unassigned", limit: 4, page: 3 }),
      /past the last page/,
    );
    assert.match(
      await h.fails("project_health", { ...p, bucket: "late" }),
      /overdue.*unassigned.*blocked/,
    );
  } finally {
    await h.close();
  }
});

Deno.test("project_health: modules off leave their kinds out; no open sprint is null", async () => {
  const h = await startHarness({ tools: reportTools });
  const state = h.sandbox.state;
  try {
    const project = [...state.projects.values()].find((row) => row.slug === PROJECT)!;
    project.is_issues_activated = false;
    project.is_epics_activated = false;
    for (const sprint of state.milestones.values()) sprint.closed = true;
    const health = await h.ok("project_health", { ...p, sample: 0 });
    assert.deepEqual(Object.keys(health.open as Row), ["user_story", "task"]);
    assert.equal(health.sprint, null);
    assert.deepEqual((health.unassigned as Row).items, []);
    assert.equal((health.unassigned as Row).count, 3, "stories #4, #5, #6");
  } finally {
    await h.close();
  }
});
