/**
 * What the fuzz asserts about one call: an answer within the time limit; every failure an
 * `isError` result whose `error_type` is one of the known ones (never "internal"); and, for a
 * refused call, the sandbox Taiga exactly as it was before the call.
 * @module
 */

// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { resultText } from "../helpers/tool_calls.ts";

/** The error types a tool may answer with. */
export const ERROR_TYPES: ReadonlySet<string> = new Set([
  "input",
  "auth",
  "permission",
  "not_found",
  "conflict",
  "validation",
  "throttled",
  "network",
  "timeout",
  "cancelled",
  "server",
  "config",
]);

function replacer(_key: string, value: unknown): unknown {
  if (typeof value === "function") return undefined;
  if (value instanceof Map) return [...value.entries()];
  if (value instanceof Set) return [...value];
  return value;
}

/** The sandbox state, one JSON string per top-level table (items, projects, wiki...). */
export function snapshot(state: object): Map<string, string> {
  const tables = new Map<string, string>();
  for (const [key, value] of Object.entries(state)) {
    if (typeof value !== "function") tables.set(key, JSON.stringify(value, replacer) ?? "");
  }
  return tables;
}

/** The tables that differ between two snapshots. */
export function changedTables(before: Map<string, string>, after: Map<string, string>): string[] {
  const keys = new Set([...before.keys(), ...after.keys()]);
  return [...keys].filter((key) => before.get(key) !== after.get(key));
}

/** What one call came to. */
export type Outcome =
  | { kind: "ok" }
  | { kind: "error"; errorType: string }
  | { kind: "finding"; reason: string; text: string };

const MAX_TEXT = 600;

function cut(text: string): string {
  return text.length > MAX_TEXT ? `${text.slice(0, MAX_TEXT)}… (${text.length} chars)` : text;
}

/** Judges a call's result (or what it threw, or undefined when it timed out). */
export function judge(result: CallToolResult | undefined, thrown: unknown): Outcome {
  if (thrown !== undefined) {
    const text = thrown instanceof Error ? thrown.message : String(thrown);
    return { kind: "finding", reason: "threw instead of an isError result", text: cut(text) };
  }
  if (result === undefined) return { kind: "finding", reason: "no answer in time", text: "" };
  if (!result.isError) return { kind: "ok" };
  const text = resultText(result);
  let errorType: string;
  try {
    // The facts are the last line: a message may quote an argument's line breaks.
    errorType = JSON.parse(text.slice(text.lastIndexOf("\n") + 1)).error_type;
  } catch {
    return { kind: "finding", reason: "error result without facts", text: cut(text) };
  }
  if (errorType === "internal") {
    return { kind: "finding", reason: "internal error", text: cut(text) };
  }
  if (!ERROR_TYPES.has(errorType)) {
    return { kind: "finding", reason: `unknown error_type ${errorType}`, text: cut(text) };
  }
  if (!/^Error: \S/.test(text)) return { kind: "finding", reason: "no message", text: cut(text) };
  return { kind: "error", errorType };
}

/** Arguments as a short, printable JSON (huge strings shortened). */
export function printable(args: Record<string, unknown>): string {
  return JSON.stringify(
    args,
    (_key, value) =>
      typeof value === "string" && value.length > 80
        ? `${value.slice(0, 20)}…(${value.length} chars)`
        : Array.isArray(value) && value.length > 10
        ? [...value.slice(0, 3), `…(${value.length} items)`]
        : value,
  );
}
