/**
 * The one module that imports the MCP SDK. Everything else imports what it needs from here, so
 * a move to another SDK line touches this file (and the registration code) only. Transports are
 * loaded on demand: a stdio server never evaluates the HTTP transport, and the reverse.
 * @module
 */

// @ts-types="@modelcontextprotocol/sdk/server/mcp"
export { McpServer, ResourceTemplate } from "@modelcontextprotocol/sdk/server/mcp.js";
// @ts-types="@modelcontextprotocol/sdk/server/mcp"
export type {
  CompleteResourceTemplateCallback,
  ListResourcesCallback,
} from "@modelcontextprotocol/sdk/server/mcp.js";
// @ts-types="@modelcontextprotocol/sdk/server/completable"
export { completable } from "@modelcontextprotocol/sdk/server/completable.js";
// @ts-types="@modelcontextprotocol/sdk/types"
export {
  ErrorCode,
  isInitializeRequest,
  JSONRPCMessageSchema,
  McpError,
} from "@modelcontextprotocol/sdk/types.js";
export type {
  CallToolResult,
  GetPromptResult,
  JSONRPCMessage,
  ListResourcesResult,
  ReadResourceResult,
  ToolAnnotations,
} from "@modelcontextprotocol/sdk/types.js";
export type { Transport } from "@modelcontextprotocol/sdk/shared/transport.js";
export type {
  EventStore,
  WebStandardStreamableHTTPServerTransport,
} from "@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js";

/** The SDK's stdio server transport class, loaded on first use. */
export async function loadStdioTransport(): Promise<
  typeof import("@modelcontextprotocol/sdk/server/stdio.js").StdioServerTransport
> {
  // @ts-types="@modelcontextprotocol/sdk/server/stdio"
  const module = await import("@modelcontextprotocol/sdk/server/stdio.js");
  return module.StdioServerTransport;
}

/** The SDK's Streamable HTTP server transport class (web-standard), loaded on first use. */
export async function loadStreamableTransport(): Promise<
  typeof import("@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js").WebStandardStreamableHTTPServerTransport
> {
  const module = await import("@modelcontextprotocol/sdk/server/webStandardStreamableHttp.js");
  return module.WebStandardStreamableHTTPServerTransport;
}
