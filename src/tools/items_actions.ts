/**
 * Actions that work the same on every item kind, one tool each with a `kind` argument instead of
 * four near-identical ones: assign_item, change_item_status, vote_item, watch_item.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { InputError } from "../taiga/errors.ts";
import { kindOfArg } from "../taiga/kinds.ts";
import { z } from "zod";
import { patchItem } from "../domain/item_write.ts";
import type { ProjectMetadata } from "../domain/metadata.ts";
import { resolveAssignee, resolveStatus, withMetadata } from "../domain/names.ts";
import { itemProjectField, itemRefField, kindField, openObject } from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { Session } from "../sessions/store.ts";
import type { KindInfo } from "../taiga/kinds.ts";
import { fetchItem } from "../taiga/reads.ts";
import type { RawItem } from "../taiga/types.ts";
import { loadItem, present } from "./items_crud.ts";
import { nameOrId } from "./items_fields.ts";

/** Toolset of the less common item tools (not in the default selection). */
export const EXTRA_TOOLSET = "items_extra";

const target = lazy(() => ({
  kind: kindField(),
  item: itemRefField().describe('The item: "#ref" with project (e.g. "#12"), id, or Taiga URL'),
  project: itemProjectField(),
}));

const versionField = lazy(() =>
  z.number().int().positive().optional().describe(
    "The version you read; omit for last-write-wins",
  )
);

const person = lazy(() =>
  z.union([z.string().trim().min(1).max(254), z.number().int().positive()])
);

async function assignedIds(
  session: Session,
  meta: ProjectMetadata,
  people: Array<string | number>,
  signal: AbortSignal,
): Promise<number[]> {
  const ids: number[] = [];
  for (const entry of people) {
    const id = await resolveAssignee(session, meta, entry, signal);
    if (id !== null) ids.push(id);
  }
  return ids;
}

/** The payload that assigns `ids` in `mode` on `raw` (stories keep several assignees). */
function assignment(
  info: KindInfo,
  raw: RawItem,
  ids: number[],
  mode: "set" | "add" | "remove",
): Record<string, unknown> {
  if (info.kind === "userstory") {
    const current = Array.isArray(raw.assigned_users) ? raw.assigned_users as number[] : [];
    const users = mode === "set"
      ? ids
      : mode === "add"
      ? [...new Set([...current, ...ids])]
      : current.filter((id) => !ids.includes(id));
    const main = users.includes(raw.assigned_to as number) ? raw.assigned_to : users[0] ?? null;
    return { assigned_users: [...new Set(users)], assigned_to: main };
  }
  if (mode === "remove") {
    return { assigned_to: ids.includes(raw.assigned_to as number) ? null : raw.assigned_to };
  }
  if (ids.length > 1) {
    throw new InputError(
      `A ${info.label} has one assignee; only user stories take several. Pass one person.`,
      { argument: "assignee" },
    );
  }
  return { assigned_to: ids[0] ?? null };
}

const assignItem = defineTool({
  name: "assign_item",
  title: "Assign an item",
  description:
    'Assign or unassign a user story, task, issue or epic: people by username, email, "me" or id; "none" unassigns. User stories take several assignees (mode "add"/"remove" keeps the others). Example: {"kind":"task","project":"jane-website","item":"#7","assignee":"me"}.',
  toolset: EXTRA_TOOLSET,
  readOnly: false,
  input: () => ({
    ...target(),
    assignee: z.union([person(), z.array(person()).max(50)]).nullable().describe(
      'Who: "alice", "me", ["alice","bob"] (user stories), or "none"/null to unassign everyone',
    ),
    mode: z.enum(["set", "add", "remove"]).default("set").describe(
      '"set" replaces the assignees (default), "add" adds, "remove" removes these people',
    ),
    version: versionField(),
  }),
  output: () => ({ item: openObject() }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const info = kindOfArg(args.kind);
    const { raw, meta } = await loadItem(ctx, session, info, args);
    const people = args.assignee === null
      ? []
      : Array.isArray(args.assignee)
      ? args.assignee
      : [args.assignee];
    const ids = await withMetadata(
      ctx,
      session,
      meta.id,
      (fresh) => assignedIds(session, fresh, people, ctx.signal),
    );
    const payload = (current: RawItem) => assignment(info, current, ids, args.mode);
    const updated = await patchItem(session, info, raw, payload, {
      version: args.version,
      shown: info.kind === "userstory" ? ["assigned_to", "assigned_users"] : ["assigned_to"],
      meta,
      signal: ctx.signal,
    });
    return { item: present(info, updated, meta) };
  },
});

const changeItemStatus = defineTool({
  name: "change_item_status",
  title: "Change an item's status",
  description:
    'Move a user story, task, issue or epic to another status, by name (see get_project_metadata). Example: {"kind":"issue","project":"jane-website","item":"#9","status":"Closed"}.',
  toolset: EXTRA_TOOLSET,
  readOnly: false,
  input: () => ({
    ...target(),
    status: nameOrId().describe('Status name (e.g. "Done") or id'),
    version: versionField(),
  }),
  output: () => ({ item: openObject() }),
  annotations: { idempotentHint: true },
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const info = kindOfArg(args.kind);
    const { raw, meta } = await loadItem(ctx, session, info, args);
    const status = await withMetadata(
      ctx,
      session,
      meta.id,
      (fresh) => Promise.resolve(resolveStatus(fresh, info.kind, args.status)),
    );
    const updated = await patchItem(session, info, raw, { status }, {
      version: args.version,
      shown: ["status"],
      meta,
      signal: ctx.signal,
    });
    return { item: present(info, updated, meta) };
  },
});

const actedOn = lazy(() => ({
  kind: z.string(),
  id: z.number(),
  ref: z.number(),
  subject: z.string(),
}));

/** Posts a per-item action (`upvote`, `watch`...) and reports the item's new counters. */
async function itemAction(
  ctx: RequestContext,
  args: { kind: Parameters<typeof kindOfArg>[0]; item: string | number; project?: string | number },
  action: string,
): Promise<{ kind: string; id: number; ref: number; subject: string; raw: RawItem }> {
  const session = await ctx.session();
  const info = kindOfArg(args.kind);
  const item = await fetchItem(session.client, info.kind, args.project, args.item, ctx.signal);
  await session.client.post(`${info.path}/${item.id}/${action}`, {}, ctx.signal);
  const raw = await session.client.get<RawItem>(`${info.path}/${item.id}`, undefined, ctx.signal);
  return { kind: args.kind, id: raw.id, ref: raw.ref, subject: String(raw.subject), raw };
}

const voteItem = defineTool({
  name: "vote_item",
  title: "Vote for an item",
  description:
    'Vote for a user story, task, issue or epic ("up"), or take your vote back ("down"). Example: {"kind":"issue","project":"jane-website","item":"#9","vote":"up"}.',
  toolset: EXTRA_TOOLSET,
  readOnly: false,
  input: () => ({
    ...target(),
    vote: z.enum(["up", "down"]).default("up").describe('"up" or "down"'),
  }),
  output: () => ({
    ...actedOn(),
    voted: z.boolean(),
    total_voters: z.number(),
  }),
  annotations: { idempotentHint: true },
  handler: async (args, ctx) => {
    const { raw, ...done } = await itemAction(ctx, args, `${args.vote}vote`);
    return { ...done, voted: raw.is_voter === true, total_voters: Number(raw.total_voters ?? 0) };
  },
});

const watchItem = defineTool({
  name: "watch_item",
  title: "Watch an item",
  description:
    'Watch a user story, task, issue or epic to be notified of changes (watch:false stops). Example: {"kind":"user_story","project":"jane-website","item":"#12"}.',
  toolset: EXTRA_TOOLSET,
  readOnly: false,
  input: () => ({
    ...target(),
    watch: z.boolean().default(true).describe("true watches, false unwatches"),
  }),
  output: () => ({
    ...actedOn(),
    watching: z.boolean(),
    total_watchers: z.number(),
  }),
  annotations: { idempotentHint: true },
  handler: async (args, ctx) => {
    const { raw, ...done } = await itemAction(ctx, args, args.watch ? "watch" : "unwatch");
    return {
      ...done,
      watching: raw.is_watcher === true,
      total_watchers: Number(raw.total_watchers ?? 0),
    };
  },
});

/** Cross-kind item actions. */
export const itemActionTools: readonly AnyTool[] = [
  assignItem,
  changeItemStatus,
  voteItem,
  watchItem,
];
