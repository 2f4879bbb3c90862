/**
 * The Streamable HTTP endpoint (`/mcp`): one SDK WebStandardStreamableHTTPServerTransport and one
 * McpServer per MCP session, created by an `initialize` POST and ended by DELETE, idle cleanup or
 * shutdown.
 * @module
 */

// @ts-types="@modelcontextprotocol/sdk/server/webStandardStreamableHttp"
import { WebStandardStreamableHTTPServerTransport } from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import { isInitializeRequest } from "@modelcontextprotocol/sdk/types.js";
import type { ServerDeps } from "../mcp/deps.ts";
import { createMcpServer } from "../mcp/server.ts";
import { jsonRpcError, readJsonBody } from "./http_security.ts";
import { type HttpSession, type HttpSessionRegistry, newSessionId } from "./http_sessions.ts";

/** What the HTTP endpoints share. */
export interface EndpointContext {
  /** Server dependencies. */
  deps: ServerDeps;
  /** Live sessions. */
  sessions: HttpSessionRegistry;
  /** Interval of SSE keep-alive comments, ms. */
  keepAliveMs: number;
}

interface StreamableSession extends HttpSession {
  readonly transport: WebStandardStreamableHTTPServerTransport;
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
  if (!sessions.hasRoom()) {
    deps.log.warning("refused a new MCP session: too many sessions open");
    return jsonRpcError(503, -32000, "Service Unavailable: too many MCP sessions; try again later");
  }
  const id = newSessionId();
  const transport = new WebStandardStreamableHTTPServerTransport({
    sessionIdGenerator: () => id,
    keepAliveMs: ctx.keepAliveMs,
  });
  const { server, dispose } = createMcpServer(deps, { owner: id });
  const session: StreamableSession = {
    id,
    kind: "streamable",
    transport,
    close: () => transport.close(),
  };
  let closed = false;
  transport.onclose = () => {
    if (closed) return;
    closed = true;
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

/** Serves one request to `/mcp`. */
export async function handleStreamable(req: Request, ctx: EndpointContext): Promise<Response> {
  const sessionId = req.headers.get("mcp-session-id");
  let parsedBody: unknown;
  if (req.method === "POST") {
    const body = await readJsonBody(req, ctx.deps.config.http.maxBodyBytes);
    if (!body.ok) return body.response;
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
  return await ctx.sessions.run(
    session,
    () => session.transport.handleRequest(req, { parsedBody }),
  );
}
