/**
 * `/memberships`: list `?project=&role=`, create by username or email (an unknown email
 * becomes a pending invitation), detail, PATCH, DELETE, `bulk_create`.
 *
 * @module
 */

import { badRequest, type Ctx, json, noContent } from "../http.ts";
import { paginated } from "../pagination.ts";
import { can } from "../permissions.ts";
import type { Router } from "../router.ts";
import { membershipShape } from "../shapes_project.ts";
import type { Membership, Project } from "../state.ts";
import { toInt } from "../util.ts";
import { check, FieldErrors, projectFromBody, queryInt, rowOr404, toBool } from "./common.ts";

function invite(
  ctx: Ctx,
  project: Project,
  roleRaw: unknown,
  username: unknown,
  extra: unknown,
): Membership {
  const errors = new FieldErrors();
  const role = ctx.state.roles.get(toInt(roleRaw) ?? -1);
  if (roleRaw === undefined) errors.add("role", "This field is required.");
  else if (!role || role.project !== project.id) errors.add("role", "Invalid role for the project");
  if (typeof username !== "string" || !username.trim()) {
    errors.add("username", "This field is required.");
  }
  errors.throwIfAny();
  const user = ctx.state.findUser(String(username));
  if (!user && !String(username).includes("@")) {
    throw badRequest({ username: ["Invalid username or email"] });
  }
  if (user && ctx.state.membershipOf(user.id, project.id)) {
    throw badRequest({ username: ["The user is already member of the project"] });
  }
  const membership: Membership = {
    id: ctx.state.nextId("membership"),
    user: user?.id ?? null,
    email: user?.email ?? String(username),
    project: project.id,
    role: role!.id,
    is_admin: false,
    created_at: ctx.state.nowIso(),
    invited_by: ctx.user?.id ?? null,
    invitation_extra_text: typeof extra === "string" ? extra : null,
    user_order: ctx.state.membershipsOf(project.id).length,
  };
  ctx.state.memberships.set(membership.id, membership);
  return membership;
}

/** Registers the membership routes. */
export function membershipRoutes(router: Router): void {
  const one = (ctx: Ctx) => rowOr404(ctx, ctx.state.memberships, "Membership", "view_project");
  router.get("/memberships", (ctx) => {
    const projectId = queryInt(ctx, "project");
    const roleId = queryInt(ctx, "role");
    const list = [...ctx.state.memberships.values()].filter((m) => {
      const p = ctx.state.projects.get(m.project);
      return p !== undefined && can(ctx.state, ctx.user, p, "view_project") &&
        (projectId === undefined || m.project === projectId) &&
        (roleId === undefined || m.role === roleId);
    });
    return paginated(ctx, list, (m) => membershipShape(ctx.state, m, ctx.user));
  });
  router.post("/memberships", (ctx) => {
    const project = projectFromBody(ctx);
    check(ctx, project, "add_member");
    const m = invite(
      ctx,
      project,
      ctx.body.role,
      ctx.body.username ?? ctx.body.email,
      ctx.body.invitation_extra_text,
    );
    return json(membershipShape(ctx.state, m, ctx.user), 201);
  });
  router.post("/memberships/bulk_create", (ctx) => {
    const project = projectFromBody(ctx, "project_id");
    check(ctx, project, "add_member");
    const entries = ctx.body.bulk_memberships;
    if (!Array.isArray(entries)) {
      throw badRequest({ bulk_memberships: ["This field is required."] });
    }
    const created = entries.map((e) =>
      invite(ctx, project, e?.role_id, e?.username ?? e?.email, ctx.body.invitation_extra_text)
    );
    return json(created.map((m) => membershipShape(ctx.state, m, ctx.user)));
  });
  router.get("/memberships/:id", (ctx) => json(membershipShape(ctx.state, one(ctx), ctx.user)));
  router.patch("/memberships/:id", (ctx) => {
    const m = one(ctx);
    check(ctx, ctx.state.projects.get(m.project)!, "admin_roles");
    if (ctx.body.role !== undefined) {
      const role = ctx.state.roles.get(toInt(ctx.body.role) ?? -1);
      if (!role || role.project !== m.project) {
        throw badRequest({ role: ["Invalid role for the project"] });
      }
      m.role = role.id;
    }
    if (ctx.body.is_admin !== undefined) m.is_admin = toBool(ctx.body.is_admin) ?? m.is_admin;
    return json(membershipShape(ctx.state, m, ctx.user));
  });
  router.delete("/memberships/:id", (ctx) => {
    const m = one(ctx);
    const project = ctx.state.projects.get(m.project)!;
    check(ctx, project, "remove_member");
    if (m.user === project.owner) {
      throw badRequest({ _error_message: "The project owner can't be removed" });
    }
    ctx.state.memberships.delete(m.id);
    return noContent();
  });
  router.post("/memberships/:id/resend_invitation", (ctx) => {
    const m = one(ctx);
    check(ctx, ctx.state.projects.get(m.project)!, "add_member");
    return noContent();
  });
}
