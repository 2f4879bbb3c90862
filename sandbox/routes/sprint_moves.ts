/**
 * Moving items into a sprint (taiga-back `milestones/api.py`, the kinds' `services.py`):
 *
 * - `POST /milestones/{src}/move_userstories_to_sprint` `{project_id, milestone_id,
 *   bulk_stories: [{us_id, order}]}`, `move_tasks_to_sprint` (`bulk_tasks: [{task_id,
 *   order}]`), `move_issues_to_sprint` (`bulk_issues: [{issue_id}]`) → 204. `{src}` only has
 *   to exist and be modifiable (`modify_milestone`): the items need not be in it. The kind's
 *   modify permission is checked only for a non-empty list.
 * - `POST /userstories/bulk_update_milestone` (→ 204), `/tasks/bulk_update_milestone` (→ 200
 *   `{"<task id>": <milestone id>}`), `/issues/bulk_update_milestone` (→ 200, same dict).
 *
 * Stories take their sprint order (the others of the sprint make room) and their tasks
 * follow them; tasks take their taskboard order; issues only change sprint. Each moved item
 * (not the tasks that follow) is snapshotted. The issue validator never checks that the
 * issues are the project's (its check is misnamed in taiga-back), so neither does this.
 *
 * @module
 */

import { type Ctx, json, noContent } from "../http.ts";
import { applyOrderUpdates } from "../reorder.ts";
import type { Router } from "../router.ts";
import { takeSnapshot } from "../snapshot.ts";
import type { Item, ItemKind, Milestone, Project, User } from "../state.ts";
import { toInt } from "../util.ts";
import { check, FieldErrors, intField, objectOrError, projectIdField, rowOr404 } from "./common.ts";

type Kind = "userstory" | "task" | "issue";

const SPEC: Record<Kind, { list: string; idKey: string; order: boolean; foreign: string }> = {
  userstory: {
    list: "bulk_stories",
    idKey: "us_id",
    order: true,
    foreign: "All the user stories must be from the same project",
  },
  task: {
    list: "bulk_tasks",
    idKey: "task_id",
    order: true,
    foreign: "All the tasks must be from the same project",
  },
  issue: { list: "bulk_issues", idKey: "issue_id", order: false, foreign: "" },
};

const PERM: Record<Kind, string> = {
  userstory: "modify_us",
  task: "modify_task",
  issue: "modify_issue",
};

interface MoveRequest {
  project: Project;
  milestone: Milestone;
  entries: { id: number; order: number }[];
}

/**
 * Validates a move body. `missingMilestone` is the error of a `milestone_id` that does not
 * exist (the sprint endpoints say so; the collection endpoints check it is the project's).
 */
function moveRequest(ctx: Ctx, kind: Kind, sprintEndpoint: boolean): MoveRequest {
  const spec = SPEC[kind];
  const errors = new FieldErrors();
  const project = projectIdField(ctx, errors);
  const milestoneId = intField(ctx, errors, "milestone_id");
  const raw = ctx.body[spec.list];
  const entries: { id: number; order: number }[] = [];
  if (!Array.isArray(raw)) errors.add(spec.list, "This field is required.");
  else {
    const itemErrors = raw.map((e) => {
      const out: Record<string, string[]> = {};
      const id = toInt((e as Record<string, unknown>)?.[spec.idKey]);
      const order = toInt((e as Record<string, unknown>)?.order);
      if (id === undefined) out[spec.idKey] = ["This field is required."];
      if (spec.order && order === undefined) out.order = ["This field is required."];
      if (id !== undefined) entries.push({ id, order: order ?? 0 });
      return out;
    });
    if (itemErrors.some((e) => Object.keys(e).length)) errors.put(spec.list, itemErrors);
  }
  const milestone = milestoneId === undefined ? undefined : ctx.state.milestones.get(milestoneId);
  if (milestoneId !== undefined) {
    if (sprintEndpoint && kind === "userstory" && !milestone) {
      errors.add("milestone_id", "There's no milestone with that id");
    } else if (
      !(sprintEndpoint && kind === "userstory") && project && milestone?.project !== project.id
    ) {
      errors.add("milestone_id", "The milestone isn't valid for the project");
    }
  }
  if (project && spec.foreign && entries.length) {
    const table = ctx.state.items[kind as ItemKind];
    if (entries.some((e) => table.get(e.id)?.project !== project.id)) {
      errors.add(spec.list, spec.foreign);
    }
  }
  errors.throwIfAny();
  return {
    project: project!,
    milestone: objectOrError(ctx, milestone),
    entries,
  };
}

/** Puts stories or tasks at their orders in `milestone`, the others of it making room. */
function orderInto(
  items: Map<number, Item>,
  milestone: Milestone,
  field: "sprint_order" | "taskboard_order",
  entries: { id: number; order: number }[],
): void {
  const base = new Map(
    [...items.values()].filter((i) => i.milestone === milestone.id).map((i) => [i.id, i[field]]),
  );
  const wanted = new Map<number, number>();
  for (const e of entries) {
    base.set(e.id, e.order);
    wanted.set(e.id, e.order);
  }
  for (const [id, order] of applyOrderUpdates(base, wanted)) {
    const item = items.get(id);
    if (item) item[field] = order;
  }
}

/** Moves items into a sprint as taiga-back's `update_*_milestone_in_bulk` + snapshots. */
export function moveToSprint(
  ctx: Ctx,
  kind: Kind,
  milestone: Milestone,
  entries: { id: number; order: number }[],
  user: User | null,
): void {
  const items = ctx.state.items[kind];
  if (kind === "userstory") orderInto(items, milestone, "sprint_order", entries);
  if (kind === "task") orderInto(items, milestone, "taskboard_order", entries);
  const ids = new Set(entries.map((e) => e.id));
  for (const id of ids) {
    const item = items.get(id);
    if (item) item.milestone = milestone.id;
  }
  if (kind === "userstory") {
    for (const task of ctx.state.items.task.values()) {
      if (task.user_story !== null && ids.has(task.user_story)) task.milestone = milestone.id;
    }
  }
  for (const id of ids) {
    if (items.has(id)) takeSnapshot(ctx.state, { kind, id }, user);
  }
}

function sprintMove(kind: Kind) {
  return (ctx: Ctx) => {
    const source = rowOr404(ctx, ctx.state.milestones, "Milestone", "view_milestones");
    check(ctx, ctx.state.projects.get(source.project)!, "modify_milestone");
    const { project, milestone, entries } = moveRequest(ctx, kind, true);
    if (entries.length) {
      check(ctx, project, PERM[kind]);
      moveToSprint(ctx, kind, milestone, entries, ctx.user);
    }
    return noContent();
  };
}

function bulkUpdateMilestone(kind: Kind) {
  return (ctx: Ctx) => {
    const { project, milestone, entries } = moveRequest(ctx, kind, false);
    check(ctx, project, PERM[kind]);
    moveToSprint(ctx, kind, milestone, entries, ctx.user);
    if (kind === "userstory") return noContent();
    return json(Object.fromEntries(entries.map((e) => [String(e.id), milestone.id])));
  };
}

/** Registers the collection moves (before the kinds' `/:id` routes). */
export function bulkMilestoneRoutes(router: Router): void {
  router.post("/userstories/bulk_update_milestone", bulkUpdateMilestone("userstory"));
  router.post("/tasks/bulk_update_milestone", bulkUpdateMilestone("task"));
  router.post("/issues/bulk_update_milestone", bulkUpdateMilestone("issue"));
}

/** Registers the `/milestones/{id}/move_*_to_sprint` actions. */
export function sprintMoveRoutes(router: Router): void {
  router.post("/milestones/:id/move_userstories_to_sprint", sprintMove("userstory"));
  router.post("/milestones/:id/move_tasks_to_sprint", sprintMove("task"));
  router.post("/milestones/:id/move_issues_to_sprint", sprintMove("issue"));
}
