/**
 * createMcpServer: one McpServer for one MCP connection, with the catalog's tools (those of the
 * enabled toolsets), resources and prompts, the server instructions, and log records forwarded
 * to the client as MCP log notifications (filtered by the client's logging/setLevel).
 * @module
 */

import type { LogLevel, LogRecord } from "../log/logger.ts";
import { VERSION } from "../version.ts";
import { belongsTo } from "./caller.ts";
import type { AnyTool, PromptDefinition, ResourceDefinition } from "./define.ts";
import type { ServerDeps } from "./deps.ts";
import { registerPrompts, registerResources, registerTools } from "./register.ts";
import { McpServer } from "./sdk.ts";
import { selectTools } from "./toolsets.ts";

/** Everything a server offers. */
export interface Catalog {
  /** Every tool (the enabled toolsets are picked from these). */
  tools: readonly AnyTool[];
  /** Every resource and template. */
  resources: readonly ResourceDefinition[];
  /** Every prompt. */
  prompts: readonly PromptDefinition[];
  /** What a model reads first: how to start and how names work. */
  instructions: string;
}

const MCP_LEVEL: Record<LogLevel, "debug" | "info" | "warning" | "error"> = {
  DEBUG: "debug",
  INFO: "info",
  WARNING: "warning",
  ERROR: "error",
};

/** Options for one server instance. */
export interface ServerOptions {
  /** The MCP connection this server serves (HTTP session id); sessions it creates belong to it. */
  owner?: string;
  /** Tool list override (tests); default: the catalog's tools of the configured toolsets. */
  tools?: readonly AnyTool[];
}

/** The catalog's tools enabled by the configuration (toolsets and read-only). */
export function enabledTools(deps: ServerDeps, catalog: Catalog): AnyTool[] {
  return selectTools(catalog.tools, deps.config.toolsets, deps.config.readOnly);
}

/** Builds a server for one MCP connection. Call the returned `dispose` when the connection ends. */
export function createMcpServer(
  deps: ServerDeps,
  catalog: Catalog,
  options: ServerOptions = {},
): { server: McpServer; dispose: () => void } {
  const server = new McpServer(
    { name: "taiga-mcp", title: "Taiga", version: VERSION },
    { capabilities: { logging: {} }, instructions: catalog.instructions },
  );
  const tools = (options.tools ?? enabledTools(deps, catalog)).filter((tool) =>
    options.owner === undefined || !tool.localOnly
  );
  registerTools(server, tools, deps, options.owner);
  registerResources(server, catalog.resources, deps, options.owner);
  registerPrompts(server, catalog.prompts, deps, options.owner);
  const removeSink = deps.log.addSink((record: LogRecord) => {
    // Not before initialize, and only to the client whose request caused the record.
    if (!server.isConnected() || !server.server.getClientCapabilities()) return;
    if (!belongsTo(options.owner)) return;
    server.server.sendLoggingMessage(
      {
        level: MCP_LEVEL[record.level],
        logger: "taiga-mcp",
        data: record.data ? { message: record.message, ...record.data } : record.message,
      },
      // The SDK keeps each client's logging/setLevel by transport session id.
      server.server.transport?.sessionId,
    ).catch(() => undefined);
  });
  return {
    server,
    dispose: () => {
      removeSink();
      if (options.owner) deps.sessions.removeOwnedBy(options.owner);
    },
  };
}
