/**
 * createMcpServer: one McpServer with the enabled toolsets, server instructions, and log records
 * forwarded to the client as MCP log notifications (filtered by the client's logging/setLevel).
 * @module
 */

// @ts-types="@modelcontextprotocol/sdk/server/mcp"
import { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { LogLevel, LogRecord } from "../log.ts";
import { VERSION } from "../version.ts";
import type { ServerDeps } from "./deps.ts";
import { registerPrompts } from "./prompts.ts";
import { registerTools } from "./register.ts";
import { belongsTo } from "./caller.ts";
import { registerResources } from "./resources.ts";
import { ALL_TOOLS } from "./tools/index.ts";
import { selectTools } from "./toolsets.ts";
import type { AnyTool } from "./tool.ts";

/** What a model reads first: how to start and how names work. */
export const SERVER_INSTRUCTIONS =
  `taiga-mcp works in Taiga (projects, epics, user stories, tasks, issues, sprints, wiki).
Start: call session_status; if not logged in, call login_with_token (application token recommended) or login_from_cache.
Then list_projects to find a project's slug, and get_project_metadata for its statuses, people, points and sprints.
Arguments take what a person says: projects by slug or id, items by #ref (e.g. "#12") or id, statuses/priorities/severities/types by name, people by username, email or "me", sprints by name.
Lists return a page (limit, default 50) with the total and next_page; pass all:true to get everything.
Updates accept an optional version: given, a conflicting edit is refused with the current values; omitted, the latest version is used (last write wins for the fields you send).
Resources: taiga://projects, taiga://projects/{project}[/userstories|tasks|issues|epics|sprints|wiki][/{ref}|/{slug}]. Prompts: sprint_review, backlog_grooming, triage_issues, standup, release_notes.`;

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
  /** Tool list override (tests); default: the configured toolsets. */
  tools?: readonly AnyTool[];
}

/** Tools enabled by the configuration (toolsets and read-only). */
export function enabledTools(deps: ServerDeps): AnyTool[] {
  return selectTools(ALL_TOOLS, deps.config.toolsets, deps.config.readOnly);
}

/** Builds a server for one MCP connection. Call the returned `dispose` when the connection ends. */
export function createMcpServer(
  deps: ServerDeps,
  options: ServerOptions = {},
): { server: McpServer; dispose: () => void } {
  const server = new McpServer(
    { name: "taiga-mcp", title: "Taiga", version: VERSION },
    { capabilities: { logging: {} }, instructions: SERVER_INSTRUCTIONS },
  );
  const tools = (options.tools ?? enabledTools(deps)).filter((tool) =>
    options.owner === undefined || !tool.localOnly
  );
  registerTools(server, tools, deps, options.owner);
  registerResources(server, deps, options.owner);
  registerPrompts(server, deps, options.owner);
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
