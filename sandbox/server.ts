/**
 * The sandbox's request pipeline, as a Web-standard handler: an optional interceptor (the
 * testing entry injects faults through it), Django's URL rules (everything under `/api/v1/`, no
 * trailing slash, HTML 404 otherwise), authentication, routing, body parsing and error mapping.
 *
 * @module
 */

import { authenticate } from "./auth.ts";
import {
  type Ctx,
  errorResponse,
  html404,
  HttpError,
  json,
  methodNotAllowed,
  parseBody,
} from "./http.ts";
import { attachmentFile } from "./routes/attachments.ts";
import { buildRouter } from "./routes/index.ts";
import type { SandboxState } from "./state.ts";
import { TokenService } from "./tokens.ts";

/** Options of `createSandboxHandler`. */
export interface HandlerOptions {
  /** Access token lifetime (default 24 h). */
  accessTokenTtlSeconds?: number;
  /**
   * Wraps every request: it may answer by itself, call `next` for the sandbox's answer, or
   * reject to drop the connection (before or after `next`). Only the testing entry sets one.
   */
  intercept?: (req: Request, next: () => Promise<Response>) => Promise<Response>;
}

/** A sandbox request handler plus its token service. */
export interface SandboxHandler {
  /** Answers one request; rejects only when an interceptor drops the connection. */
  (req: Request): Promise<Response>;
  /** The token service (issues/expires tokens). */
  readonly tokens: TokenService;
}

const API_PREFIX = "/api/v1";

function with401Header(res: Response): Response {
  if (res.status === 401 && !res.headers.has("WWW-Authenticate")) {
    res.headers.set("WWW-Authenticate", 'Bearer realm="api"');
  }
  return res;
}

/** Creates the in-process handler of a sandbox over `state`. */
export function createSandboxHandler(
  state: SandboxState,
  options: HandlerOptions = {},
): SandboxHandler {
  const tokens = new TokenService(state, options.accessTokenTtlSeconds);
  const router = buildRouter(tokens);

  async function dispatch(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const method = req.method.toUpperCase();
    const pathname = url.pathname;
    state.origin = url.origin;
    const media = /^\/media\/(attachments\/.+)$/.exec(pathname);
    if (media && (method === "GET" || method === "HEAD")) {
      return attachmentFile(state, decodeURIComponent(media[1])) ?? html404();
    }
    if (!pathname.startsWith(`${API_PREFIX}/`) || pathname.endsWith("/")) return html404();
    const path = pathname.slice(API_PREFIX.length);
    const match = router.match(method, path);
    if (!match) return html404();
    try {
      const user = await authenticate(state, tokens, req.headers.get("authorization"));
      if (!match.handler) throw methodNotAllowed(method);
      const { body, files } = await parseBody(req);
      const ctx: Ctx = {
        state,
        req,
        url,
        method,
        path,
        params: match.params,
        query: url.searchParams,
        user,
        body,
        files,
      };
      return await match.handler(ctx);
    } catch (err) {
      if (err instanceof HttpError) return errorResponse(err);
      return json({
        _error_message: `Sandbox internal error: ${(err as Error)?.message ?? String(err)}`,
        _error_type: "sandbox.InternalError",
      }, 500);
    }
  }

  const intercept = options.intercept;
  const handler = async (req: Request): Promise<Response> =>
    with401Header(await (intercept ? intercept(req, () => dispatch(req)) : dispatch(req)));
  return Object.assign(handler, { tokens });
}
