/**
 * Project settings objects: statuses, points, priorities, severities, issue types,
 * swimlanes and due dates (CRUD `?project=`, DELETE needs `?moveTo=`, `bulk_update_order`),
 * roles, and the four kinds of custom attributes.
 *
 * @module
 */

import { badRequest, type Ctx, json, noContent, wrongArguments } from "../http.ts";
import { paginated } from "../pagination.ts";
import { can } from "../permissions.ts";
import type { Router } from "../router.ts";
import { customAttributeShape, roleShape, settingShape } from "../shapes_project.ts";
import type { ItemKind, Project, SettingKind, SettingRow } from "../state.ts";
import { addSetting } from "../template.ts";
import { slugify, toInt } from "../util.ts";
import { check, FieldErrors, projectFromBody, queryInt, rowOr404, toBool } from "./common.ts";
import { KINDS } from "../kinds.ts";

interface SettingResource {
  path: string;
  kind: SettingKind;
  model: string;
  bulkKey: string;
}

const RESOURCES: SettingResource[] = [
  {
    path: "userstory-statuses",
    kind: "us_status",
    model: "UserStoryStatus",
    bulkKey: "bulk_userstory_statuses",
  },
  {
    path: "task-statuses",
    kind: "task_status",
    model: "TaskStatus",
    bulkKey: "bulk_task_statuses",
  },
  {
    path: "issue-statuses",
    kind: "issue_status",
    model: "IssueStatus",
    bulkKey: "bulk_issue_statuses",
  },
  {
    path: "epic-statuses",
    kind: "epic_status",
    model: "EpicStatus",
    bulkKey: "bulk_epic_statuses",
  },
  { path: "points", kind: "points", model: "Points", bulkKey: "bulk_points" },
  { path: "priorities", kind: "priority", model: "Priority", bulkKey: "bulk_priorities" },
  { path: "severities", kind: "severity", model: "Severity", bulkKey: "bulk_severities" },
  { path: "issue-types", kind: "issue_type", model: "IssueType", bulkKey: "bulk_issue_types" },
  { path: "swimlanes", kind: "swimlane", model: "Swimlane", bulkKey: "bulk_swimlanes" },
  {
    path: "userstory-due-dates",
    kind: "us_duedate",
    model: "UserStoryDueDate",
    bulkKey: "bulk_userstory_duedates",
  },
  {
    path: "task-due-dates",
    kind: "task_duedate",
    model: "TaskDueDate",
    bulkKey: "bulk_task_duedates",
  },
  {
    path: "issue-due-dates",
    kind: "issue_duedate",
    model: "IssueDueDate",
    bulkKey: "bulk_issue_duedates",
  },
];

/** Which item field points at each settings kind (for `moveTo` on delete). */
const ITEM_FIELD: Partial<Record<SettingKind, [ItemKind, string, keyof Project][]>> = {
  us_status: [["userstory", "status", "default_us_status"]],
  task_status: [["task", "status", "default_task_status"]],
  issue_status: [["issue", "status", "default_issue_status"]],
  epic_status: [["epic", "status", "default_epic_status"]],
  priority: [["issue", "priority", "default_priority"]],
  severity: [["issue", "severity", "default_severity"]],
  issue_type: [["issue", "type", "default_issue_type"]],
  swimlane: [["userstory", "swimlane", "default_swimlane"]],
};

function listScope(ctx: Ctx): (projectId: number) => boolean {
  const projectId = queryInt(ctx, "project");
  return (id) => {
    if (projectId !== undefined && id !== projectId) return false;
    const p = ctx.state.projects.get(id);
    return p !== undefined && can(ctx.state, ctx.user, p, "view_project");
  };
}

function settingFields(ctx: Ctx, kind: SettingKind, partial: boolean): Partial<SettingRow> {
  const b = ctx.body;
  const errors = new FieldErrors();
  const out: Partial<SettingRow> = {};
  if (b.name === undefined ? !partial : typeof b.name !== "string" || b.name.trim() === "") {
    errors.add("name", "This field is required.");
  } else if (b.name !== undefined) out.name = String(b.name);
  if (b.order !== undefined) out.order = toInt(b.order) ?? 1;
  if (b.color !== undefined) out.color = String(b.color);
  for (const f of ["is_closed", "is_archived", "by_default"] as const) {
    if (b[f] !== undefined) out[f] = toBool(b[f]) ?? false;
  }
  if (b.wip_limit !== undefined) {
    out.wip_limit = b.wip_limit === null ? null : toInt(b.wip_limit) ?? null;
  }
  if (b.days_to_due !== undefined) {
    out.days_to_due = b.days_to_due === null ? null : toInt(b.days_to_due) ?? null;
  }
  if (kind === "points" && b.value !== undefined) {
    out.value = b.value === null ? null : Number(b.value);
  }
  if (b.slug !== undefined && kind.endsWith("_status")) out.slug = slugify(String(b.slug));
  errors.throwIfAny();
  return out;
}

function settingResource(router: Router, res: SettingResource): void {
  const one = (ctx: Ctx): SettingRow =>
    rowOr404(ctx, ctx.state.settings[res.kind], res.model, "view_project");
  router.get(`/${res.path}`, (ctx) => {
    const inScope = listScope(ctx);
    const rows = [...ctx.state.settings[res.kind].values()].filter((r) => inScope(r.project))
      .sort((a, b) => a.project - b.project || a.order - b.order || a.id - b.id);
    return paginated(ctx, rows, (r) => settingShape(res.kind, r));
  });
  router.post(`/${res.path}`, (ctx) => {
    const project = projectFromBody(ctx);
    const data = settingFields(ctx, res.kind, false);
    check(ctx, project, "admin_project_values");
    const row = addSetting(ctx.state, res.kind, project.id, {
      color: "#999999",
      ...(res.kind.endsWith("_status") ? { is_closed: false } : {}),
      ...(res.kind === "us_status" ? { is_archived: false, wip_limit: null } : {}),
      ...(res.kind === "points" ? { value: null } : {}),
      ...data,
    } as SettingRow);
    return json(settingShape(res.kind, row), 201);
  });
  router.post(`/${res.path}/bulk_update_order`, (ctx) => {
    const project = projectFromBody(ctx);
    check(ctx, project, "admin_project_values");
    const pairs = ctx.body[res.bulkKey];
    if (!Array.isArray(pairs)) throw badRequest({ [res.bulkKey]: ["This field is required."] });
    for (const pair of pairs) {
      const row = ctx.state.settings[res.kind].get(toInt(pair?.[0]) ?? -1);
      if (row && row.project === project.id) row.order = toInt(pair[1]) ?? row.order;
    }
    return noContent();
  });
  router.get(`/${res.path}/:id`, (ctx) => json(settingShape(res.kind, one(ctx))));
  const update = (partial: boolean) => (ctx: Ctx) => {
    const row = one(ctx);
    check(ctx, ctx.state.projects.get(row.project)!, "admin_project_values");
    Object.assign(row, settingFields(ctx, res.kind, partial));
    return json(settingShape(res.kind, row));
  };
  router.patch(`/${res.path}/:id`, update(true));
  router.put(`/${res.path}/:id`, update(false));
  router.delete(`/${res.path}/:id`, (ctx) => {
    const row = one(ctx);
    const project = ctx.state.projects.get(row.project)!;
    check(ctx, project, "admin_project_values");
    const moveTo = toInt(ctx.query.get("moveTo"));
    const target = moveTo === undefined ? undefined : ctx.state.settings[res.kind].get(moveTo);
    const links = ITEM_FIELD[res.kind] ?? [];
    if (res.kind !== "swimlane" && links.length && (!target || target.project !== project.id)) {
      throw wrongArguments('Query param "moveTo" is required');
    }
    for (const [kind, field, def] of links) {
      for (const item of ctx.state.items[kind].values()) {
        const rec = item as unknown as Record<string, unknown>;
        if (rec[field] === row.id) rec[field] = target?.id ?? null;
      }
      if (project[def] === row.id) {
        (project as unknown as Record<string, unknown>)[def] = target?.id ?? null;
      }
    }
    ctx.state.settings[res.kind].delete(row.id);
    return noContent();
  });
}

function roleRoutes(router: Router): void {
  const one = (ctx: Ctx) => rowOr404(ctx, ctx.state.roles, "Role", "view_project");
  router.get("/roles", (ctx) => {
    const inScope = listScope(ctx);
    const roles = [...ctx.state.roles.values()].filter((r) => inScope(r.project))
      .sort((a, b) => a.order - b.order || a.id - b.id);
    return paginated(ctx, roles, (r) => roleShape(ctx.state, r));
  });
  router.post("/roles", (ctx) => {
    const project = projectFromBody(ctx);
    if (typeof ctx.body.name !== "string" || !ctx.body.name.trim()) {
      throw badRequest({ name: ["This field is required."] });
    }
    check(ctx, project, "admin_roles");
    const role = {
      id: ctx.state.nextId("role"),
      project: project.id,
      name: ctx.body.name,
      slug: slugify(ctx.body.name),
      order: toInt(ctx.body.order) ?? 10,
      computable: toBool(ctx.body.computable) ?? true,
      permissions: Array.isArray(ctx.body.permissions) ? ctx.body.permissions.map(String) : [],
    };
    ctx.state.roles.set(role.id, role);
    return json(roleShape(ctx.state, role), 201);
  });
  router.get("/roles/:id", (ctx) => json(roleShape(ctx.state, one(ctx))));
  router.patch("/roles/:id", (ctx) => {
    const role = one(ctx);
    check(ctx, ctx.state.projects.get(role.project)!, "admin_roles");
    const b = ctx.body;
    if (typeof b.name === "string" && b.name.trim()) role.name = b.name;
    if (b.order !== undefined) role.order = toInt(b.order) ?? role.order;
    if (b.computable !== undefined) role.computable = toBool(b.computable) ?? role.computable;
    if (Array.isArray(b.permissions)) role.permissions = b.permissions.map(String);
    return json(roleShape(ctx.state, role));
  });
  router.delete("/roles/:id", (ctx) => {
    const role = one(ctx);
    check(ctx, ctx.state.projects.get(role.project)!, "admin_roles");
    const moveTo = ctx.state.roles.get(toInt(ctx.query.get("moveTo")) ?? -1);
    for (const m of ctx.state.memberships.values()) {
      if (m.role === role.id) {
        if (!moveTo) throw wrongArguments('Query param "moveTo" is required');
        m.role = moveTo.id;
      }
    }
    ctx.state.roles.delete(role.id);
    return noContent();
  });
}

const ATTRIBUTE_TYPES = [
  "text",
  "multiline",
  "richtext",
  "date",
  "url",
  "dropdown",
  "checkbox",
  "number",
];

function customAttributeRoutes(router: Router, kind: ItemKind): void {
  const base = `/${KINDS[kind].customAttributesPath}`;
  const model = `${KINDS[kind].model}CustomAttribute`;
  const one = (ctx: Ctx) =>
    rowOr404(ctx, ctx.state.customAttributes, model, "view_project", (a) => a.kind === kind);
  const fields = (ctx: Ctx, partial: boolean) => {
    const b = ctx.body;
    const errors = new FieldErrors();
    if (b.name === undefined ? !partial : typeof b.name !== "string" || !b.name.trim()) {
      errors.add("name", "This field is required.");
    }
    if (b.type !== undefined && !ATTRIBUTE_TYPES.includes(String(b.type))) {
      errors.add("type", `Select a valid choice. ${b.type} is not one of the available choices.`);
    }
    errors.throwIfAny();
    return b;
  };
  router.get(base, (ctx) => {
    const inScope = listScope(ctx);
    const attrs = [...ctx.state.customAttributes.values()]
      .filter((a) => a.kind === kind && inScope(a.project))
      .sort((a, b) => a.order - b.order || a.id - b.id);
    return paginated(ctx, attrs, (a) => customAttributeShape(a));
  });
  router.post(base, (ctx) => {
    const project = projectFromBody(ctx);
    const b = fields(ctx, false);
    check(ctx, project, "admin_project_values");
    if (
      [...ctx.state.customAttributes.values()].some((a) =>
        a.kind === kind && a.project === project.id && a.name === b.name
      )
    ) {
      throw badRequest({
        __all__: ["Custom attribute with this Name and Project already exists."],
      });
    }
    const now = ctx.state.nowIso();
    const attr = {
      id: ctx.state.nextId("custom-attribute"),
      kind,
      project: project.id,
      name: String(b.name),
      description: String(b.description ?? ""),
      type: String(b.type ?? "text"),
      order: toInt(b.order) ?? ctx.state.customAttributes.size + 1,
      extra: b.extra ?? null,
      created_date: now,
      modified_date: now,
    };
    ctx.state.customAttributes.set(attr.id, attr);
    return json(customAttributeShape(attr), 201);
  });
  router.get(`${base}/:id`, (ctx) => json(customAttributeShape(one(ctx))));
  router.patch(`${base}/:id`, (ctx) => {
    const a = one(ctx);
    check(ctx, ctx.state.projects.get(a.project)!, "admin_project_values");
    const b = fields(ctx, true);
    if (b.name !== undefined) a.name = String(b.name);
    if (b.description !== undefined) a.description = String(b.description);
    if (b.type !== undefined) a.type = String(b.type);
    if (b.order !== undefined) a.order = toInt(b.order) ?? a.order;
    if (b.extra !== undefined) a.extra = b.extra;
    a.modified_date = ctx.state.nowIso();
    return json(customAttributeShape(a));
  });
  router.delete(`${base}/:id`, (ctx) => {
    const a = one(ctx);
    check(ctx, ctx.state.projects.get(a.project)!, "admin_project_values");
    ctx.state.customAttributes.delete(a.id);
    for (const v of ctx.state.customValues.values()) delete v.values[String(a.id)];
    return noContent();
  });
}

/** Registers the settings, roles and custom attribute routes. */
export function settingsRoutes(router: Router): void {
  RESOURCES.forEach((r) => settingResource(router, r));
  roleRoutes(router);
  for (const kind of ["epic", "userstory", "task", "issue"] as const) {
    customAttributeRoutes(router, kind);
  }
}
