/**
 * An epic's related user stories: list them, link stories to the epic and unlink them.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import { itemProjectField, itemRefField, listInput, listOutput } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { compactItem, compactItemSchema } from "../domain/shapes/item.ts";
import { listItems } from "../mcp/listing.ts";
import { KINDS } from "../taiga/kinds.ts";
import { fetchAll } from "../taiga/pagination.ts";
import { fetchItem, fetchItems } from "../taiga/reads.ts";
import type { RawItem } from "../taiga/types.ts";

const epicInput = lazy(() => ({
  epic: itemRefField().describe('The epic: "#ref" with project (e.g. "#1"), id, or Taiga URL'),
  project: itemProjectField(),
}));

const epicSummary = lazy(() => z.object({ id: z.number(), ref: z.number(), subject: z.string() }));

function summary(raw: RawItem): z.infer<ReturnType<typeof epicSummary>> {
  return { id: raw.id, ref: raw.ref, subject: String(raw.subject) };
}

const listEpicStories = defineTool({
  name: "list_epic_stories",
  title: "List an epic's user stories",
  description:
    'The user stories linked to an epic, as compact rows. Example: {"project":"jane-website","epic":"#1"}.',
  toolset: KINDS.epic.toolset,
  readOnly: true,
  input: () => ({ ...epicInput(), ...listInput() }),
  output: () => ({ epic: epicSummary(), items: z.array(compactItemSchema()), ...listOutput() }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const epic = await fetchItem(session.client, "epic", args.project, args.epic, ctx.signal);
    const meta = await ctx.metadata.get(session, epic.project as number, ctx.signal);
    const listed = await listItems<RawItem>(
      session.client,
      KINDS.userstory.path,
      { project: meta.id, epic: epic.id },
      args,
      ctx,
    );
    return {
      epic: summary(epic),
      items: listed.items.map((raw) => compactItem("userstory", raw, meta)),
      ...listed.paging,
    };
  },
});

const linkEpicStories = defineTool({
  name: "link_epic_stories",
  title: "Link or unlink user stories and an epic",
  description:
    'Add user stories to an epic (action "add", default) or remove them from it ("remove"). Example: {"project":"jane-website","epic":"#1","stories":["#12","#15"]}.',
  toolset: KINDS.epic.toolset,
  readOnly: false,
  input: () => ({
    ...epicInput(),
    stories: z.array(itemRefField()).min(1).max(200).describe(
      'User stories: "#ref" (e.g. ["#12"]) or ids',
    ),
    action: z.enum(["add", "remove"]).default("add").describe('"add" (default) or "remove"'),
  }),
  output: () => ({
    epic: epicSummary(),
    action: z.string(),
    stories: z.array(z.string()).describe('The stories as refs, e.g. ["#12"]'),
    changed: z.array(z.string()).describe("Stories whose link this call added or removed"),
    unchanged: z.array(z.string()).describe(
      "Stories that were already linked (add) or not (remove)",
    ),
  }),
  annotations: { idempotentHint: true },
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const epic = await fetchItem(session.client, "epic", args.project, args.epic, ctx.signal);
    const stories = await fetchItems(
      session.client,
      "userstory",
      epic.project as number,
      args.stories,
      ctx.signal,
    );
    const refOf = new Map(stories.map((story) => [story.id, `#${story.ref}`]));
    const ids = [...new Set(stories.map((story) => story.id))];
    const base = `${KINDS.epic.path}/${epic.id}/related_userstories`;
    // Read the links first so linking a linked story (or unlinking an unlinked one) is a no-op,
    // as idempotentHint promises, instead of Taiga's "unique set" 400 halfway through.
    // Every page: the list is paginated (30 a page), and a link on page 2 taken for missing
    // would be posted again and refused halfway through.
    const relations = await fetchAll<{ user_story: number }>(session.client, base, {}, {
      maxItems: 100_000,
      signal: ctx.signal,
    });
    const linked = new Set(relations.items.map((relation) => relation.user_story));
    const changed: number[] = [];
    for (const id of ids) {
      if (args.action === "add" && !linked.has(id)) {
        await session.client.post(base, { epic: epic.id, user_story: id }, ctx.signal);
        changed.push(id);
      } else if (args.action === "remove" && linked.has(id)) {
        await session.client.delete(`${base}/${id}`, undefined, ctx.signal);
        changed.push(id);
      }
    }
    return {
      epic: summary(epic),
      action: args.action,
      stories: ids.map((id) => refOf.get(id)!),
      changed: changed.map((id) => refOf.get(id)!),
      unchanged: ids.filter((id) => !changed.includes(id)).map((id) => refOf.get(id)!),
    };
  },
});

/** Epic relation tools. */
export const epicExtraTools: readonly AnyTool[] = [listEpicStories, linkEpicStories];
