/**
 * Comments and history on any work item: add_comment (a PATCH with `comment` + version, retried
 * once on a version race — comments never conflict in meaning) and list_comments (compact history).
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import { patchItem } from "../domain/item_write.ts";
import { itemProjectField, itemRefField, kindField, listInput, listOutput } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { listItems } from "../mcp/listing.ts";
import { fetchItem } from "../taiga/reads.ts";
import { kindOfArg } from "../taiga/kinds.ts";

type Raw = Record<string, unknown>;

const itemInput = lazy(() => ({
  kind: kindField(),
  item: itemRefField().describe('The item: "#ref" with project (e.g. "#12"), id, or Taiga URL'),
  project: itemProjectField(),
}));

const itemSummary = lazy(() =>
  z.object({
    id: z.number(),
    ref: z.number(),
    subject: z.string(),
    version: z.number(),
  })
);

/** A history entry as one compact record: who, when, what (comment text or changed fields). */
export function compactHistoryEntry(entry: Raw): Record<string, unknown> {
  const user = entry.user as Raw | null | undefined;
  const diff =
    (entry.values_diff && typeof entry.values_diff === "object" ? entry.values_diff : entry.diff) as
      | Raw
      | undefined;
  const changed = diff ? Object.keys(diff).filter((key) => key !== "description_html") : [];
  // Taiga keeps a deleted comment's text; its own UI hides it, and so does this list.
  const text = typeof entry.comment === "string" && !entry.delete_comment_date ? entry.comment : "";
  return {
    id: entry.id,
    by: user?.username ?? user?.name ?? null,
    at: entry.created_at,
    ...(text ? { text } : {}),
    ...(changed.length > 0 ? { changed } : {}),
    ...(entry.edit_comment_date ? { edited: entry.edit_comment_date } : {}),
    ...(entry.delete_comment_date ? { deleted: true } : {}),
  };
}

const addComment = defineTool({
  name: "add_comment",
  title: "Add a comment",
  description:
    'Comment (Markdown) on an item. E.g. {"kind":"user_story","project":"jane-website","item":"#12","text":"Done in PR 42"}.',
  toolset: "comments",
  readOnly: false,
  input: () => ({
    ...itemInput(),
    text: z.string().trim().min(1, "text must not be empty").max(100_000).describe(
      "The comment (Markdown)",
    ),
  }),
  output: () => ({ item: itemSummary(), comment: z.string() }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const info = kindOfArg(args.kind);
    const raw = await fetchItem(session.client, info.kind, args.project, args.item, ctx.signal);
    const updated = await patchItem(session, info, raw, { comment: args.text }, {
      shown: [],
      signal: ctx.signal,
    });
    return {
      item: {
        id: updated.id,
        ref: updated.ref,
        subject: String(updated.subject),
        version: updated.version,
      },
      comment: args.text,
    };
  },
});

const listComments = defineTool({
  name: "list_comments",
  title: "List comments",
  description:
    'Comments on an item, newest first; history:true lists which fields changed instead (get_item_history shows old → new). E.g. {"kind":"issue","project":"jane-website","item":"#7"}.',
  toolset: "comments",
  readOnly: true,
  input: () => ({
    ...itemInput(),
    history: z.boolean().default(false).describe(
      "Return the change log (fields changed) instead of the comments",
    ),
    ...listInput(),
  }),
  output: () => ({
    item: z.object({ id: z.number(), ref: z.number(), subject: z.string() }),
    entries: z.array(z.record(z.string(), z.unknown())).describe(
      "{id, by, at, text?, changed?, edited?, deleted?}",
    ),
    ...listOutput(),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const info = kindOfArg(args.kind);
    const raw = await fetchItem(session.client, info.kind, args.project, args.item, ctx.signal);
    const listed = await listItems<Raw>(
      session.client,
      `history/${info.historyKey}/${raw.id}`,
      { type: args.history ? "activity" : "comment" },
      args,
      ctx,
    );
    return {
      item: { id: raw.id, ref: raw.ref, subject: String(raw.subject) },
      entries: listed.items.map(compactHistoryEntry),
      ...listed.paging,
    };
  },
});

/** Comment tools. */
export const commentTools: readonly AnyTool[] = [addComment, listComments];
