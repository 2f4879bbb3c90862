/**
 * tools/list weight: what a model reads before the first call. For the default toolsets and for
 * `all`, over the real path (an SDK client connected to our stdio connection in memory) in both
 * eras (a v1 client with `initialize`, and a v2 client pinned to 2026-07-28), the bytes of the
 * tools/list result as the server sent it, split by field (names + titles, descriptions, input
 * schemas, output schemas, annotations, the rest), with tokens ≈ bytes / 4. Target: the default
 * toolsets ≤ 30 KB (and ≤ 40 tools, the most some clients accept).
 *
 * Run: `deno task bench tools-list` (or `deno run -A bench/tools_list.ts`).
 * @module
 */

import { CATALOG } from "../src/catalog.ts";
import { benchDeps, connectInMemory, type Era } from "./lib/clients.ts";
import { byteLength, formatBytes, formatTable, printLine, type ResultRow } from "./lib/report.ts";

const DEFAULT_BYTES_TARGET = 30 * 1024;
const DEFAULT_TOOLS_TARGET = 40;

type Json = Record<string, unknown>;

/** Byte split of one tools/list result. */
export interface ToolsListWeight {
  /** Tools listed. */
  tools: number;
  /** The JSON-RPC `result`, serialised. */
  resultBytes: number;
  /** The whole JSON-RPC message (what stdio writes, less the newline). */
  messageBytes: number;
  /** Field group → bytes (each `"key":value` member, comma not counted). */
  fields: Record<string, number>;
  /** Largest tools: name → bytes. */
  largest: Array<[string, number]>;
  /** Names of the tool fields counted as "other tool fields". */
  otherFields: string[];
  /** Inside the input schemas: argument descriptions, and arguments repeated verbatim. */
  inputs: { descriptions: number; repeated: number; sessionId: number };
}

/** Bytes of every `"description":…` member inside `node`. */
function descriptionBytes(node: unknown): number {
  if (Array.isArray(node)) return node.reduce((sum, item) => sum + descriptionBytes(item), 0);
  if (node === null || typeof node !== "object") return 0;
  let total = 0;
  for (const [key, value] of Object.entries(node)) {
    total += key === "description" && typeof value === "string"
      ? member(key, value)
      : descriptionBytes(value);
  }
  return total;
}

/** Argument definitions (name + schema) that more than one tool repeats verbatim. */
function inputParts(tools: Json[]): ToolsListWeight["inputs"] {
  const seen = new Map<string, { bytes: number; count: number }>();
  let descriptions = 0;
  let sessionId = 0;
  for (const tool of tools) {
    const schema = tool.inputSchema as Json | undefined;
    descriptions += descriptionBytes(schema);
    for (const [name, definition] of Object.entries((schema?.properties ?? {}) as Json)) {
      const bytes = member(name, definition);
      if (name === "session_id") sessionId += bytes;
      const key = `${name}:${JSON.stringify(definition)}`;
      const entry = seen.get(key) ?? { bytes, count: 0 };
      entry.count += 1;
      seen.set(key, entry);
    }
  }
  let repeated = 0;
  for (const { bytes, count } of seen.values()) repeated += bytes * (count - 1);
  return { descriptions, repeated, sessionId };
}

const GROUPS: Record<string, string> = {
  name: "names + titles",
  title: "names + titles",
  description: "descriptions",
  inputSchema: "input schemas",
  outputSchema: "output schemas",
  annotations: "annotations",
};

function member(key: string, value: unknown): number {
  return byteLength(JSON.stringify(key)) + 1 + byteLength(JSON.stringify(value));
}

/** Weighs one tools/list response message. */
export function weigh(message: Json): ToolsListWeight {
  const result = message.result as Json;
  const tools = result.tools as Json[];
  const fields: Record<string, number> = {
    "names + titles": 0,
    descriptions: 0,
    "input schemas": 0,
    "output schemas": 0,
    annotations: 0,
    "other tool fields": 0,
  };
  const others = new Set<string>();
  for (const tool of tools) {
    for (const [key, value] of Object.entries(tool)) {
      if (value === undefined) continue;
      const group = GROUPS[key] ?? "other tool fields";
      if (!GROUPS[key]) others.add(key);
      fields[group] += member(key, value);
    }
  }
  const resultBytes = byteLength(JSON.stringify(result));
  const counted = Object.values(fields).reduce((sum, bytes) => sum + bytes, 0);
  let outside = 0;
  for (const [key, value] of Object.entries(result)) {
    if (key !== "tools" && value !== undefined) outside += member(key, value);
  }
  fields["result fields besides tools"] = outside;
  fields["JSON punctuation (braces, commas)"] = resultBytes - counted - outside;
  const largest = tools
    .map((tool): [string, number] => [String(tool.name), byteLength(JSON.stringify(tool))])
    .sort((a, b) => b[1] - a[1])
    .slice(0, 5);
  return {
    tools: tools.length,
    resultBytes,
    messageBytes: byteLength(JSON.stringify(message)),
    fields,
    largest,
    otherFields: [...others],
    inputs: inputParts(tools),
  };
}

async function measure(toolsets: string, era: Era): Promise<ToolsListWeight & { extra: string }> {
  const cacheDir = await Deno.makeTempDir({ prefix: "taiga-mcp-bench-" });
  const deps = benchDeps({
    TAIGA_API_URL: "http://127.0.0.1:9",
    TAIGA_CACHE_DIR: cacheDir,
    TAIGA_TOOLSETS: toolsets,
  });
  const connection = await connectInMemory(deps, CATALOG, era);
  try {
    const before = connection.sent.length;
    const parsed = await connection.client.listTools();
    const message = connection.sent.slice(before).find((sent) =>
      Array.isArray((sent.result as Json | undefined)?.tools)
    );
    if (!message) throw new Error("no tools/list response was seen on the wire");
    const weight = weigh(message);
    if (weight.tools !== parsed.tools.length) {
      throw new Error(
        `the client parsed ${parsed.tools.length} tools, the wire had ${weight.tools}`,
      );
    }
    const keys = Object.keys(message.result as Json).filter((key) => key !== "tools");
    return { ...weight, extra: keys.join(", ") || "none" };
  } finally {
    await connection.close();
    deps.close();
    deps.log.close();
    await Deno.remove(cacheDir, { recursive: true });
  }
}

function tokens(bytes: number): string {
  return `≈ ${Math.round(bytes / 4).toLocaleString("en")} tokens`;
}

/** Measures and prints the tools/list weights. */
export async function runToolsListBench(): Promise<Record<string, ToolsListWeight>> {
  const results: Record<string, ToolsListWeight> = {};
  const rows: ResultRow[] = [];
  for (const toolsets of ["default", "all"]) {
    for (const era of ["2025", "2026"] as Era[]) {
      const weight = await measure(toolsets, era);
      results[`${toolsets}/${era}`] = weight;
      const isDefault = toolsets === "default";
      rows.push(
        {
          measure: `${toolsets} toolsets, ${era} client: tools`,
          value: String(weight.tools),
          target: isDefault ? `≤ ${DEFAULT_TOOLS_TARGET}` : "",
          pass: isDefault ? weight.tools <= DEFAULT_TOOLS_TARGET : undefined,
        },
        {
          measure: "  tools/list result",
          value: `${formatBytes(weight.resultBytes)} (${weight.resultBytes} B, ${
            tokens(weight.resultBytes)
          })`,
          target: isDefault ? `≤ ${formatBytes(DEFAULT_BYTES_TARGET)}` : "",
          pass: isDefault ? weight.resultBytes <= DEFAULT_BYTES_TARGET : undefined,
        },
      );
      for (const [field, bytes] of Object.entries(weight.fields)) {
        rows.push({
          measure: `    ${field}`,
          value: `${formatBytes(bytes)} (${(bytes / weight.resultBytes * 100).toFixed(1)} %, ${
            tokens(bytes)
          })`,
        });
      }
      rows.push(
        {
          measure: "    in input schemas: argument descriptions",
          value: formatBytes(weight.inputs.descriptions),
        },
        {
          measure: "    in input schemas: session_id on every tool",
          value: formatBytes(weight.inputs.sessionId),
        },
        {
          measure: "    in input schemas: arguments repeated verbatim",
          value: `${formatBytes(weight.inputs.repeated)} (beyond their first appearance)`,
        },
        {
          measure: "    (other tool fields:",
          value: `${weight.otherFields.join(", ") || "none"})`,
        },
        { measure: "    (result fields besides tools:", value: `${weight.extra})` },
        { measure: "  whole JSON-RPC message", value: formatBytes(weight.messageBytes) },
        {
          measure: "  largest tools",
          value: weight.largest.map(([name, bytes]) => `${name} ${bytes} B`).join(", "),
        },
      );
    }
  }
  printLine(
    "tools/list: bytes of the result our server sends (real path: SDK client ↔ stdio connection, in memory)",
  );
  printLine();
  printLine(formatTable(rows));
  return results;
}

if (import.meta.main) await runToolsListBench();
