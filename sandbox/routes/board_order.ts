/**
 * Board ordering (taiga-back `userstories/api.py`, `services.py`, `tasks/api.py`):
 *
 * - `POST /userstories/bulk_update_backlog_order` `{project_id, bulk_userstories: [ids],
 *   milestone_id?, after_userstory_id? | before_userstory_id?}`: the list is the backlog, or
 *   the sprint `milestone_id`. The ids go first, then the rest of that list from the anchor
 *   on (all of it without one), numbered from 1 / the anchor's order + 1 / the anchor's
 *   order; the moved stories and their tasks are then put in that sprint — OR BACK IN THE
 *   BACKLOG when `milestone_id` is absent. Answers every renumbered row `{id, milestone,
 *   backlog_order|sprint_order}`.
 * - `POST /userstories/bulk_update_kanban_order` `{project_id, status_id, swimlane_id?,
 *   after/before, bulk_userstories}`: the same within the cell (status, swimlane); the moved
 *   stories take that status and THAT SWIMLANE (none when it is omitted). Answers
 *   `{id, swimlane, status, kanban_order}` rows.
 * - `POST /tasks/bulk_update_taskboard_order` and `bulk_update_us_order` `{project_id,
 *   bulk_tasks: [{task_id, order}], status_id?, us_id?, milestone_id?}`: the ids only scope and
 *   validate (taiga-back never scopes by `us_id`); answers `{"<task id>": order}` of the rows
 *   that moved.
 *
 * `/userstories/bulk_update_sprint_order` does not exist (405 by route shape).
 *
 * @module
 */

import { type Ctx, json } from "../http.ts";
import { isClosed } from "../items.ts";
import { applyOrderUpdates, renumber } from "../reorder.ts";
import type { Router } from "../router.ts";
import { takeSnapshot } from "../snapshot.ts";
import type { Item, Project } from "../state.ts";
import { toInt } from "../util.ts";
import { check, FieldErrors, intField, objectOrError, projectIdField } from "./common.ts";

const SAME_PROJECT = "Invalid user story ids. All stories must belong to the same project.";

/** `bulk_userstories`: a list of positive ids, all of the project. */
function storyIds(ctx: Ctx, errors: FieldErrors, project: Project | undefined): number[] {
  const raw = ctx.body.bulk_userstories;
  if (!Array.isArray(raw)) {
    errors.add("bulk_userstories", "This field is required.");
    return [];
  }
  const ids = raw.map((v) => toInt(v));
  if (ids.some((id) => id === undefined || id < 1)) {
    errors.add("bulk_userstories", "Enter a whole number.");
    return [];
  }
  const list = ids as number[];
  const stories = ctx.state.items.userstory;
  if (project && list.some((id) => stories.get(id)?.project !== project.id)) {
    errors.add("bulk_userstories", SAME_PROJECT);
  }
  return list;
}

/** `after_userstory_id` / `before_userstory_id`, which must be in the list `inList` accepts. */
function anchorOf(
  ctx: Ctx,
  errors: FieldErrors,
  project: Project | undefined,
  where: string,
  inList: (us: Item) => boolean,
): { story: Item; after: boolean } | undefined {
  const after = intField(ctx, errors, "after_userstory_id", false);
  const before = intField(ctx, errors, "before_userstory_id", false);
  const ok = (id: number) => {
    const us = ctx.state.items.userstory.get(id);
    return us && project && us.project === project.id && inList(us) ? us : undefined;
  };
  if (after !== undefined && project && !ok(after)) {
    errors.add(
      "after_userstory_id",
      `Invalid user story id to move after. The user story must belong to the same ${where}.`,
    );
  }
  if (after && before) {
    errors.add("before_userstory_id", "You can't use after and before at the same time.");
  } else if (before !== undefined && project && !ok(before)) {
    errors.add(
      "before_userstory_id",
      `Invalid user story id to move before. The user story must belong to the same ${where}.`,
    );
  }
  const id = after ?? before;
  const story = id === undefined ? undefined : ctx.state.items.userstory.get(id);
  return story ? { story, after: after !== undefined } : undefined;
}

function backlogOrder(ctx: Ctx): Response {
  const errors = new FieldErrors();
  const project = projectIdField(ctx, errors);
  const milestoneId = intField(ctx, errors, "milestone_id", false) || undefined;
  const milestone = milestoneId === undefined ? undefined : ctx.state.milestones.get(milestoneId);
  if (milestoneId !== undefined && project && milestone?.project !== project.id) {
    errors.add(
      "milestone_id",
      "Invalid milestone id. The milestone must belong to the same project.",
    );
  }
  const inList = (us: Item) => us.milestone === (milestoneId ?? null);
  const anchor = anchorOf(ctx, errors, project, "project and milestone", inList);
  const ids = storyIds(ctx, errors, project);
  errors.throwIfAny();
  check(ctx, project!, "modify_us");
  const field = milestone ? "sprint_order" : "backlog_order";
  const stories = ctx.state.items.userstory;
  const rest = [...stories.values()].filter((u) => u.project === project!.id && inList(u))
    .map((u) => ({ id: u.id, order: u[field] }));
  const rows = renumber(
    ids,
    rest,
    anchor && { id: anchor.story.id, order: anchor.story[field], after: anchor.after },
  );
  for (const [id, order] of rows) stories.get(id)![field] = order;
  const moved = new Set(ids);
  for (const id of moved) stories.get(id)!.milestone = milestone?.id ?? null;
  for (const task of ctx.state.items.task.values()) {
    if (task.user_story !== null && moved.has(task.user_story)) {
      task.milestone = milestone?.id ?? null;
    }
  }
  for (const id of moved) {
    takeSnapshot(ctx.state, { kind: "userstory", id }, ctx.user);
    for (const task of ctx.state.items.task.values()) {
      if (task.user_story === id) takeSnapshot(ctx.state, { kind: "task", id: task.id }, ctx.user);
    }
  }
  return json(
    rows.map(([id, order]) => ({ id, milestone: milestone?.id ?? null, [field]: order })),
  );
}

function kanbanOrder(ctx: Ctx): Response {
  const errors = new FieldErrors();
  const project = projectIdField(ctx, errors);
  const statusId = intField(ctx, errors, "status_id");
  const swimlaneId = intField(ctx, errors, "swimlane_id", false);
  const status = statusId === undefined ? undefined : ctx.state.settings.us_status.get(statusId);
  const swimlane = swimlaneId === undefined
    ? undefined
    : ctx.state.settings.swimlane.get(swimlaneId);
  if (statusId !== undefined && project && status?.project !== project.id) {
    errors.add(
      "status_id",
      "Invalid user story status id. The status must belong to the same project.",
    );
  }
  if (swimlaneId !== undefined && project && swimlane?.project !== project.id) {
    errors.add("swimlane_id", "Invalid swimlane id. The swimlane must belong to the same project.");
  }
  const inCell = (us: Item) => us.status === statusId && us.swimlane === (swimlaneId ?? null);
  const anchor = anchorOf(ctx, errors, project, "project, status and swimlane", inCell);
  const ids = storyIds(ctx, errors, project);
  errors.throwIfAny();
  check(ctx, project!, "modify_us");
  objectOrError(ctx, status);
  const stories = ctx.state.items.userstory;
  const rest = [...stories.values()].filter((u) => u.project === project!.id && inCell(u))
    .map((u) => ({ id: u.id, order: u.kanban_order }));
  const rows = renumber(
    ids,
    rest,
    anchor && { id: anchor.story.id, order: anchor.story.kanban_order, after: anchor.after },
  );
  for (const [id, order] of rows) stories.get(id)!.kanban_order = order;
  for (const id of new Set(ids)) {
    const us = stories.get(id)!;
    const wasClosed = isClosed(ctx.state, us);
    us.status = statusId!;
    us.swimlane = swimlaneId ?? null;
    if (isClosed(ctx.state, us) !== wasClosed) {
      us.finish_date = wasClosed ? null : ctx.state.nowIso();
    }
    takeSnapshot(ctx.state, { kind: "userstory", id }, ctx.user);
  }
  return json(rows.map(([id, order]) => ({
    id,
    swimlane: swimlaneId ?? null,
    status: statusId,
    kanban_order: order,
  })));
}

function taskOrder(field: "taskboard_order" | "us_order") {
  return (ctx: Ctx) => {
    const errors = new FieldErrors();
    const project = projectIdField(ctx, errors);
    const statusId = intField(ctx, errors, "status_id", false);
    const usId = intField(ctx, errors, "us_id", false);
    const milestoneId = intField(ctx, errors, "milestone_id", false);
    const s = ctx.state;
    if (
      project && statusId !== undefined &&
      s.settings.task_status.get(statusId)?.project !== project.id
    ) {
      errors.add(
        "status_id",
        "Invalid task status id. The status must belong to the same project.",
      );
    }
    if (project && usId !== undefined) {
      const us = s.items.userstory.get(usId);
      if (
        us?.project !== project.id || (milestoneId !== undefined && us.milestone !== milestoneId)
      ) {
        errors.add(
          "us_id",
          "Invalid user story id. The user story must belong to the same project.",
        );
      }
    }
    if (
      project && milestoneId !== undefined && s.milestones.get(milestoneId)?.project !== project.id
    ) {
      errors.add(
        "milestone_id",
        "Invalid milestone id. The milestone must belong to the same project.",
      );
    }
    const entries = Array.isArray(ctx.body.bulk_tasks)
      ? (ctx.body.bulk_tasks as Record<string, unknown>[]).map((e) => ({
        id: toInt(e?.task_id),
        order: toInt(e?.order),
      }))
      : undefined;
    if (!entries) errors.add("bulk_tasks", "This field is required.");
    else if (project && !errors.any) {
      const ok = entries.every((e) => {
        const t = e.id === undefined ? undefined : s.items.task.get(e.id);
        return t?.project === project.id && e.order !== undefined &&
          (statusId === undefined || t.status === statusId) &&
          (usId === undefined || t.user_story === usId) &&
          (milestoneId === undefined || t.milestone === milestoneId);
      });
      if (!ok) {
        errors.add(
          "bulk_tasks",
          "Invalid task ids. All tasks must belong to the same project and, if it exists, to " +
            "the same status, user story and/or milestone.",
        );
      }
    }
    errors.throwIfAny();
    check(ctx, project!, "modify_task");
    const scope = [...s.items.task.values()].filter((t) =>
      t.project === project!.id &&
      (statusId === undefined || t.status === statusId) &&
      (milestoneId === undefined || t.milestone === milestoneId)
    );
    const changed = applyOrderUpdates(
      new Map(scope.map((t) => [t.id, t[field]])),
      new Map(entries!.map((e) => [e.id!, e.order!])),
    );
    for (const [id, order] of changed) s.items.task.get(id)![field] = order;
    return json(Object.fromEntries([...changed].map(([id, order]) => [String(id), order])));
  };
}

/** Registers the board ordering routes (before the kinds' `/:id` routes). */
export function boardOrderRoutes(router: Router): void {
  router.post("/userstories/bulk_update_backlog_order", backlogOrder);
  router.post("/userstories/bulk_update_kanban_order", kanbanOrder);
  router.post("/tasks/bulk_update_taskboard_order", taskOrder("taskboard_order"));
  router.post("/tasks/bulk_update_us_order", taskOrder("us_order"));
}
