/**
 * The HTTP transport: MCP over Streamable HTTP at `/mcp`, the older HTTP+SSE transport at `/sse`
 * and `/messages` on the same port, and `GET /healthz` for container probes — on our own
 * HTTP/1.1 server (http_listener.ts: head, body and write deadlines, a connection cap, and an
 * accept loop that survives EMFILE), with what unread answers hold bounded (http_backlog.ts).
 *
 * Safe by default: Host and Origin headers are checked against DNS rebinding (loopback names plus
 * MCP_ALLOWED_HOSTS / MCP_ALLOWED_ORIGINS), a non-loopback bind needs MCP_HTTP_TOKEN, and with a
 * token every request but `/healthz` must send it as a bearer token. Bodies over
 * MCP_MAX_BODY_BYTES get 413, session ids carry 256 random bits, and sessions idle for
 * MCP_SESSION_IDLE_SECONDS are closed. `/healthz` answers without these checks: it has no side
 * effects and tells only `{status, version, uptime_seconds}`.
 * @module
 */

import { ConfigError } from "../config/parse.ts";
import { assertBindAllowed } from "../config/rules.ts";
import type { ServerDeps } from "../mcp/deps.ts";
import { createMcpHandler } from "../mcp/sdk.ts";
import { type Catalog, createMcpServer } from "../mcp/server.ts";
import { VERSION } from "../version.ts";
import { BacklogBudget, type Meter, meteredBody } from "./http_backlog.ts";
import { DEFAULT_EVENT_STORE_LIMITS } from "./http_event_store.ts";
import { handleSseMessage, handleSseOpen } from "./http_legacy_sse.ts";
import { type HttpListener, listenHttp } from "./http_listener.ts";
import {
  DEFAULT_LIMITS,
  type HttpServerHandle,
  type HttpServerOptions,
  type ListenerLimits,
} from "./http_options.ts";
import { corsHeaders, createGuard, jsonRpcError } from "./http_security.ts";
import { HttpSessionRegistry, responseOwner } from "./http_sessions.ts";
import { type EndpointContext, handleStreamable } from "./http_streamable.ts";
import { createOAuthRoutes } from "./oauth_routes.ts";

export type { HttpServerHandle, HttpServerOptions, HttpServerStats } from "./http_options.ts";

const LEGACY_MESSAGE_PATHS = new Set(["/messages", "/messages/"]);

function urlHost(host: string): string {
  if (host === "0.0.0.0") return "127.0.0.1";
  if (host === "::") return "[::1]";
  return host.includes(":") ? `[${host}]` : host;
}

function healthz(req: Request, startedAt: number): Response {
  const body = JSON.stringify({
    status: "ok",
    version: VERSION,
    uptime_seconds: Math.floor((performance.now() - startedAt) / 1000),
  });
  return new Response(req.method === "HEAD" ? null : body, {
    headers: { "Content-Type": "application/json", "Cache-Control": "no-store" },
  });
}

function withHeaders(response: Response, headers: Record<string, string>): Response {
  for (const [name, value] of Object.entries(headers)) response.headers.set(name, value);
  return response;
}

/**
 * A 2026-07-28 event stream (e.g. `subscriptions/listen`) belongs to no session: it is read ahead
 * and counted as a client of its own, so an unread one is bounded like the others.
 */
function metered(response: Response, budget: BacklogBudget, key: string): Response {
  const type = response.headers.get("content-type") ?? "";
  if (response.body === null || responseOwner(response) || !type.startsWith("text/event-stream")) {
    return response;
  }
  const body = meteredBody(response.body, (drop) => budget.meter(key, drop));
  return new Response(body, { status: response.status, headers: response.headers });
}

function route(req: Request, path: string, ctx: EndpointContext): Promise<Response> {
  if (path === "/mcp") return handleStreamable(req, ctx);
  if (path === "/sse") return handleSseOpen(req, ctx);
  if (LEGACY_MESSAGE_PATHS.has(path)) return handleSseMessage(req, ctx);
  return Promise.resolve(
    jsonRpcError(404, -32000, "Not Found: MCP is served at /mcp (legacy HTTP+SSE: /sse)"),
  );
}

function listen(
  deps: ServerDeps,
  handler: (req: Request) => Promise<Response>,
  limits: ListenerLimits,
  meter: (request: Request, response: Response, drop: () => void) => Meter,
): HttpListener {
  const { host, port } = deps.config.http;
  try {
    return listenHttp({ hostname: host, port, handler, limits, log: deps.log, meter });
  } catch (error) {
    if (error instanceof Deno.errors.AddrInUse || error instanceof Deno.errors.AddrNotAvailable) {
      throw new ConfigError(
        "MCP_PORT",
        `Cannot listen on ${urlHost(host)}:${port}: ${
          error instanceof Deno.errors.AddrInUse ? "the port is in use" : "no such local address"
        } (set MCP_HOST / MCP_PORT)`,
      );
    }
    throw error;
  }
}

/**
 * Starts the HTTP transport on `deps.config.http.host`/`port` (port 0 picks a free one).
 * Rejects with a {@link ConfigError} when binding a non-loopback address without MCP_HTTP_TOKEN,
 * or when the address cannot be listened on.
 */
export function startHttpServer(
  deps: ServerDeps,
  catalog: Catalog,
  options: HttpServerOptions = {},
): Promise<HttpServerHandle> {
  return Promise.resolve().then(() => start(deps, catalog, options));
}

function start(deps: ServerDeps, catalog: Catalog, options: HttpServerOptions): HttpServerHandle {
  const http = deps.config.http;
  assertBindAllowed(http);
  const log = deps.log;
  const idleMs = options.sessionIdleMs ?? http.sessionIdleSeconds * 1000;
  const now = options.now ?? Date.now;
  const budget = new BacklogBudget(options.backlogLimits ?? {}, (key, held) => {
    log.warning(`dropped an MCP client that does not read its answers (${held} bytes unread)`);
    void sessions.close(key);
  });
  const sessions = new HttpSessionRegistry({
    idleMs,
    maxSessions: options.maxSessions ?? 1000,
    now,
    budget,
    onEvict: () => log.info("closed the least recently used idle MCP session to make room"),
  });
  const modern = createMcpHandler(
    ({ era }) => createMcpServer(deps, catalog, { era }).server,
    {
      legacy: "reject",
      maxRequestBodySize: http.maxBodyBytes,
      keepAliveMs: options.keepAliveMs ?? 15_000,
      onerror: (error) => log.debug(`MCP HTTP (2026-07-28): ${error.message}`),
    },
  );
  const ctx: EndpointContext = {
    deps,
    catalog,
    modern,
    sessions,
    keepAliveMs: options.keepAliveMs ?? 15_000,
    sseRetryMs: options.sseRetryMs ?? 2000,
    eventStoreLimits: options.eventStoreLimits ?? DEFAULT_EVENT_STORE_LIMITS,
    now,
  };
  // --auth oauth: the OAuth routes, and /mcp only for a person with a valid access token.
  const oauth = http.auth === "oauth" ? createOAuthRoutes(deps) : undefined;
  const guard = createGuard(oauth?.guardSettings ?? http, log);
  const startedAt = performance.now();
  let anonymous = 0;
  const handler = async (req: Request): Promise<Response> => {
    let path: string;
    try {
      path = new URL(req.url).pathname;
    } catch {
      return jsonRpcError(400, -32000, "Bad Request: invalid Host header or request target");
    }
    if (path === "/healthz" && (req.method === "GET" || req.method === "HEAD")) {
      return healthz(req, startedAt);
    }
    // Without --auth oauth there is no OAuth metadata: clients probing for it learn so at once
    // (a 401 here made them think they must sign in somewhere).
    if (!oauth && path.startsWith("/.well-known/")) {
      return jsonRpcError(404, -32000, "Not found: this server does not use OAuth");
    }
    const refused = await guard(req, path);
    if (refused) return refused;
    const response = metered(
      await (oauth ? oauth.serve(req, path, () => route(req, path, ctx)) : route(req, path, ctx)),
      budget,
      `request:${++anonymous}`,
    );
    return withHeaders(response, corsHeaders(req.headers.get("origin")));
  };

  const server = listen(
    deps,
    handler,
    { ...DEFAULT_LIMITS, ...options.limits },
    (_request, response, drop) =>
      budget.meter(responseOwner(response) ?? `connection:${++anonymous}`, drop),
  );
  const sweepMs = options.sweepIntervalMs ?? Math.min(60_000, Math.max(10, idleMs / 4));
  const sweeper = setInterval(() => {
    sessions.sweep().then((closed) => {
      if (closed > 0) log.info(`closed ${closed} idle MCP session(s)`, { sessions: sessions.size });
    });
  }, sweepMs);
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost(http.host)}:${server.addr.port}`,
    port: server.addr.port,
    finished: server.finished,
    sessionCount: () => sessions.size,
    stats: () => {
      const { open, waiting, refused, evicted, acceptErrors } = server.stats();
      const backlog = { backlogBytes: budget.total, droppedClients: budget.dropped };
      return { connections: open, waiting, refused, evicted, acceptErrors, ...backlog };
    },
    sweepIdleSessions: () => sessions.sweep(),
    close: () => {
      closing ??= (async () => {
        clearInterval(sweeper);
        await sessions.closeAll();
        await modern.close();
        await server.shutdown();
      })();
      return closing;
    },
  };
}

/** Serves MCP over HTTP with the configured settings; resolves when the server shuts down. */
export async function serveHttp(deps: ServerDeps, catalog: Catalog): Promise<void> {
  const handle = await startHttpServer(deps, catalog);
  deps.log.info(
    `taiga-mcp serving MCP over Streamable HTTP at ${handle.url}/mcp (legacy HTTP+SSE at ${handle.url}/sse, health at /healthz)${
      deps.config.http.token ? "; clients must send the bearer token (MCP_HTTP_TOKEN)" : ""
    }`,
  );
  await handle.finished;
}
