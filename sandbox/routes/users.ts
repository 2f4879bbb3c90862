/**
 * `/users`: `me`, list (`?project=`), detail, `by_username`. POST answers 405.
 *
 * @module
 */

import { type Ctx, json, notAuthenticated, notFound } from "../http.ts";
import { paginated } from "../pagination.ts";
import { can } from "../permissions.ts";
import type { Router } from "../router.ts";
import { userAdmin, userPublic } from "../shapes_users.ts";
import type { User } from "../state.ts";
import { pathId, projectOr404, queryInt } from "./common.ts";

function userShapeFor(ctx: Ctx, user: User): Record<string, unknown> {
  return ctx.user?.id === user.id ? userAdmin(ctx.state, user) : userPublic(ctx.state, user);
}

/** Registers the user routes. */
export function userRoutes(router: Router): void {
  router.get("/users/me", (ctx) => {
    if (!ctx.user) throw notAuthenticated();
    return json(userAdmin(ctx.state, ctx.user));
  });

  router.get("/users/by_username", (ctx) => {
    const username = ctx.query.get("username") ?? "";
    const user = [...ctx.state.users.values()].find((u) => u.username === username);
    if (!user) throw notFound("User");
    return json(userShapeFor(ctx, user));
  });

  router.get("/users", (ctx) => {
    const projectId = queryInt(ctx, "project");
    let users: User[];
    if (projectId !== undefined) {
      const project = projectOr404(ctx.state, projectId);
      if (!can(ctx.state, ctx.user, project, "view_project")) users = [];
      else {
        const ids = new Set(ctx.state.membershipsOf(projectId).map((m) => m.user));
        users = [...ctx.state.users.values()].filter((u) => ids.has(u.id));
      }
    } else {
      // Without a project: the caller and the people sharing a project with them.
      const mine = new Set(
        [...ctx.state.memberships.values()].filter((m) => m.user === ctx.user?.id)
          .map((m) => m.project),
      );
      const ids = new Set(
        [...ctx.state.memberships.values()].filter((m) => mine.has(m.project)).map((m) => m.user),
      );
      if (ctx.user) ids.add(ctx.user.id);
      users = [...ctx.state.users.values()].filter((u) => ids.has(u.id));
    }
    users.sort((a, b) => a.full_name.localeCompare(b.full_name) || a.id - b.id);
    // The list always uses the public serializer, the caller's own entry included.
    return paginated(ctx, users, (u) => userPublic(ctx.state, u));
  });

  router.get("/users/:id", (ctx) => {
    const user = ctx.state.users.get(pathId(ctx, "User"));
    if (!user) throw notFound("User");
    return json(userShapeFor(ctx, user));
  });
}
