/**
 * `/projects`: list, detail, `by_slug`, create, PATCH/PUT, DELETE, `modules`, `stats`,
 * watch/unwatch, like/unlike. Projects have no OCC.
 *
 * @module
 */

import { type Ctx, emptyOk, HttpError, json, noContent, notAuthenticated } from "../http.ts";
import { paginated } from "../pagination.ts";
import { can, PUBLIC_VIEW_PERMISSIONS } from "../permissions.ts";
import type { Router } from "../router.ts";
import { activityCount, projectDetailShape, projectListShape } from "../shapes_project.ts";
import { takeSnapshot } from "../snapshot.ts";
import type { Project, SandboxState, SettingKind } from "../state.ts";
import { createProject } from "../template.ts";
import { toInt } from "../util.ts";
import {
  check,
  FieldErrors,
  objectOrError,
  pathId,
  projectOr404,
  queryBool,
  queryInt,
  removeFrom,
  requireUser,
  toBool,
} from "./common.ts";

const FLAGS = [
  "is_backlog_activated",
  "is_kanban_activated",
  "is_wiki_activated",
  "is_issues_activated",
  "is_epics_activated",
  "is_contact_activated",
  "is_looking_for_people",
] as const;

const DEFAULTS: [keyof Project, SettingKind][] = [
  ["default_epic_status", "epic_status"],
  ["default_us_status", "us_status"],
  ["default_task_status", "task_status"],
  ["default_issue_status", "issue_status"],
  ["default_points", "points"],
  ["default_priority", "priority"],
  ["default_severity", "severity"],
  ["default_issue_type", "issue_type"],
  ["default_swimlane", "swimlane"],
];

function validateProject(ctx: Ctx, project: Project | null, partial: boolean): Partial<Project> {
  const b = ctx.body;
  const errors = new FieldErrors();
  const out: Record<string, unknown> = {};
  for (const field of ["name", "description"] as const) {
    if (b[field] === undefined) {
      if (!partial) errors.add(field, "This field is required.");
    } else if (typeof b[field] !== "string" || (b[field] as string).trim() === "") {
      errors.add(field, "This field is required.");
    } else out[field] = b[field];
  }
  if (b.is_private !== undefined) {
    const v = toBool(b.is_private);
    if (v === undefined) errors.add("is_private", "Must be a valid boolean.");
    else out.is_private = v;
  }
  for (const flag of FLAGS) {
    if (b[flag] === undefined) continue;
    const v = toBool(b[flag]);
    if (v === undefined) errors.add(flag, "Must be a valid boolean.");
    else out[flag] = v;
  }
  for (const f of ["looking_for_people_note", "videoconferences", "videoconferences_extra_data"]) {
    if (b[f] !== undefined) out[f] = b[f] === null ? null : String(b[f]);
  }
  if (b.tags !== undefined) {
    if (!Array.isArray(b.tags)) errors.add("tags", "Invalid value.");
    else out.tags = b.tags.map((t) => (Array.isArray(t) ? String(t[0]) : String(t)));
  }
  for (const f of ["total_milestones", "total_story_points"]) {
    if (b[f] !== undefined) out[f] = b[f] === null ? null : Number(b[f]);
  }
  for (const [field, kind] of DEFAULTS) {
    if (b[field] === undefined) continue;
    if (b[field] === null) {
      out[field] = null;
      continue;
    }
    const row = ctx.state.settings[kind].get(Number(b[field]));
    if (!row || (project && row.project !== project.id)) {
      errors.add(field, `Invalid pk '${b[field]}' - object does not exist.`);
    } else out[field] = row.id;
  }
  errors.throwIfAny();
  return out as Partial<Project>;
}

function applyProject(project: Project, data: Partial<Project>, now: string): void {
  Object.assign(project, data);
  if (data.is_private !== undefined) {
    project.anon_permissions = data.is_private ? [] : [...PUBLIC_VIEW_PERMISSIONS];
    project.public_permissions = data.is_private ? [] : [...PUBLIC_VIEW_PERMISSIONS];
  }
  if (data.tags) {
    for (const t of data.tags) project.tags_colors[t] ??= null;
  }
  project.modified_date = now;
}

/** Removes a project and everything in it. */
export function deleteProject(state: SandboxState, id: number): void {
  state.projects.delete(id);
  const drop = <T extends { project: number }>(table: Map<number, T>) => {
    for (const [k, v] of table) if (v.project === id) table.delete(k);
  };
  drop(state.memberships);
  drop(state.roles);
  Object.values(state.settings).forEach(drop);
  Object.values(state.items).forEach(drop);
  drop(state.milestones);
  drop(state.wikiPages);
  drop(state.wikiLinks);
  drop(state.customAttributes);
  drop(state.attachments);
  drop(state.swimlaneStatuses);
  drop(state.webhooks);
  for (const [k, log] of state.webhookLogs) {
    if (!state.webhooks.has(log.webhook)) state.webhookLogs.delete(k);
  }
  state.timeline = state.timeline.filter((t) => t.project !== id);
}

function byName(a: Project, b: Project): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : a.id - b.id;
}

/** Registers the project routes. */
export function projectRoutes(router: Router): void {
  router.get("/projects", (ctx) => {
    const member = queryInt(ctx, "member");
    const q = ctx.query.get("q")?.toLowerCase();
    let list = [...ctx.state.projects.values()].filter((p) =>
      can(ctx.state, ctx.user, p, "view_project")
    );
    if (member !== undefined) {
      list = list.filter((p) => ctx.state.membershipOf(member, p.id));
    }
    for (const flag of ["is_looking_for_people", "is_featured", ...FLAGS] as const) {
      const v = queryBool(ctx, flag);
      if (v !== undefined) list = list.filter((p) => p[flag] === v);
    }
    if (q) {
      list = list.filter((p) =>
        p.name.toLowerCase().includes(q) || p.description.toLowerCase().includes(q)
      );
    }
    list.sort(byName);
    const order = ctx.query.get("order_by");
    if (order) {
      const desc = order.startsWith("-");
      const field = order.replace(/^-/, "");
      const key = (p: Project): number =>
        field === "user_order"
          ? ctx.state.membershipOf(ctx.user?.id, p.id)?.user_order ?? 0
          : field.startsWith("total_fans")
          ? p.fans.length
          : field.startsWith("total_activity")
          ? activityCount(ctx.state, p)
          : 0;
      list.sort((a, b) => (desc ? key(b) - key(a) : key(a) - key(b)));
    }
    return paginated(ctx, list, (p) => projectListShape(ctx.state, p, ctx.user));
  });

  router.post("/projects", (ctx) => {
    const user = requireUser(ctx);
    const data = validateProject(ctx, null, false);
    const project = createProject(ctx.state, user, {
      name: data.name!,
      description: data.description!,
      is_private: data.is_private,
      tags: data.tags,
    }, (p) => applyProject(p, data, p.created_date));
    return json(projectDetailShape(ctx.state, project, user), 201);
  });

  router.get("/projects/by_slug", (ctx) => {
    const slug = ctx.query.get("slug");
    const project = [...ctx.state.projects.values()].find((p) => p.slug === slug);
    if (!project || !can(ctx.state, ctx.user, project, "view_project")) {
      throw new HttpError(404, { _error_message: "" });
    }
    return json(projectDetailShape(ctx.state, project, ctx.user));
  });

  // retrieve, update and destroy look the project up with `get_object_or_error` / a bare
  // Http404: an unknown id is `{"_error_message": ""}` (401 when anonymous).
  const byId = (ctx: Ctx) => objectOrError(ctx, ctx.state.projects.get(toInt(ctx.params.id) ?? -1));
  router.get("/projects/:id", (ctx) => {
    const project = byId(ctx);
    check(ctx, project, "view_project");
    return json(projectDetailShape(ctx.state, project, ctx.user));
  });

  const update = (partial: boolean) => (ctx: Ctx) => {
    const project = byId(ctx);
    check(ctx, project, "modify_project");
    applyProject(project, validateProject(ctx, project, partial), ctx.state.nowIso());
    takeSnapshot(ctx.state, { kind: "project", id: project.id }, ctx.user);
    return json(projectDetailShape(ctx.state, project, ctx.user));
  };
  router.patch("/projects/:id", update(true));
  router.put("/projects/:id", update(false));

  router.delete("/projects/:id", (ctx) => {
    const project = byId(ctx);
    check(ctx, project, "delete_project");
    deleteProject(ctx.state, project.id);
    return noContent();
  });

  router.get("/projects/:id/modules", (ctx) => {
    const project = projectOr404(ctx.state, pathId(ctx, "Project"));
    check(ctx, project, "modify_project");
    return json(ctx.state.modulesConfig.get(project.id) ?? {});
  });
  router.patch("/projects/:id/modules", (ctx) => {
    const project = projectOr404(ctx.state, pathId(ctx, "Project"));
    check(ctx, project, "modify_project");
    const config = ctx.state.modulesConfig.get(project.id) ?? {};
    ctx.state.modulesConfig.set(project.id, { ...config, ...ctx.body });
    return noContent();
  });

  for (
    const [action, list, add] of [
      ["watch", "watchers", true],
      ["unwatch", "watchers", false],
      ["like", "fans", true],
      ["unlike", "fans", false],
    ] as const
  ) {
    router.post(`/projects/:id/${action}`, (ctx) => {
      if (!ctx.user) throw notAuthenticated();
      const project = projectOr404(ctx.state, pathId(ctx, "Project"));
      check(ctx, project, "view_project");
      if (add && !project[list].includes(ctx.user.id)) project[list].push(ctx.user.id);
      if (!add) removeFrom(project[list], ctx.user.id);
      return emptyOk();
    });
  }
}
