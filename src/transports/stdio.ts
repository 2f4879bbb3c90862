/**
 * The stdio transport: JSON-RPC on stdin/stdout, nothing else on stdout (logs go to stderr).
 * @module
 */

import process from "node:process";
// @ts-types="@modelcontextprotocol/sdk/server/stdio"
import { StdioServerTransport } from "@modelcontextprotocol/sdk/server/stdio.js";
import type { ServerDeps } from "../mcp/deps.ts";
import { createMcpServer } from "../mcp/server.ts";

/** Serves one MCP client over stdio; resolves when the client closes stdin. */
export async function serveStdio(deps: ServerDeps): Promise<void> {
  const { server, dispose } = createMcpServer(deps);
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
