/**
 * Custom attribute values of work items, by attribute NAME: get_custom_attributes and
 * set_custom_attributes. The values object has its own version in Taiga (separate from the
 * item's); a given version is enforced, none means read-then-PATCH retried once on a race.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { InputError } from "../taiga/errors.ts";
import { conflictError, type SentVersion, versionedWrite } from "../domain/versioned_write.ts";
import type { CustomAttributeDefinition, ProjectMetadata } from "../domain/metadata.ts";
import { resolveNamed, withMetadata } from "../domain/names.ts";
import { itemProjectField, itemRefField, kindField } from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { Session } from "../sessions/store.ts";
import type { KindInfo } from "../taiga/kinds.ts";
import { TaigaError } from "../taiga/errors.ts";
import { fetchItem } from "../taiga/reads.ts";
import type { RawItem } from "../taiga/types.ts";
import { overwrittenValues } from "./custom_attributes_race.ts";
import { type AttributeValue as Value, checkValue } from "./custom_attribute_value.ts";
import { kindOfArg } from "../taiga/kinds.ts";
import { z } from "zod";

/** Toolset of the custom attribute tools (not in the default selection). */
export const CUSTOM_ATTRIBUTES_TOOLSET = "custom_attributes";

/** Taiga's custom-attributes-values object. */
interface RawValues {
  attributes_values: Record<string, unknown> | null;
  version: number;
}

const itemInput = lazy(() => ({
  kind: kindField(),
  item: itemRefField().describe('The item: "#ref" with project (e.g. "#12"), id, or Taiga URL'),
  project: itemProjectField(),
}));

const itemSummary = lazy(() => z.object({ id: z.number(), ref: z.number(), subject: z.string() }));

const valuesOutput = lazy(() => ({
  item: itemSummary(),
  values: z.record(z.string(), z.unknown()).describe(
    "Every custom attribute of this kind in the project, by name (null when unset)",
  ),
  types: z.record(z.string(), z.string()).describe(
    "Type of each attribute (text, multiline, richtext, date, url, dropdown, checkbox, number)",
  ),
  version: z.number().describe("Version of the values (not the item's); pass it to set them"),
}));

function valuesPath(info: KindInfo, item: RawItem): string {
  return `${info.path}/custom-attributes-values/${item.id}`;
}

function summary(raw: RawItem): z.infer<ReturnType<typeof itemSummary>> {
  return { id: raw.id, ref: raw.ref, subject: String(raw.subject ?? "") };
}

/** Values keyed by name for every definition, plus the types. */
function byName(
  definitions: readonly CustomAttributeDefinition[],
  values: RawValues,
): { values: Record<string, unknown>; types: Record<string, string> } {
  const raw = values.attributes_values ?? {};
  return {
    values: Object.fromEntries(definitions.map((d) => [d.name, raw[String(d.id)] ?? null])),
    types: Object.fromEntries(definitions.map((d) => [d.name, d.type ?? "text"])),
  };
}

/** The definitions of `info`'s kind, fetched fresh once if `values` names an unknown id. */
async function definitionsFor(
  ctx: RequestContext,
  session: Session,
  meta: ProjectMetadata,
  info: KindInfo,
  values: RawValues,
): Promise<CustomAttributeDefinition[]> {
  const known = new Set(meta.customAttributes[info.kind].map((d) => String(d.id)));
  if (Object.keys(values.attributes_values ?? {}).every((id) => known.has(id))) {
    return meta.customAttributes[info.kind];
  }
  ctx.metadata.invalidate(session, meta.id);
  return (await ctx.metadata.get(session, meta.id, ctx.signal)).customAttributes[info.kind];
}

/** `{"<name>": value}` → `{"<attribute id>": value}`; unknown names list the valid ones. */
function resolveValues(
  meta: ProjectMetadata,
  info: KindInfo,
  values: Record<string, Value>,
): { changes: Record<string, Value>; names: Record<string, string> } {
  const definitions = meta.customAttributes[info.kind];
  const changes: Record<string, Value> = {};
  const names: Record<string, string> = {};
  for (const [name, value] of Object.entries(values)) {
    const definition = resolveNamed(definitions, name, `${info.label} custom attribute`);
    const id = String(definition.id);
    if (id in changes) {
      throw new InputError(`values names the custom attribute "${definition.name}" twice.`, {
        argument: "values",
      });
    }
    changes[id] = checkValue(definition, value);
    names[id] = definition.name;
  }
  return { changes, names };
}

/** The conflict error: someone changed the values since the version sent. */
function valuesConflict(
  info: KindInfo,
  raw: RawItem,
  fresh: RawValues,
  sent: SentVersion,
  names: Record<string, string>,
): TaigaError {
  const current: Record<string, unknown> = {};
  for (const [id, name] of Object.entries(names)) {
    current[name] = fresh.attributes_values?.[id] ?? null;
  }
  return conflictError(
    `The custom attributes of ${info.label} #${raw.ref}`,
    fresh.version,
    sent,
    current,
    { plural: true, fieldWord: "attributes" },
  );
}

const getCustomAttributes = defineTool({
  name: "get_custom_attributes",
  title: "Get custom attributes",
  description:
    'The custom attribute values of a user story, task, issue or epic, keyed by attribute name (every attribute the project defines for that kind; null when unset), their types, and the values\' version. Example: {"kind":"user_story","project":"jane-website","item":"#12"}.',
  toolset: CUSTOM_ATTRIBUTES_TOOLSET,
  readOnly: true,
  input: () => itemInput(),
  output: () => valuesOutput(),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const info = kindOfArg(args.kind);
    const raw = await fetchItem(session.client, info.kind, args.project, args.item, ctx.signal);
    const [values, meta] = await Promise.all([
      session.client.get<RawValues>(valuesPath(info, raw), undefined, ctx.signal),
      ctx.metadata.get(session, Number(raw.project), ctx.signal),
    ]);
    const definitions = await definitionsFor(ctx, session, meta, info, values);
    return { item: summary(raw), ...byName(definitions, values), version: values.version };
  },
});

const valueSchema = lazy(() =>
  z.union([z.string().max(100_000), z.number(), z.boolean(), z.null()])
);

const setCustomAttributes = defineTool({
  name: "set_custom_attributes",
  title: "Set custom attributes",
  description:
    'Set custom attribute values of a user story, task, issue or epic by attribute name; attributes not named keep their values, null clears one. version is the values\' version from get_custom_attributes (not the item\'s): given, a concurrent change is refused with the current values; omitted, the latest is used. Example: {"kind":"issue","project":"jane-website","item":"#7","values":{"Customer":"ACME","Estimate":3}}.',
  toolset: CUSTOM_ATTRIBUTES_TOOLSET,
  readOnly: false,
  input: () => ({
    ...itemInput(),
    values: z.record(z.string().trim().min(1).max(255), valueSchema()).refine(
      (values) => Object.keys(values).length > 0,
      "values must name at least one custom attribute",
    ).describe(
      'Attribute name → value, e.g. {"Customer":"ACME","Estimate":3,"Urgent":true}; null clears',
    ),
    version: z.number().int().positive().optional().describe(
      "Version of the values from get_custom_attributes; omit for last-write-wins",
    ),
  }),
  output: () => ({
    ...valuesOutput(),
    changed: z.array(z.string()).describe("Attributes set"),
    warning: z.string().optional().describe("Set when a concurrent write may have been lost"),
  }),
  annotations: { idempotentHint: true },
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const info = kindOfArg(args.kind);
    const raw = await fetchItem(session.client, info.kind, args.project, args.item, ctx.signal);
    const [meta, resolved] = await withMetadata(
      ctx,
      session,
      Number(raw.project),
      (meta) => Promise.resolve([meta, resolveValues(meta, info, args.values)] as const),
    );
    const path = valuesPath(info, raw);
    const current = await session.client.get<RawValues>(path, undefined, ctx.signal);
    const { saved: written, sent } = await versionedWrite<RawValues>({
      current,
      version: args.version,
      read: () => session.client.get<RawValues>(path, undefined, ctx.signal),
      send: (base, version) =>
        session.client.patch<RawValues>(path, {
          attributes_values: { ...(base.attributes_values ?? {}), ...resolved.changes },
          version,
        }, ctx.signal),
      conflict: (fresh, lost) => valuesConflict(info, raw, fresh, lost, resolved.names),
      check: (values, version) => {
        if (version > values.version) {
          throw new InputError(
            `version ${version} is newer than the values' current version ${values.version}: use the version from get_custom_attributes (not the item's version).`,
            { argument: "version", current_version: values.version },
          );
        }
        // Taiga keeps this object's history on the item, so its own version check accepts any
        // older version: a stale one is refused here, with the current values.
        if (version < values.version) {
          throw valuesConflict(info, raw, values, { version, attempts: 1 }, resolved.names);
        }
      },
    }, ctx.signal);
    let saved = written;
    // Someone else wrote between our read and our write (Taiga accepted both and kept ours
    // whole): put back what they set on attributes we did not touch.
    let warning: string | undefined;
    const others = saved.version - sent - 1;
    if (args.version === undefined && others > 0) {
      const theirs = await overwrittenValues(session, info, raw.id, others, ctx.signal)
        .catch(() => undefined);
      const restore = Object.entries(theirs ?? {}).filter(([id]) => !(id in resolved.changes));
      if (theirs === undefined) {
        warning =
          `Another change to these values was saved at the same moment and Taiga keeps only the last whole set: check them with get_custom_attributes.`;
      } else if (restore.length > 0) {
        saved = await session.client.patch<RawValues>(path, {
          attributes_values: { ...(saved.attributes_values ?? {}), ...Object.fromEntries(restore) },
          version: saved.version,
        }, ctx.signal);
      }
    }
    const definitions = await definitionsFor(ctx, session, meta, info, saved);
    return {
      item: summary(raw),
      ...byName(definitions, saved),
      version: saved.version,
      changed: Object.values(resolved.names),
      ...(warning ? { warning } : {}),
    };
  },
});

/** Custom attribute tools (toolset `custom_attributes`, not in the default selection). */
export const customAttributeTools: readonly AnyTool[] = [
  getCustomAttributes,
  setCustomAttributes,
];
