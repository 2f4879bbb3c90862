/**
 * The stdio transport: JSON-RPC on stdin/stdout, nothing else on stdout (logs go to stderr). The
 * first message decides the era: `initialize` pins a 2025 connection, an enveloped request a
 * 2026-07-28 one; either way one server instance serves the whole connection.
 * @module
 */

import process from "node:process";
import type { ServerDeps } from "../mcp/deps.ts";
import { serveStdio as serveSdkStdio, type Transport } from "../mcp/sdk.ts";
import { type Catalog, createMcpServer } from "../mcp/server.ts";

/** A stdio (or in-memory) connection being served. */
export interface StdioConnection {
  /** Ends the connection and releases its server. */
  close(): Promise<void>;
}

/**
 * Starts serving one connection: the process's stdin/stdout, or `transport` (tests serve an
 * in-memory pair through the same code).
 */
export function startStdio(
  deps: ServerDeps,
  catalog: Catalog,
  transport?: Transport,
): StdioConnection {
  const disposers: Array<() => void> = [];
  const handle = serveSdkStdio(({ era }) => {
    const { server, dispose } = createMcpServer(deps, catalog, { era });
    disposers.push(dispose);
    return server;
  }, transport ? { transport } : undefined);
  return {
    close: async () => {
      await handle.close().catch(() => undefined);
      for (const dispose of disposers.splice(0)) dispose();
    },
  };
}

/** Serves one MCP client over stdio; resolves when the client closes stdin. */
export async function serveStdio(deps: ServerDeps, catalog: Catalog): Promise<void> {
  const ended = new Promise<void>((resolve) => process.stdin.once("end", () => resolve()));
  const connection = startStdio(deps, catalog);
  deps.log.info("taiga-mcp serving MCP over stdio");
  await ended;
  await connection.close();
}
