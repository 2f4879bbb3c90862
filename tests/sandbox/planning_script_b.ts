/**
 * Planning replay, part 2: sprint moves and board ordering, due dates, promotions, bulk
 * creates and stats.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { Reply } from "./helpers.ts";
import { sameRows, type Step } from "./planning_steps.ts";
import type { World } from "./planning_world.ts";

const P = "{project}";

/** A dict answer keyed by ids: `{"<recorded id>": value}` with ids mapped through `prefix`. */
function sameDict(prefix: string, value?: (w: World) => unknown) {
  return (w: World, r: Reply, sample: { body: unknown }) => {
    const recorded = sample.body as Record<string, unknown>;
    const expected = Object.fromEntries(
      Object.entries(recorded).map(([id, v]) => [String(w.id(`${prefix}:${id}`)), value?.(w) ?? v]),
    );
    assert.deepEqual(r.body, expected);
  };
}

const moves: Step[] = [
  {
    sample: "userstories-bulk-update-milestone-204",
    body: {
      project_id: P,
      milestone_id: "{ms:27}",
      bulk_stories: [{ us_id: "{us:1066}", order: 1 }, { us_id: "{us:1067}", order: 2 }],
    },
  },
  {
    sample: "milestones-move-userstories-to-sprint-204",
    path: "/milestones/{ms:27}/move_userstories_to_sprint",
    body: {
      project_id: P,
      milestone_id: "{ms:28}",
      bulk_stories: [{ us_id: "{us:1067}", order: 1 }],
    },
    check: async (w) => {
      const task = await w.ok("GET", "/tasks/{task:133}");
      assert.equal(task.milestone, w.id("ms:28"), "the story's tasks follow it");
    },
  },
  {
    sample: "milestones-move-tasks-to-sprint-204",
    path: "/milestones/{ms:27}/move_tasks_to_sprint",
    body: {
      project_id: P,
      milestone_id: "{ms:28}",
      bulk_tasks: [{ task_id: "{task:132}", order: 1 }],
    },
  },
  {
    sample: "milestones-move-issues-to-sprint-204",
    path: "/milestones/{ms:27}/move_issues_to_sprint",
    body: { project_id: P, milestone_id: "{ms:28}", bulk_issues: [{ issue_id: "{issue:109}" }] },
  },
  {
    sample: "milestones-move-userstories-to-sprint-bad-400",
    path: "/milestones/{ms:27}/move_userstories_to_sprint",
    body: { project_id: P, milestone_id: 999999, bulk_stories: [{ us_id: "{us:1066}", order: 1 }] },
  },
  {
    sample: "userstories-bulk-update-backlog-order-200",
    body: { project_id: P, bulk_userstories: ["{us:1069}", "{us:1068}"] },
    check: sameRows("us"),
  },
  {
    sample: "userstories-bulk-update-backlog-order-after-200",
    body: { project_id: P, after_userstory_id: "{us:1069}", bulk_userstories: ["{us:1068}"] },
    check: sameRows("us"),
  },
  {
    sample: "userstories-bulk-update-sprint-order-200",
    body: { project_id: P, milestone_id: "{ms:27}", bulk_userstories: ["{us:1066}"] },
    check: sameRows("us"),
  },
  { sample: "userstories-bulk-update-sprint-order-endpoint-405" },
  {
    sample: "userstories-bulk-update-kanban-order-200",
    body: {
      project_id: P,
      status_id: "{us_status:New}",
      bulk_userstories: ["{us:1069}", "{us:1068}"],
    },
    check: sameRows("us"),
  },
  {
    sample: "tasks-bulk-update-taskboard-order-200",
    body: {
      project_id: P,
      milestone_id: "{ms:27}",
      status_id: "{task_status:New}",
      bulk_tasks: [{ task_id: "{task:131}", order: 2 }],
    },
    mapLike: ["$"],
    check: sameDict("task"),
  },
  {
    sample: "tasks-bulk-update-us-order-200",
    body: { project_id: P, us_id: "{us:1066}", bulk_tasks: [{ task_id: "{task:131}", order: 1 }] },
    mapLike: ["$"],
    check: sameDict("task"),
  },
  {
    sample: "tasks-bulk-update-milestone-200",
    body: {
      project_id: P,
      milestone_id: "{ms:27}",
      bulk_tasks: [{ task_id: "{task:133}", order: 1 }],
    },
    mapLike: ["$"],
    check: sameDict("task", (w) => w.id("ms:27")),
  },
];

const dueStatus = (_w: World, r: Reply, sample: { body: unknown }) =>
  assert.equal(
    r.body.due_date_status,
    (sample.body as { due_date_status: string }).due_date_status,
  );

const dueDates: Step[] = [
  {
    sample: "userstories-patch-due-date-200",
    path: "/userstories/{us:1066}",
    body: {
      due_date: "{day:3}",
      due_date_reason: "Release train 12.1",
      version: "{version:us:1066}",
    },
    check: dueStatus,
  },
  { sample: "userstories-detail-due-date-200", path: "/userstories/{us:1066}", check: dueStatus },
  {
    sample: "tasks-patch-due-date-200",
    path: "/tasks/{task:131}",
    body: {
      due_date: "{day:-11}",
      due_date_reason: "Needed before design review",
      version: "{version:task:131}",
    },
    check: dueStatus,
  },
  { sample: "tasks-detail-due-date-200", path: "/tasks/{task:131}", check: dueStatus },
  {
    sample: "issues-patch-due-date-200",
    path: "/issues/{issue:108}",
    body: {
      due_date: "{day:90}",
      due_date_reason: "Customer escalation",
      version: "{version:issue:108}",
    },
    check: dueStatus,
  },
  { sample: "issues-detail-due-date-200", path: "/issues/{issue:108}", check: dueStatus },
  { sample: "userstory-due-dates-list-200", path: "/userstory-due-dates?project={project}" },
];

/** Remembers the story a promotion created (found by the ref it answers). */
function promoted(key: string) {
  return (w: World, r: Reply) => {
    const story = [...w.bed.sandbox.state.items.userstory.values()].find((u) =>
      u.project === w.project && u.ref === r.body[0]
    );
    w.set(key, story!.id);
  };
}

const sameBody = (_w: World, r: Reply, sample: { body: unknown }) =>
  assert.deepEqual(r.body, sample.body);

const promotions: Step[] = [
  {
    sample: "tasks-promote-to-user-story-200",
    path: "/tasks/{task:133}/promote_to_user_story",
    body: { project_id: P },
    capture: promoted("us:1070"),
    check: sameBody,
  },
  { sample: "tasks-detail-after-promote-404", path: "/tasks/{task:133}" },
  {
    sample: "issues-promote-to-user-story-200",
    path: "/issues/{issue:110}/promote_to_user_story",
    body: { project_id: P },
    capture: promoted("us:1071"),
    check: sameBody,
  },
  {
    sample: "issues-detail-after-promote-200",
    path: "/issues/{issue:110}",
    check: (w, r) => assert.equal(r.body.generated_user_stories[0].id, w.id("us:1071")),
  },
  {
    sample: "tasks-patch-move-to-story-200",
    path: "/tasks/{task:134}",
    body: { user_story: "{us:1069}", version: "{version:task:134}" },
    differ: { "taiga-info-order-updated": "it holds the task's own order, a timestamp" },
    check: (w, r) => {
      const orders = JSON.parse(r.headers.get("taiga-info-order-updated")!);
      assert.deepEqual(Object.keys(orders), [String(w.id("task:134"))]);
    },
  },
];

const bulk: Step[] = [
  {
    sample: "epics-bulk-create-200",
    body: {
      project_id: P,
      status_id: "{epic_status:New}",
      bulk_epics: "Onboarding\nNotifications",
    },
  },
  {
    sample: "issues-bulk-create-200",
    body: { project_id: P, bulk_issues: "Broken link on pricing page\nAvatar upload fails" },
  },
  {
    sample: "tasks-bulk-create-200",
    body: {
      project_id: P,
      milestone_id: "{ms:27}",
      us_id: "{us:1066}",
      status_id: "{task_status:New}",
      bulk_tasks: "Add 3DS step\nHandle declined cards",
    },
  },
  {
    sample: "tasks-bulk-create-no-milestone-400",
    body: { project_id: P, us_id: "{us:1068}", bulk_tasks: "Escape CSV fields" },
  },
  {
    sample: "userstories-bulk-create-status-200",
    body: {
      project_id: P,
      status_id: "{us_status:New}",
      bulk_stories: "Saved addresses\nGift cards\nInvoices PDF",
    },
    capture: (w, r) =>
      r.body.forEach((s: { id: number }, i: number) => w.set(`us:${1072 + i}`, s.id)),
  },
  {
    sample: "epics-related-userstories-bulk-create-200",
    path: "/epics/{epic:54}/related_userstories/bulk_create",
    body: { project_id: P, bulk_userstories: "Refunds\nPartial captures" },
    capture: (w, r) =>
      r.body.forEach((l: { user_story: number }, i: number) =>
        w.set(`us:${1075 + i}`, l.user_story)
      ),
  },
  { sample: "epics-related-userstories-list-200", path: "/epics/{epic:54}/related_userstories" },
];

const PER_ID = [
  "issues_per_type",
  "issues_per_status",
  "issues_per_priority",
  "issues_per_severity",
  "issues_per_owner",
  "issues_per_assigned_to",
  "by_severity",
  "by_priority",
];

const stats: Step[] = [
  {
    sample: "projects-stats-sprints-200",
    path: "/projects/{project}/stats",
    check: (_w, r, sample) => {
      const recorded = sample.body as Record<string, unknown>;
      assert.deepEqual(r.body.milestones, recorded.milestones);
      assert.equal(r.body.defined_points, recorded.defined_points);
    },
  },
  {
    sample: "projects-issues-stats-200",
    path: "/projects/{project}/issues_stats",
    mapLike: PER_ID,
    check: (_w, r, sample) => {
      const recorded = sample.body as Record<
        string,
        Record<string, { name: string; count: number }>
      >;
      for (const key of ["issues_per_type", "issues_per_status", "issues_per_priority"]) {
        const byName = (o: Record<string, { name: string; count: number }>) =>
          Object.fromEntries(Object.values(o).map((b) => [b.name, b.count]));
        assert.deepEqual(byName(r.body[key]), byName(recorded[key]), key);
      }
    },
  },
  {
    sample: "projects-member-stats-200",
    path: "/projects/{project}/member_stats",
    mapLike: ["closed_bugs", "iocaine_tasks", "wiki_changes", "created_bugs", "closed_tasks"],
    check: (_w, r) => assert.deepEqual(Object.values(r.body.created_bugs).sort(), [0, 5]),
  },
  { sample: "users-stats-200", path: "/users/{user:demo}/stats" },
];

/** Part 2 of the replay. */
export const PART_B: Step[] = [...moves, ...dueDates, ...promotions, ...bulk, ...stats];
