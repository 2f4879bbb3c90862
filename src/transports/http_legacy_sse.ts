/**
 * The older HTTP+SSE transport (protocol 2024-11-05), for clients that only speak it: `GET /sse`
 * opens an event stream whose first event (`endpoint`) names where to POST messages
 * (`/messages?sessionId=…`); every server message then arrives as an `event: message`. Written on
 * web streams because the SDK's SSEServerTransport needs Node's http objects.
 * @module
 */

import { type JSONRPCMessage, parseJSONRPCMessage, type Transport } from "../mcp/sdk.ts";
import { createMcpServer } from "../mcp/server.ts";
import { jsonRpcError, readJsonBody } from "./http_security.ts";
import { type HttpSession, newSessionId } from "./http_sessions.ts";
import type { EndpointContext } from "./http_streamable.ts";

const encoder = new TextEncoder();

/** A server transport writing to one SSE response stream and fed by POSTed messages. */
export class WebSseServerTransport implements Transport {
  /** The session id, also the `sessionId` query parameter of the message endpoint. */
  readonly sessionId: string;
  /** The SSE response body. */
  readonly stream: ReadableStream<Uint8Array>;
  /** Set by the protocol layer. */
  onclose?: () => void;
  /** Set by the protocol layer. */
  onerror?: (error: Error) => void;
  /** Set by the protocol layer. */
  onmessage?: (message: JSONRPCMessage) => void;
  #controller?: ReadableStreamDefaultController<Uint8Array>;
  #keepAlive?: ReturnType<typeof setInterval>;
  #closed = false;

  /** Opens the stream and queues the `endpoint` event pointing at `endpoint?sessionId=<id>`. */
  constructor(sessionId: string, endpoint: string, keepAliveMs: number) {
    this.sessionId = sessionId;
    this.stream = new ReadableStream<Uint8Array>({
      start: (controller) => {
        this.#controller = controller;
        const target = `${endpoint}?sessionId=${encodeURIComponent(sessionId)}`;
        controller.enqueue(encoder.encode(`event: endpoint\ndata: ${target}\n\n`));
      },
      cancel: () => void this.close(),
    });
    if (keepAliveMs > 0) {
      this.#keepAlive = setInterval(() => this.#write(": keepalive\n\n"), keepAliveMs);
    }
  }

  /** Nothing to do: the stream exists from construction. */
  async start(): Promise<void> {}

  /** Writes one JSON-RPC message as an `event: message`. */
  send(message: JSONRPCMessage): Promise<void> {
    if (this.#closed) return Promise.reject(new Error("Not connected"));
    this.#write(`event: message\ndata: ${JSON.stringify(message)}\n\n`);
    return Promise.resolve();
  }

  /**
   * Validates a POSTed message (or batch) and hands it to the protocol layer; returns false, and
   * dispatches nothing, when any part is not JSON-RPC.
   */
  handleMessages(value: unknown): boolean {
    const items = Array.isArray(value) ? value : [value];
    const parsed: JSONRPCMessage[] = [];
    for (const item of items) {
      try {
        parsed.push(parseJSONRPCMessage(item));
      } catch {
        return false;
      }
    }
    if (parsed.length === 0) return false;
    for (const message of parsed) this.onmessage?.(message);
    return true;
  }

  /** Ends the stream and the session. */
  close(): Promise<void> {
    if (this.#closed) return Promise.resolve();
    this.#closed = true;
    clearInterval(this.#keepAlive);
    try {
      this.#controller?.close();
    } catch {
      // Already closed or cancelled by the client.
    }
    this.onclose?.();
    return Promise.resolve();
  }

  #write(text: string): void {
    try {
      this.#controller?.enqueue(encoder.encode(text));
    } catch {
      void this.close();
    }
  }
}

interface SseSession extends HttpSession {
  readonly transport: WebSseServerTransport;
}

/** `GET /sse`: opens a legacy session and returns its event stream. */
export async function handleSseOpen(req: Request, ctx: EndpointContext): Promise<Response> {
  const { deps, sessions } = ctx;
  if (req.method !== "GET") {
    return jsonRpcError(405, -32000, "Method not allowed.", { Allow: "GET" });
  }
  if (!(await sessions.makeRoom())) {
    deps.log.warning("refused a new MCP session: every session is busy");
    return jsonRpcError(503, -32000, "Service Unavailable: too many MCP sessions; try again later");
  }
  const id = newSessionId();
  const transport = new WebSseServerTransport(id, "/messages", ctx.keepAliveMs);
  const { server, dispose } = createMcpServer(deps, ctx.catalog, { owner: id });
  const session: SseSession = { id, kind: "sse", transport, close: () => transport.close() };
  transport.onclose = () => {
    sessions.delete(id);
    dispose();
    deps.log.debug("MCP session closed (HTTP+SSE)", { sessions: sessions.size });
  };
  transport.onerror = (error: Error) => deps.log.debug(`MCP SSE transport: ${error.message}`);
  await server.connect(transport);
  sessions.add(session);
  deps.log.debug("MCP session opened (HTTP+SSE)", { sessions: sessions.size });
  return await sessions.run(session, () =>
    Promise.resolve(
      new Response(transport.stream, {
        headers: {
          "Content-Type": "text/event-stream",
          "Cache-Control": "no-cache, no-transform",
          "X-Accel-Buffering": "no",
        },
      }),
    ));
}

/** `POST /messages?sessionId=…` (also `session_id`, as the Python bridge names it). */
export async function handleSseMessage(req: Request, ctx: EndpointContext): Promise<Response> {
  if (req.method !== "POST") {
    return jsonRpcError(405, -32000, "Method not allowed.", { Allow: "POST" });
  }
  const params = new URL(req.url).searchParams;
  const id = params.get("sessionId") ?? params.get("session_id");
  const session = id === null ? undefined : ctx.sessions.get<SseSession>(id, "sse");
  if (!session) return jsonRpcError(404, -32001, "Session not found");
  const type = req.headers.get("content-type")?.split(";")[0].trim().toLowerCase();
  if (type !== "application/json") {
    return jsonRpcError(
      415,
      -32000,
      "Unsupported Media Type: Content-Type must be application/json",
    );
  }
  return await ctx.sessions.run(session, async () => {
    const body = await readJsonBody(req, ctx.deps.config.http.maxBodyBytes);
    if (!body.ok) return body.response;
    if (!session.transport.handleMessages(body.value)) {
      return jsonRpcError(400, -32600, "Invalid Request: not a JSON-RPC message");
    }
    return new Response("Accepted", { status: 202 });
  });
}
