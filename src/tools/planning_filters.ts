/**
 * Filter values with counts in one call (Taiga's `filters_data`): how many of a project's
 * stories, tasks, issues or epics have each status, assignee, owner, tag, role, epic (issues:
 * type, priority, severity), after the filters given — names instead of ids. Each facet counts
 * with every filter but its own, as Taiga's filter panel does.
 * @module
 */

import { z } from "zod";
import type { ProjectMetadata } from "../domain/metadata.ts";
import { withMetadata } from "../domain/names.ts";
import { kindField, openObject, projectField, verboseField } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { InputError } from "../taiga/errors.ts";
import { type FilterName, type ItemKind, type KindInfo, kindOfArg, KINDS } from "../taiga/kinds.ts";
import type { RawRecord } from "../taiga/types.ts";
import type { QueryValue } from "../taiga/url.ts";
import { buildQuery, filterShape } from "./items_filters.ts";

/** Filters offered here: the list filters that narrow a facet view. */
const FACET_FILTERS: readonly FilterName[] = [
  "status",
  "assignee",
  "tags",
  "text",
  "sprint",
  "epic",
];

const PEOPLE = new Set(["assigned_to", "assigned_users", "owners"]);

/** The label of one facet row: a name, a username, `#ref subject`, or "none". */
function label(facet: string, row: RawRecord, meta: ProjectMetadata): string {
  if (row.id === null || row.id === undefined) return row.name ? String(row.name) : "none";
  if (PEOPLE.has(facet)) {
    return meta.members.find((m) => m.id === row.id)?.username ??
      (row.full_name ? String(row.full_name) : `user ${row.id}`);
  }
  if (row.ref !== undefined) return `#${row.ref} ${row.subject ?? ""}`.trim();
  return String(row.name ?? row.id);
}

function facets(
  raw: RawRecord,
  meta: ProjectMetadata,
  includeZero: boolean,
): Record<string, Record<string, number>> {
  const out: Record<string, Record<string, number>> = {};
  for (const [facet, rows] of Object.entries(raw)) {
    if (!Array.isArray(rows)) continue;
    const counts: Record<string, number> = {};
    for (const row of rows as RawRecord[]) {
      const count = Number(row.count) || 0;
      if (count === 0 && !includeZero) continue;
      const key = label(facet, row, meta);
      counts[key] = (counts[key] ?? 0) + count;
    }
    if (includeZero || Object.keys(counts).length > 0) out[facet] = counts;
  }
  return out;
}

/** Refuses a filter the kind cannot take (Taiga would ignore it and count everything). */
function checkFilters(info: KindInfo, args: Record<string, unknown>): void {
  const wrong = FACET_FILTERS.find((f) => args[f] !== undefined && !info.filters.includes(f));
  if (wrong) {
    const takers = Object.values(KINDS).filter((k) => k.filters.includes(wrong)).map((k) => k.arg);
    throw new InputError(
      `${info.labelPlural} cannot be filtered by ${wrong}; only ${takers.join(", ")} can.`,
      { argument: wrong },
    );
  }
}

/**
 * Items matching every filter: the status facet's counts, of the statuses the filter keeps (that
 * facet ignores the status filter itself, so a named status would otherwise count them all).
 */
function matching(
  raw: RawRecord,
  query: Record<string, QueryValue>,
  statuses: ProjectMetadata["statuses"][ItemKind],
): number {
  const rows = Array.isArray(raw.statuses) ? raw.statuses as RawRecord[] : [];
  const named = Array.isArray(query.status) ? new Set(query.status.map(Number)) : undefined;
  const closed = typeof query.status__is_closed === "boolean" ? query.status__is_closed : undefined;
  const isClosed = (id: unknown) => statuses.find((s) => s.id === id)?.is_closed === true;
  return rows.filter((row) =>
    (named === undefined || named.has(Number(row.id))) &&
    (closed === undefined || isClosed(row.id) === closed)
  ).reduce((sum, row) => sum + (Number(row.count) || 0), 0);
}

const getItemCounts = defineTool({
  name: "get_item_counts",
  title: "Count items per status, person, tag…",
  description:
    'Counts of a project\'s items per status, assignee, owner, tag, role, epic (issues: type, priority, severity), after optional filters. E.g. {"project":"jane-website","kind":"issue","status":"open"}.',
  toolset: "planning",
  readOnly: true,
  input: () => ({
    project: projectField(),
    kind: kindField(),
    ...filterShape({ ...KINDS.userstory, filters: FACET_FILTERS }),
    include_zero: z.boolean().default(false).describe("Also list values with count 0"),
    verbose: verboseField(),
  }),
  output: () => ({
    kind: z.string(),
    total: z.number().describe("Items matching the filters"),
    counts: z.record(z.string(), z.record(z.string(), z.number())).optional(),
    raw: openObject().optional(),
  }),
  handler: async (args, ctx) => {
    const info = kindOfArg(args.kind);
    checkFilters(info, args);
    const session = await ctx.session();
    return await withMetadata(ctx, session, args.project, async (meta) => {
      const query = await buildQuery(info, args, { session, meta, signal: ctx.signal });
      const raw = await session.client.get<RawRecord>(
        `${info.path}/filters_data`,
        { project: meta.id, ...query },
        ctx.signal,
      );
      const total = matching(raw, query, meta.statuses[info.kind]);
      return args.verbose
        ? { kind: args.kind, total, raw }
        : { kind: args.kind, total, counts: facets(raw, meta, args.include_zero) };
    });
  },
});

/** The facet-count tool. */
export const filterCountTools: readonly AnyTool[] = [getItemCounts];
