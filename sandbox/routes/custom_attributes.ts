/**
 * Custom attribute definitions, `/{epic,userstory,task,issue}-custom-attributes` (taiga-back
 * `custom_attributes/api.py`, `validators.py`): list `?project=` (by order, then name),
 * detail, create `{project, name, description?, type?, order?, extra?}` → 201, PATCH / PUT,
 * DELETE, `bulk_update_order` `{project, bulk_<kind>_custom_attributes: [[id, order]]}`.
 *
 * `type` is one of text, multiline, richtext, date, url, dropdown, checkbox, number (default
 * text); a dropdown's options are `extra: [...]`. `order` defaults to now in ms. A name taken
 * in the project fails on both `name` and `project`. Deleting a definition drops its key from
 * every item's values. Writes need an admin.
 *
 * @module
 */

import { type Ctx, HttpError, json, noContent, notFound } from "../http.ts";
import { KINDS } from "../kinds.ts";
import { paginated } from "../pagination.ts";
import type { Router } from "../router.ts";
import { customAttributeShape } from "../shapes_project.ts";
import type { CustomAttribute, ItemKind, Project } from "../state.ts";
import { toInt } from "../util.ts";
import { check, FieldErrors, projectFromBody, queryInt, visibleProjects } from "./common.ts";
import { bulkUpdateOrder } from "./value_lists.ts";

const TYPES = ["text", "multiline", "richtext", "date", "url", "dropdown", "checkbox", "number"];
const DUPLICATE = "Already exists one with the same name.";

function fields(
  ctx: Ctx,
  kind: ItemKind,
  project: Project,
  attr: CustomAttribute | undefined,
  partial: boolean,
): Partial<CustomAttribute> {
  const b = ctx.body;
  const errors = new FieldErrors();
  const out: Partial<CustomAttribute> = {};
  if (b.name === undefined || b.name === null || String(b.name).trim() === "") {
    if (!partial || b.name !== undefined) errors.add("name", "This field is required.");
  } else out.name = String(b.name);
  if (b.type !== undefined) {
    if (!TYPES.includes(String(b.type))) {
      errors.add("type", `Select a valid choice. ${b.type} is not one of the available choices.`);
    } else out.type = String(b.type);
  }
  if (b.order !== undefined) {
    const n = toInt(b.order);
    if (n === undefined) errors.add("order", "Enter a whole number.");
    else out.order = n;
  }
  if (b.description !== undefined) out.description = String(b.description ?? "");
  if (b.extra !== undefined) out.extra = b.extra;
  const name = out.name ?? attr?.name;
  const taken = [...ctx.state.customAttributes.values()].some((a) =>
    a.kind === kind && a.project === project.id && a.name === name && a.id !== attr?.id
  );
  if (taken && !errors.any) {
    errors.add("name", DUPLICATE);
    errors.add("project", DUPLICATE);
  }
  errors.throwIfAny();
  return out;
}

function customAttributeRoutes(router: Router, kind: ItemKind): void {
  const base = `/${KINDS[kind].customAttributesPath}`;
  const model = `${KINDS[kind].model}CustomAttribute`;
  const writable = (ctx: Ctx) => {
    const a = ctx.state.customAttributes.get(toInt(ctx.params.id) ?? -1);
    if (!a || a.kind !== kind) throw new HttpError(404, { _error_message: "" });
    check(ctx, ctx.state.projects.get(a.project)!, "admin_project_values");
    return a;
  };
  router.get(base, (ctx) => {
    const projectId = queryInt(ctx, "project");
    const visible = visibleProjects(ctx, "view_project");
    const attrs = [...ctx.state.customAttributes.values()]
      .filter((a) =>
        a.kind === kind && visible.has(a.project) &&
        (projectId === undefined || a.project === projectId)
      )
      .sort((a, b) => a.project - b.project || a.order - b.order || a.name.localeCompare(b.name));
    return paginated(ctx, attrs, (a) => customAttributeShape(a));
  });
  router.post(base, (ctx) => {
    const project = projectFromBody(ctx);
    const data = fields(ctx, kind, project, undefined, false);
    check(ctx, project, "admin_project_values");
    const now = ctx.state.nowIso();
    const attr: CustomAttribute = {
      id: ctx.state.nextId("custom-attribute"),
      kind,
      project: project.id,
      name: data.name!,
      description: data.description ?? "",
      type: data.type ?? "text",
      order: data.order ?? Math.floor(ctx.state.clock()),
      extra: data.extra ?? null,
      created_date: now,
      modified_date: now,
    };
    ctx.state.customAttributes.set(attr.id, attr);
    return json(customAttributeShape(attr), 201);
  });
  router.post(
    `${base}/bulk_update_order`,
    (ctx) =>
      bulkUpdateOrder(ctx, `bulk_${kind}_custom_attributes`, (project, id, order) => {
        const a = ctx.state.customAttributes.get(id);
        if (a?.kind === kind && a.project === project.id) a.order = order;
      }),
  );
  router.get(`${base}/:id`, (ctx) => {
    const a = ctx.state.customAttributes.get(toInt(ctx.params.id) ?? -1);
    if (!a || a.kind !== kind) throw notFound(model);
    check(ctx, ctx.state.projects.get(a.project)!, "view_project");
    return json(customAttributeShape(a));
  });
  const update = (partial: boolean) => (ctx: Ctx) => {
    const a = writable(ctx);
    Object.assign(a, fields(ctx, kind, ctx.state.projects.get(a.project)!, a, partial));
    a.modified_date = ctx.state.nowIso();
    return json(customAttributeShape(a));
  };
  router.patch(`${base}/:id`, update(true));
  router.put(`${base}/:id`, update(false));
  router.delete(`${base}/:id`, (ctx) => {
    const a = writable(ctx);
    ctx.state.customAttributes.delete(a.id);
    for (const [key, v] of ctx.state.customValues) {
      if (key.startsWith(`${kind}:`)) delete v.values[String(a.id)];
    }
    return noContent();
  });
}

/** Registers the four kinds' custom attribute routes. */
export function customAttributesRoutes(router: Router): void {
  for (const kind of ["epic", "userstory", "task", "issue"] as const) {
    customAttributeRoutes(router, kind);
  }
}
