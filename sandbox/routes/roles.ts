/**
 * `/roles` (taiga-back `users/api.py RolesViewSet`): list `?project=` (by order, slug), detail,
 * create `{project, name, permissions?, order?, computable?}` → 201 (order 10, a slug unique
 * among all roles, kept on rename), PATCH / PUT, DELETE.
 *
 * DELETE `?moveTo=<role>` moves the role's memberships there (another project's role is a
 * Django 404). WITHOUT `moveTo` it still answers 204 and DELETES every membership with that
 * role — the members silently lose access. Either way the stories lose that role's points.
 * Permissions are free strings (unknown names are stored as given). Writes need an admin.
 *
 * @module
 */

import { type Ctx, HttpError, json, noContent, notFound } from "../http.ts";
import { paginated } from "../pagination.ts";
import { updateRolePoints } from "../points.ts";
import type { Router } from "../router.ts";
import { roleShape } from "../shapes_project.ts";
import type { Role } from "../state.ts";
import { membershipEvent } from "../template.ts";
import { toInt, uniqueSlug } from "../util.ts";
import {
  check,
  FieldErrors,
  projectFromBody,
  queryInt,
  toBool,
  visibleProjects,
} from "./common.ts";

function fields(ctx: Ctx, partial: boolean): Partial<Role> {
  const b = ctx.body;
  const errors = new FieldErrors();
  const out: Partial<Role> = {};
  if (b.name === undefined || b.name === null || String(b.name).trim() === "") {
    if (!partial || b.name !== undefined) errors.add("name", "This field is required.");
  } else out.name = String(b.name);
  if (b.order !== undefined) {
    const n = toInt(b.order);
    if (n === undefined) errors.add("order", "Enter a whole number.");
    else out.order = n;
  }
  if (b.computable !== undefined) {
    const v = toBool(b.computable);
    if (v === undefined) errors.add("computable", "Must be a valid boolean.");
    else out.computable = v;
  }
  if (b.permissions !== undefined) {
    if (!Array.isArray(b.permissions)) errors.add("permissions", "Invalid value.");
    else out.permissions = b.permissions.map(String);
  }
  errors.throwIfAny();
  return out;
}

function writable(ctx: Ctx): Role {
  const role = ctx.state.roles.get(toInt(ctx.params.id) ?? -1);
  if (!role) throw new HttpError(404, { _error_message: "" });
  check(ctx, ctx.state.projects.get(role.project)!, "admin_roles");
  return role;
}

/** Registers the role routes. */
export function roleRoutes(router: Router): void {
  router.get("/roles", (ctx) => {
    const projectId = queryInt(ctx, "project");
    const visible = visibleProjects(ctx, "view_project");
    const roles = [...ctx.state.roles.values()]
      .filter((r) => visible.has(r.project) && (projectId === undefined || r.project === projectId))
      .sort((a, b) => a.order - b.order || a.slug.localeCompare(b.slug));
    return paginated(ctx, roles, (r) => roleShape(ctx.state, r));
  });
  router.post("/roles", (ctx) => {
    const project = projectFromBody(ctx);
    const data = fields(ctx, false);
    check(ctx, project, "admin_roles");
    const all = [...ctx.state.roles.values()];
    const role: Role = {
      id: ctx.state.nextId("role"),
      project: project.id,
      name: data.name!,
      slug: uniqueSlug(data.name!, (slug) => all.some((r) => r.slug === slug)),
      order: data.order ?? 10,
      computable: data.computable ?? true,
      permissions: data.permissions ?? [],
    };
    ctx.state.roles.set(role.id, role);
    updateRolePoints(ctx.state, project.id);
    return json(roleShape(ctx.state, role), 201);
  });
  router.get("/roles/:id", (ctx) => {
    const role = ctx.state.roles.get(toInt(ctx.params.id) ?? -1);
    if (!role) throw notFound("Role");
    check(ctx, ctx.state.projects.get(role.project)!, "view_project");
    return json(roleShape(ctx.state, role));
  });
  const update = (partial: boolean) => (ctx: Ctx) => {
    const role = writable(ctx);
    Object.assign(role, fields(ctx, partial));
    updateRolePoints(ctx.state, role.project);
    return json(roleShape(ctx.state, role));
  };
  router.patch("/roles/:id", update(true));
  router.put("/roles/:id", update(false));
  router.delete("/roles/:id", (ctx) => {
    const role = writable(ctx);
    const moveTo = ctx.query.get("moveTo");
    const members = ctx.state.membershipsOf(role.project).filter((m) => m.role === role.id);
    if (moveTo) {
      const target = ctx.state.roles.get(toInt(moveTo) ?? -1);
      if (!target || target.project !== role.project) throw notFound("Role");
      members.forEach((m) => (m.role = target.id));
    } else {
      for (const m of members) {
        membershipEvent(ctx.state, m, "delete");
        ctx.state.memberships.delete(m.id);
      }
    }
    ctx.state.roles.delete(role.id);
    updateRolePoints(ctx.state, role.project);
    return noContent();
  });
}
