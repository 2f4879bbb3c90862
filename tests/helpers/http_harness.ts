/**
 * HTTP test harness: the app as `taiga-mcp --sandbox --transport http` wires it (seeded sandbox
 * Taiga, default session logged in as demo), our HTTP transport on 127.0.0.1:0, and SDK clients
 * over Streamable HTTP or legacy HTTP+SSE — the real path client → HTTP → our server → sandbox.
 * @module
 */

// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
// @ts-types="@modelcontextprotocol/sdk/client/sse"
import { SSEClientTransport } from "@modelcontextprotocol/sdk/client/sse.js";
import { type App, createApp } from "../../src/app.ts";
import { startTestSandbox, type TestSandbox } from "../../sandbox/testing.ts";
import { parseCli } from "../../src/cli/args.ts";
import { loadConfig } from "../../src/config/load.ts";
import {
  type HttpServerHandle,
  type HttpServerOptions,
  startHttpServer,
} from "../../src/transports/http.ts";
import { StreamableHTTPClientTransport as ModernHttpTransport } from "@modelcontextprotocol/client";
import { type ModernClient, modernClient, type TestClient } from "./clients.ts";
import { recordingLogger, toolCaller } from "./tool_calls.ts";

/** An MCP client connected over HTTP. */
export interface HttpClient {
  /** The SDK client. */
  client: Client;
  /** Its transport (Streamable HTTP or legacy SSE). */
  transport: StreamableHTTPClientTransport | SSEClientTransport;
  /** Calls a tool and returns structuredContent; throws with the error text when isError. */
  ok(name: string, args?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Calls a tool that must fail; returns its error text. */
  fails(name: string, args?: Record<string, unknown>): Promise<string>;
  /** Disconnects. */
  close(): Promise<void>;
}

/** A 2026-07-28 client connected over HTTP. */
export interface ModernHttpClient {
  /** The v2 SDK client, pinned to 2026-07-28. */
  client: ModernClient;
  /** Calls a tool and returns structuredContent; throws with the error text when isError. */
  ok(name: string, args?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Calls a tool that must fail; returns its error text. */
  fails(name: string, args?: Record<string, unknown>): Promise<string>;
  /** Disconnects. */
  close(): Promise<void>;
}

/** Connects a 2026-07-28 client to `url`, sending `headers` with every request. */
export async function connectModernClient(
  url: URL,
  headers: Record<string, string> = {},
  fetcher?: typeof fetch,
): Promise<ModernHttpClient> {
  const client = modernClient("http-test-client-2026");
  await client.connect(
    new ModernHttpTransport(url, {
      requestInit: { headers },
      ...(fetcher ? { fetch: fetcher } : {}),
    }),
  );
  const { ok, fails } = toolCaller(client as unknown as Pick<TestClient, "callTool">);
  return { client, ok, fails, close: () => client.close() };
}

/** Options of {@link startHttpHarness}. */
export interface HttpHarnessOptions {
  /** Environment overrides for loadConfig (e.g. MCP_HTTP_TOKEN, MCP_ALLOWED_ORIGINS). */
  env?: Record<string, string>;
  /** Transport knobs (clock, idle time). */
  server?: HttpServerOptions;
}

/** A running HTTP test setup. */
export interface HttpHarness {
  /** The wired app (deps, sandbox). */
  app: App<TestSandbox>;
  /** Our HTTP server. */
  server: HttpServerHandle;
  /** `http://127.0.0.1:PORT/mcp`. */
  mcpUrl: URL;
  /** Log lines written (redacted), for leak checks. */
  logLines: string[];
  /** Connects a Streamable HTTP client, sending `token` as a bearer token when given. */
  connect(token?: string): Promise<HttpClient>;
  /** Connects a legacy HTTP+SSE client. */
  connectLegacy(token?: string): Promise<HttpClient>;
  /** Connects a 2026-07-28 client (stateless requests), with extra request headers. */
  connectModern(headers?: Record<string, string>): Promise<ModernHttpClient>;
  /** Stops everything. */
  close(): Promise<void>;
}

function wrap(client: Client, transport: HttpClient["transport"]): HttpClient {
  const { ok, fails } = toolCaller(client);
  return { client, transport, ok, fails, close: () => client.close() };
}

function authHeaders(token: string | undefined): RequestInit {
  return token ? { headers: { Authorization: `Bearer ${token}` } } : {};
}

/** Starts the sandbox-backed app and our HTTP transport on 127.0.0.1:0. */
export async function startHttpHarness(options: HttpHarnessOptions = {}): Promise<HttpHarness> {
  const cacheDir = await Deno.makeTempDir({ prefix: "taiga-mcp-http-test-" });
  const env: Record<string, string> = {
    TAIGA_CACHE_DIR: cacheDir,
    RATE_LIMIT_REQUESTS: "100000",
    REQUEST_TIMEOUT: "10",
    LOG_LEVEL: "DEBUG",
    MCP_HOST: "127.0.0.1",
    MCP_PORT: "0",
    ...options.env,
  };
  const config = loadConfig(parseCli(["--sandbox", "--transport", "http"]), (name) => env[name]);
  const { log, lines: logLines } = recordingLogger(config.logLevel);
  const app = await createApp(config, { logger: log, startSandbox: startTestSandbox });
  let server: HttpServerHandle;
  try {
    server = await startHttpServer(app.deps, app.catalog, options.server);
  } catch (error) {
    await app.close();
    await Deno.remove(cacheDir, { recursive: true });
    throw error;
  }
  const mcpUrl = new URL(`${server.url}/mcp`);
  const clients: HttpClient[] = [];
  const track = (client: HttpClient): HttpClient => {
    clients.push(client);
    return client;
  };
  return {
    app,
    server,
    mcpUrl,
    logLines,
    connect: async (token) => {
      const transport = new StreamableHTTPClientTransport(mcpUrl, {
        requestInit: authHeaders(token),
      });
      const client = new Client({ name: "http-test-client", version: "1.0.0" });
      await client.connect(transport);
      return track(wrap(client, transport));
    },
    connectLegacy: async (token) => {
      const transport = new SSEClientTransport(new URL(`${server.url}/sse`), {
        requestInit: authHeaders(token),
      });
      const client = new Client({ name: "sse-test-client", version: "1.0.0" });
      await client.connect(transport);
      return track(wrap(client, transport));
    },
    connectModern: async (headers) => {
      const modern = await connectModernClient(mcpUrl, headers);
      clients.push(modern as unknown as HttpClient);
      return modern;
    },
    close: async () => {
      await Promise.all(clients.map((client) => client.close().catch(() => undefined)));
      await server.close();
      await app.close();
      await Deno.remove(cacheDir, { recursive: true });
    },
  };
}

/** The Accept header every Streamable HTTP POST must carry. */
export const MCP_ACCEPT = "application/json, text/event-stream";

/** A JSON-RPC `initialize` request as a raw client sends it, from client `clientName`. */
export function initializeRequest(
  clientName: string,
  id = 1,
  protocolVersion = "2025-06-18",
): string {
  return JSON.stringify({
    jsonrpc: "2.0",
    id,
    method: "initialize",
    params: { protocolVersion, capabilities: {}, clientInfo: { name: clientName, version: "1" } },
  });
}

/** Sends one raw HTTP/1.1 request (to forge headers `fetch` will not send, such as Host); returns the status. */
export async function rawStatus(port: number, head: string[], body = ""): Promise<number> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    const bytes = new TextEncoder().encode(body);
    const request = [...head, `Content-Length: ${bytes.length}`, "Connection: close", "", ""]
      .join("\r\n");
    await conn.write(new TextEncoder().encode(request));
    await conn.write(bytes);
    const chunk = new Uint8Array(1024);
    const read = await conn.read(chunk);
    const statusLine = new TextDecoder().decode(chunk.subarray(0, read ?? 0)).split("\r\n")[0];
    return Number(statusLine.split(" ")[1]);
  } finally {
    conn.close();
  }
}

/** A raw legacy SSE stream: the endpoint it announced, and a reader of later events. */
export interface RawSse {
  /** The `endpoint` event's data, e.g. `/messages?sessionId=…`. */
  endpoint: string;
  /** Reads `event: message` events until a JSON-RPC response (one with an id); returns it. */
  nextResponse(): Promise<Record<string, unknown>>;
  /** Disconnects. */
  cancel(): Promise<void>;
}

/** Opens `GET /sse` with plain fetch and waits for the `endpoint` event. */
export async function openRawSse(
  base: string,
  headers: Record<string, string> = {},
): Promise<RawSse> {
  const response = await fetch(`${base}/sse`, {
    headers: { Accept: "text/event-stream", ...headers },
  });
  if (response.status !== 200 || !response.body) {
    await response.body?.cancel();
    throw new Error(`GET /sse answered ${response.status}`);
  }
  const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";
  const nextEvent = async (): Promise<{ event: string; data: string }> => {
    while (!buffer.includes("\n\n")) {
      const { value, done } = await reader.read();
      if (done) throw new Error("SSE stream ended");
      buffer += value;
    }
    const end = buffer.indexOf("\n\n");
    const block = buffer.slice(0, end);
    buffer = buffer.slice(end + 2);
    const field = (name: string) =>
      block.split("\n").filter((line) => line.startsWith(`${name}: `)).map((line) =>
        line.slice(name.length + 2)
      ).join("\n");
    return { event: field("event"), data: field("data") };
  };
  const first = await nextEvent();
  if (first.event !== "endpoint") throw new Error(`first SSE event was ${first.event}`);
  return {
    endpoint: first.data,
    nextResponse: async () => {
      for (;;) {
        const next = await nextEvent();
        if (next.event !== "message") continue;
        const message = JSON.parse(next.data);
        if ("id" in message) return message;
      }
    },
    cancel: () => reader.cancel(),
  };
}
