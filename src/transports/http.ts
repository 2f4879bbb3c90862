/**
 * The HTTP transport: MCP over Streamable HTTP at `/mcp`, the older HTTP+SSE transport at `/sse`
 * and `/messages` on the same port, and `GET /healthz` for container probes — on `Deno.serve`.
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
import { DEFAULT_EVENT_STORE_LIMITS, type EventStoreLimits } from "./http_event_store.ts";
import { handleSseMessage, handleSseOpen } from "./http_legacy_sse.ts";
import { corsHeaders, createGuard, jsonRpcError } from "./http_security.ts";
import { HttpSessionRegistry } from "./http_sessions.ts";
import { type EndpointContext, handleStreamable } from "./http_streamable.ts";

/** Test and tuning knobs of {@link startHttpServer}; the configuration gives everything else. */
export interface HttpServerOptions {
  /** Clock for session idleness (epoch ms); default `Date.now`. */
  now?: () => number;
  /** Idle time after which a session is closed, ms; default `config.http.sessionIdleSeconds`. */
  sessionIdleMs?: number;
  /** How often idle sessions are looked for, ms; default a quarter of the idle time, at most 60 s. */
  sweepIntervalMs?: number;
  /** Interval of SSE keep-alive comments, ms; default 15000. */
  keepAliveMs?: number;
  /** Most MCP sessions at once; default 1000. */
  maxSessions?: number;
  /** SSE `retry:` interval suggested to Streamable HTTP clients, ms; default 2000. */
  sseRetryMs?: number;
  /** Bounds of each session's SSE event store; default {@link DEFAULT_EVENT_STORE_LIMITS}. */
  eventStoreLimits?: Partial<EventStoreLimits>;
}

/** A running HTTP transport. */
export interface HttpServerHandle {
  /** Base URL, e.g. `http://127.0.0.1:8000` (a wildcard bind is reported as loopback). */
  readonly url: string;
  /** The port listened on. */
  readonly port: number;
  /** Resolves once the server has shut down. */
  readonly finished: Promise<void>;
  /** Number of live MCP sessions (both transports). */
  sessionCount(): number;
  /** Closes sessions idle for the idle time now, instead of waiting for the next sweep. */
  sweepIdleSessions(): Promise<number>;
  /** Ends every session, stops listening and waits for open responses to finish. */
  close(): Promise<void>;
}

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
  handler: Deno.ServeHandler<Deno.NetAddr>,
): Deno.HttpServer<Deno.NetAddr> {
  const { host, port } = deps.config.http;
  try {
    return Deno.serve({
      hostname: host,
      port,
      onListen: () => {},
      onError: (error) => {
        deps.log.error(`HTTP request failed: ${error instanceof Error ? error.message : error}`);
        return jsonRpcError(500, -32603, "Internal error");
      },
    }, handler);
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
  const sessions = new HttpSessionRegistry({
    idleMs,
    maxSessions: options.maxSessions ?? 1000,
    now,
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
  const guard = createGuard(http, log);
  const startedAt = performance.now();
  const handler = async (req: Request): Promise<Response> => {
    const path = new URL(req.url).pathname;
    if (path === "/healthz" && (req.method === "GET" || req.method === "HEAD")) {
      return healthz(req, startedAt);
    }
    const refused = await guard(req, path);
    if (refused) return refused;
    return withHeaders(await route(req, path, ctx), corsHeaders(req.headers.get("origin")));
  };

  const server = listen(deps, handler);
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
