/**
 * Taiga's external application tokens, as taiga-back 6.10 keeps them (`taiga/external_apps`:
 * `models.py`, `services.py`, `serializers.py`): one token row per (user, application);
 * authorize sets a fresh uuid4 `auth_code` and the client's `state`; validate clears the code
 * and creates the token the first time only, so every later validation hands out the same one.
 *
 * The token is sent in the clear (`{"token": "…"}`): taiga-back dropped the Application's key
 * and the JWE-ciphered token in 2016 (commit `0ba2f600`), so there is nothing to decrypt.
 *
 * @module
 */

import { notFound } from "./http.ts";
import type { Application, ApplicationToken, SandboxState, User } from "./state.ts";
import { uuid } from "./util.ts";

/** `CharField(max_length=255)`: PostgreSQL refuses longer values (a 500, rolled back). */
const MAX_CHARS = 255;

/**
 * The string a Django `CharField` saves or filters on for a JSON value: `str(value)`, with
 * null kept (a filter on None is `IS NULL`). Objects and arrays get their JSON text as a
 * stand-in for Python's repr: the same value still maps to the same string.
 */
export function charValue(value: unknown): string | null {
  if (value === null || value === undefined) return null;
  if (typeof value === "string") return value;
  if (typeof value === "boolean") return value ? "True" : "False";
  if (typeof value === "number") return String(value);
  return JSON.stringify(value);
}

/** Django's 500 page for a value the database refuses (a `DataError`). */
export class ServerError extends Error {}

function fitsColumn(value: string | null): string | null {
  if (value !== null && [...value].length > MAX_CHARS) {
    throw new ServerError("value too long for type character varying(255)");
  }
  return value;
}

/** `ApplicationSerializer`. */
export function applicationShape(app: Application): Record<string, unknown> {
  return {
    id: app.id,
    name: app.name,
    web: app.web,
    description: app.description,
    icon_url: app.icon_url,
  };
}

/** The `next_url` property: Python formats a missing code as `None`. */
export function nextUrl(app: Application, authCode: string | null): string {
  return `${app.next_url}?auth_code=${authCode ?? "None"}`;
}

/** `ApplicationTokenSerializer` of a saved row. */
export function applicationTokenShape(
  state: SandboxState,
  row: ApplicationToken,
): Record<string, unknown> {
  const app = state.applications.get(row.application)!;
  return {
    id: row.id,
    user: row.user,
    application: applicationShape(app),
    auth_code: row.auth_code,
    next_url: nextUrl(app, row.auth_code),
  };
}

/** An Application by the id a request gave (`get_object_or_404(Application, id=…)`). */
export function applicationOr404(state: SandboxState, id: unknown): Application {
  const key = charValue(id);
  const app = key === null ? undefined : state.applications.get(key);
  if (!app) throw notFound("Application");
  return app;
}

/** The token row of a user for an application, if any. */
export function tokenRowOf(
  state: SandboxState,
  user: User,
  app: Application,
): ApplicationToken | undefined {
  for (const row of state.applicationTokens.values()) {
    if (row.user === user.id && row.application === app.id) return row;
  }
  return undefined;
}

/** A new `auth_code` and `state` on a row (`update_auth_code()`, then `save()`). */
export function renewAuthCode(row: ApplicationToken, stateValue: unknown): void {
  const stored = fitsColumn(charValue(stateValue));
  row.auth_code = uuid();
  row.state = stored;
}

/**
 * `services.authorize_token`: get or create the row of (user, application), then a new code
 * and the given state. Throws 404 for an unknown application, {@link ServerError} for a state
 * the column refuses (nothing is created then: requests are atomic).
 */
export function authorizeToken(
  state: SandboxState,
  user: User,
  applicationId: unknown,
  stateValue: unknown,
): ApplicationToken {
  const app = applicationOr404(state, applicationId);
  fitsColumn(charValue(stateValue));
  let row = tokenRowOf(state, user, app);
  if (!row) {
    row = {
      id: state.nextId("application_token"),
      user: user.id,
      application: app.id,
      auth_code: null,
      token: null,
      state: "",
    };
    state.applicationTokens.set(row.id, row);
  }
  renewAuthCode(row, stateValue);
  return row;
}

/**
 * The validate step: the row matching application, auth_code and state exactly (a missing
 * `auth_code` or `state` matches NULL, as Django's filter on None does), its code cleared and
 * its token made once. Throws 404 without a match, {@link ServerError} for several.
 */
export function validateToken(
  state: SandboxState,
  applicationId: unknown,
  authCode: unknown,
  stateValue: unknown,
): string {
  const app = charValue(applicationId);
  const code = charValue(authCode);
  const wanted = charValue(stateValue);
  const rows = [...state.applicationTokens.values()].filter((r) =>
    r.application === app && r.auth_code === code && r.state === wanted
  );
  if (rows.length === 0) throw notFound("ApplicationToken");
  if (rows.length > 1) throw new ServerError("get() returned more than one ApplicationToken");
  const row = rows[0];
  row.auth_code = null;
  if (!row.token) {
    row.token = signedDumps({ app_token_id: row.id }, state.clock());
    state.appTokens.set(row.token, row.user);
  }
  return row.token;
}

/** Deletes a row; its token stops authenticating. */
export function revokeToken(state: SandboxState, row: ApplicationToken): void {
  state.applicationTokens.delete(row.id);
  if (row.token) state.appTokens.delete(row.token);
}

const B62 = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

function b62(n: number): string {
  let out = "";
  do {
    out = B62[n % 62] + out;
    n = Math.floor(n / 62);
  } while (n > 0);
  return out;
}

function b64url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

/**
 * What Django's `signing.dumps(data)` looks like: `<base64 JSON>:<base62 time>:<HMAC-SHA256>`.
 * taiga-back finds tokens by value and never checks the signature, so random bytes stand in
 * for it.
 */
function signedDumps(data: Record<string, unknown>, nowMs: number): string {
  const payload = b64url(new TextEncoder().encode(JSON.stringify(data)));
  const signature = b64url(crypto.getRandomValues(new Uint8Array(32)));
  return `${payload}:${b62(Math.floor(nowMs / 1000))}:${signature}`;
}
