/**
 * Planning replay, part 3: the value lists (statuses, points, priorities, severities, issue
 * types), the first round of swimlanes, tags and roles.
 *
 * @module
 */

import assert from "node:assert/strict";
import { keep, type Step } from "./planning_steps.ts";
import type { World } from "./planning_world.ts";

const P = "{project}";

interface ValueList {
  path: string;
  kind: string;
  bulkKey: string;
  first: string;
  create: Record<string, unknown>;
  patch: Record<string, unknown>;
}

const LISTS: ValueList[] = [
  {
    path: "userstory-statuses",
    kind: "us_status",
    bulkKey: "bulk_userstory_statuses",
    first: "New",
    create: { name: "In QA", color: "#5178D3", is_closed: false, wip_limit: 3 },
    patch: { name: "In QA review", color: "#E47C40" },
  },
  {
    path: "task-statuses",
    kind: "task_status",
    bulkKey: "bulk_task_statuses",
    first: "New",
    create: { name: "Blocked externally", color: "#E44057", is_closed: false },
    patch: { name: "Blocked (external)", color: "#A8E440" },
  },
  {
    path: "issue-statuses",
    kind: "issue_status",
    bulkKey: "bulk_issue_statuses",
    first: "New",
    create: { name: "Won't fix", color: "#999999", is_closed: true },
    patch: { name: "Wontfix", color: "#666666" },
  },
  {
    path: "epic-statuses",
    kind: "epic_status",
    bulkKey: "bulk_epic_statuses",
    first: "New",
    create: { name: "Parked", color: "#CCCCCC", is_closed: false },
    patch: { name: "On hold", color: "#AAAAAA" },
  },
  {
    path: "points",
    kind: "points",
    bulkKey: "bulk_points",
    first: "?",
    create: { name: "21", value: 21 },
    patch: { name: "21 pts", value: 21 },
  },
  {
    path: "priorities",
    kind: "priority",
    bulkKey: "bulk_priorities",
    first: "Low",
    create: { name: "Urgent", color: "#FF0000" },
    patch: { name: "Critical", color: "#CC0000" },
  },
  {
    path: "severities",
    kind: "severity",
    bulkKey: "bulk_severities",
    first: "Wishlist",
    create: { name: "Blocker", color: "#FF0000" },
    patch: { name: "Showstopper", color: "#CC0000" },
  },
  {
    path: "issue-types",
    kind: "issue_type",
    bulkKey: "bulk_issue_types",
    first: "Bug",
    create: { name: "Security", color: "#8C2318" },
    patch: { name: "Security flaw", color: "#5E8C6A" },
  },
];

/** The new row first, then the others in their order (what each recording sent). */
function newFirst(list: ValueList) {
  return (w: World) => {
    const created = w.id(`new:${list.kind}`);
    const rows = w.bed.sandbox.state.settingsOf(list.kind as "points", w.project)
      .filter((r) => r.id !== created);
    return { project: P, [list.bulkKey]: [[created, 1], ...rows.map((r, i) => [r.id, i + 2])] };
  };
}

function valueList(list: ValueList): Step[] {
  const steps: Step[] = [
    { sample: `${list.path}-list-project-200`, path: `/${list.path}?project=${P}` },
    {
      sample: `${list.path}-create-201`,
      body: { ...list.create, project: P },
      capture: keep(`new:${list.kind}`),
    },
    {
      sample: `${list.path}-patch-200`,
      path: `/${list.path}/{new:${list.kind}}`,
      body: list.patch,
    },
    { sample: `${list.path}-bulk-update-order-204`, body: newFirst(list) },
    {
      sample: `${list.path}-delete-in-use-no-moveto-400`,
      path: `/${list.path}/{${list.kind}:${list.first}}`,
    },
    {
      sample: `${list.path}-delete-moveto-204`,
      path: `/${list.path}/{new:${list.kind}}?moveTo={${list.kind}:${list.first}}`,
      check: (w) => {
        const rows = w.bed.sandbox.state.settingsOf(list.kind as "points", w.project);
        assert.ok(!rows.some((r) => r.id === w.id(`new:${list.kind}`)));
      },
    },
  ];
  if (list.kind === "us_status") {
    steps.splice(
      2,
      0,
      {
        sample: "userstory-statuses-create-fields-400",
        body: { project: P, color: "not-a-colour" },
      },
      {
        sample: "userstory-statuses-create-non-admin-403",
        as: "alice",
        body: { project: P, name: "Sneaky", color: "#000000" },
      },
      { sample: "userstory-statuses-detail-missing-404" },
    );
  }
  if (list.kind === "points") {
    steps.splice(2, 0, {
      sample: "points-create-fields-400",
      body: { project: P, name: "XL", value: "big" },
    });
  }
  if (list.kind === "issue_status") steps.push({ sample: "issue-statuses-detail-missing-404" });
  return steps;
}

const swimlanes: Step[] = [
  { sample: "swimlanes-list-project-200", path: `/swimlanes?project=${P}` },
  {
    sample: "swimlanes-create-201",
    body: { name: "Team A", project: P },
    capture: keep("lane:21"),
    check: (w) => {
      const stories = [...w.bed.sandbox.state.items.userstory.values()]
        .filter((u) => u.project === w.project);
      assert.ok(stories.every((u) => u.swimlane === w.id("lane:21")), "the first lane takes all");
    },
  },
  { sample: "swimlanes-patch-200", path: "/swimlanes/{lane:21}", body: { name: "Team Alpha" } },
  {
    sample: "swimlanes-create-second-201",
    body: { project: P, name: "Team B" },
    capture: keep("lane:22"),
  },
  {
    sample: "swimlanes-bulk-update-order-204",
    body: { project: P, bulk_swimlanes: [["{lane:21}", 1]] },
  },
  {
    sample: "swimlanes-list-after-create-200",
    path: `/swimlanes?project=${P}`,
    check: (_w, r) => assert.deepEqual([r.body[0].name, r.body[0].order], ["Team Alpha", 1]),
  },
  { sample: "swimlanes-delete-moveto-204", path: "/swimlanes/{lane:22}?moveTo={lane:21}" },
  { sample: "swimlanes-delete-no-moveto-204", path: "/swimlanes/{lane:21}" },
];

const tag = (name: string) => `/projects/${P}/${name}`;
const tags: Step[] = [
  { sample: "projects-create-tag-200", path: tag("create_tag") },
  { sample: "projects-create-tag-duplicate-400", path: tag("create_tag") },
  { sample: "projects-create-tag-nocolor-200", path: tag("create_tag") },
  { sample: "projects-create-tag-non-admin-403", path: tag("create_tag"), as: "alice" },
  { sample: "projects-edit-tag-200", path: tag("edit_tag") },
  { sample: "projects-mix-tags-200", path: tag("mix_tags") },
  { sample: "projects-delete-tag-200", path: tag("delete_tag") },
  {
    sample: "projects-tags-colors-200",
    path: tag("tags_colors"),
    check: (_w, r, sample) => assert.deepEqual(r.body, sample.body),
  },
  {
    sample: "userstories-detail-after-mix-tags-200",
    path: "/userstories/{us:1066}",
    check: (_w, r, sample) => {
      assert.deepEqual(r.body.tags, [["payments", null]]);
      assert.equal(r.body.version, (sample.body as { version: number }).version, "no version bump");
    },
  },
];

const roles: Step[] = [
  { sample: "roles-list-project-200", path: `/roles?project=${P}` },
  {
    sample: "roles-create-201",
    body: (w: World) => ({ ...(w.fill(load("roles-create-201")) as object), project: P }),
    capture: keep("role:235"),
  },
  { sample: "roles-patch-200", path: "/roles/{role:235}" },
  { sample: "roles-detail-200", path: "/roles/{role:235}" },
  {
    setup: "a second new role",
    run: async (w) =>
      w.set("role:236", (await w.ok("POST", "/roles", { project: P, name: "Temp" }, 201)).id),
  },
  { sample: "roles-delete-moveto-204", path: "/roles/{role:236}?moveTo={role:235}" },
  {
    sample: "roles-delete-in-use-no-moveto-204",
    path: "/roles/{role:Front}",
    check: (w) => {
      const alice = w.bed.sandbox.state.findUser("alice")!;
      assert.equal(
        w.bed.sandbox.state.membershipOf(alice.id, w.project),
        undefined,
        "alice is out",
      );
    },
  },
];

function load(name: string): unknown {
  const url = new URL(`../fixtures/taiga-samples-planning/${name}.json`, import.meta.url);
  return JSON.parse(Deno.readTextFileSync(url)).request.body;
}

/** Part 3 of the replay. */
export const PART_C: Step[] = [...LISTS.flatMap(valueList), ...swimlanes, ...tags, ...roles];
