/**
 * Writes `docs/tools.md`, the tools reference, from the registered tool definitions (ALL_TOOLS,
 * the discovery tools and TOOLSETS): per toolset, each tool's name, title, description, hints,
 * input and output fields, derived from the zod schemas. The output is deterministic, so `--check` can tell whether the
 * committed file is stale (exit 1) — the reference is never kept by hand.
 *
 * ```sh
 * deno run -A scripts/gen_tools_doc.ts            # write docs/tools.md
 * deno run -A scripts/gen_tools_doc.ts --check    # exit 1 if docs/tools.md is out of date
 * deno run -A scripts/gen_tools_doc.ts --out x.md # another path
 * ```
 * @module
 */

import { z } from "zod";
import { COMMON_ARGUMENTS } from "../src/mcp/args.ts";
import type { AnyTool } from "../src/mcp/define.ts";
import { type ToolsetInfo, TOOLSETS } from "../src/mcp/toolsets.ts";
import { listableTools } from "./gen_input_schemas.ts";
import { formatAs, writeOrCheck } from "./generated_file.ts";

/** Where the reference lives, relative to the repository root. */
export const DEFAULT_OUT = new URL("../docs/tools.md", import.meta.url);

type JsonSchema = {
  type?: string | string[];
  anyOf?: JsonSchema[];
  oneOf?: JsonSchema[];
  enum?: unknown[];
  const?: unknown;
  items?: JsonSchema;
  properties?: Record<string, JsonSchema>;
  required?: string[];
  additionalProperties?: boolean | JsonSchema;
  description?: string;
  default?: unknown;
  minimum?: number;
  maximum?: number;
  minLength?: number;
  maxLength?: number;
  pattern?: string;
  format?: string;
};

/** One row of a field table. */
interface FieldRow {
  name: string;
  type: string;
  required: boolean;
  default?: unknown;
  description: string;
}

function jsonSchemaOf(shape: z.ZodRawShape, io: "input" | "output"): JsonSchema {
  return z.toJSONSchema(z.object(shape), { io, unrepresentable: "any" }) as JsonSchema;
}

/** A short type name for a JSON schema, e.g. `integer | string`, `"open" | "closed"`, `object[]`. */
export function typeName(schema: JsonSchema): string {
  if (schema.enum) return schema.enum.map((value) => JSON.stringify(value)).join(" \\| ");
  if (schema.const !== undefined) return JSON.stringify(schema.const);
  const variants = schema.anyOf ?? schema.oneOf;
  if (variants) return [...new Set(variants.map(typeName))].join(" \\| ");
  if (Array.isArray(schema.type)) return schema.type.join(" \\| ");
  if (schema.type === "array") {
    const item = schema.items ? typeName(schema.items) : "any";
    return item.includes(" ") ? `(${item})[]` : `${item}[]`;
  }
  if (schema.type === "object" && !schema.properties && schema.additionalProperties) {
    return "record";
  }
  return schema.type ?? "any";
}

function limits(schema: JsonSchema): string {
  const parts: string[] = [];
  const variants = schema.anyOf ?? [schema];
  for (const variant of variants) {
    if (variant.type === "string" && variant.maxLength !== undefined) {
      parts.push(`max ${variant.maxLength} chars`);
    }
    if (
      (variant.type === "integer" || variant.type === "number") &&
      variant.maximum !== undefined && variant.maximum < Number.MAX_SAFE_INTEGER
    ) {
      parts.push(`${variant.minimum ?? "…"}-${variant.maximum}`);
    }
  }
  return parts.length > 0 ? ` (${parts.join(", ")})` : "";
}

/** Rows for the properties of an object schema, nested objects and arrays one level deep. */
export function fieldRows(schema: JsonSchema, prefix = "", depth = 0): FieldRow[] {
  const rows: FieldRow[] = [];
  const required = new Set(schema.required ?? []);
  for (const [name, property] of Object.entries(schema.properties ?? {})) {
    const nonNull = (property.anyOf ?? []).filter((variant) => variant.type !== "null");
    const inner = nonNull.length === 1 ? nonNull[0] : property;
    rows.push({
      name: `${prefix}${name}`,
      type: typeName(property),
      required: required.has(name),
      ...(property.default !== undefined ? { default: property.default } : {}),
      description: `${property.description ?? inner.description ?? ""}${limits(property)}`,
    });
    if (depth >= 1) continue;
    if (inner.type === "object" && inner.properties) {
      rows.push(...fieldRows(inner, `${prefix}${name}.`, depth + 1));
    } else if (inner.type === "array" && inner.items?.properties) {
      rows.push(...fieldRows(inner.items, `${prefix}${name}[].`, depth + 1));
    }
  }
  return rows;
}

function cell(text: string): string {
  return text.replace(/\r?\n/g, " ").replace(/(?<!\\)\|/g, "\\|").trim();
}

function hints(tool: AnyTool): string {
  const parts = [tool.readOnly ? "read-only" : "writes"];
  if (!tool.readOnly && tool.annotations?.destructiveHint) parts.push("destructive");
  if (tool.readOnly || tool.annotations?.idempotentHint) parts.push("idempotent");
  if (!tool.readOnly && tool.toolset !== "session") parts.push("hidden by --read-only");
  return parts.join(" · ");
}

function renderTool(tool: AnyTool): string[] {
  const lines = [`### \`${tool.name}\``, "", `**${tool.title}** — ${hints(tool)}`, ""];
  lines.push(tool.description, "");
  const input = fieldRows(jsonSchemaOf(tool.input(), "input"));
  lines.push("Input:", "");
  if (input.length === 0) lines.push("_No arguments_ (besides `session_id`).", "");
  else {
    lines.push("| Field | Type | Required | Default | Description |", "|---|---|---|---|---|");
    for (const row of input) {
      const fallback = row.default === undefined ? "" : `\`${JSON.stringify(row.default)}\``;
      lines.push(
        `| \`${row.name}\` | ${cell(row.type)} | ${row.required ? "yes" : "no"} | ${
          cell(fallback)
        } | ${cell(row.description)} |`,
      );
    }
    lines.push("");
  }
  const output = fieldRows(jsonSchemaOf(tool.output(), "output"));
  lines.push("Output:", "", "| Field | Type | Always | Description |", "|---|---|---|---|");
  for (const row of output) {
    lines.push(
      `| \`${row.name}\` | ${cell(row.type)} | ${row.required ? "yes" : "no"} | ${
        cell(row.description)
      } |`,
    );
  }
  lines.push("");
  return lines;
}

/** The whole reference as markdown, for `tools` grouped by `toolsets` (deterministic). */
export function renderToolsDoc(
  tools: readonly AnyTool[],
  toolsets: Readonly<Record<string, ToolsetInfo>>,
  note = "",
): string {
  const names = [
    ...Object.keys(toolsets),
    ...[...new Set(tools.map((tool) => tool.toolset))].filter((name) => !(name in toolsets)).sort(),
  ];
  const inToolset = (name: string): AnyTool[] => tools.filter((tool) => tool.toolset === name);
  const defaults = tools.filter((tool) => toolsets[tool.toolset]?.inDefault);
  const lines = [
    "# Tools reference",
    "",
    "<!-- Generated by scripts/gen_tools_doc.ts from the tool definitions. Do not edit by hand: run `deno task tools-doc`. -->",
    "",
    `${tools.length} tools in ${names.length} toolsets. The default selection (\`TAIGA_TOOLSETS=default\`) has ${defaults.length} tools; \`all\` enables every toolset; \`--read-only\` hides every tool marked "hidden by --read-only".${note}`,
    "",
    'Every tool also takes an optional `session_id` (string): the session to act in, from `login`; omit it to use the default session. Errors come back as `isError` results with `{status: "error", error_type, message, details}`.',
    "",
    COMMON_ARGUMENTS,
    "",
    "| Toolset | Default | Tools | Description |",
    "|---|---|---|---|",
  ];
  for (const name of names) {
    const info = toolsets[name];
    const list = inToolset(name).map((tool) => `\`${tool.name}\``).join(", ") || "—";
    lines.push(
      `| \`${name}\` | ${info?.inDefault ? "yes" : "no"} | ${list} | ${
        cell(info?.description ?? "")
      } |`,
    );
  }
  lines.push("");
  for (const name of names) {
    const list = inToolset(name);
    if (list.length === 0) continue;
    const info = toolsets[name];
    lines.push(
      `## Toolset \`${name}\`${info?.inDefault ? " (default)" : ""}`,
      "",
      info?.description ? `${info.description[0].toUpperCase()}${info.description.slice(1)}.` : "",
      "",
    );
    for (const tool of list) lines.push(...renderTool(tool));
  }
  return `${lines.join("\n").replace(/\n{3,}/g, "\n\n").trimEnd()}\n`;
}

/**
 * Formats markdown the way `deno fmt` (with this repository's deno.json) does, so the generated
 * file passes `deno fmt --check` and formatting it changes nothing.
 */
export async function formatMarkdown(text: string): Promise<string> {
  return await formatAs("md", text);
}

const DISCOVERY_NOTE =
  " `find_tools` and `call_tool` are listed only while some toolset is off: through them a model finds and runs the tools that are not listed, in the same conversation.";

/** The reference for the registered tools, formatted: what docs/tools.md must contain. */
export async function buildToolsDoc(): Promise<string> {
  return await formatMarkdown(renderToolsDoc(listableTools(), TOOLSETS, DISCOVERY_NOTE));
}

/** Command-line entry: writes the reference, or with `--check` exits 1 when it is stale. */
export function main(args: string[]): Promise<number> {
  return writeOrCheck({
    defaultOut: DEFAULT_OUT,
    shown: "docs/tools.md",
    task: "tools-doc",
    build: buildToolsDoc,
    summary: () => `${listableTools().length} tools`,
  }, args);
}

if (import.meta.main) Deno.exit(await main(Deno.args));
