/**
 * The project's value lists (taiga-back `projects/api.py`, `mixins/on_destroy.py`,
 * `mixins/ordering.py`): `/userstory-statuses`, `/task-statuses`, `/issue-statuses`,
 * `/epic-statuses`, `/points`, `/priorities`, `/severities`, `/issue-types` and the due-date
 * kinds `/{userstory,task,issue}-due-dates`.
 *
 * - list `?project=` (paginated, by order then name), detail (Django 404), create (201,
 *   default `order` 10, `{"name": ["Duplicated name"]}`), PATCH / PUT (a status's slug follows
 *   its name); a PATCH or DELETE of an unknown id is a 404 with an empty message;
 * - `bulk_update_order` `{project, bulk_<plural>: [[id, order], …]}` → 204 (not for due
 *   dates); ids of other projects are skipped;
 * - DELETE needs `?moveTo=` ALWAYS, checked first (400 `Query param 'moveTo' is required`);
 *   items and the project default are re-pointed to it (its project is not checked, as in
 *   taiga-back); a story status also moves the stories to the end of their kanban column.
 *   Due dates take no `moveTo`; the default one cannot be deleted.
 * - reads need `view_project`, writes a project admin.
 *
 * @module
 */

import { type Ctx, HttpError, json, noContent, notFound, taigaError } from "../http.ts";
import { nextOrder } from "../items.ts";
import { paginated } from "../pagination.ts";
import type { Router } from "../router.ts";
import { settingShape } from "../shapes_project.ts";
import { addSwimlaneStatuses } from "../lanes.ts";
import type { ItemKind, Project, SettingKind, SettingRow } from "../state.ts";
import { addSetting } from "../template.ts";
import { toInt, uniqueSlug } from "../util.ts";
import { check, projectFromBody, queryInt, visibleProjects } from "./common.ts";
import { settingFields } from "./setting_fields.ts";

/** One value-list resource. */
export interface ValueList {
  path: string;
  kind: SettingKind;
  model: string;
  /** `bulk_update_order` key; none for due dates. */
  bulkKey?: string;
  /** Items re-pointed on delete, and the project default. */
  moves?: [ItemKind, string, keyof Project];
}

/** Every value list. */
export const VALUE_LISTS: ValueList[] = [
  {
    path: "userstory-statuses",
    kind: "us_status",
    model: "UserStoryStatus",
    bulkKey: "bulk_userstory_statuses",
    moves: ["userstory", "status", "default_us_status"],
  },
  {
    path: "task-statuses",
    kind: "task_status",
    model: "TaskStatus",
    bulkKey: "bulk_task_statuses",
    moves: ["task", "status", "default_task_status"],
  },
  {
    path: "issue-statuses",
    kind: "issue_status",
    model: "IssueStatus",
    bulkKey: "bulk_issue_statuses",
    moves: ["issue", "status", "default_issue_status"],
  },
  {
    path: "epic-statuses",
    kind: "epic_status",
    model: "EpicStatus",
    bulkKey: "bulk_epic_statuses",
    moves: ["epic", "status", "default_epic_status"],
  },
  {
    path: "points",
    kind: "points",
    model: "Points",
    bulkKey: "bulk_points",
    moves: ["userstory", "points", "default_points"],
  },
  {
    path: "priorities",
    kind: "priority",
    model: "Priority",
    bulkKey: "bulk_priorities",
    moves: ["issue", "priority", "default_priority"],
  },
  {
    path: "severities",
    kind: "severity",
    model: "Severity",
    bulkKey: "bulk_severities",
    moves: ["issue", "severity", "default_severity"],
  },
  {
    path: "issue-types",
    kind: "issue_type",
    model: "IssueType",
    bulkKey: "bulk_issue_types",
    moves: ["issue", "type", "default_issue_type"],
  },
  { path: "userstory-due-dates", kind: "us_duedate", model: "UserStoryDueDate" },
  { path: "task-due-dates", kind: "task_duedate", model: "TaskDueDate" },
  { path: "issue-due-dates", kind: "issue_duedate", model: "IssueDueDate" },
];

const DUE_DATE_OWNER: Partial<Record<SettingKind, string>> = {
  us_duedate: "a user story",
  task_duedate: "a task",
  issue_duedate: "an issue",
};

/** Rows of `kind` in the projects the caller sees (`?project=` narrows), by order then name. */
export function listRows(ctx: Ctx, kind: SettingKind): SettingRow[] {
  const projectId = queryInt(ctx, "project");
  const visible = visibleProjects(ctx, "view_project");
  return [...ctx.state.settings[kind].values()]
    .filter((r) => visible.has(r.project) && (projectId === undefined || r.project === projectId))
    .sort((a, b) => a.project - b.project || a.order - b.order || a.name.localeCompare(b.name));
}

/** `bulk_update_order` of a value list (also swimlanes and custom attributes). */
export function bulkUpdateOrder(
  ctx: Ctx,
  key: string,
  apply: (project: Project, id: number, order: number) => void,
): Response {
  const pairs = ctx.body[key];
  if (pairs === undefined || pairs === null) {
    throw taigaError(400, `'${key}' parameter is mandatory`, "BadRequest");
  }
  if (ctx.body.project === undefined || ctx.body.project === null) {
    throw taigaError(400, "'project' parameter is mandatory", "BadRequest");
  }
  const project = ctx.state.projects.get(toInt(ctx.body.project) ?? -1);
  if (!project) throw notFound("Project");
  check(ctx, project, "admin_project_values");
  for (const pair of Array.isArray(pairs) ? pairs : []) {
    const id = toInt(pair?.[0]);
    const order = toInt(pair?.[1]);
    if (id !== undefined && order !== undefined) apply(project, id, order);
  }
  return noContent();
}

/** The row named by `:id` for an update or delete: a 404 with an empty message when unknown. */
export function rowForWrite(ctx: Ctx, kind: SettingKind): SettingRow {
  const row = ctx.state.settings[kind].get(toInt(ctx.params.id) ?? -1);
  if (!row) throw new HttpError(404, { _error_message: "" });
  check(ctx, ctx.state.projects.get(row.project)!, "admin_project_values");
  return row;
}

function moveAndDelete(ctx: Ctx, res: ValueList, row: SettingRow, target: SettingRow): void {
  const s = ctx.state;
  const project = s.projects.get(row.project)!;
  const [itemKind, field, def] = res.moves!;
  const moved = [];
  for (const item of s.items[itemKind].values()) {
    if (field === "points") {
      for (const role of Object.keys(item.points)) {
        if (item.points[role] === row.id) item.points[role] = target.id;
      }
    } else if ((item as unknown as Record<string, unknown>)[field] === row.id) {
      (item as unknown as Record<string, unknown>)[field] = target.id;
      moved.push(item);
    }
  }
  if (res.kind === "us_status") {
    const swimlaneOrder = (id: number | null) =>
      id === null ? -1 : s.settings.swimlane.get(id)?.order ?? -1;
    moved.sort((a, b) =>
      swimlaneOrder(a.swimlane) - swimlaneOrder(b.swimlane) || a.kanban_order - b.kanban_order
    );
    const base = nextOrder(s, 1000);
    moved.forEach((us, i) => (us.kanban_order = base + i));
    for (const [id, rel] of s.swimlaneStatuses) {
      if (rel.status === row.id) s.swimlaneStatuses.delete(id);
    }
  }
  if (project[def] === row.id) (project as unknown as Record<string, unknown>)[def] = target.id;
  s.settings[res.kind].delete(row.id);
}

function valueList(router: Router, res: ValueList): void {
  const base = `/${res.path}`;
  router.get(
    base,
    (ctx) => paginated(ctx, listRows(ctx, res.kind), (r) => settingShape(res.kind, r)),
  );
  router.post(base, (ctx) => {
    const project = projectFromBody(ctx);
    const data = settingFields(ctx, res.kind, project, undefined);
    check(ctx, project, "admin_project_values");
    const row = addSetting(ctx.state, res.kind, project.id, {
      color: "#999999",
      ...(res.kind.endsWith("_status") ? { is_closed: false } : {}),
      ...(res.kind === "us_status" ? { is_archived: false, wip_limit: null } : {}),
      ...(res.kind === "points" ? { value: null } : {}),
      ...(res.kind.endsWith("_duedate") ? { by_default: false, days_to_due: null } : {}),
      order: 10,
      ...data,
    } as SettingRow);
    if (res.kind === "us_status") addSwimlaneStatuses(ctx.state, project, { status: row });
    return json(settingShape(res.kind, row), 201);
  });
  if (res.bulkKey) {
    router.post(
      `${base}/bulk_update_order`,
      (ctx) =>
        bulkUpdateOrder(ctx, res.bulkKey!, (project, id, order) => {
          const row = ctx.state.settings[res.kind].get(id);
          if (row?.project === project.id) row.order = order;
        }),
    );
  }
  router.get(`${base}/:id`, (ctx) => {
    const row = ctx.state.settings[res.kind].get(toInt(ctx.params.id) ?? -1);
    if (!row) throw notFound(res.model);
    check(ctx, ctx.state.projects.get(row.project)!, "view_project");
    return json(settingShape(res.kind, row));
  });
  const update = (partial: boolean) => (ctx: Ctx) => {
    const row = rowForWrite(ctx, res.kind);
    const project = ctx.state.projects.get(row.project)!;
    Object.assign(row, settingFields(ctx, res.kind, project, row, partial));
    if (res.kind.endsWith("_status")) {
      const others = ctx.state.settingsOf(res.kind, row.project).filter((r) => r.id !== row.id);
      row.slug = uniqueSlug(row.name, (slug) => others.some((r) => r.slug === slug));
    }
    return json(settingShape(res.kind, row));
  };
  router.patch(`${base}/:id`, update(true));
  router.put(`${base}/:id`, update(false));
  router.delete(`${base}/:id`, (ctx) => {
    if (!res.moves) {
      const row = rowForWrite(ctx, res.kind);
      if (row.by_default) {
        throw taigaError(
          400,
          `You can't delete the default due date status of ${DUE_DATE_OWNER[res.kind]}`,
          "BadRequest",
        );
      }
      ctx.state.settings[res.kind].delete(row.id);
      return noContent();
    }
    const moveTo = ctx.query.get("moveTo");
    if (moveTo === null) throw taigaError(400, "Query param 'moveTo' is required", "BadRequest");
    const target = ctx.state.settings[res.kind].get(toInt(moveTo) ?? -1);
    if (!target) throw notFound(res.model);
    check(ctx, ctx.state.projects.get(target.project)!, "admin_project_values");
    moveAndDelete(ctx, res, rowForWrite(ctx, res.kind), target);
    return noContent();
  });
}

/** Registers every value list. */
export function valueListRoutes(router: Router): void {
  VALUE_LISTS.forEach((res) => valueList(router, res));
}
