/**
 * The stdio transport: JSON-RPC on stdin/stdout, nothing else on stdout (logs go to stderr).
 * @module
 */

import process from "node:process";
import type { ServerDeps } from "../mcp/deps.ts";
import { loadStdioTransport } from "../mcp/sdk.ts";
import { type Catalog, createMcpServer } from "../mcp/server.ts";

/** Serves one MCP client over stdio; resolves when the client closes stdin. */
export async function serveStdio(deps: ServerDeps, catalog: Catalog): Promise<void> {
  const { server, dispose } = createMcpServer(deps, catalog);
  const StdioServerTransport = await loadStdioTransport();
  const transport = new StdioServerTransport();
  const closed = new Promise<void>((resolve) => {
    transport.onclose = () => resolve();
  });
  process.stdin.once("end", () => void server.close());
  await server.connect(transport);
  deps.log.info("taiga-mcp serving MCP over stdio");
  await closed;
  dispose();
}
