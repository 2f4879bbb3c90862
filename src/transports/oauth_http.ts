/**
 * Small HTTP pieces of the OAuth endpoints: JSON answers that are never cached (token responses
 * must not be: RFC 6749 §5.1), OAuth error bodies, capped form and JSON bodies, redirects and
 * cookies.
 * @module
 */

import { OAuthError } from "../oauth/errors.ts";
import { readCapped } from "../taiga/read_capped.ts";

/** Headers that keep an answer out of every cache. */
export const NO_STORE: Record<string, string> = { "Cache-Control": "no-store", Pragma: "no-cache" };

/** Largest body an OAuth endpoint reads (forms and registrations are small). */
export const MAX_OAUTH_BODY = 16 * 1024;

/** A JSON answer, not cached. */
export function oauthJson(
  body: unknown,
  status = 200,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...NO_STORE, ...headers },
  });
}

/** The JSON answer of an OAuth error (anything else: server_error, 500). */
export function oauthErrorResponse(error: unknown): Response {
  const known = error instanceof OAuthError
    ? error
    : new OAuthError("server_error", "the request could not be handled", 500);
  return oauthJson(known.toJSON(), known.status);
}

/** A body of at most {@link MAX_OAUTH_BODY} bytes as text; an `invalid_request` otherwise. */
async function readBody(req: Request): Promise<string> {
  const bytes = await readCapped(req, MAX_OAUTH_BODY);
  if (!bytes) throw new OAuthError("invalid_request", "the body is too large");
  return new TextDecoder().decode(bytes);
}

function mediaType(req: Request): string {
  return req.headers.get("content-type")?.split(";")[0].trim().toLowerCase() ?? "";
}

/** A form body (`application/x-www-form-urlencoded`), capped. */
export async function readForm(req: Request): Promise<URLSearchParams> {
  if (mediaType(req) !== "application/x-www-form-urlencoded") {
    throw new OAuthError("invalid_request", "the body must be application/x-www-form-urlencoded");
  }
  return new URLSearchParams(await readBody(req));
}

/** A JSON body, capped. */
export async function readJson(req: Request): Promise<unknown> {
  if (mediaType(req) !== "application/json") {
    throw new OAuthError("invalid_client_metadata", "the body must be application/json");
  }
  try {
    return JSON.parse(await readBody(req));
  } catch (error) {
    if (error instanceof OAuthError) throw error;
    throw new OAuthError("invalid_client_metadata", "the body is not valid JSON");
  }
}

/** A redirect (302 after a GET, 303 after a form POST), not cached. */
export function redirectTo(
  location: string,
  status: 302 | 303 = 302,
  headers: Record<string, string> = {},
): Response {
  return new Response(null, { status, headers: { Location: location, ...NO_STORE, ...headers } });
}

/** The value of cookie `name` in the request, if any. */
export function cookieOf(req: Request, name: string): string | undefined {
  for (const part of (req.headers.get("cookie") ?? "").split(";")) {
    const [key, ...value] = part.trim().split("=");
    if (key === name) return value.join("=");
  }
  return undefined;
}

/**
 * A `Set-Cookie` value: HttpOnly, SameSite=Lax (sent on a top-level return from another site,
 * never with another site's form POST), path /, Secure when served over https.
 */
export function cookieHeader(name: string, value: string, maxAge: number, secure: boolean): string {
  return `${name}=${value}; Max-Age=${maxAge}; Path=/; HttpOnly; SameSite=Lax${
    secure ? "; Secure" : ""
  }`;
}
