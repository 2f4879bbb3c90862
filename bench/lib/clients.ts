/**
 * MCP clients of both eras connected to our server in this process, the way stdio serves them
 * (src/transports/stdio.ts over an in-memory pair): a v1 SDK client (a 2025 client, `initialize`)
 * and a v2 SDK client pinned to 2026-07-28 (enveloped stateless requests). Every message the
 * server sends is kept, so benchmarks can weigh what goes over the wire.
 * @module
 */

import {
  Client as ModernClient,
  InMemoryTransport,
  StreamableHTTPClientTransport as ModernHttpTransport,
} from "@modelcontextprotocol/client";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { parseCli } from "../../src/cli/args.ts";
import { type Config, loadConfig } from "../../src/config/load.ts";
import { Logger } from "../../src/log/logger.ts";
import { createDeps, type ServerDeps } from "../../src/mcp/deps.ts";
import type { Catalog } from "../../src/mcp/server.ts";
import { startStdio } from "../../src/transports/stdio.ts";

export { Client, ModernClient };

/** The protocol era of a client. */
export type Era = "2025" | "2026";

/** What both clients offer the benchmarks. */
export interface BenchClient {
  /** tools/list (the SDK's parsed result). */
  listTools(): Promise<{ tools: Array<Record<string, unknown>> }>;
  /** tools/call. */
  callTool(params: { name: string; arguments?: Record<string, unknown> }): Promise<
    Record<string, unknown>
  >;
  /** Disconnects. */
  close(): Promise<void>;
}

/** A client connected in memory, and every message the server sent it. */
export interface MemoryConnection {
  /** The client. */
  client: BenchClient;
  /** Messages the server sent, in order (JSON-RPC objects, as they would be serialised). */
  sent: Array<Record<string, unknown>>;
  /** Closes the client and the server's connection. */
  close(): Promise<void>;
}

/** A v2 client pinned to 2026-07-28 that accepts confirmations (elicitation). */
export function modernClient(name: string): ModernClient {
  const client = new ModernClient(
    { name, version: "1.0.0" },
    {
      versionNegotiation: { mode: { pin: "2026-07-28" } },
      capabilities: { elicitation: { form: {} } },
    },
  );
  client.setRequestHandler("elicitation/create", () => ({
    action: "accept",
    content: { confirm: true },
  }));
  return client;
}

/** Connects a client of `era` to a stdio-style connection of our server, in memory. */
export async function connectInMemory(
  deps: ServerDeps,
  catalog: Catalog,
  era: Era,
): Promise<MemoryConnection> {
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const sent: Array<Record<string, unknown>> = [];
  const send = serverSide.send.bind(serverSide);
  serverSide.send = (message, options) => {
    sent.push(message as Record<string, unknown>);
    return send(message, options);
  };
  const connection = startStdio(deps, catalog, serverSide);
  const client = era === "2025"
    ? new Client({ name: "taiga-mcp-bench", version: "1.0.0" })
    : modernClient("taiga-mcp-bench-2026");
  await client.connect(clientSide);
  return {
    client: client as unknown as BenchClient,
    sent,
    close: async () => {
      await client.close();
      await connection.close();
    },
  };
}

/** Connects a client of `era` to our Streamable HTTP endpoint `url` (`…/mcp`). */
export async function connectHttp(url: URL, era: Era): Promise<BenchClient> {
  if (era === "2025") {
    const client = new Client({ name: "taiga-mcp-bench", version: "1.0.0" });
    await client.connect(new StreamableHTTPClientTransport(url));
    return client as unknown as BenchClient;
  }
  const client = modernClient("taiga-mcp-bench-2026");
  await client.connect(new ModernHttpTransport(url));
  return client as unknown as BenchClient;
}

/** A configuration built the way the program builds it, from environment-style overrides. */
export function benchConfig(env: Record<string, string>): Config {
  return loadConfig(parseCli([]), (name) => env[name]);
}

/** Server dependencies for `env` (no Taiga needed until a tool is called); close them after. */
export function benchDeps(env: Record<string, string>): ServerDeps {
  const config = benchConfig({ LOG_LEVEL: "ERROR", ...env });
  return createDeps(config, new Logger({ level: config.logLevel }));
}
