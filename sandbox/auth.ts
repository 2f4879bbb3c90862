/**
 * Authentication as taiga-back does it (§2 of taiga-api.md): the `Authorization` header
 * (Bearer JWT or Application token), and the `/auth`, `/auth/refresh` routes.
 *
 * @module
 */

import { badRequest, type Ctx, HttpError, json, taigaError } from "./http.ts";
import type { Router } from "./router.ts";
import { userAdmin } from "./shapes_users.ts";
import type { SandboxState, User } from "./state.ts";
import type { TokenService } from "./tokens.ts";

/** The body of a rejected JWT (with `WWW-Authenticate`, added by the server on every 401). */
export function invalidJwt(): HttpError {
  return new HttpError(401, {
    detail: "Given token not valid for any token type",
    code: "token_not_valid",
    messages: [{
      token_class: "AccessToken",
      token_type: "access",
      message: "Token is invalid or expired",
    }],
  });
}

/**
 * Resolves the caller from the Authorization header: null for anonymous (no header or an
 * unknown scheme), a user, or a thrown 401.
 */
export async function authenticate(
  state: SandboxState,
  tokens: TokenService,
  header: string | null,
): Promise<User | null> {
  if (!header) return null;
  const app = /^Application (.+)$/.exec(header);
  if (app) {
    const userId = state.appTokens.get(app[1]);
    const user = userId === undefined ? undefined : state.users.get(userId);
    if (!user || !user.is_active) throw taigaError(401, "Invalid token", "NotAuthenticated");
    return user;
  }
  const parts = header.split(/\s+/).filter(Boolean);
  if (parts[0] !== "Bearer") return null; // other schemes: anonymous (case-sensitive)
  if (parts.length !== 2) {
    throw new HttpError(401, {
      detail: "Authorization header must contain two space-delimited values",
      code: "bad_authorization_header",
    });
  }
  const userId = await tokens.checkAccess(parts[1]);
  if (userId === null) throw invalidJwt();
  const user = state.users.get(userId);
  if (!user || !user.is_active) {
    throw new HttpError(401, { detail: "User not found", code: "user_not_found" });
  }
  return user;
}

/** Registers `POST /auth` and `POST /auth/refresh`. */
export function authRoutes(router: Router, tokens: TokenService): void {
  router.post("/auth", async (ctx: Ctx) => {
    const { type, username, password } = ctx.body;
    if (type !== "normal") {
      throw taigaError(400, "invalid login type", "WrongArguments");
    }
    const errors: Record<string, string[]> = {};
    if (typeof username !== "string" || username === "") {
      errors.username = ["This field is required."];
    }
    if (typeof password !== "string" || password === "") {
      errors.password = ["This field is required."];
    }
    if (Object.keys(errors).length) throw badRequest(errors);
    const user = ctx.state.findUser(username as string);
    if (!user || !user.is_active || user.password !== password) {
      throw new HttpError(401, {
        detail: "No active account found with the given credentials",
        code: "invalid_credentials",
      });
    }
    const pair = await tokens.issuePair(user.id);
    return json({
      ...userAdmin(ctx.state, user),
      refresh: pair.refresh,
      auth_token: pair.auth_token,
    });
  });

  router.post("/auth/refresh", async (ctx: Ctx) => {
    const refresh = ctx.body.refresh;
    if (typeof refresh !== "string" || refresh === "") {
      throw badRequest({ refresh: ["This field is required."] });
    }
    const pair = await tokens.rotate(refresh);
    if (!pair) {
      throw new HttpError(401, { detail: "Token is invalid or expired", code: "token_not_valid" });
    }
    return json({ auth_token: pair.auth_token, refresh: pair.refresh });
  });
}
