/**
 * Swimlanes and their per-status WIP limits (taiga-back `SwimlaneViewSet`,
 * `MoveOnDestroySwimlaneMixin`, `SwimlaneUserStoryStatusViewSet`, `projects/signals.py`):
 *
 * - a swimlane renders with `statuses[]`: every story status of the project with the
 *   swimlane's own `wip_limit` and its `swimlane_userstory_status_id`;
 * - create `{project, name}` → 201 (`order` = now in ms); the FIRST swimlane becomes the
 *   project's default, takes every story and copies the statuses' WIP limits;
 * - DELETE `?moveTo=` appends its stories to that swimlane (the project's stories are
 *   renumbered 0…n, lane by lane); without `moveTo` only the LAST swimlane may go (its stories
 *   lose their swimlane), else 400; the default swimlane cannot go while others exist;
 * - `/swimlane-userstory-statuses`: GET `/{id}`, PATCH `{wip_limit}` (admin); the list ignores
 *   `?swimlane=` and crashes (HTML 500) on `?project=`.
 *
 * @module
 */

import { type Ctx, html500, HttpError, json, noContent, notFound, taigaError } from "../http.ts";
import { paginated } from "../pagination.ts";
import type { Router } from "../router.ts";
import { addSwimlaneStatuses, laneStatus } from "../lanes.ts";
import type { SandboxState, SettingRow, SwimlaneStatus } from "../state.ts";
import { addSetting } from "../template.ts";
import { toInt } from "../util.ts";
import { check, projectFromBody, rowOr404, visibleProjects } from "./common.ts";
import { settingFields } from "./setting_fields.ts";
import { bulkUpdateOrder, listRows, rowForWrite } from "./value_lists.ts";

/** A swimlane as `SwimlaneSerializer` renders it. */
export function swimlaneShape(state: SandboxState, lane: SettingRow): Record<string, unknown> {
  return {
    id: lane.id,
    name: lane.name,
    order: lane.order,
    project: lane.project,
    statuses: state.settingsOf("us_status", lane.project).map((s) => {
      const rel = laneStatus(state, lane.id, s.id);
      return {
        id: s.id,
        name: s.name,
        slug: s.slug,
        order: s.order,
        is_closed: s.is_closed ?? false,
        is_archived: s.is_archived ?? false,
        color: s.color,
        wip_limit: rel?.wip_limit ?? null,
        swimlane_userstory_status_id: rel?.id ?? null,
      };
    }),
  };
}

/** `update_order_and_swimlane`: the lane's stories go after the target's, all renumbered. */
function moveLane(state: SandboxState, lane: SettingRow, target: SettingRow): void {
  const stories = [...state.items.userstory.values()].filter((u) => u.project === lane.project);
  const byOrder = (a: { kanban_order: number; id: number }, b: typeof a) =>
    a.kanban_order - b.kanban_order || a.id - b.id;
  const ordered = stories.filter((u) => u.swimlane === null).sort(byOrder);
  const lanes = state.settingsOf("swimlane", lane.project).filter((l) => l.id !== lane.id);
  for (const l of lanes) {
    ordered.push(...stories.filter((u) => u.swimlane === l.id).sort(byOrder));
    if (l.id === target.id) {
      const incoming = stories.filter((u) => u.swimlane === lane.id).sort(byOrder);
      incoming.forEach((u) => (u.swimlane = target.id));
      ordered.push(...incoming);
    }
  }
  ordered.forEach((u, i) => (u.kanban_order = i));
}

function swimlaneRoutes(router: Router): void {
  router.get(
    "/swimlanes",
    (ctx) => paginated(ctx, listRows(ctx, "swimlane"), (r) => swimlaneShape(ctx.state, r)),
  );
  router.post("/swimlanes", (ctx) => {
    const project = projectFromBody(ctx);
    const data = settingFields(ctx, "swimlane", project, undefined);
    check(ctx, project, "admin_project_values");
    const lane = addSetting(ctx.state, "swimlane", project.id, {
      name: data.name!,
      order: Math.floor(ctx.state.clock()),
    });
    addSwimlaneStatuses(ctx.state, project, { swimlane: lane });
    if (ctx.state.settingsOf("swimlane", project.id).length === 1) {
      project.default_swimlane = lane.id;
      for (const us of ctx.state.items.userstory.values()) {
        if (us.project === project.id) us.swimlane = lane.id;
      }
    }
    return json(swimlaneShape(ctx.state, lane), 201);
  });
  router.post(
    "/swimlanes/bulk_update_order",
    (ctx) =>
      bulkUpdateOrder(ctx, "bulk_swimlanes", (project, id, order) => {
        const lane = ctx.state.settings.swimlane.get(id);
        if (lane?.project === project.id) lane.order = order;
      }),
  );
  router.get("/swimlanes/:id", (ctx) => {
    const lane = ctx.state.settings.swimlane.get(toInt(ctx.params.id) ?? -1);
    if (!lane) throw notFound("Swimlane");
    check(ctx, ctx.state.projects.get(lane.project)!, "view_project");
    return json(swimlaneShape(ctx.state, lane));
  });
  const update = (partial: boolean) => (ctx: Ctx) => {
    const lane = rowForWrite(ctx, "swimlane");
    const project = ctx.state.projects.get(lane.project)!;
    const data = settingFields(ctx, "swimlane", project, lane, partial);
    if (data.name !== undefined) lane.name = data.name;
    return json(swimlaneShape(ctx.state, lane));
  };
  router.patch("/swimlanes/:id", update(true));
  router.put("/swimlanes/:id", update(false));
  router.delete("/swimlanes/:id", (ctx) => {
    const lane = rowForWrite(ctx, "swimlane");
    const project = ctx.state.projects.get(lane.project)!;
    const count = ctx.state.settingsOf("swimlane", project.id).length;
    const moveTo = ctx.query.get("moveTo");
    let target: SettingRow | undefined;
    if (moveTo === null) {
      if (count > 1) {
        throw taigaError(
          400,
          "Cannot set swimlane to None if there are available swimlanes",
          "BadRequest",
        );
      }
    } else {
      target = ctx.state.settings.swimlane.get(toInt(moveTo) ?? -1);
      if (!target) throw notFound("Swimlane");
      check(ctx, ctx.state.projects.get(target.project)!, "admin_project_values");
    }
    if (project.default_swimlane === lane.id && count > 1) {
      throw taigaError(400, "The default swimlane cannot be deleted.", "BadRequest");
    }
    if (target) moveLane(ctx.state, lane, target);
    else {
      for (const us of ctx.state.items.userstory.values()) {
        if (us.swimlane === lane.id) us.swimlane = null;
      }
    }
    if (project.default_swimlane === lane.id) project.default_swimlane = null;
    for (const [id, r] of ctx.state.swimlaneStatuses) {
      if (r.swimlane === lane.id) ctx.state.swimlaneStatuses.delete(id);
    }
    ctx.state.settings.swimlane.delete(lane.id);
    return noContent();
  });
}

function statusShape(r: SwimlaneStatus): Record<string, unknown> {
  return { id: r.id, status: r.status, swimlane: r.swimlane, wip_limit: r.wip_limit };
}

function laneStatusRoutes(router: Router): void {
  const base = "/swimlane-userstory-statuses";
  router.get(base, (ctx) => {
    if (ctx.query.has("project")) return html500();
    const visible = visibleProjects(ctx, "view_project");
    const rows = [...ctx.state.swimlaneStatuses.values()].filter((r) => visible.has(r.project))
      .sort((a, b) => a.id - b.id);
    return paginated(ctx, rows, statusShape);
  });
  router.get(`${base}/:id`, (ctx) =>
    json(statusShape(
      rowOr404(ctx, ctx.state.swimlaneStatuses, "SwimlaneUserStoryStatus", "view_project"),
    )));
  const update = (ctx: Ctx) => {
    const r = ctx.state.swimlaneStatuses.get(toInt(ctx.params.id) ?? -1);
    if (!r) throw new HttpError(404, { _error_message: "" });
    check(ctx, ctx.state.projects.get(r.project)!, "admin_project_values");
    const raw = ctx.body.wip_limit;
    if (raw !== undefined) {
      const n = raw === null ? null : toInt(raw);
      if (n === undefined) throw new HttpError(400, { wip_limit: ["Enter a whole number."] });
      r.wip_limit = n;
    }
    return json(statusShape(r));
  };
  router.patch(`${base}/:id`, update);
  router.put(`${base}/:id`, update);
}

/** Registers the swimlane routes. */
export function swimlaneAllRoutes(router: Router): void {
  swimlaneRoutes(router);
  laneStatusRoutes(router);
}
