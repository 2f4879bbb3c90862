/**
 * `/applications` and `/application-tokens` (taiga-back 6.10 `taiga/external_apps/api.py`):
 * an Application's public fields and its `token` action, the authorize/validate exchange, and
 * the caller's own token rows (list, detail, revoke). Creating or editing a row answers 405
 * (`NotSupported`); Applications themselves exist only through Django admin (the seed here).
 *
 * @module
 */

import {
  type Ctx,
  html404,
  html500,
  HttpError,
  json,
  noContent,
  notAuthenticated,
  notFound,
  permissionDenied,
  taigaError,
} from "../http.ts";
import {
  applicationOr404,
  applicationShape,
  applicationTokenShape,
  authorizeToken,
  nextUrl,
  renewAuthCode,
  revokeToken,
  ServerError,
  tokenRowOf,
  validateToken,
} from "../external_apps.ts";
import { paginated } from "../pagination.ts";
import type { Router } from "../router.ts";
import type { ApplicationToken, User } from "../state.ts";
import { toInt } from "../util.ts";

/** What the viewsets raise themselves for anonymous callers (not DRF's default message). */
function signedIn(ctx: Ctx): User {
  if (!ctx.user) throw taigaError(401, "Authentication required", "NotAuthenticated");
  return ctx.user;
}

function notSupported(): never {
  throw taigaError(405, "Method not supported for this endpoint.", "NotSupported");
}

/** Django's URL patterns take `[^/.]+` as the id: anything with a dot is not a route. */
function routable(ctx: Ctx): boolean {
  return !ctx.params.id.includes(".");
}

/** Runs a write; a value PostgreSQL refuses is Django's 500 page (the request rolls back). */
function atomically(write: () => Response): Response {
  try {
    return write();
  } catch (err) {
    if (err instanceof ServerError) return html500();
    throw err;
  }
}

function ownRows(ctx: Ctx, user: User): ApplicationToken[] {
  return [...ctx.state.applicationTokens.values()].filter((r) => r.user === user.id);
}

/** The caller's row named by the path, or undefined (another user's, unknown, or not a pk). */
function ownRow(ctx: Ctx, user: User): ApplicationToken | undefined {
  const id = toInt(ctx.params.id);
  return ownRows(ctx, user).find((r) => r.id === id);
}

function applicationRoutes(router: Router): void {
  router.get("/applications/:id/token", (ctx) => {
    if (!routable(ctx)) return html404();
    const user = signedIn(ctx);
    const app = applicationOr404(ctx.state, ctx.params.id);
    const row = tokenRowOf(ctx.state, user, app);
    if (!row) {
      // An unsaved row: taiga-back serializes it as is, `None` code in next_url included.
      return json({
        id: null,
        user: user.id,
        application: applicationShape(app),
        auth_code: null,
        next_url: nextUrl(app, null),
      });
    }
    return atomically(() => {
      renewAuthCode(row, ctx.query.get("state"));
      return json(applicationTokenShape(ctx.state, row));
    });
  });

  router.get("/applications/:id", (ctx) => {
    if (!routable(ctx)) return html404();
    // retrieve() looks the object up before checking permissions: 404 comes first.
    const app = applicationOr404(ctx.state, ctx.params.id);
    if (!ctx.user) throw notAuthenticated();
    return json(applicationShape(app));
  });
}

function exchangeRoutes(router: Router): void {
  router.post("/application-tokens/authorize", (ctx) => {
    const user = signedIn(ctx);
    return atomically(() => {
      const row = authorizeToken(ctx.state, user, ctx.body.application, ctx.body.state);
      const app = ctx.state.applications.get(row.application)!;
      return json({
        state: ctx.body.state ?? null,
        auth_code: row.auth_code,
        next_url: nextUrl(app, row.auth_code),
      });
    });
  });

  router.post("/application-tokens/validate", (ctx) =>
    atomically(() => {
      const { application, auth_code, state } = ctx.body;
      return json({ token: validateToken(ctx.state, application, auth_code, state) });
    }));
}

function tokenRowRoutes(router: Router): void {
  router.get("/application-tokens", (ctx) => {
    const user = signedIn(ctx);
    const application = ctx.query.get("application");
    const apps = ctx.state.applications;
    const rows = ownRows(ctx, user)
      .filter((r) => !application || r.application === application)
      .sort((a, b) =>
        apps.get(a.application)!.name.localeCompare(apps.get(b.application)!.name) ||
        a.application.localeCompare(b.application)
      );
    return paginated(ctx, rows, (r) => applicationTokenShape(ctx.state, r));
  });
  router.post("/application-tokens", notSupported);

  router.get("/application-tokens/:id", (ctx) => {
    if (!routable(ctx)) return html404();
    const user = signedIn(ctx);
    // A pk that is not an integer fails Django's lookup: a bare Http404.
    if (toInt(ctx.params.id) === undefined) throw new HttpError(404, { _error_message: "" });
    const row = ownRow(ctx, user);
    if (!row) throw notFound("ApplicationToken");
    return json(applicationTokenShape(ctx.state, row));
  });
  router.put("/application-tokens/:id", (ctx) => routable(ctx) ? notSupported() : html404());
  router.patch("/application-tokens/:id", (ctx) => routable(ctx) ? notSupported() : html404());
  router.delete("/application-tokens/:id", (ctx) => {
    if (!routable(ctx)) return html404();
    const user = signedIn(ctx);
    // destroy() checks CanUseToken on what it found: nothing of the caller's is a 403.
    const row = ownRow(ctx, user);
    if (!row) throw permissionDenied(user);
    revokeToken(ctx.state, row);
    return noContent();
  });
}

/** Registers the external-apps routes (literal actions before `:id`, as Django's router). */
export function externalAppRoutes(router: Router): void {
  applicationRoutes(router);
  exchangeRoutes(router);
  tokenRowRoutes(router);
}
