/**
 * `bulk_create` of every kind (one item per non-blank line; all answer 200 with the full
 * item shapes) and `/epics/{id}/related_userstories/bulk_create`, with taiga-back's
 * validators (the kinds' `validators.py`):
 *
 * - stories `{project_id, bulk_stories, status_id?, swimlane_id?}` (the status and swimlane
 *   must be the project's);
 * - tasks `{project_id, milestone_id, bulk_tasks, us_id?, status_id?}` — `milestone_id` is
 *   REQUIRED and `us_id` must be in that sprint;
 * - issues `{project_id, bulk_issues, milestone_id?}` — always the project's default status,
 *   type, priority and severity (a `status_id` is ignored), no history snapshot;
 * - epics `{project_id, bulk_epics, status_id?}` (the status is not checked);
 * - related stories `{project_id, bulk_userstories}` creates NEW stories linked to the epic
 *   (the default swimlane when kanban is on) and answers every link of the epic.
 *
 * @module
 */

import { type Ctx, json } from "../http.ts";
import { createItem } from "../items.ts";
import { type KindDef, KINDS } from "../kinds.ts";
import type { Router } from "../router.ts";
import { itemShape } from "../shapes_items.ts";
import { takeSnapshot } from "../snapshot.ts";
import type { Project } from "../state.ts";
import {
  check,
  FieldErrors,
  intField,
  objectOrError,
  projectIdField,
  splitLines,
  textField,
} from "./common.ts";
import { relatedShape } from "./related.ts";

type Data = Record<string, unknown>;

function inProject<T extends { project: number }>(row: T | undefined, project: Project): boolean {
  return row !== undefined && row.project === project.id;
}

/** Validates the kind-specific fields; returns the create data (errors go to `errors`). */
function kindFields(ctx: Ctx, def: KindDef, project: Project | undefined, errors: FieldErrors) {
  const s = ctx.state;
  const data: Data = {};
  if (def.kind === "issue") {
    data.milestone = intField(ctx, errors, "milestone_id", false) ?? null;
    return data;
  }
  const status = intField(ctx, errors, "status_id", false);
  if (def.kind === "task") {
    const milestone = intField(ctx, errors, "milestone_id");
    const us = intField(ctx, errors, "us_id", false);
    if (project && milestone !== undefined) {
      if (!inProject(s.milestones.get(milestone), project)) {
        errors.add("milestone_id", "Invalid milestone id.");
      } else data.milestone = milestone;
    }
    if (project && status !== undefined) {
      if (!inProject(s.settings.task_status.get(status), project)) {
        errors.add("status_id", "Invalid task status id.");
      } else data.status = status;
    }
    if (project && us !== undefined) {
      const story = s.items.userstory.get(us);
      if (
        !inProject(story, project) || (milestone !== undefined && story!.milestone !== milestone)
      ) {
        errors.add("us_id", "Invalid user story id.");
      } else data.user_story = us;
    }
    return data;
  }
  if (status !== undefined) data.status = status;
  if (def.kind === "userstory") {
    if (project && status !== undefined && !inProject(s.settings.us_status.get(status), project)) {
      errors.add(
        "status_id",
        "Invalid user story status id. The status must belong to the same project.",
      );
    }
    const swimlane = intField(ctx, errors, "swimlane_id", false);
    if (project && swimlane !== undefined) {
      if (!inProject(s.settings.swimlane.get(swimlane), project)) {
        errors.add(
          "swimlane_id",
          "Invalid swimlane id. The swimlane must belong to the same project.",
        );
      } else data.swimlane = swimlane;
    }
  }
  return data;
}

function bulkCreate(def: KindDef) {
  return (ctx: Ctx) => {
    const errors = new FieldErrors();
    const project = projectIdField(ctx, errors);
    const text = textField(ctx, errors, def.bulkField);
    const data = kindFields(ctx, def, project, errors);
    errors.throwIfAny();
    check(ctx, project!, def.perms.add);
    if (def.kind === "userstory" && data.swimlane === undefined && project!.is_kanban_activated) {
      data.swimlane = project!.default_swimlane;
    }
    const record = def.kind !== "issue";
    const items = splitLines(text).map((subject) =>
      createItem(ctx.state, def.kind, project!, ctx.user, { ...data, subject }, { record })
    );
    return json(items.map((i) => itemShape(ctx.state, i, ctx.user, "write")));
  };
}

function relatedBulkCreate(ctx: Ctx): Response {
  const errors = new FieldErrors();
  const project = projectIdField(ctx, errors);
  const text = textField(ctx, errors, "bulk_userstories");
  errors.throwIfAny();
  const epic = objectOrError(ctx, ctx.state.items.epic.get(Number(ctx.params.id)));
  check(ctx, project!, "modify_epic");
  const swimlane = project!.is_kanban_activated ? project!.default_swimlane : null;
  const order = Math.floor(ctx.state.clock());
  for (const subject of splitLines(text)) {
    const us = createItem(ctx.state, "userstory", project!, ctx.user, { subject, swimlane }, {
      record: false,
    });
    const id = ctx.state.nextId("related");
    ctx.state.relatedStories.set(id, { id, epic: epic.id, user_story: us.id, order });
    takeSnapshot(ctx.state, { kind: "relateduserstory", id }, ctx.user);
    takeSnapshot(ctx.state, { kind: "userstory", id: us.id }, ctx.user);
  }
  const links = [...ctx.state.relatedStories.values()].filter((r) => r.epic === epic.id);
  return json(links.map(relatedShape));
}

/** Registers the bulk creates (before the kinds' `/:id` routes). */
export function bulkCreateRoutes(router: Router): void {
  for (const def of Object.values(KINDS)) {
    router.post(`/${def.plural}/bulk_create`, bulkCreate(def));
  }
  router.post("/epics/:id/related_userstories/bulk_create", relatedBulkCreate);
}
