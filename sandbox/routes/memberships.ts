/**
 * `/memberships` (taiga-back `projects/api.py MembershipViewSet`, `validators.py`): list
 * `?project=&role=` (emails only when `?project=` names a project the caller administers),
 * create by username or email (an unknown email becomes a pending invitation; admin
 * serializer), detail, PATCH (the plain serializer, and `invited_by` becomes the caller),
 * DELETE, `resend_invitation` (204) and `bulk_create`.
 *
 * `bulk_create {project_id, bulk_memberships: [{role_id, username}], invitation_extra_text?}`
 * answers 200 with the created memberships (admin serializer; `email` is null when invited by
 * username). A username that is not an email must be one of the caller's contacts; roles must
 * be the project's; an email already invited fails cleanly — but re-inviting an existing
 * member BY USERNAME crashes taiga-back on the unique constraint: an HTML 500, as here.
 * Writes need a project admin.
 *
 * @module
 */

import { badRequest, type Ctx, html500, json, noContent, taigaError } from "../http.ts";
import { paginated } from "../pagination.ts";
import { can, isAdmin } from "../permissions.ts";
import type { Router } from "../router.ts";
import { membershipShape } from "../shapes_project.ts";
import type { Membership, Project } from "../state.ts";
import { membershipEvent } from "../template.ts";
import { toInt } from "../util.ts";
import {
  check,
  FieldErrors,
  projectFromBody,
  projectIdField,
  queryInt,
  rowOr404,
  toBool,
} from "./common.ts";

const EMAIL = /^[^@\s]+@[^@\s]+\.[^@\s]+$/;

function add(ctx: Ctx, project: Project, fields: Partial<Membership>): Membership {
  const m: Membership = {
    id: ctx.state.nextId("membership"),
    user: null,
    email: null,
    project: project.id,
    role: 0,
    is_admin: false,
    created_at: ctx.state.nowIso(),
    invited_by: ctx.user?.id ?? null,
    invitation_extra_text: null,
    user_order: 0,
    ...fields,
  };
  ctx.state.memberships.set(m.id, m);
  membershipEvent(ctx.state, m, "create");
  return m;
}

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
  return add(ctx, project, {
    user: user?.id ?? null,
    email: user?.email ?? String(username),
    role: role!.id,
    invitation_extra_text: typeof extra === "string" ? extra : null,
  });
}

/** Users sharing a project with the caller that the caller may see (`contacts_visible_by_user`). */
function contacts(ctx: Ctx): Set<string> {
  const out = new Set<string>();
  const me = ctx.user;
  if (!me) return out;
  for (const mine of ctx.state.memberships.values()) {
    if (mine.user !== me.id) continue;
    for (const m of ctx.state.membershipsOf(mine.project)) {
      const u = m.user === null ? undefined : ctx.state.users.get(m.user);
      if (u && u.id !== me.id && u.is_active) out.add(u.username);
    }
  }
  return out;
}

function bulkCreate(ctx: Ctx): Response {
  const errors = new FieldErrors();
  const project = projectIdField(ctx, errors);
  const raw = ctx.body.bulk_memberships;
  const entries: { username: string; role: number }[] = [];
  if (!Array.isArray(raw)) errors.add("bulk_memberships", "This field is required.");
  else {
    const known = contacts(ctx);
    const itemErrors = raw.map((e) => {
      const out: Record<string, string[]> = {};
      const username = e?.username;
      const role = toInt(e?.role_id);
      if (typeof username !== "string" || !username) out.username = ["This field is required."];
      else if (!EMAIL.test(username) && !known.has(username)) {
        out.username = ["The user must be a valid contact"];
      }
      if (role === undefined) out.role_id = ["This field is required."];
      if (!Object.keys(out).length) entries.push({ username, role: role! });
      return out;
    });
    if (itemErrors.some((e) => Object.keys(e).length)) errors.put("bulk_memberships", itemErrors);
    else if (project) {
      const roles = new Set(entries.map((e) => e.role));
      if ([...roles].some((r) => ctx.state.roles.get(r)?.project !== project.id)) {
        errors.add(
          "bulk_memberships",
          "Invalid role ids. All roles must belong to the same project.",
        );
      } else if (new Set(entries.map((e) => e.username)).size !== entries.length) {
        errors.add(
          "bulk_memberships",
          "You are attempting to invite the same email address multiple times.",
        );
      } else if (
        ctx.state.membershipsOf(project.id).some((m) => entries.some((e) => e.username === m.email))
      ) {
        errors.add(
          "bulk_memberships",
          "The user with this email address is already added to the project.",
        );
      }
    }
  }
  errors.throwIfAny();
  check(ctx, project!, "add_member");
  const resolved = entries.map((e) => {
    const user = ctx.state.findUser(e.username);
    if (!user && !EMAIL.test(e.username)) {
      throw taigaError(400, "Malformed email adress.", "WrongArguments");
    }
    return { ...e, user };
  });
  if (resolved.some((e) => e.user && ctx.state.membershipOf(e.user.id, project!.id))) {
    return html500();
  }
  const extra = ctx.body.invitation_extra_text;
  const created = resolved.map((e) =>
    add(ctx, project!, {
      user: e.user?.id ?? null,
      email: e.user ? null : e.username,
      role: e.role,
      invitation_extra_text: typeof extra === "string" ? extra : null,
      user_order: Math.floor(ctx.state.clock()),
    })
  );
  return json(created.map((m) => membershipShape(ctx.state, m, ctx.user, true)));
}

/** Registers the membership routes. */
export function membershipRoutes(router: Router): void {
  const one = (ctx: Ctx) => rowOr404(ctx, ctx.state.memberships, "Membership", "view_project");
  router.get("/memberships", (ctx) => {
    const projectId = queryInt(ctx, "project");
    const roleId = queryInt(ctx, "role");
    const project = projectId === undefined ? undefined : ctx.state.projects.get(projectId);
    const admin = project !== undefined && isAdmin(ctx.state, ctx.user, project);
    const list = [...ctx.state.memberships.values()].filter((m) => {
      const p = ctx.state.projects.get(m.project);
      return p !== undefined && can(ctx.state, ctx.user, p, "view_project") &&
        (projectId === undefined || m.project === projectId) &&
        (roleId === undefined || m.role === roleId);
    });
    return paginated(ctx, list, (m) => membershipShape(ctx.state, m, ctx.user, admin));
  });
  router.post("/memberships", (ctx) => {
    const project = projectFromBody(ctx);
    check(ctx, project, "add_member");
    const body = ctx.body;
    const m = invite(
      ctx,
      project,
      body.role,
      body.username ?? body.email,
      body.invitation_extra_text,
    );
    return json(membershipShape(ctx.state, m, ctx.user, true), 201);
  });
  router.post("/memberships/bulk_create", bulkCreate);
  router.get("/memberships/:id", (ctx) => json(membershipShape(ctx.state, one(ctx), ctx.user)));
  router.patch("/memberships/:id", (ctx) => {
    const m = one(ctx);
    const project = ctx.state.projects.get(m.project)!;
    check(ctx, project, "admin_roles");
    if (ctx.body.role !== undefined) {
      const role = ctx.state.roles.get(toInt(ctx.body.role) ?? -1);
      if (!role || role.project !== m.project) {
        throw badRequest({ role: ["Invalid role for the project"] });
      }
      m.role = role.id;
    }
    if (ctx.body.is_admin !== undefined) {
      const admin = toBool(ctx.body.is_admin) ?? m.is_admin;
      if (m.user === project.owner && !admin) {
        throw badRequest({ is_admin: ["The project owner must be admin."] });
      }
      m.is_admin = admin;
    }
    m.invited_by = ctx.user?.id ?? m.invited_by;
    return json(membershipShape(ctx.state, m, ctx.user, false));
  });
  router.delete("/memberships/:id", (ctx) => {
    const m = one(ctx);
    const project = ctx.state.projects.get(m.project)!;
    check(ctx, project, "remove_member");
    if (m.user === project.owner) {
      throw badRequest({ _error_message: "The project owner can't be removed" });
    }
    membershipEvent(ctx.state, m, "delete");
    ctx.state.memberships.delete(m.id);
    return noContent();
  });
  router.post("/memberships/:id/resend_invitation", (ctx) => {
    const m = one(ctx);
    check(ctx, ctx.state.projects.get(m.project)!, "add_member");
    return noContent();
  });
}
