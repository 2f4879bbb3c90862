/**
 * The minimal reference server both cold-start measurements build: `McpServer` with one zod tool.
 * The SDK and zod are passed in, so a caller that times their import keeps doing so.
 * @module
 */

import type { McpServer } from "@modelcontextprotocol/server";
import type { z as Zod } from "zod";

/** A server with one tool, `echo`, that returns its text. */
export function echoServer(Server: typeof McpServer, z: typeof Zod): McpServer {
  const server = new Server({ name: "minimal", version: "1.0.0" });
  server.registerTool(
    "echo",
    {
      title: "Echo",
      description: "Returns its text.",
      inputSchema: z.object({ text: z.string() }),
    },
    ({ text }) => ({ content: [{ type: "text", text }] }),
  );
  return server;
}
