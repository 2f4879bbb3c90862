/**
 * Project tags and their colours: manage_tags creates, renames, recolours, merges and deletes
 * them. Taiga's tag actions rewrite every item carrying the tag directly — no version bump, no
 * history, no timeline — so merging and deleting ask first, counting the items touched.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import { normaliseName } from "../domain/names.ts";
import { confirmField, projectField } from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { Session } from "../sessions/store.ts";
import { InputError, UnknownNameError } from "../taiga/errors.ts";
import { ITEM_KINDS, type ItemKind, KINDS } from "../taiga/kinds.ts";
import { type ActionArguments, checkActionArguments } from "./settings_actions.ts";
import { colorField } from "./settings_lists.ts";

type Raw = Record<string, unknown>;

/** A project's tags and their colours (`{tag: "#hex" | null}`). */
export async function fetchTags(
  ctx: RequestContext,
  session: Session,
  projectId: number,
): Promise<Record<string, string | null>> {
  const colors = await session.client.get<Record<string, string | null>>(
    `projects/${projectId}/tags_colors`,
    undefined,
    ctx.signal,
  );
  return colors && typeof colors === "object" ? colors : {};
}

/** Items of each kind carrying a tag. */
export type TagUse = Partial<Record<ItemKind, number>>;

/** Items carrying each tag, per kind (`{"urgent": {userstory: 2}}`). */
export async function tagUsage(
  ctx: RequestContext,
  session: Session,
  projectId: number,
): Promise<Map<string, TagUse>> {
  const usage = new Map<string, TagUse>();
  const facets = await Promise.all(ITEM_KINDS.map(async (kind) => {
    const data = await session.client.get<Raw>(
      `${KINDS[kind].path}/filters_data`,
      { project: projectId },
      ctx.signal,
    );
    return [kind, Array.isArray(data?.tags) ? data.tags as Raw[] : []] as const;
  }));
  for (const [kind, tags] of facets) {
    for (const tag of tags) {
      const count = Number(tag.count) || 0;
      if (count === 0) continue;
      usage.set(String(tag.name), { ...usage.get(String(tag.name)), [kind]: count });
    }
  }
  return usage;
}

/** "2 user stories, 1 task", or "no item". */
function describeUse(use: TagUse | undefined): string {
  const parts = Object.entries(use ?? {}).map(([kind, n]) =>
    `${n} ${n === 1 ? KINDS[kind as ItemKind].label : KINDS[kind as ItemKind].labelPlural}`
  );
  return parts.length > 0 ? parts.join(", ") : "no item";
}

/** Items carrying a tag, all kinds together. */
export function tagTotal(use: TagUse | undefined): number {
  return Object.values(use ?? {}).reduce((sum, n) => sum + (n ?? 0), 0);
}

const ACTIONS = ["create", "rename", "recolor", "merge", "delete"] as const;
type Action = typeof ACTIONS[number];

const TAKES: Readonly<Record<Action, ActionArguments>> = {
  create: { required: ["tag"], optional: ["color"] },
  rename: { required: ["tag", "to"], optional: ["color"] },
  recolor: { required: ["tag", "color"], optional: [] },
  merge: { required: ["tags", "to"], optional: [] },
  delete: { required: ["tag"], optional: [] },
};

/** The stored tag `wanted` names (tags are stored lower-cased; matched loosely). */
function findTag(colors: Record<string, string | null>, wanted: string): string {
  if (wanted in colors) return wanted;
  const hit = Object.keys(colors).find((tag) => normaliseName(tag) === normaliseName(wanted));
  if (hit === undefined) throw new UnknownNameError("tag", wanted, Object.keys(colors).sort());
  return hit;
}

function existing(colors: Record<string, string | null>, wanted: string): string | undefined {
  return Object.keys(colors).find((tag) => normaliseName(tag) === normaliseName(wanted));
}

const tagName = lazy(() => z.string().trim().min(1).max(255));

const manageTags = defineTool({
  name: "manage_tags",
  title: "Create, rename, recolour, merge or delete tags",
  description:
    'Project tags: create, rename, recolor, merge (tags → to) or delete. Items are rewritten without history; merge and delete ask first. E.g. {"project":"jane-website","action":"merge","tags":["bug","defect"],"to":"bugs"}.',
  toolset: "project_settings",
  readOnly: false,
  annotations: { destructiveHint: true },
  input: () => ({
    project: projectField(),
    action: z.enum(ACTIONS),
    tag: tagName().optional().describe("The tag to create, rename, recolor or delete"),
    tags: z.array(tagName()).min(1).max(100).optional().describe(
      "merge: the tags folded into `to`",
    ),
    to: tagName().optional().describe("rename: the new name; merge: the existing tag they become"),
    color: colorField().optional(),
    confirm: confirmField(),
  }),
  output: () => ({
    project: z.string(),
    action: z.string(),
    tag: z.object({ name: z.string(), color: z.string().nullable() }).optional().describe(
      "The tag as it is now",
    ),
    removed: z.array(z.string()).optional().describe("Tags that no longer exist"),
    items: z.record(z.string(), z.number()).optional().describe(
      "Items that carried each removed tag",
    ),
  }),
  handler: async (args, ctx) => {
    checkActionArguments(args.action, args, TAKES);
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    const colors = await fetchTags(ctx, session, meta.id);
    const path = (action: string): string => `projects/${meta.id}/${action}`;
    let result: string;
    let removed: string[] = [];
    let items: Record<string, number> | undefined;
    switch (args.action) {
      case "create": {
        const taken = existing(colors, args.tag!);
        if (taken !== undefined) {
          throw new InputError(
            `The tag "${taken}" already exists in ${meta.slug}: use recolor or rename.`,
            { argument: "tag" },
          );
        }
        result = args.tag!.toLowerCase();
        await session.client.post(path("create_tag"), {
          tag: args.tag,
          ...(args.color ? { color: args.color } : {}),
        }, ctx.signal);
        break;
      }
      case "rename": {
        const from = findTag(colors, args.tag!);
        const taken = existing(colors, args.to!);
        if (taken === from) {
          throw new InputError(
            `"${args.to}" is the tag's name already${
              args.color ? ": to change only its colour use recolor" : ""
            }.`,
            { argument: "to" },
          );
        }
        if (taken !== undefined) {
          throw new InputError(
            `The tag "${taken}" already exists: use merge to fold "${from}" into it.`,
            { argument: "to" },
          );
        }
        result = args.to!.toLowerCase();
        removed = [from];
        await session.client.post(path("edit_tag"), {
          from_tag: from,
          to_tag: args.to,
          ...(args.color ? { color: args.color } : {}),
        }, ctx.signal);
        break;
      }
      case "recolor": {
        // Taiga refuses a to_tag equal to from_tag: a colour change sends no to_tag.
        result = findTag(colors, args.tag!);
        await session.client.post(
          path("edit_tag"),
          { from_tag: result, color: args.color },
          ctx.signal,
        );
        break;
      }
      case "merge": {
        result = findTag(colors, args.to!);
        removed = [...new Set(args.tags!.map((tag) => findTag(colors, tag)))].filter((tag) =>
          tag !== result
        );
        if (removed.length === 0) {
          throw new InputError(`Nothing to merge: tags only names "${result}" itself.`, {
            argument: "tags",
          });
        }
        const usage = await tagUsage(ctx, session, meta.id);
        items = Object.fromEntries(removed.map((tag) => [tag, tagTotal(usage.get(tag))]));
        await ctx.confirm(
          `Merge the tags ${
            removed.map((tag) => `"${tag}" (${describeUse(usage.get(tag))})`).join(", ")
          } into "${result}" in ${meta.name}? Taiga rewrites those items directly, without history.`,
          args.confirm,
        );
        await session.client.post(
          path("mix_tags"),
          { from_tags: removed, to_tag: result },
          ctx.signal,
        );
        break;
      }
      case "delete": {
        const tag = findTag(colors, args.tag!);
        const usage = await tagUsage(ctx, session, meta.id);
        removed = [tag];
        items = { [tag]: tagTotal(usage.get(tag)) };
        await ctx.confirm(
          `Delete the tag "${tag}" of ${meta.name}? It is removed from ${
            describeUse(usage.get(tag))
          }, directly, without history.`,
          args.confirm,
        );
        await session.client.post(path("delete_tag"), { tag }, ctx.signal);
        result = "";
        break;
      }
    }
    ctx.metadata.invalidate(session, meta.id);
    const after = result === "" ? {} : await fetchTags(ctx, session, meta.id);
    return {
      project: meta.slug,
      action: args.action,
      ...(result === "" ? {} : { tag: { name: result, color: after[result] ?? null } }),
      ...(removed.length > 0 ? { removed } : {}),
      ...(items ? { items } : {}),
    };
  },
});

/** The tag tool (toolset `project_settings`). */
export const tagTools: readonly AnyTool[] = [manageTags];
