/**
 * Planning replay, part 5: watchers and voters, a member's permissions, the second round of
 * swimlanes with their WIP limits, and the project's deletion.
 *
 * @module
 */

import assert from "node:assert/strict";
import { keep, sameRows, type Step } from "./planning_steps.ts";
import type { World } from "./planning_world.ts";

const P = "{project}";

function watchAndVote(plural: string, item: string): Step[] {
  const base = `/${plural}/{${item}}`;
  const steps: Step[] = [
    { sample: `${plural}-watch-200`, path: `${base}/watch` },
    { sample: `${plural}-upvote-200`, path: `${base}/upvote` },
    { sample: `${plural}-watchers-200`, path: `${base}/watchers` },
    { sample: `${plural}-voters-200`, path: `${base}/voters` },
  ];
  if (plural === "epics") {
    steps.push({
      sample: "epics-detail-watched-200",
      path: base,
      check: (_w, r) => assert.deepEqual([r.body.is_watcher, r.body.total_voters], [true, 1]),
    });
  }
  steps.push(
    { sample: `${plural}-unwatch-200`, path: `${base}/unwatch` },
    { sample: `${plural}-downvote-200`, path: `${base}/downvote` },
  );
  return steps;
}

const watchers: Step[] = [
  ...watchAndVote("epics", "epic:54"),
  ...watchAndVote("issues", "issue:108"),
  ...watchAndVote("tasks", "task:131"),
  {
    setup: "watch and upvote story 1068",
    run: async (w) => {
      await w.ok("POST", "/userstories/{us:1068}/watch");
      await w.ok("POST", "/userstories/{us:1068}/upvote");
    },
  },
  { sample: "userstories-watchers-200", path: "/userstories/{us:1068}/watchers" },
  { sample: "userstories-unwatch-200", path: "/userstories/{us:1068}/unwatch" },
  { sample: "userstories-downvote-200", path: "/userstories/{us:1068}/downvote" },
  { sample: "userstories-voters-empty-200", path: "/userstories/{us:1068}/voters" },
  {
    sample: "userstories-watchers-detail-404",
    path: "/userstories/{us:1068}/watchers/{user:demo}",
  },
];

const asMember: Step[] = [
  {
    sample: "projects-patch-non-admin-403",
    as: "alice",
    path: "/projects/{project}",
  },
  {
    sample: "userstories-create-as-member-201",
    as: "alice",
    body: { project: P, subject: "Story from member" },
    capture: keep("us:1077"),
  },
  { sample: "projects-detail-as-member-200", as: "alice", path: "/projects/{project}" },
  {
    sample: "userstories-patch-missing-status-400",
    path: "/userstories/{us:1069}",
    body: { status: 999999, version: "{version:us:1069}" },
  },
];

const TOO_FEW =
  "the recording server had 126 rows across its projects; the sandbox has this project's 12";

const lanes: Step[] = [
  {
    setup: "a swimlane again (the first one: default, takes every story)",
    run: async (w) =>
      w.set("lane:23", (await w.ok("POST", "/swimlanes", { project: P, name: "Team C" }, 201)).id),
  },
  { sample: "swimlanes-detail-200", path: "/swimlanes/{lane:23}" },
  {
    sample: "userstories-bulk-update-kanban-order-swimlane-200",
    body: {
      project_id: P,
      status_id: "{us_status:New}",
      swimlane_id: "{lane:23}",
      bulk_userstories: ["{us:1069}"],
    },
    check: sameRows("us"),
  },
  {
    setup: "a second swimlane; its WIP-limit row for Ready",
    run: async (w: World) => {
      const lane = await w.ok("POST", "/swimlanes", { project: P, name: "Team D" }, 201);
      w.set("lane:24", lane.id);
      const ready = lane.statuses.find((s: { name: string }) => s.name === "Ready");
      w.set("lss:140", ready.swimlane_userstory_status_id);
    },
  },
  {
    sample: "swimlane-userstory-statuses-list-500",
    path: `/swimlane-userstory-statuses?project=${P}`,
  },
  {
    sample: "swimlane-userstory-statuses-list-noparams-200",
    differ: { "x-pagination-count": TOO_FEW, "x-pagination-next": TOO_FEW },
  },
  {
    sample: "swimlane-userstory-statuses-list-by-swimlane-200",
    path: "/swimlane-userstory-statuses?swimlane={lane:23}",
    differ: { "x-pagination-count": TOO_FEW, "x-pagination-next": TOO_FEW },
    check: (w, r) =>
      assert.ok(
        r.body.some((x: { swimlane: number }) => x.swimlane === w.id("lane:24")),
        "?swimlane= is ignored",
      ),
  },
  {
    sample: "swimlane-userstory-statuses-detail-200",
    path: "/swimlane-userstory-statuses/{lss:140}",
  },
  {
    sample: "swimlane-userstory-statuses-patch-200",
    path: "/swimlane-userstory-statuses/{lss:140}",
  },
  {
    // The recording sent a STATUS id (229), no row's id there; any id without a row does.
    sample: "swimlane-userstory-statuses-patch-404",
    path: "/swimlane-userstory-statuses/999999",
  },
  {
    setup: "the second swimlane goes, its stories to the first",
    run: (w) => w.ok("DELETE", "/swimlanes/{lane:24}?moveTo={lane:23}", undefined, 204),
  },
  { sample: "swimlanes-delete-last-204", path: "/swimlanes/{lane:23}" },
];

const end: Step[] = [
  { sample: "projects-delete-204", path: "/projects/{project}" },
  { sample: "projects-detail-after-delete-404", path: "/projects/{project}" },
];

/** Part 5 of the replay. */
export const PART_E: Step[] = [...watchers, ...asMember, ...lanes, ...end];
