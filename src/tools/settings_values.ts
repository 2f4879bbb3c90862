/**
 * The project's value lists (statuses of each kind, points, priorities, severities, issue
 * types, swimlanes; tags for reading): list_values, create_value, update_value. Values are named
 * by name; a position renumbers the list; make_default changes the project's default.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import { listInput, listOutput, projectField, verboseField } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { InputError } from "../taiga/errors.ts";
import { nameOrId } from "./items_fields.ts";
import {
  checkFreeName,
  defaultOf,
  fetchValues,
  findValue,
  placeValue,
  usageCounts,
  VALUE_LISTS,
  valueList,
  valueListField,
} from "./settings_lists.ts";
import {
  compactValue,
  pageOf,
  settingFields,
  settingsBody,
  valueRowSchema,
} from "./settings_rows.ts";
import { fetchTags, tagTotal, tagUsage } from "./tags.ts";

type Raw = Record<string, unknown>;

const TOOLSET = "project_settings";

const nameField = lazy(() => z.string().trim().min(1).max(255));

const positionField = lazy(() =>
  z.number().int().min(1).max(10_000).optional().describe(
    "Place in the list, 1 = first",
  )
);

const LIST_NAMES: string[] = [...VALUE_LISTS.map((list) => list.name), "tags"];

const listValues = defineTool({
  name: "list_values",
  title: "List a project's statuses, points, priorities, tags…",
  description:
    'One project list with colours, closed flags, order, WIP limits and the default; with_counts adds the items using each value. E.g. {"project":"jane-website","list":"user_story_statuses","with_counts":true}.',
  toolset: TOOLSET,
  readOnly: true,
  input: () => ({
    project: projectField(),
    list: z.enum(LIST_NAMES as [string, ...string[]]),
    with_counts: z.boolean().default(false).describe("Add how many items use each value"),
    verbose: verboseField(),
    ...listInput(),
  }),
  output: () => ({
    project: z.string(),
    list: z.string(),
    values: z.array(valueRowSchema()),
    counts_are_minimums: z.boolean().optional().describe("Too many stories to count them all"),
    ...listOutput(),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    if (args.list === "tags") {
      const [colors, usage] = await Promise.all([
        fetchTags(ctx, session, meta.id),
        args.with_counts ? tagUsage(ctx, session, meta.id) : undefined,
      ]);
      const rows = Object.keys(colors).sort().map((name) => ({
        name,
        color: colors[name] ?? null,
        ...(usage ? { count: tagTotal(usage.get(name)) } : {}),
      }));
      const { items, paging } = pageOf(rows, args);
      return { project: meta.slug, list: args.list, values: items, ...paging };
    }
    const list = valueList(args.list);
    const [rows, usage] = await Promise.all([
      fetchValues(ctx, session, list, meta.id),
      args.with_counts ? usageCounts(ctx, session, list, meta.id) : undefined,
    ]);
    const defaultId = defaultOf(meta, list);
    const values = rows.map((row, index) => ({
      ...(args.verbose ? row.raw : compactValue(list, row, index + 1, defaultId)),
      ...(usage ? { count: usage.counts.get(row.id) ?? 0 } : {}),
    }));
    const { items, paging } = pageOf(values, args);
    return {
      project: meta.slug,
      list: list.name,
      values: items as Array<z.infer<ReturnType<typeof valueRowSchema>>>,
      ...(usage?.atLeast ? { counts_are_minimums: true } : {}),
      ...paging,
    };
  },
});

const valueOutput = lazy(() => ({
  project: z.string(),
  list: z.string(),
  value: valueRowSchema(),
}));

const createValue = defineTool({
  name: "create_value",
  title: "Add a status, points value, priority…",
  description:
    'Add a value to a project list (statuses per kind, points, priorities, severities, issue_types, swimlanes); appended unless position. E.g. {"project":"jane-website","list":"user_story_statuses","name":"QA","color":"#E4CE40"}.',
  toolset: TOOLSET,
  readOnly: false,
  annotations: { destructiveHint: false },
  input: () => ({
    project: projectField(),
    list: valueListField(),
    name: nameField(),
    ...settingFields(),
    position: positionField(),
  }),
  output: () => ({
    ...valueOutput(),
    note: z.string().optional(),
  }),
  handler: async (args, ctx) => {
    const list = valueList(args.list);
    const body = settingsBody(list, args);
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    const rows = await fetchValues(ctx, session, list, meta.id);
    checkFreeName(rows, list, args.name);
    const last = Math.max(0, ...rows.map((row) => Number(row.raw.order) || 0));
    const created = await session.client.post<Raw>(list.path, {
      project: meta.id,
      name: args.name,
      ...body,
      // Taiga puts a new value at order 10, often mid-list: append it instead.
      order: last + 1,
    }, ctx.signal);
    const id = Number(created.id);
    if (args.position !== undefined) {
      await placeValue(
        ctx,
        session,
        list,
        meta.id,
        [...rows, { id, name: args.name }],
        id,
        args.position,
      );
    }
    ctx.metadata.invalidate(session, meta.id);
    const fresh = await ctx.metadata.get(session, meta.id, ctx.signal);
    const after = await fetchValues(ctx, session, list, meta.id);
    const index = after.findIndex((row) => row.id === id);
    const firstLane = list.name === "swimlanes" && rows.length === 0;
    return {
      project: meta.slug,
      list: list.name,
      value: index < 0
        ? { id, name: args.name }
        : compactValue(list, after[index], index + 1, defaultOf(fresh, list)),
      ...(firstLane
        ? {
          note:
            "The project's first swimlane: every user story is now in it, and it is the default.",
        }
        : {}),
    };
  },
});

const updateValue = defineTool({
  name: "update_value",
  title: "Rename, recolour or reorder a status, priority…",
  description:
    'Change a value of a project list: name, colour, closed flag, WIP limit, points value, position, or make it the default. E.g. {"project":"jane-website","list":"user_story_statuses","value":"Ready for test","name":"QA"}.',
  toolset: TOOLSET,
  readOnly: false,
  annotations: { destructiveHint: false, idempotentHint: true },
  input: () => ({
    project: projectField(),
    list: valueListField(),
    value: nameOrId().describe("The value to change: its name or id"),
    name: nameField().optional().describe("New name"),
    ...settingFields(),
    position: positionField(),
    make_default: z.literal(true).optional().describe("Make it the default for new items"),
  }),
  output: () => ({ ...valueOutput(), changed: z.array(z.string()) }),
  handler: async (args, ctx) => {
    const list = valueList(args.list);
    const body = settingsBody(list, args);
    if (args.name !== undefined) body.name = args.name;
    const changed = [
      ...Object.keys(body),
      ...(args.position !== undefined ? ["position"] : []),
      ...(args.make_default ? ["default"] : []),
    ];
    if (changed.length === 0) {
      throw new InputError(
        `Nothing to change: pass name, position, make_default${
          list.options.length > 0 ? ` or ${list.options.join(", ")}` : ""
        }.`,
      );
    }
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    const rows = await fetchValues(ctx, session, list, meta.id);
    const row = findValue(rows, list, args.value);
    if (args.name !== undefined) checkFreeName(rows, list, args.name, row.id);
    if (Object.keys(body).length > 0) {
      await session.client.patch(`${list.path}/${row.id}`, body, ctx.signal);
    }
    if (args.position !== undefined) {
      await placeValue(ctx, session, list, meta.id, rows, row.id, args.position);
    }
    if (args.make_default) {
      await session.client.patch(`projects/${meta.id}`, { [list.defaultKey]: row.id }, ctx.signal);
    }
    ctx.metadata.invalidate(session, meta.id);
    const fresh = await ctx.metadata.get(session, meta.id, ctx.signal);
    const after = await fetchValues(ctx, session, list, meta.id);
    const index = after.findIndex((r) => r.id === row.id);
    return {
      project: meta.slug,
      list: list.name,
      value: compactValue(list, after[index] ?? row, index + 1, defaultOf(fresh, list)),
      changed: changed.map((key) => key.replace(/^is_/, "").replace(/^value$/, "points_value")),
    };
  },
});

/** The value-list tools (toolset `project_settings`). */
export const valueListTools: readonly AnyTool[] = [listValues, createValue, updateValue];
