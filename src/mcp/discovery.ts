/**
 * Every tool reachable without a restart, and without growing tools/list: `find_tools` searches
 * the whole catalog (the tools outside the enabled toolsets included) and shows their arguments;
 * `call_tool` runs any of them by name. Nothing is kept between calls, so this works the same for
 * a 2025 session, a stateless 2026 request and any replica — unlike switching toolsets on with a
 * list_changed notification, which a stateless server cannot remember and many clients ignore.
 * @module
 */

import { z } from "zod";
import type { Config } from "../config/load.ts";
import { InputError, shortValue } from "../taiga/errors.ts";
import { openObject } from "./args.ts";
import { type AnyTool, defineTool } from "./define.ts";
import { closestName, inputJsonOf, parseArguments } from "./schema.ts";
import { TOOLSET_IDS, TOOLSETS } from "./toolsets.ts";

/** Most tools one search shows. */
const SHOWN = 8;

function words(text: string): string[] {
  return text.toLowerCase().split(/[^a-z0-9]+/).filter((word) => word.length > 1);
}

/** How well `tool` matches the query words (0: not at all). */
function score(tool: AnyTool, query: string[]): number {
  const name = tool.name.toLowerCase();
  const text = `${tool.title} ${tool.description} ${TOOLSETS[tool.toolset].description}`
    .toLowerCase();
  let total = 0;
  for (const word of query) {
    const stem = word.replace(/(ies|es|s)$/, "");
    if (name.includes(stem)) total += 3;
    else if (text.includes(stem)) total += 1;
  }
  return total;
}

/**
 * Whether this server may run `tool` for a client (read-only mode, the operator's cache, no
 * login of its own under OAuth).
 */
function offered(tool: AnyTool, config: Config, remote: boolean): boolean {
  if (tool.localOnly && remote) return false;
  if (tool.serverLogin && config.transport === "http" && config.http.auth === "oauth") return false;
  return !config.readOnly || tool.readOnly || tool.toolset === "session";
}

/**
 * The two discovery tools over `catalog` (every tool of the program); `enabled` are the ones
 * tools/list already shows.
 */
export function discoveryTools(
  catalog: readonly AnyTool[],
  enabled: readonly AnyTool[],
): AnyTool[] {
  const listed = new Set(enabled.map((tool) => tool.name));
  const findTools = defineTool({
    name: "find_tools",
    title: "Find more tools",
    description:
      `Search every tool, also those not listed (history, planning, reports, settings, webhooks...); run one with call_tool. No arguments: the toolsets. E.g. {"query":"webhook"}.`,
    toolset: "session",
    readOnly: true,
    input: () => ({
      query: z.string().trim().min(1).max(200).optional().describe("Words to look for"),
      toolset: z.enum(TOOLSET_IDS).optional().describe("Every tool of this toolset"),
    }),
    output: () => ({
      toolsets: z.array(openObject()).optional(),
      tools: z.array(openObject()).optional(),
    }),
    handler: (args, ctx) => {
      const config = ctx.deps.config;
      const usable = catalog.filter((tool) =>
        offered(tool, config, ctx.owner !== undefined || config.transport === "http")
      );
      if (args.query === undefined && args.toolset === undefined) {
        return Promise.resolve({
          toolsets: TOOLSET_IDS.map((id) => ({
            toolset: id,
            about: TOOLSETS[id].description,
            tools: usable.filter((tool) => tool.toolset === id).length,
          })).filter((entry) => entry.tools > 0),
        });
      }
      const query = words(args.query ?? "");
      const found = usable
        .filter((tool) => args.toolset === undefined || tool.toolset === args.toolset)
        .map((tool) => ({ tool, score: query.length > 0 ? score(tool, query) : 1 }))
        .filter((hit) => hit.score > 0)
        .sort((a, b) => b.score - a.score)
        .slice(0, args.toolset ? usable.length : SHOWN);
      return Promise.resolve({
        tools: found.map(({ tool }) => ({
          name: tool.name,
          toolset: tool.toolset,
          listed: listed.has(tool.name),
          description: tool.description,
          arguments: inputJsonOf(tool).properties,
        })),
      });
    },
  });
  const callTool = defineTool({
    name: "call_tool",
    title: "Call any tool",
    description:
      'Run a tool found with find_tools by name, with its arguments. E.g. {"name":"list_webhooks","arguments":{"project":"jane-website"}}.',
    toolset: "session",
    readOnly: false,
    input: () => ({
      name: z.string().trim().min(1).max(100).describe("The tool's name"),
      arguments: z.record(z.string(), z.unknown()).default({}).describe("Its arguments"),
    }),
    output: () => ({ result: openObject() }),
    handler: async (args, ctx) => {
      const config = ctx.deps.config;
      const remote = ctx.owner !== undefined || config.transport === "http";
      const usable = catalog.filter((tool) => offered(tool, config, remote));
      const tool = usable.find((candidate) => candidate.name === args.name);
      if (!tool || tool.name === "call_tool") {
        const near = closestName(args.name, usable.map((candidate) => candidate.name));
        throw new InputError(
          `No tool "${shortValue(args.name)}"${
            near ? ` (did you mean "${near}"?)` : ""
          }. Search with find_tools.`,
          { argument: "name", ...(near ? { closest: near } : {}) },
        );
      }
      const { session_id: sessionId, ...rest } = parseArguments(tool, args.arguments);
      const session = sessionId === undefined ? ctx : {
        ...ctx,
        session: (explicit?: string) => ctx.session(explicit ?? sessionId as string),
      };
      return { result: await tool.handler(rest, session) };
    },
  });
  return [findTools, callTool];
}
