/**
 * HTTP helpers of the sandbox: the request context, JSON responses and Taiga's error bodies
 * (taiga-back `taiga/base/exceptions.py`, `format_exception`).
 *
 * @module
 */

import type { SandboxState, User } from "./state.ts";

/** Everything a route handler gets. */
export interface Ctx {
  state: SandboxState;
  req: Request;
  /** The absolute request URL, as the client sent it (used for pagination links). */
  url: URL;
  method: string;
  /** Path below `/api/v1`, e.g. `/userstories/3`. */
  path: string;
  params: Record<string, string>;
  query: URLSearchParams;
  user: User | null;
  /** Parsed JSON, form or multipart fields (`{}` when there is no body). */
  body: Record<string, unknown>;
  /** Uploaded files of a multipart body, by field name. */
  files: Map<string, File>;
}

/** A route handler. */
export type Handler = (ctx: Ctx) => Response | Promise<Response>;

/** Thrown anywhere below a handler; turned into a response by the server. */
export class HttpError extends Error {
  /** Builds an error response carrying `body` (JSON) and extra headers. */
  constructor(
    readonly status: number,
    readonly body: unknown,
    readonly headers: Record<string, string> = {},
  ) {
    super(`HTTP ${status}: ${JSON.stringify(body)}`);
  }
}

/** A JSON response. */
export function json(body: unknown, status = 200, headers: Record<string, string> = {}): Response {
  return new Response(JSON.stringify(body), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

/** 204 No Content. */
export function noContent(): Response {
  return new Response(null, { status: 204 });
}

/** 200 with an empty body (what `watch`, `upvote` and friends answer). */
export function emptyOk(): Response {
  return new Response(null, { status: 200 });
}

/** Django's plain HTML 404 page (unknown route or trailing slash). */
export function html404(): Response {
  const page = '\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Not Found</title>\n' +
    "</head>\n<body>\n  <h1>Not Found</h1><p>The requested resource was not found on this " +
    "server.</p>\n</body>\n</html>\n";
  return new Response(page, { status: 404, headers: { "Content-Type": "text/html" } });
}

/**
 * Django's plain HTML 500 page: what taiga-back answers where it crashes (a listing filter on
 * a field the model lacks, a duplicated membership in a bulk invite).
 */
export function html500(): Response {
  const page =
    '\n<!doctype html>\n<html lang="en">\n<head>\n  <title>Server Error (500)</title>\n' +
    "</head>\n<body>\n  <h1>Server Error (500)</h1><p></p>\n</body>\n</html>\n";
  return new Response(page, { status: 500, headers: { "Content-Type": "text/html" } });
}

const EXC = "taiga.base.exceptions.";

/** A string-detail Taiga exception: `{_error_message, _error_type}`. */
export function taigaError(status: number, message: string, type: string): HttpError {
  return new HttpError(status, { _error_message: message, _error_type: EXC + type });
}

/** Django `Http404` from `get_object_or_404`: message only, no `_error_type`. */
export function notFound(model: string): HttpError {
  return new HttpError(404, { _error_message: `No ${model} matches the given query.` });
}

/** `exc.NotFound`: both keys. */
export function notFoundExc(message = "Not found."): HttpError {
  return taigaError(404, message, "NotFound");
}

/** 400 with a field-error dict (or any dict/list detail, returned as-is). */
export function badRequest(detail: unknown): HttpError {
  return new HttpError(400, detail);
}

/** `exc.WrongArguments` with a string detail. */
export function wrongArguments(message: string): HttpError {
  return taigaError(400, message, "WrongArguments");
}

/** 401 for anonymous callers, 403 for authenticated ones (taiga-back `views.py`). */
export function permissionDenied(user: User | null): HttpError {
  if (!user) return notAuthenticated();
  return taigaError(403, "You do not have permission to perform this action.", "PermissionDenied");
}

/** `NotAuthenticated` 401. */
export function notAuthenticated(): HttpError {
  return taigaError(401, "Authentication credentials were not provided.", "NotAuthenticated");
}

/** 405 for a known route and an unsupported method. */
export function methodNotAllowed(method: string): HttpError {
  return taigaError(405, `Method '${method}' not allowed.`, "MethodNotAllowed");
}

/** The error response of an `HttpError`. */
export function errorResponse(err: HttpError): Response {
  return json(err.body, err.status, err.headers);
}

/** Parses the request body: JSON, urlencoded form or multipart. */
export async function parseBody(
  req: Request,
): Promise<{ body: Record<string, unknown>; files: Map<string, File> }> {
  const files = new Map<string, File>();
  if (req.method === "GET" || req.method === "HEAD" || !req.body) return { body: {}, files };
  const type = req.headers.get("content-type") ?? "";
  if (
    type.startsWith("multipart/form-data") || type.startsWith("application/x-www-form-urlencoded")
  ) {
    let form: FormData;
    try {
      form = await req.formData();
    } catch {
      throw taigaError(400, "Multipart form parse error", "ParseError");
    }
    const body: Record<string, unknown> = {};
    for (const [key, value] of form.entries()) {
      if (typeof value === "string") body[key] = value;
      else files.set(key, value);
    }
    return { body, files };
  }
  const text = await req.text();
  if (text.trim() === "") return { body: {}, files };
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (e) {
    throw taigaError(400, `JSON parse error - ${(e as Error).message}`, "ParseError");
  }
  if (parsed === null || typeof parsed !== "object" || Array.isArray(parsed)) {
    // taiga-back's serializers answer a non-object payload with non_field_errors.
    throw badRequest({ non_field_errors: ["Invalid data"] });
  }
  return { body: parsed as Record<string, unknown>, files };
}
