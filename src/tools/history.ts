/**
 * What changed: an item's history with diffs (get_item_history), comment edit, delete and
 * undelete (manage_comment), the project's and a person's timeline (get_timeline), and the open
 * work assigned to someone across projects (list_my_work). Toolset `history`.
 *
 * get_item_history is the change log in full (field: old → new, with names); list_comments
 * (toolset `comments`) stays the light way to read the comments of an item.
 * @module
 */

import { z } from "zod";
import {
  itemProjectField,
  itemRefField,
  listInput,
  listOutput,
  openObject,
  verboseField,
} from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { listItems } from "../mcp/listing.ts";
import type { Session } from "../sessions/store.ts";
import { TaigaError } from "../taiga/errors.ts";
import { changeLines, type PeopleNames } from "./history_changes.ts";
import { manageComment } from "./history_comments.ts";
import {
  findComment,
  projectPeople,
  resolveTarget,
  type Target,
  targetKindField,
  targetSchema,
} from "./history_target.ts";
import { myWorkTools } from "./my_work.ts";
import { timelineTools } from "./timeline.ts";

type Raw = Record<string, unknown>;

function userOf(entry: Raw): Raw | undefined {
  const user = entry.user;
  return user && typeof user === "object" ? user as Raw : undefined;
}

/** A history entry in a few fields: who, when, the changed fields, the comment and its state. */
export function compactEntry(entry: Raw, people: PeopleNames): Record<string, unknown> {
  const user = userOf(entry);
  const pk = typeof user?.pk === "number" ? user.pk : undefined;
  const changes = changeLines(entry.values_diff, entry.diff, people);
  const text = typeof entry.comment === "string" ? entry.comment : "";
  const deleter = entry.delete_comment_user as Raw | null | undefined;
  const deleterId = typeof deleter?.pk === "number" ? deleter.pk : undefined;
  const out: Record<string, unknown> = {
    at: entry.created_at,
    by: (pk === undefined ? undefined : people.byId?.(pk)) ?? user?.username ?? user?.name ?? null,
  };
  if (changes.length > 0) out.changes = changes;
  if (text !== "") {
    out.comment_id = entry.id;
    // Taiga keeps a deleted comment's text; its own UI hides it, and so do we (verbose shows it).
    if (entry.delete_comment_date) {
      out.deleted = {
        at: entry.delete_comment_date,
        by: (deleterId === undefined ? undefined : people.byId?.(deleterId)) ?? deleter?.name ??
          null,
      };
    } else out.comment = text;
    if (entry.edit_comment_date) out.edited = entry.edit_comment_date;
  }
  return out;
}

/** The earlier texts of an edited comment, oldest first (each dated like the comment itself). */
async function commentVersions(
  session: Session,
  ctx: RequestContext,
  target: Target,
  entry: Raw,
): Promise<Array<{ text: string; by?: string }>> {
  // A never-edited comment's versions are an empty 200, which is no JSON: do not ask.
  if (!entry.edit_comment_date) return [];
  try {
    const versions = await session.client.request<Raw[] | null>(
      "GET",
      `${target.path}/comment_versions`,
      { query: { id: String(entry.id) }, signal: ctx.signal },
    );
    return (Array.isArray(versions.data) ? versions.data : []).map((version) => {
      const user = version.user as Raw | undefined;
      return {
        text: String(version.comment ?? ""),
        ...(typeof user?.username === "string" ? { by: user.username } : {}),
      };
    });
  } catch (error) {
    if (error instanceof TaigaError && error.type === "permission") {
      throw new TaigaError(
        "permission",
        `Only the comment's author or a project admin can see its earlier versions (${target.label}).`,
        { status: error.status },
      );
    }
    throw error;
  }
}

const getItemHistory = defineTool({
  name: "get_item_history",
  title: "Item history with diffs",
  description:
    'What changed on a story, task, issue, epic or wiki page, newest first: who, when, field old → new, comments (creation is not listed). E.g. {"kind":"issue","project":"jane-website","item":"#7"}.',
  toolset: "history",
  readOnly: true,
  input: () => ({
    kind: targetKindField(),
    item: itemRefField().describe('"#ref" (with project), id or URL; a wiki page: slug or id'),
    project: itemProjectField(),
    only: z.enum(["changes", "comments"]).optional().describe(
      "Only field changes, or only comments (default both)",
    ),
    comment_id: z.string().trim().min(1).max(100).optional().describe(
      "Just this comment, with its earlier versions if edited",
    ),
    verbose: verboseField(),
    ...listInput(),
  }),
  output: () => ({
    item: targetSchema(),
    entries: z.array(openObject()).describe(
      "{at, by, changes?, comment?, comment_id?, edited?, deleted?, versions?}",
    ),
    ...listOutput(),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const target = await resolveTarget(session, ctx, args.kind, args.item, args.project);
    const people = projectPeople(target.meta);
    const shape = (entry: Raw) => args.verbose ? entry : compactEntry(entry, people);
    if (args.comment_id !== undefined) {
      const entry = await findComment(session, ctx, target, args.comment_id);
      const versions = await commentVersions(session, ctx, target, entry);
      return {
        item: target.summary,
        entries: [{ ...shape(entry), versions }],
        total: 1,
        returned: 1,
        page: 1,
        has_more: false,
      };
    }
    const type = args.only === "changes" ? "activity" : args.only === "comments" ? "comment" : "";
    const listed = await listItems<Raw>(
      session.client,
      target.path,
      { type: type || undefined },
      args,
      ctx,
    );
    return { item: target.summary, entries: listed.items.map(shape), ...listed.paging };
  },
});

/** The tools of this toolset. */
export const historyTools: readonly AnyTool[] = [
  getItemHistory,
  manageComment,
  ...timelineTools,
  ...myWorkTools,
];
