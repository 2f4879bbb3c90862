/**
 * Custom attribute definitions ("custom fields") per kind: list_custom_fields and
 * manage_custom_field (create, update, delete). Their values on items are read and written by
 * get_custom_attributes / set_custom_attributes (custom_attributes.ts). Deleting a definition
 * drops its value from every item of the kind, so it asks first.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import { normaliseName, resolveNamed } from "../domain/names.ts";
import {
  confirmField,
  kindField,
  listInput,
  listOutput,
  projectField,
  verboseField,
} from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { Session } from "../sessions/store.ts";
import { InputError } from "../taiga/errors.ts";
import { type KindInfo, kindOfArg } from "../taiga/kinds.ts";
import { fetchAll, fetchPage } from "../taiga/pagination.ts";
import { nameOrId } from "./items_fields.ts";
import { type ActionArguments, checkActionArguments } from "./settings_actions.ts";
import { placeValue } from "./settings_lists.ts";
import { pageOf } from "./settings_rows.ts";

type Raw = Record<string, unknown>;

/** The types Taiga offers. */
const TYPES = [
  "text",
  "multiline",
  "richtext",
  "date",
  "url",
  "dropdown",
  "checkbox",
  "number",
] as const;

const fieldSchema = lazy(() => z.looseObject({ name: z.string(), type: z.string() }));

interface Definition {
  id: number;
  name: string;
  raw: Raw;
}

async function fetchDefinitions(
  ctx: RequestContext,
  session: Session,
  info: KindInfo,
  projectId: number,
): Promise<Definition[]> {
  const { items } = await fetchAll<Raw>(session.client, info.customAttributesPath, {
    project: projectId,
  }, { maxItems: 10_000, signal: ctx.signal });
  return items
    .sort((a, b) => Number(a.order) - Number(b.order) || Number(a.id) - Number(b.id))
    .map((raw) => ({ id: Number(raw.id), name: String(raw.name ?? ""), raw }));
}

function compactField(
  definition: Definition,
  position: number,
): z.infer<ReturnType<typeof fieldSchema>> {
  const raw = definition.raw;
  return {
    id: definition.id,
    name: definition.name,
    type: String(raw.type ?? "text"),
    position,
    ...(typeof raw.description === "string" && raw.description !== ""
      ? { description: raw.description }
      : {}),
    ...(Array.isArray(raw.extra) ? { options: raw.extra } : {}),
  };
}

/** Order key and path for `bulk_update_order` of `info`'s definitions. */
function orderList(info: KindInfo): { path: string; bulkKey: string } {
  return {
    path: info.customAttributesPath,
    bulkKey: `bulk_${info.historyKey}_custom_attributes`,
  };
}

const listCustomFields = defineTool({
  name: "list_custom_fields",
  title: "List custom field definitions",
  description:
    'The custom attributes (custom fields) a project defines for one kind: name, type, dropdown options, description. Values: get_custom_attributes. E.g. {"project":"jane-website","kind":"issue"}.',
  toolset: "project_settings",
  readOnly: true,
  input: () => ({
    project: projectField(),
    kind: kindField(),
    verbose: verboseField(),
    ...listInput(),
  }),
  output: () => ({
    project: z.string(),
    kind: z.string(),
    fields: z.array(fieldSchema()),
    ...listOutput(),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    const info = kindOfArg(args.kind);
    const definitions = await fetchDefinitions(ctx, session, info, meta.id);
    const rows = definitions.map((d, i) =>
      args.verbose ? { ...d.raw, name: d.name, type: String(d.raw.type) } : compactField(d, i + 1)
    );
    const { items, paging } = pageOf(rows, args);
    return { project: meta.slug, kind: args.kind, fields: items, ...paging };
  },
});

const ACTIONS = ["create", "update", "delete"] as const;

const TAKES: Readonly<Record<typeof ACTIONS[number], ActionArguments>> = {
  create: { required: ["name"], optional: ["type", "description", "options", "position"] },
  update: { required: ["field"], optional: ["name", "type", "description", "options", "position"] },
  delete: { required: ["field"], optional: [] },
};

/** `extra` for the type the field will have: dropdown options, or null to drop stale ones. */
function extraFor(
  type: string,
  options: string[] | undefined,
  current?: Raw,
): { extra?: string[] | null } {
  if (type !== "dropdown") {
    if (options !== undefined) {
      throw new InputError(`options are for dropdown fields only (this one is ${type}).`, {
        argument: "options",
      });
    }
    return Array.isArray(current?.extra) ? { extra: null } : {};
  }
  if (options !== undefined) return { extra: [...new Set(options)] };
  if (!current || !Array.isArray(current.extra)) {
    throw new InputError('A dropdown needs its options, e.g. "options":["web","ios"].', {
      argument: "options",
    });
  }
  return {};
}

const manageCustomField = defineTool({
  name: "manage_custom_field",
  title: "Create, change or delete a custom field",
  description:
    'Define custom attributes (custom fields) of one kind: create, update (field = current name), delete (its values are lost; asks first). E.g. {"project":"jane-website","kind":"issue","action":"create","name":"Platform","type":"dropdown","options":["web","ios"]}.',
  toolset: "project_settings",
  readOnly: false,
  annotations: { destructiveHint: true },
  input: () => ({
    project: projectField(),
    kind: kindField(),
    action: z.enum(ACTIONS),
    field: nameOrId().optional().describe("update/delete: the field's name or id"),
    name: z.string().trim().min(1).max(64).optional().describe(
      "create: its name; update: new name",
    ),
    type: z.enum(TYPES).optional().describe("Default text"),
    description: z.string().trim().max(1_000).optional(),
    options: z.array(z.string().trim().min(1).max(255)).min(1).max(200).optional().describe(
      "Dropdown choices",
    ),
    position: z.number().int().min(1).max(10_000).optional().describe("1 = first"),
    confirm: confirmField(),
  }),
  output: () => ({
    project: z.string(),
    kind: z.string(),
    action: z.string(),
    field: fieldSchema().optional(),
    deleted: z.string().optional(),
  }),
  handler: async (args, ctx) => {
    checkActionArguments(args.action, args, TAKES);
    const info = kindOfArg(args.kind);
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    const definitions = await fetchDefinitions(ctx, session, info, meta.id);
    const what = `${info.label} custom field`;
    const current = args.field === undefined
      ? undefined
      : resolveNamed(definitions, args.field, what);
    if (args.name !== undefined) {
      const taken = definitions.find((d) =>
        d.id !== current?.id && normaliseName(d.name) === normaliseName(args.name!)
      );
      if (taken) {
        throw new InputError(`The ${what} "${taken.name}" already exists.`, { argument: "name" });
      }
    }
    if (args.action === "delete") {
      const items = await fetchPage(session.client, info.path, { project: meta.id }, {
        page: 1,
        pageSize: 1,
        signal: ctx.signal,
      });
      await ctx.confirm(
        `Delete the ${what} "${
          current!.name
        }" of ${meta.name}? Its value on every ${info.label} (${items.total} in the project) is lost.`,
        args.confirm,
      );
      await session.client.delete(
        `${info.customAttributesPath}/${current!.id}`,
        undefined,
        ctx.signal,
      );
      ctx.metadata.invalidate(session, meta.id);
      return { project: meta.slug, kind: args.kind, action: args.action, deleted: current!.name };
    }
    const type = args.type ?? String(current?.raw.type ?? "text");
    const body: Raw = {
      ...(args.name !== undefined ? { name: args.name } : {}),
      ...(args.type !== undefined ? { type: args.type } : {}),
      ...(args.description !== undefined ? { description: args.description } : {}),
      ...extraFor(type, args.options, current?.raw),
    };
    const saved = current
      ? await session.client.patch<Raw>(
        `${info.customAttributesPath}/${current.id}`,
        body,
        ctx.signal,
      )
      : await session.client.post<Raw>(
        info.customAttributesPath,
        { project: meta.id, type, ...body },
        ctx.signal,
      );
    const id = Number(saved.id);
    if (args.position !== undefined) {
      const rows = [...definitions.filter((d) => d.id !== id), { id, name: String(saved.name) }];
      await placeValue(ctx, session, orderList(info), meta.id, rows, id, args.position);
    }
    ctx.metadata.invalidate(session, meta.id);
    const after = await fetchDefinitions(ctx, session, info, meta.id);
    const index = after.findIndex((d) => d.id === id);
    const row = index < 0 ? { id, name: String(saved.name), raw: saved } : after[index];
    return {
      project: meta.slug,
      kind: args.kind,
      action: args.action,
      field: compactField(row, index + 1),
    };
  },
});

/** The custom field definition tools (toolset `project_settings`). */
export const customFieldTools: readonly AnyTool[] = [listCustomFields, manageCustomField];
