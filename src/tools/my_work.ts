/**
 * list_my_work: the stories, tasks, issues and epics assigned to me (or to someone) in every
 * project the session can see — open ones by default — grouped by project and kind, with due
 * dates and what is overdue. One list request per kind, filtered by Taiga with each kind's
 * assignee filter from the kind table (`assigned_users` for stories, `assigned_to` otherwise).
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import { ALL_ITEMS_CAP, kindField, listInput, listOutput, projectField } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { ITEM_KINDS, type KindInfo, kindOfArg, KINDS } from "../taiga/kinds.ts";
import { fetchAll } from "../taiga/pagination.ts";
import { personField, resolvePerson } from "./history_people.ts";

type Raw = Record<string, unknown>;

const rowSchema = lazy(() =>
  z.object({
    ref: z.number(),
    subject: z.string(),
    status: z.string().optional(),
    due: z.string().optional(),
    overdue: z.boolean().optional(),
    blocked: z.boolean().optional(),
    closed: z.boolean().optional(),
    user_story: z.string().optional().describe("A task's story, #ref"),
  })
);

type Row = z.infer<ReturnType<typeof rowSchema>>;

const rowsField = lazy(() => z.array(rowSchema()).optional());

const groupSchema = lazy(() =>
  z.object({
    project: z.string().describe("Slug"),
    name: z.string(),
    user_stories: rowsField(),
    tasks: rowsField(),
    issues: rowsField(),
    epics: rowsField(),
  })
);

type Group = z.infer<ReturnType<typeof groupSchema>>;

/** A row with what it is sorted and grouped by. */
interface Placed {
  slug: string;
  name: string;
  kind: KindInfo;
  row: Row;
}

function extra(raw: Raw, key: string): Raw | undefined {
  const value = raw[`${key}_extra_info`];
  return value && typeof value === "object" ? value as Raw : undefined;
}

function place(info: KindInfo, raw: Raw, today: string): Placed {
  const project = extra(raw, "project");
  const closed = raw.is_closed === true;
  const due = typeof raw.due_date === "string" && raw.due_date !== "" ? raw.due_date : undefined;
  const overdue = !closed && due !== undefined &&
    (due < today || raw.due_date_status === "past_due");
  const story = extra(raw, "user_story");
  const row: Row = {
    ref: Number(raw.ref),
    subject: String(raw.subject ?? ""),
    ...(typeof extra(raw, "status")?.name === "string"
      ? { status: String(extra(raw, "status")!.name) }
      : {}),
    ...(due ? { due } : {}),
    ...(overdue ? { overdue } : {}),
    ...(raw.is_blocked === true ? { blocked: true } : {}),
    ...(closed ? { closed } : {}),
    ...(typeof story?.ref === "number" ? { user_story: `#${story.ref}` } : {}),
  };
  return {
    slug: String(project?.slug ?? raw.project),
    name: String(project?.name ?? project?.slug ?? raw.project),
    kind: info,
    row,
  };
}

/** Project, kind, open before closed, overdue first, then soonest due, then #ref. */
function order(a: Placed, b: Placed): number {
  return a.slug.localeCompare(b.slug) ||
    ITEM_KINDS.indexOf(a.kind.kind) - ITEM_KINDS.indexOf(b.kind.kind) ||
    Number(a.row.closed ?? false) - Number(b.row.closed ?? false) ||
    Number(b.row.overdue ?? false) - Number(a.row.overdue ?? false) ||
    (a.row.due ?? "9999").localeCompare(b.row.due ?? "9999") ||
    a.row.ref - b.row.ref;
}

function group(rows: readonly Placed[]): Group[] {
  const groups = new Map<string, Group>();
  for (const placed of rows) {
    const found = groups.get(placed.slug) ?? { project: placed.slug, name: placed.name };
    groups.set(placed.slug, found);
    const key = placed.kind.plural as "user_stories" | "tasks" | "issues" | "epics";
    (found[key] ??= []).push(placed.row);
  }
  return [...groups.values()];
}

const listMyWork = defineTool({
  name: "list_my_work",
  title: "Work assigned to me or someone",
  description:
    'Open stories, tasks, issues and epics assigned to me (or a person) across projects, grouped by project, with due dates and overdue marked. E.g. {"person":"alice","kinds":["task","issue"]}.',
  toolset: "history",
  readOnly: true,
  input: () => ({
    person: personField().default("me").describe('"me" (default), a username or user id'),
    project: projectField().optional().describe("Only this project"),
    kinds: z.array(kindField()).min(1).max(ITEM_KINDS.length).optional().describe(
      "Only these kinds (default all)",
    ),
    state: z.enum(["open", "closed", "all"]).default("open"),
    ...listInput(),
  }),
  output: () => ({
    person: z.string(),
    today: z.string().describe("UTC date overdue is judged by"),
    projects: z.array(groupSchema()),
    counts: z.record(z.string(), z.number()).describe("Per kind and overdue, across all pages"),
    ...listOutput(),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const person = await resolvePerson(session, ctx, args.person, args.project);
    const meta = args.project === undefined
      ? undefined
      : await ctx.metadata.get(session, args.project, ctx.signal);
    const kinds = args.kinds ? args.kinds.map(kindOfArg) : ITEM_KINDS.map((kind) => KINDS[kind]);
    const today = new Date().toISOString().slice(0, 10);
    const closed = args.state === "all" ? undefined : args.state === "closed";
    const fetched = await Promise.all(kinds.map(async (info) => {
      const listed = await fetchAll<Raw>(session.client, info.path, {
        [info.assigneeFilter]: person.id,
        status__is_closed: closed,
        project: meta?.id,
      }, { maxItems: ALL_ITEMS_CAP, signal: ctx.signal });
      return { info, listed };
    }));
    const rows = fetched.flatMap(({ info, listed }) =>
      listed.items.map((raw) => place(info, raw, today))
    ).sort(order);
    const counts: Record<string, number> = {};
    for (const { info, listed } of fetched) counts[info.plural] = listed.total;
    counts.overdue = rows.filter((placed) => placed.row.overdue).length;
    const truncated = fetched.some(({ listed }) => listed.truncated);
    const start = args.all ? 0 : (args.page - 1) * args.limit;
    const shown = args.all ? rows : rows.slice(start, start + args.limit);
    const more = !args.all && start + shown.length < rows.length;
    return {
      person: person.username,
      today,
      projects: group(shown),
      counts,
      total: rows.length,
      returned: shown.length,
      page: args.all ? 1 : args.page,
      has_more: more || truncated,
      ...(more ? { next_page: args.page + 1 } : {}),
      ...(truncated ? { truncated: true } : {}),
    };
  },
});

/** "My work" tools (exported through historyTools). */
export const myWorkTools: readonly AnyTool[] = [listMyWork];
