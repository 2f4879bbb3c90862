/**
 * The arguments many tools share, defined once: session, project, item, sprint, kind, verbose,
 * version and the list arguments — each with its description for the model and its bounds.
 * @module
 */

import { z } from "zod";
import { KIND_ARGS, type KindInfo } from "../taiga/kinds.ts";

/** Longest text accepted for a name, slug, ref or URL argument. */
export const NAME_MAX = 500;

/** The `session_id` argument every tool accepts. */
export const sessionIdField: z.ZodOptional<z.ZodString> = z.string().min(1).max(200).optional()
  .describe("Session to act in (from login). Omit to use the default session.");

/** The `project` argument: an id or a slug. */
export const projectField: z.ZodUnion<readonly [z.ZodNumber, z.ZodString]> = z.union([
  z.number().int().positive(),
  z.string().trim().min(1).max(255),
]).describe('Project id (e.g. 12) or slug (e.g. "jane-website")');

/** The optional project argument of tools that take an item. */
export const itemProjectField: z.ZodOptional<typeof projectField> = projectField.optional()
  .describe('Project id or slug; needed when the item is given as "#ref"');

/** An item reference: an id, a `#ref` or a Taiga URL. */
export const itemRefField: z.ZodUnion<readonly [z.ZodNumber, z.ZodString]> = z.union([
  z.number().int().positive(),
  z.string().trim().min(1).max(NAME_MAX),
]);

/** The item argument, described for one kind. */
export function itemArg(info: KindInfo): typeof itemRefField {
  return itemRefField.describe(
    `The ${info.label}: "#ref" with project (e.g. "#12"), its id (e.g. 1234), or a Taiga URL`,
  );
}

/** The `kind` argument of tools that work on any kind of item. */
export const kindField: z.ZodEnum<{ [K in typeof KIND_ARGS[number]]: K }> = z.enum(KIND_ARGS)
  .describe('Item kind: "user_story", "task", "issue" or "epic"');

/** The `sprint` argument: an id, or a name (with `project`). */
export const sprintField: z.ZodUnion<readonly [z.ZodNumber, z.ZodString]> = z.union([
  z.number().int().positive(),
  z.string().trim().min(1).max(200),
]).describe('Sprint id (e.g. 7) or name (e.g. "Sprint 3", needs project)');

/** The optional `project` argument of tools that name a sprint. */
export const sprintProjectField: z.ZodOptional<typeof projectField> = projectField.optional()
  .describe('Project id or slug; required when the sprint is given by name (e.g. "jane-website")');

/** The `verbose` argument. */
export const verboseField: z.ZodDefault<z.ZodBoolean> = z.boolean().default(false).describe(
  "Return Taiga's full JSON instead of the compact form",
);

/** An object in tool output: compact by default, Taiga's JSON when verbose. */
export const openObject: z.ZodRecord<z.ZodString, z.ZodUnknown> = z.record(z.string(), z.unknown());

/** The optional `version` argument of an update, described with the tool that reads it. */
export function versionField(readTool: string): z.ZodOptional<z.ZodNumber> {
  return z.number().int().positive().optional().describe(
    `The version you read (from ${readTool}); omit for last-write-wins`,
  );
}

/** Most items `all: true` returns before it stops and says so. */
export const ALL_ITEMS_CAP = 10_000;

/** Input fields for paging. */
export const listInput = {
  limit: z.number().int().min(1).max(1000).default(50).describe(
    "Items per page (1-1000, default 50)",
  ),
  page: z.number().int().min(1).max(100_000).default(1).describe("1-based page number (default 1)"),
  all: z.boolean().default(false).describe(
    `Return every item, walking pages of 1000 (up to ${ALL_ITEMS_CAP}); ignores limit/page`,
  ),
};

/** Output fields describing the page returned. */
export const listOutput = {
  total: z.number().describe("Items matching, across all pages"),
  returned: z.number(),
  page: z.number(),
  has_more: z.boolean(),
  next_page: z.number().optional().describe("Pass as `page` to get the next items"),
  truncated: z.boolean().optional().describe("True when `all` hit the cap"),
};
