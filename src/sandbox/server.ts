/**
 * The sandbox's request pipeline, as a Web-standard handler: request counting, injected
 * faults, Django's URL rules (everything under `/api/v1/`, no trailing slash, HTML 404
 * otherwise), authentication, routing, body parsing and error mapping.
 *
 * @module
 */

import { authenticate } from "./auth.ts";
import { ConnectionDropped, FaultQueue, statusResponse, throttledResponse } from "./faults.ts";
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
  /** Fault queue (default: a new one). */
  faults?: FaultQueue;
  /** Aborting it cancels pending "delay" faults (they then answer at once). */
  signal?: AbortSignal;
}

/** A sandbox request handler plus what `Sandbox` exposes around it. */
export interface SandboxHandler {
  /** Answers one request. Rejects with `ConnectionDropped` for a "drop" fault. */
  (req: Request): Promise<Response>;
  /** The token service (issues/expires tokens). */
  readonly tokens: TokenService;
  /** The fault queue. */
  readonly faults: FaultQueue;
  /** Requests received so far. */
  requestCount(): number;
  /** Resets the request counter. */
  resetRequestCount(): void;
}

const API_PREFIX = "/api/v1";

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

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
  const faults = options.faults ?? new FaultQueue();
  const router = buildRouter(tokens);
  let count = 0;

  async function dispatch(req: Request): Promise<Response> {
    const url = new URL(req.url);
    const method = req.method.toUpperCase();
    const fault = faults.take(method, url.pathname);
    if (fault?.kind === "throttle") return throttledResponse(fault.waitSeconds);
    if (fault?.kind === "status") return statusResponse(fault.status);
    if (fault?.kind === "drop") throw new ConnectionDropped();
    if (fault?.kind === "delay") await sleep(fault.ms, options.signal);

    const pathname = url.pathname;
    const media = /^\/media\/attachments\/(\d+)\/[^/]+$/.exec(pathname);
    if (media && method === "GET") return attachmentFile(state, Number(media[1])) ?? html404();
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

  const handler = async (req: Request): Promise<Response> => {
    count += 1;
    return with401Header(await dispatch(req));
  };
  return Object.assign(handler, {
    tokens,
    faults,
    requestCount: () => count,
    resetRequestCount: () => {
      count = 0;
    },
  });
}
