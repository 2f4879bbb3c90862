/**
 * The Streamable HTTP endpoint (`/mcp`): one SDK WebStandardStreamableHTTPServerTransport and one
 * McpServer per MCP session, created by an `initialize` POST and ended by DELETE, idle cleanup or
 * shutdown. Each session has its own bounded event store (http_event_store.ts), so a client whose
 * SSE stream broke can resume it with `Last-Event-ID`; a Last-Event-ID the store cannot resume
 * from (unknown, expired, another session's) opens a fresh stream instead.
 * @module
 */

import type { ServerDeps } from "../mcp/deps.ts";
import {
  isInitializeRequest,
  isLegacyRequest,
  type McpHttpHandler,
  WebStandardStreamableHTTPServerTransport,
} from "../mcp/sdk.ts";
import { type Catalog, createMcpServer } from "../mcp/server.ts";
import { type EventStoreLimits, SessionEventStore } from "./http_event_store.ts";
import { jsonRpcError, readJsonBody } from "./http_security.ts";
import { type HttpSession, type HttpSessionRegistry, newSessionId } from "./http_sessions.ts";

/** What the HTTP endpoints share. */
export interface EndpointContext {
  /** Server dependencies. */
  deps: ServerDeps;
  /** What each session's server offers. */
  catalog: Catalog;
  /** Serves 2026-07-28 requests: stateless, one server instance per request. */
  modern: McpHttpHandler;
  /** Live sessions. */
  sessions: HttpSessionRegistry;
  /** Interval of SSE keep-alive comments, ms. */
  keepAliveMs: number;
  /** SSE resumability: reconnection delay suggested to clients (`retry:`), ms. */
  sseRetryMs: number;
  /** SSE resumability: bounds of each session's event store. */
  eventStoreLimits: Partial<EventStoreLimits>;
  /** Clock (epoch ms) of the event stores. */
  now: () => number;
}

interface StreamableSession extends HttpSession {
  readonly transport: WebStandardStreamableHTTPServerTransport;
  readonly events: SessionEventStore;
}

function isInitialize(body: unknown): boolean {
  return Array.isArray(body) ? body.some(isInitializeRequest) : isInitializeRequest(body);
}

/** Starts a session for an `initialize` POST whose body is already parsed. */
async function openSession(
  req: Request,
  body: unknown,
  ctx: EndpointContext,
): Promise<Response> {
  const { deps, sessions } = ctx;
  if (!(await sessions.makeRoom())) {
    deps.log.warning("refused a new MCP session: every session is busy");
    return jsonRpcError(503, -32000, "Service Unavailable: too many MCP sessions; try again later");
  }
  const id = newSessionId();
  const events = new SessionEventStore(ctx.eventStoreLimits, ctx.now);
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: () => id,
    keepAliveMs: ctx.keepAliveMs,
    eventStore: events,
    retryInterval: ctx.sseRetryMs,
  });
  const { server, dispose } = createMcpServer(deps, ctx.catalog, { owner: id });
  const session: StreamableSession = {
    id,
    kind: "streamable",
    transport,
    events,
    close: () => transport.close(),
  };
  let closed = false;
  transport.onclose = () => {
    if (closed) return;
    closed = true;
    events.close();
    sessions.delete(id);
    dispose();
    deps.log.debug("MCP session closed (streamable HTTP)", { sessions: sessions.size });
  };
  transport.onerror = (error: Error) => deps.log.debug(`MCP HTTP transport: ${error.message}`);
  await server.connect(transport);
  sessions.add(session);
  const response = await sessions.run(
    session,
    () => transport.handleRequest(req, { parsedBody: body }),
  );
  if (transport.sessionId === undefined) {
    // The initialize request was refused (e.g. a bad Accept header): nothing to keep.
    await transport.close();
  } else {
    deps.log.debug("MCP session opened (streamable HTTP)", { sessions: sessions.size });
  }
  return response;
}

/**
 * Serves one request to `/mcp`: a 2026-07-28 request (it carries the `_meta` envelope) by the
 * stateless handler, anything of the `initialize` era by its session.
 */
export async function handleStreamable(req: Request, ctx: EndpointContext): Promise<Response> {
  const sessionId = req.headers.get("mcp-session-id");
  let parsedBody: unknown;
  if (req.method === "POST") {
    const body = await readJsonBody(req, ctx.deps.config.http.maxBodyBytes);
    if (!body.ok) return body.response;
    if (!(await isLegacyRequest(req, body.value))) {
      return await ctx.modern.fetch(req, { parsedBody: body.value });
    }
    if (sessionId === null) {
      if (isInitialize(body.value)) return await openSession(req, body.value, ctx);
      return jsonRpcError(
        400,
        -32000,
        "Bad Request: no Mcp-Session-Id header; start a session with an initialize request",
      );
    }
    parsedBody = body.value;
  } else if (req.method !== "GET" && req.method !== "DELETE") {
    return jsonRpcError(405, -32000, "Method not allowed.", { Allow: "GET, POST, DELETE" });
  }
  if (sessionId === null) {
    return jsonRpcError(400, -32000, "Bad Request: Mcp-Session-Id header is required");
  }
  const session = ctx.sessions.get<StreamableSession>(sessionId, "streamable");
  if (!session) return jsonRpcError(404, -32001, "Session not found");
  const request = req.method === "GET" ? withResumableCursor(req, session, ctx) : req;
  return await ctx.sessions.run(
    session,
    () => session.transport.handleRequest(request, { parsedBody }),
  );
}

/**
 * `req` unchanged when it carries no Last-Event-ID or one its session can resume from; else a
 * copy without it, which opens a fresh stream: the missed events are gone (or were never this
 * session's), and a client must still get its GET stream back rather than an error it cannot
 * recover from.
 */
function withResumableCursor(
  req: Request,
  session: StreamableSession,
  ctx: EndpointContext,
): Request {
  const cursor = req.headers.get("last-event-id");
  if (cursor === null || session.events.resumable(cursor)) return req;
  ctx.deps.log.debug("Last-Event-ID unknown or expired: opening a fresh SSE stream");
  const headers = new Headers(req.headers);
  headers.delete("last-event-id");
  // A GET has no body; not copying `req` leaves its signal alone (Deno warns when it is read).
  return new Request(req.url, { method: "GET", headers });
}
