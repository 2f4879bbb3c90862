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
import { discoveryTools } from "./discovery.ts";
import { registerPrompts, registerResources } from "./register.ts";
import { registerTools } from "./register_tools.ts";
import { adoptInputSchemas } from "./schema.ts";
import type { Audience } from "./request.ts";
import { type CacheHint, McpServer } from "./sdk.ts";
import { selectTools } from "./toolsets.ts";

/** What the instructions depend on: how clients reach this server and what it lists. */
export interface Situation {
  /** How clients connect. */
  transport: "stdio" | "http";
  /** Every person signs in with OAuth (`--auth oauth`): there is nothing to log in to. */
  oauth: boolean;
  /** Tools exist beyond the listed ones, reachable through find_tools and call_tool. */
  discovery: boolean;
}

/** Everything a server offers. */
export interface Catalog {
  /** Every tool (the enabled toolsets are picked from these). */
  tools: readonly AnyTool[];
  /** Every resource and template. */
  resources: readonly ResourceDefinition[];
  /** Every prompt. */
  prompts: readonly PromptDefinition[];
  /** What a model reads first, for the server it is built into: how to start, how names work. */
  instructions(situation: Situation): string;
  /**
   * The tools' input schemas as tools/list shows them, generated ahead of time by name (the
   * catalog's tools and the discovery tools); a tool without one is built from its zod. Leave
   * it out of a catalog whose tools are not the ones it was generated from.
   */
  inputSchemas?: Readonly<Record<string, Record<string, unknown>>>;
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
  /** The protocol era it serves (default `legacy`: an `initialize`-era connection). */
  era?: "legacy" | "modern";
  /** Tool list override (tests); default: the catalog's tools of the configured toolsets. */
  tools?: readonly AnyTool[];
}

/** Lists change only when the process restarts with other toolsets: clients may keep them. */
const LIST_HINT: CacheHint = { ttlMs: 3_600_000, cacheScope: "public" };
/** The user's projects (resources/list) are per person and change. */
const PERSONAL_LIST_HINT: CacheHint = { ttlMs: 60_000, cacheScope: "private" };

/** The catalog's tools enabled by the configuration (toolsets and read-only). */
export function enabledTools(deps: ServerDeps, catalog: Catalog): AnyTool[] {
  return selectTools(catalog.tools, deps.config.toolsets, deps.config.readOnly);
}

const discovery = new WeakMap<readonly AnyTool[], { key: string; tools: AnyTool[] }>();

/** The discovery tools of a catalog, built once (servers are built per request in 2026). */
function discoveryFor(catalog: Catalog, enabled: readonly AnyTool[]): AnyTool[] {
  const key = enabled.map((tool) => tool.name).join(",");
  let known = discovery.get(catalog.tools);
  if (!known || known.key !== key) {
    known = { key, tools: discoveryTools(catalog.tools, enabled) };
    adoptInputSchemas(known.tools, catalog.inputSchemas ?? {});
    discovery.set(catalog.tools, known);
  }
  return known.tools;
}

const adopted = new WeakSet<Catalog>();

/** Builds a server for one MCP connection. Call the returned `dispose` when the connection ends. */
export function createMcpServer(
  deps: ServerDeps,
  catalog: Catalog,
  options: ServerOptions = {},
): { server: McpServer; dispose: () => void } {
  const enabled = options.tools ?? enabledTools(deps, catalog);
  const discovery = options.tools === undefined && catalog.tools.some((t) => !enabled.includes(t));
  const situation: Situation = {
    transport: deps.config.transport === "http" ? "http" : "stdio",
    oauth: deps.config.transport === "http" && deps.config.http.auth === "oauth",
    discovery,
  };
  const server = new McpServer(
    { name: "taiga-mcp", title: "Taiga", version: VERSION },
    {
      // The lists never change while the process runs (toolsets are set at start-up).
      capabilities: {
        logging: {},
        tools: { listChanged: false },
        prompts: { listChanged: false },
        resources: { listChanged: false },
      },
      instructions: catalog.instructions(situation),
      cacheHints: {
        "tools/list": LIST_HINT,
        "prompts/list": LIST_HINT,
        "resources/templates/list": LIST_HINT,
        "resources/list": PERSONAL_LIST_HINT,
        "server/discover": LIST_HINT,
      },
    },
  );
  if (!adopted.has(catalog)) {
    adoptInputSchemas(catalog.tools, catalog.inputSchemas ?? {});
    adopted.add(catalog);
  }
  const audience: Audience = { owner: options.owner, era: options.era ?? "legacy" };
  const tools = [
    ...enabled,
    // The rest of the catalog stays reachable through two small tools (see discovery.ts).
    ...(discovery ? discoveryFor(catalog, enabled) : []),
  ].filter((tool) =>
    (!tool.localOnly || (options.owner === undefined && deps.config.transport === "stdio")) &&
    !(tool.serverLogin && situation.oauth)
  );
  registerTools(server, tools, deps, audience);
  registerResources(server, catalog.resources, deps, audience);
  registerPrompts(server, catalog.prompts, deps, audience);
  // A stateless request sends its log records itself (register.ts); a connection gets its own.
  if (audience.era === "modern") {
    return { server, dispose: () => {} };
  }
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
