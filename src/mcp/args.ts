/**
 * The arguments many tools share, defined once: session, project, item, sprint, kind, verbose,
 * version and the list arguments — each with its description for the model and its bounds.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import { KIND_ARGS, type KindInfo } from "../taiga/kinds.ts";

/** Longest text accepted for a name, slug, ref or URL argument. */
export const NAME_MAX = 500;

/**
 * What the common arguments mean, said once (in the server instructions and the tools
 * reference) instead of in every tool's schema: tools/list is context a model pays for.
 */
export const COMMON_ARGUMENTS =
  `Common arguments: project = id or slug; item = "#ref" (with project), id or Taiga URL; sprint = id, or name (with project); kind = user_story, task, issue or epic; verbose = Taiga's full JSON instead of the compact form; lists take limit (page size, max 1000), page, and all (every item, up to 10000); session_id = a session from login (omit: the default session); confirm = true to skip the person's confirmation of a destructive act (only when they agreed).`;

/** The `session_id` argument every tool accepts. */
export const sessionIdField: () => z.ZodOptional<z.ZodString> = lazy(() =>
  z.string().min(1).max(200).optional()
    .describe("Session to act in (from login). Omit to use the default session.")
);

/** The `project` argument: an id or a slug. */
export const projectField: () => z.ZodUnion<readonly [z.ZodNumber, z.ZodString]> = lazy(() =>
  z.union([
    z.number().int().positive(),
    z.string().trim().min(1).max(255),
  ])
);

/** The optional project argument of tools that take an item. */
export const itemProjectField: () => z.ZodOptional<ReturnType<typeof projectField>> = lazy(() =>
  projectField().optional()
);

/** An item reference: an id, a `#ref` or a Taiga URL. */
export const itemRefField: () => z.ZodUnion<readonly [z.ZodNumber, z.ZodString]> = lazy(() =>
  z.union([
    z.number().int().positive(),
    z.string().trim().min(1).max(NAME_MAX),
  ])
);

/** The item argument of one kind's tools (the same for every kind: see COMMON_ARGUMENTS). */
export function itemArg(_info: KindInfo): ReturnType<typeof itemRefField> {
  return itemRefField();
}

/** The `kind` argument of tools that work on any kind of item. */
export const kindField: () => z.ZodEnum<{ [K in typeof KIND_ARGS[number]]: K }> = lazy(() =>
  z.enum(KIND_ARGS)
);

/** The `sprint` argument: an id, or a name (with `project`). */
export const sprintField: () => z.ZodUnion<readonly [z.ZodNumber, z.ZodString]> = lazy(() =>
  z.union([
    z.number().int().positive(),
    z.string().trim().min(1).max(200),
  ])
);

/** The optional `project` argument of tools that name a sprint. */
export const sprintProjectField: () => z.ZodOptional<ReturnType<typeof projectField>> = lazy(() =>
  projectField().optional()
);

/** The `verbose` argument. */
export const verboseField: () => z.ZodDefault<z.ZodBoolean> = lazy(() =>
  z.boolean().default(false)
);

/** An object in tool output: compact by default, Taiga's JSON when verbose. */
export const openObject: () => z.ZodRecord<z.ZodString, z.ZodUnknown> = lazy(() =>
  z.record(z.string(), z.unknown())
);

/** The optional `version` argument of an update, described with the tool that reads it. */
export function versionField(readTool: string): z.ZodOptional<z.ZodNumber> {
  return z.number().int().positive().optional().describe(
    `Version you read (${readTool}); omit: last write wins`,
  );
}

/**
 * The `confirm` argument of a tool that destroys something: true goes ahead without asking (for
 * clients that cannot ask the person); otherwise the person is asked through the client.
 */
export const confirmField: () => z.ZodOptional<z.ZodBoolean> = lazy(() => z.boolean().optional());

/** Whether `text` (YYYY-MM-DD) is a day that exists: 2026-02-30 is not. */
export function isCalendarDay(text: string): boolean {
  const date = new Date(`${text}T00:00:00Z`);
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text;
}

/** A calendar day argument, YYYY-MM-DD, checked to exist. */
export const dayField: () => z.ZodString = lazy(() =>
  z.string().trim().regex(/^\d{4}-\d{2}-\d{2}$/, "Use the form YYYY-MM-DD, e.g. 2026-03-02")
    .refine(isCalendarDay, "Not a real calendar date")
);

/** Most items `all: true` returns before it stops and says so. */
export const ALL_ITEMS_CAP = 10_000;

/** Input fields for paging. */
export const listInput = lazy(() => ({
  limit: z.number().int().min(1).max(1000).default(50),
  page: z.number().int().min(1).max(100_000).default(1),
  all: z.boolean().default(false),
}));

/** Output fields describing the page returned. */
export const listOutput = lazy(() => ({
  total: z.number().describe("Items matching, across all pages"),
  returned: z.number(),
  page: z.number(),
  has_more: z.boolean(),
  next_page: z.number().optional().describe("Pass as `page` to get the next items"),
  truncated: z.boolean().optional().describe("True when `all` hit the cap"),
}));
