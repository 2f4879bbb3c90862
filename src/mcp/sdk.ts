/**
 * The one module that imports the MCP SDK (v2: `@modelcontextprotocol/server`, spec 2026-07-28,
 * still negotiating 2024-11-05 … 2025-11-25 with `initialize`-era clients). Everything else
 * imports what it needs from here, so a move to another SDK line touches this file and the
 * registration code only.
 * @module
 */

export {
  acceptedContent,
  completable,
  createMcpHandler,
  inputRequired,
  inputResponse,
  isInitializeRequest,
  isLegacyRequest,
  McpServer,
  parseJSONRPCMessage,
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
  ResourceTemplate,
  WebStandardStreamableHTTPServerTransport,
} from "@modelcontextprotocol/server";
export type {
  AuthInfo,
  CacheHint,
  CallToolResult,
  CompleteResourceTemplateCallback,
  EventStore,
  InputRequiredResult,
  JSONRPCMessage,
  LoggingLevel,
  McpHttpHandler,
  McpRequestContext,
  ServerContext,
  StandardSchemaWithJSON,
  ToolAnnotations,
  Transport,
} from "@modelcontextprotocol/server";
export { serveStdio } from "@modelcontextprotocol/server/stdio";
export type { StdioServerHandle } from "@modelcontextprotocol/server/stdio";
