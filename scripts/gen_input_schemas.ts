/**
 * Writes `src/tools/input_schemas.json`: the input schema of every tool exactly as tools/list shows
 * it (`buildInputJson` of src/mcp/schema.ts, from the zod shapes), by tool name — every tool of
 * ALL_TOOLS and the discovery tools. The server lists tools from this file instead of building
 * their zod at start-up, which cost most of the cold start; a test fails when it is stale.
 *
 * ```sh
 * deno task tool-schemas                                  # write it
 * deno run -A scripts/gen_input_schemas.ts --check        # exit 1 if it is out of date
 * deno run -A scripts/gen_input_schemas.ts --out x.json   # another path
 * ```
 * @module
 */

import type { AnyTool } from "../src/mcp/define.ts";
import { discoveryTools } from "../src/mcp/discovery.ts";
import { buildInputJson } from "../src/mcp/schema.ts";
import { ALL_TOOLS } from "../src/tools/index.ts";
import { formatAs, writeOrCheck } from "./generated_file.ts";

/** Where the schemas live, relative to the repository root. */
export const DEFAULT_OUT = new URL("../src/tools/input_schemas.json", import.meta.url);

/** Every tool a server can list: the catalog's and the discovery tools. */
export function listableTools(): AnyTool[] {
  return [...ALL_TOOLS, ...discoveryTools(ALL_TOOLS, [])];
}

/** The schemas by tool name, in catalog order (deterministic). */
export function inputSchemas(tools: readonly AnyTool[]): Record<string, Record<string, unknown>> {
  const schemas: Record<string, Record<string, unknown>> = {};
  for (const tool of tools) {
    if (Object.hasOwn(schemas, tool.name)) throw new Error(`two tools named ${tool.name}`);
    schemas[tool.name] = buildInputJson(tool);
  }
  return schemas;
}

/** JSON text formatted the way `deno fmt` (this repository's deno.json) formats it. */
export async function formatJson(value: unknown): Promise<string> {
  return await formatAs("json", `${JSON.stringify(value)}\n`);
}

/** What the file must contain for the current tool definitions. */
export async function buildInputSchemas(): Promise<string> {
  return await formatJson(inputSchemas(listableTools()));
}

/** Command-line entry: writes the file, or with `--check` exits 1 when it is stale. */
export function main(args: string[]): Promise<number> {
  return writeOrCheck({
    defaultOut: DEFAULT_OUT,
    shown: "src/tools/input_schemas.json",
    task: "tool-schemas",
    build: buildInputSchemas,
    summary: () => `${listableTools().length} tools`,
  }, args);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
