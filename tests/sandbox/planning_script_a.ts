/**
 * Planning replay, part 1: the project and its items, the history and timeline of their
 * changes, filters_data, sprint moves and board ordering, due dates, promotions, bulk
 * creates and stats — in the order of the recording.
 *
 * @module
 */

import assert from "node:assert/strict";
import { counts, type Step } from "./planning_steps.ts";
import type { World } from "./planning_world.ts";

const us = (w: World, key: string, body: Record<string, unknown>) =>
  w.ok("PATCH", `/userstories/{${key}}`, { ...body, version: `{version:${key}}` });
const patch = (kind: string, key: string, body: Record<string, unknown>) => (w: World) =>
  w.ok("PATCH", `/${kind}/{${key}}`, { ...body, version: `{version:${key}}` });

async function createItems(w: World): Promise<void> {
  const p = "{project}";
  const stories: [string, string, Record<string, unknown>][] = [
    ["us:1066", "Checkout page", {
      description: "As a user I want checkout page",
      tags: ["payments"],
    }],
    ["us:1067", "Login with SSO", { tags: ["auth"] }],
    ["us:1068", "Export reports as CSV", {}],
    ["us:1069", "Dark mode", { tags: ["ui"] }],
  ];
  for (const [key, subject, extra] of stories) {
    w.set(key, (await w.ok("POST", "/userstories", { project: p, subject, ...extra }, 201)).id);
  }
  for (
    const [key, name, start, finish] of [["ms:27", "Sprint 1", -3, 11], [
      "ms:28",
      "Sprint 2",
      12,
      25,
    ]] as const
  ) {
    const body = {
      project: p,
      name,
      estimated_start: w.day(start),
      estimated_finish: w.day(finish),
    };
    w.set(key, (await w.ok("POST", "/milestones", body, 201)).id);
  }
  for (
    const [key, subject, story] of [
      ["task:131", "Design checkout form", "{us:1066}"],
      ["task:132", "Wire payment API", "{us:1066}"],
      ["task:133", "Configure SAML", "{us:1067}"],
      ["task:134", "Write CSV exporter", "{us:1068}"],
    ]
  ) {
    const body = { project: p, subject, user_story: story };
    w.set(key, (await w.ok("POST", "/tasks", body, 201)).id);
  }
  for (
    const [key, subject] of [
      ["issue:108", "Crash on empty cart"],
      ["issue:109", "Typo in footer"],
      ["issue:110", "Slow search"],
    ]
  ) {
    w.set(key, (await w.ok("POST", "/issues", { project: p, subject }, 201)).id);
  }
  for (const [key, subject] of [["epic:54", "Payments"], ["epic:55", "Reporting"]]) {
    w.set(key, (await w.ok("POST", "/epics", { project: p, subject }, 201)).id);
  }
}

const setupAndHistory: Step[] = [
  {
    sample: "projects-create-turn2-201",
    capture: (w, r) => {
      w.project = r.body.id;
    },
  },
  { sample: "projects-patch-modules-200", path: "/projects/{project}" },
  {
    sample: "users-list-200",
    path: "/users?project={project}",
    differ: {
      "x-pagination-count": "the recording's admin is a superuser and lists every user",
    },
  },
  {
    sample: "memberships-create-201",
    body: { project: "{project}", role: "{role:Front}", username: "alice" },
  },
  { setup: "4 stories, 2 sprints, 4 tasks, 3 issues, 2 epics", run: createItems },
  {
    setup: "story 1066: subject, status, assignee, tags",
    run: async (w) => {
      await us(w, "us:1066", { subject: "Checkout page with saved cards" });
      await us(w, "us:1066", { status: "{us_status:Ready}" });
      await us(w, "us:1066", { assigned_to: "{user:alice}" });
      await us(w, "us:1066", { tags: ["payments", "backend", "api"] });
    },
  },
  {
    sample: "userstories-patch-points-200",
    path: "/userstories/{us:1066}",
    body: { points: { "{role:Back}": "{points:1}", "{role:Front}": "{points:1/2}" }, version: 5 },
  },
  {
    setup: "story 1066: description and two comments",
    run: async (w) => {
      const description =
        "As a shopper I want to pay with a saved card so that checkout is faster.";
      await us(w, "us:1066", { description });
      await us(w, "us:1066", { comment: "Please keep PCI scope minimal." });
      await us(w, "us:1066", { comment: "Agreed, we will use the gateway's vault." });
    },
  },
  {
    sample: "history-userstory-values-diff-200",
    path: "/history/userstory/{us:1066}",
    capture: (w, r) => w.set("comment", r.body[0].id),
    check: (_w, r) => {
      const byKeys = (k: string) => r.body.find((e: { diff: object }) => k in e.diff);
      assert.deepEqual(Object.keys(byKeys("status").diff), ["status", "kanban_order"]);
      assert.deepEqual(byKeys("assigned_users").values_diff, {
        assigned_users: [null, "Alice Example"],
      });
      assert.deepEqual(byKeys("points").values_diff, {
        points: { Back: ["?", "1"], Front: ["?", "1/2"] },
      });
      const described = byKeys("description").values_diff;
      assert.deepEqual(Object.keys(described), ["description_diff", "description_html"]);
    },
  },
  {
    sample: "history-userstory-edit-comment-200",
    path: "/history/userstory/{us:1066}/edit_comment?id={comment}",
  },
  {
    sample: "history-userstory-comment-versions-200",
    path: "/history/userstory/{us:1066}/comment_versions?id={comment}",
    check: (_w, r) => assert.equal(r.body[0].comment, "Agreed, we will use the gateway's vault."),
  },
  {
    sample: "history-userstory-delete-comment-200",
    path: "/history/userstory/{us:1066}/delete_comment?id={comment}",
  },
  {
    sample: "history-userstory-after-delete-comment-200",
    path: "/history/userstory/{us:1066}",
    check: (_w, r) => {
      assert.ok(r.body[0].delete_comment_date, "marked deleted…");
      assert.equal(r.body[0].comment, "Agreed, we will use the payment gateway's card vault.");
    },
  },
  {
    sample: "history-userstory-undelete-comment-200",
    path: "/history/userstory/{us:1066}/undelete_comment?id={comment}",
  },
  {
    sample: "history-userstory-missing-comment-404",
    path: "/history/userstory/{us:1066}/edit_comment?id=00000000-0000-0000-0000-000000000000",
  },
  {
    setup: "task 132: subject, status, assignee, blocked, comment",
    run: async (w) => {
      for (
        const body of [
          { subject: "Wire payment gateway API" },
          { status: "{task_status:In progress}" },
          { assigned_to: "{user:alice}" },
          { is_blocked: true, blocked_note: "Waiting for sandbox keys" },
          { comment: "Sandbox keys requested." },
        ]
      ) await patch("tasks", "task:132", body)(w);
    },
  },
  { sample: "history-task-200", path: "/history/task/{task:132}" },
  {
    setup: "issue 108: subject, priority, severity, status, comment",
    run: async (w) => {
      for (
        const body of [
          { subject: "Crash on empty cart checkout" },
          { priority: "{priority:High}" },
          { severity: "{severity:Important}" },
          { status: "{issue_status:In progress}" },
          { comment: "Reproduced on staging." },
        ]
      ) await patch("issues", "issue:108", body)(w);
    },
  },
  { sample: "history-issue-200", path: "/history/issue/{issue:108}" },
];

const timelines: Step[] = [
  {
    sample: "timeline-project-page1-200",
    path: "/timeline/project/{project}?page=1",
    check: (_w, r) => {
      const edits = r.body.filter((e: { data: Record<string, unknown> }) =>
        e.data.comment_edited || e.data.comment_deleted
      );
      assert.equal(edits.length, 3, "edit, delete and undelete each push the entry again");
    },
  },
  { sample: "timeline-project-page2-200", path: "/timeline/project/{project}?page=2" },
  {
    sample: "timeline-user-200",
    path: "/timeline/user/{user:demo}",
    differ: { "x-pagination-count": "the recording server's admin had years of events" },
  },
  {
    sample: "timeline-profile-200",
    path: "/timeline/profile/{user:demo}",
    differ: { "x-pagination-count": "the recording server's admin had years of events" },
  },
];

/** Same facet counts as recorded; people by count only (the sandbox's names differ). */
function sameFacets(_w: World, r: { body: Record<string, unknown[]> }, sample: { body: unknown }) {
  const recorded = sample.body as Record<string, { name?: string; count: number }[]>;
  for (const [facet, rows] of Object.entries(recorded)) {
    const got = r.body[facet] as { name?: string; count: number }[];
    if (rows[0] && "name" in rows[0]) assert.deepEqual(counts(got), counts(rows), facet);
    else {
      const sorted = (x: { count: number }[]) => x.map((e) => e.count).sort();
      assert.deepEqual(sorted(got), sorted(rows), facet);
    }
  }
}

const filtersData: Step[] = ["userstories", "tasks", "issues", "epics"].map((kind) => ({
  sample: `${kind}-filters-data-200`,
  path: `/${kind}/filters_data?project={project}`,
  check: sameFacets,
}));
filtersData.push({ sample: "userstories-filters-data-no-project-404" });

/** Part 1 of the replay. */
export const PART_A: Step[] = [...setupAndHistory, ...timelines, ...filtersData];
