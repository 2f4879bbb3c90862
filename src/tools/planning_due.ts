/**
 * Overdue and due-soon work across stories, tasks and issues, computed here: Taiga has no
 * due-date filter or ordering, and its `due_date_status` uses a fixed 14-day window. Only open
 * items count (a closed item's due date no longer applies).
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import type { ProjectMetadata } from "../domain/metadata.ts";
import { withMetadata } from "../domain/names.ts";
import { listInput, listOutput, projectField } from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { Session } from "../sessions/store.ts";
import { type ItemKind, kindOfArg, KINDS } from "../taiga/kinds.ts";
import type { RawItem, RawRecord } from "../taiga/types.ts";
import { nameOrId } from "./items_fields.ts";
import { buildQuery } from "./items_filters.ts";
import { everyItem } from "./planning_common.ts";

const DAY_MS = 86_400_000;

const rowSchema = lazy(() =>
  z.looseObject({
    kind: z.string(),
    ref: z.number(),
    subject: z.string(),
    due: z.string(),
    days_overdue: z.number().optional(),
    days_left: z.number().optional(),
    status: z.string().optional(),
    assigned_to: z.string().optional(),
    project: z.string().optional(),
  })
);

type Row = z.infer<ReturnType<typeof rowSchema>>;

/** Whole days from `from` to `to` (both YYYY-MM-DD). */
function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}

function extra(raw: RawItem, key: string, field: string): string | undefined {
  const info = raw[`${key}_extra_info`] as RawRecord | null | undefined;
  return typeof info?.[field] === "string" ? info[field] as string : undefined;
}

function row(
  kind: ItemKind,
  raw: RawItem,
  today: string,
  meta: ProjectMetadata | undefined,
): Row {
  const due = String(raw.due_date);
  const days = daysBetween(today, due);
  const assignee = extra(raw, "assigned_to", "username") ??
    meta?.members.find((m) => m.id === raw.assigned_to)?.username;
  return {
    kind: KINDS[kind].arg,
    ref: raw.ref,
    subject: String(raw.subject),
    due,
    ...(days < 0 ? { days_overdue: -days } : { days_left: days }),
    ...(extra(raw, "status", "name") ? { status: extra(raw, "status", "name") } : {}),
    ...(assignee ? { assigned_to: assignee } : {}),
    ...(meta ? {} : { project: extra(raw, "project", "slug") ?? String(raw.project) }),
  };
}

/** Open items of the kinds asked with a due date up to `last`, soonest first. */
async function dueRows(
  ctx: RequestContext,
  session: Session,
  meta: ProjectMetadata | undefined,
  args: { kinds: Array<"user_story" | "task" | "issue">; assignee?: string | number },
  today: string,
  last: string,
): Promise<Row[]> {
  const rows: Row[] = [];
  for (const arg of new Set(args.kinds)) {
    const info = kindOfArg(arg);
    const filters = await buildQuery(
      info,
      { status: "open", assignee: args.assignee },
      { session, meta, signal: ctx.signal },
    );
    const items = await everyItem(
      session,
      info.path,
      { ...(meta ? { project: meta.id } : {}), ...filters },
      ctx.signal,
    );
    for (const raw of items) {
      const due = raw.due_date;
      if (typeof due !== "string" || due === "" || raw.is_closed === true || due > last) continue;
      rows.push(row(info.kind, raw, today, meta));
    }
  }
  return rows.sort((a, b) =>
    a.due.localeCompare(b.due) || a.kind.localeCompare(b.kind) || a.ref - b.ref
  );
}

const listDueItems = defineTool({
  name: "list_due_items",
  title: "List overdue and due-soon items",
  description:
    'Open stories, tasks and issues that are overdue or due within N days, soonest first, with days overdue/left. E.g. {"project":"jane-website","within_days":7,"assignee":"me"}.',
  toolset: "planning",
  readOnly: true,
  input: () => ({
    project: projectField().optional().describe("Omit: every project you can see"),
    kinds: z.array(z.enum(["user_story", "task", "issue"])).min(1).default([
      "user_story",
      "task",
      "issue",
    ]),
    within_days: z.number().int().min(0).max(366).default(14).describe(
      "Also items due in the next N days (0: overdue and due today)",
    ),
    assignee: nameOrId().optional().describe('"me", "none", or a username (with project)'),
    ...listInput(),
  }),
  output: () => ({
    today: z.string().describe("The date days are counted from (UTC)"),
    overdue: z.number(),
    due_soon: z.number(),
    items: z.array(rowSchema()),
    ...listOutput(),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const today = new Date().toISOString().slice(0, 10);
    const last = new Date(Date.parse(`${today}T00:00:00Z`) + args.within_days * DAY_MS)
      .toISOString().slice(0, 10);
    const rows = args.project === undefined
      ? await dueRows(ctx, session, undefined, args, today, last)
      : await withMetadata(
        ctx,
        session,
        args.project,
        (meta) => dueRows(ctx, session, meta, args, today, last),
      );
    const size = args.all ? rows.length : args.limit;
    const page = args.all ? 1 : args.page;
    const items = rows.slice((page - 1) * size, page * size);
    const hasMore = page * size < rows.length;
    return {
      today,
      overdue: rows.filter((r) => r.days_overdue !== undefined).length,
      due_soon: rows.filter((r) => r.days_left !== undefined).length,
      items,
      total: rows.length,
      returned: items.length,
      page,
      has_more: hasMore,
      ...(hasMore ? { next_page: page + 1 } : {}),
    };
  },
});

/** The due-date tool. */
export const dueTools: readonly AnyTool[] = [listDueItems];
