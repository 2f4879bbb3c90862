/**
 * Tool schemas, two faces of one zod definition: the compact JSON Schema a model reads in
 * tools/list (no `$schema`, bounds or patterns — the validation enforces them and says so —, no
 * output schema: every byte is context a model pays for, and the result's JSON text says the
 * same), and the strict validation of a call's arguments, whose errors name the argument, say
 * what was wrong and suggest the closest valid name for a misspelt one. Neither is built before
 * it is needed: tools/list shows the JSON generated ahead of time ({@link adoptInputSchemas}), and
 * a tool's validator is built on its first call.
 * @module
 */

import { z } from "zod";
import { InputError, shortValue } from "../taiga/errors.ts";
import type { AnyTool } from "./define.ts";
import type { StandardSchemaWithJSON } from "./sdk.ts";

/** The `session_id` argument every tool accepts (described once, in the server instructions). */
const SESSION_ID = z.string().min(1).max(4096).optional();

type Json = Record<string, unknown>;

/**
 * Keywords a model does not need to call a tool well: bounds and patterns are enforced by the
 * validation, whose errors say what was wrong; `additionalProperties` likewise.
 */
const DROPPED = new Set([
  "$schema",
  "minLength",
  "maxLength",
  "minItems",
  "maxItems",
  "pattern",
  "minimum",
  "maximum",
  "exclusiveMinimum",
  "exclusiveMaximum",
  "additionalProperties",
  "format",
]);

/** `anyOf` of plain types becomes one `type` list; arrays keep their item types. */
function merge(options: Json[]): Json | undefined {
  const types: string[] = [];
  let items: unknown;
  for (const option of options) {
    const keys = Object.keys(option).filter((key) => key !== "description");
    if (typeof option.type !== "string") return undefined;
    if (option.type === "array" && keys.every((key) => key === "type" || key === "items")) {
      items = option.items;
    } else if (keys.length !== 1) return undefined;
    types.push(option.type);
  }
  return { type: types, ...(items === undefined ? {} : { items }) };
}

function compact(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(compact);
  if (node === null || typeof node !== "object") return node;
  const out: Json = {};
  for (const [key, value] of Object.entries(node)) {
    // An optional flag is false unless given: saying so costs bytes and says nothing.
    if (DROPPED.has(key) || (key === "default" && value === false)) continue;
    out[key] = compact(value);
  }
  if (Array.isArray(out.anyOf)) {
    const merged = merge(out.anyOf as Json[]);
    if (merged) {
      delete out.anyOf;
      Object.assign(out, merged);
    }
  }
  return out;
}

/** The compact JSON Schema of a tool's input as a model reads it. */
export function compactJsonSchema(schema: z.ZodType): Json {
  return compact(z.toJSONSchema(schema, { target: "draft-2020-12", io: "input" })) as Json;
}

const validators = new WeakMap<AnyTool, z.ZodObject>();
const listed = new WeakMap<AnyTool, Json>();

/** The strict validator of `tool`'s arguments (built on first use, then reused). */
function validatorOf(tool: AnyTool): z.ZodObject {
  let validator = validators.get(tool);
  if (!validator) {
    validator = z.strictObject({ ...tool.input(), session_id: SESSION_ID });
    validators.set(tool, validator);
  }
  return validator;
}

/**
 * What tools/list shows for `tool`'s input: the generated schema adopted for it, else built from
 * its zod on first use. Both are {@link compactJsonSchema} of the same validator.
 */
export function inputJsonOf(tool: AnyTool): Json {
  let json = listed.get(tool);
  if (!json) {
    json = buildInputJson(tool);
    listed.set(tool, json);
  }
  return json;
}

/** The compact JSON Schema of `tool`'s input, built from its zod now (what generation writes). */
export function buildInputJson(tool: AnyTool): Json {
  return compactJsonSchema(validatorOf(tool));
}

/**
 * Adopts generated input schemas, by tool name, for `tools`: written ahead of time from
 * {@link compactJsonSchema} (`deno task tool-schemas`, kept fresh by a test), they let the server
 * list tools without building any zod — that cost most of the cold start.
 */
export function adoptInputSchemas(
  tools: readonly AnyTool[],
  schemas: Readonly<Record<string, Json>>,
): void {
  for (const tool of tools) {
    const json = Object.hasOwn(schemas, tool.name) ? schemas[tool.name] : undefined;
    if (json && !listed.has(tool)) listed.set(tool, json);
  }
}

/**
 * A schema the SDK advertises as `json` and lets through unchanged: arguments are validated by
 * {@link parseArguments} (for our own messages), outputs are ours.
 */
export function advertised(json: Record<string, unknown>): StandardSchemaWithJSON {
  return {
    "~standard": {
      version: 1,
      vendor: "taiga-mcp",
      validate: (value: unknown) => ({ value }),
      jsonSchema: { input: () => json, output: () => json },
    },
  } as StandardSchemaWithJSON;
}

/** Edit distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, i) => i);
  for (let i = 1; i <= a.length; i++) {
    let previous = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const current = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, previous + (a[i - 1] === b[j - 1] ? 0 : 1));
      previous = current;
    }
  }
  return row[b.length];
}

/** The valid name closest to `name`, when it is close enough to be a likely misspelling. */
export function closestName(name: string, valid: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const candidate of valid) {
    const d = distance(name.toLowerCase(), candidate.toLowerCase());
    if (d < bestDistance) [best, bestDistance] = [candidate, d];
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(name.length / 3))
    ? best
    : undefined;
}

function describeIssue(
  issue: z.core.$ZodIssue,
  valid: readonly string[],
  given: Record<string, unknown>,
): string {
  const path = issue.path.map(String).join(".");
  if (issue.path.length === 1 && given[String(issue.path[0])] === undefined) {
    return `"${path}" is required`;
  }
  if (issue.code === "unrecognized_keys") {
    return issue.keys.map((key) => {
      const near = closestName(key, valid);
      return `unknown argument "${shortValue(key)}"${near ? ` (did you mean "${near}"?)` : ""}`;
    }).join("; ");
  }
  // "name is …", not "name: …": a secret-named argument (password, auth_token) must not look
  // like `key: value` to the log redaction, which would hide the message.
  return `${path ? `"${path}"` : "the arguments"} is invalid (${issue.message})`;
}

/** Whether `text` holds what Taiga cannot store: a NUL character or a lone UTF-16 surrogate. */
export function unstorable(text: string): boolean {
  return text.includes("\u0000") || !text.isWellFormed();
}

/** The path of the first string in `value` that Taiga cannot store (NUL, lone surrogate). */
function badText(value: unknown, path: string): string | undefined {
  if (typeof value === "string") return unstorable(value) ? path || "a value" : undefined;
  if (value === null || typeof value !== "object") return undefined;
  for (const [key, item] of Object.entries(value)) {
    const found = badText(item, path ? `${path}.${key}` : key);
    if (found !== undefined) return found;
  }
  return undefined;
}

/**
 * Validates `args` against `tool`'s input. Returns the parsed arguments (defaults filled) or
 * throws an InputError that lists every problem and the valid argument names.
 */
export function parseArguments(tool: AnyTool, args: unknown): Record<string, unknown> {
  const input = validatorOf(tool);
  const parsed = input.safeParse(args ?? {});
  if (parsed.success) {
    const bad = badText(parsed.data, "");
    if (bad === undefined) return parsed.data as Record<string, unknown>;
    throw new InputError(
      `Invalid arguments for ${tool.name}: ${bad} holds a NUL character or a broken UTF-16 surrogate, which Taiga cannot store. Remove it and retry.`,
      { argument: bad },
    );
  }
  const valid = Object.keys(input.shape);
  const given = args !== null && typeof args === "object" ? args as Record<string, unknown> : {};
  const problems = parsed.error.issues.map((issue) => describeIssue(issue, valid, given));
  throw new InputError(
    `Invalid arguments for ${tool.name}: ${problems.join("; ")}. Valid arguments: ${
      valid.join(", ")
    }.`,
    { problems, valid },
  );
}
