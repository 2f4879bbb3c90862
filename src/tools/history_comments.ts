/**
 * manage_comment: edit, delete or undelete (restore) one comment of an item's history —
 * `POST /history/{kind}/{id}/{edit|delete|undelete}_comment?id=<entry>`. Taiga lets the author
 * or a project admin edit and delete, and whoever deleted it or an admin undelete; that is
 * checked before anything is asked or sent, and a refusal of Taiga's says the same rule.
 * Doing what is already done (deleting a deleted comment) changes nothing and says so.
 * @module
 */

import { z } from "zod";
import { confirmField, itemProjectField, itemRefField } from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { Session } from "../sessions/store.ts";
import { InputError, TaigaError } from "../taiga/errors.ts";
import { fetchProject } from "../taiga/reads.ts";
import type { PeopleNames } from "./history_changes.ts";
import {
  findComment,
  projectPeople,
  resolveTarget,
  type Target,
  targetKindField,
  targetSchema,
} from "./history_target.ts";

type Raw = Record<string, unknown>;

/** Longest comment text sent (as add_comment). */
const MAX_TEXT = 100_000;
/** Characters of a comment quoted in the confirmation question. */
const QUOTED = 60;

type Action = "edit" | "delete" | "undelete";

function idOf(person: unknown): number | undefined {
  const pk = (person as Raw | null | undefined)?.pk;
  return typeof pk === "number" ? pk : undefined;
}

function who(person: unknown, people: PeopleNames): string {
  const id = idOf(person);
  const raw = person as Raw | null | undefined;
  return (id === undefined ? undefined : people.byId?.(id)) ??
    String(raw?.username ?? raw?.name ?? "someone");
}

/** Who may do `action` to `entry`, in words, and whether the session is one of them. */
async function allowed(
  session: Session,
  ctx: RequestContext,
  target: Target,
  entry: Raw,
  action: Action,
): Promise<{ ok: boolean; rule: string }> {
  const people = projectPeople(target.meta);
  const rule = action === "undelete"
    ? `Only whoever deleted it (${
      who(entry.delete_comment_user, people)
    }) or a project admin may undelete this comment`
    : `Only its author (${who(entry.user, people)}) or a project admin may ${action} this comment`;
  const owner = action === "undelete" ? idOf(entry.delete_comment_user) : idOf(entry.user);
  if (owner === session.user.id) return { ok: true, rule };
  const project = await fetchProject(session.client, target.meta.id, ctx.signal);
  return { ok: project.i_am_admin === true, rule };
}

/** Whether the action would change anything (false: already so); throws when it cannot run. */
function check(entry: Raw, action: Action, text: string | undefined): boolean {
  const deleted = Boolean(entry.delete_comment_date);
  if (action === "edit") {
    if (text === undefined) {
      throw new InputError('Pass the new text: action "edit" needs "text".', { argument: "text" });
    }
    if (deleted) {
      throw new InputError(
        'This comment is deleted, and Taiga cannot edit a deleted comment: undelete it first (action "undelete").',
        { argument: "action" },
      );
    }
    return entry.comment !== text;
  }
  if (text !== undefined) {
    throw new InputError(`"text" is only for action "edit"; leave it out to ${action}.`, {
      argument: "text",
    });
  }
  return action === "delete" ? !deleted : deleted;
}

function quoted(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > QUOTED ? `${line.slice(0, QUOTED)}…` : line;
}

/** manage_comment (exported through historyTools). */
export const manageComment: AnyTool = defineTool({
  name: "manage_comment",
  title: "Edit, delete or restore a comment",
  description:
    'Edit, delete or undelete a comment (ids from get_item_history); only its author or a project admin may. E.g. {"kind":"issue","project":"jane-website","item":"#7","comment_id":"…","action":"edit","text":"Fixed"}.',
  toolset: "history",
  readOnly: false,
  annotations: { destructiveHint: true, idempotentHint: true },
  input: () => ({
    kind: targetKindField(),
    item: itemRefField().describe('"#ref" (with project), id or URL; a wiki page: slug or id'),
    project: itemProjectField(),
    comment_id: z.string().trim().min(1).max(100),
    action: z.enum(["edit", "delete", "undelete"]),
    text: z.string().trim().min(1, "text must not be empty").max(MAX_TEXT).optional().describe(
      "New text (Markdown), for edit",
    ),
    confirm: confirmField(),
  }),
  output: () => ({
    item: targetSchema(),
    action: z.string(),
    changed: z.boolean().describe("False when it was already so (nothing sent)"),
    comment: z.object({
      comment_id: z.string(),
      by: z.string(),
      at: z.string(),
      text: z.string().optional().describe("Its text now (not for a deleted comment)"),
      previous_text: z.string().optional(),
      deleted: z.boolean(),
    }),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const target = await resolveTarget(session, ctx, args.kind, args.item, args.project);
    const entry = await findComment(session, ctx, target, args.comment_id);
    const changes = check(entry, args.action, args.text);
    const people = projectPeople(target.meta);
    const before = String(entry.comment ?? "");
    const result = (changed: boolean) => {
      const deleted = args.action === "delete";
      const text = args.action === "edit" ? args.text : before;
      return {
        item: target.summary,
        action: args.action,
        changed,
        comment: {
          comment_id: String(entry.id),
          by: who(entry.user, people),
          at: String(entry.created_at),
          ...(deleted ? {} : { text }),
          ...(args.action === "edit" && changed ? { previous_text: before } : {}),
          deleted,
        },
      };
    };
    // A comment that is not deleted has no deleter to ask about: nothing to do, for anyone.
    if (!changes && args.action === "undelete") return result(false);
    const permit = await allowed(session, ctx, target, entry, args.action);
    if (!permit.ok) {
      throw new TaigaError(
        "permission",
        `${permit.rule}; you are ${session.user.username}. Nothing was changed.`,
        { status: 403 },
      );
    }
    if (!changes) return result(false);
    if (args.action === "delete") {
      await ctx.confirm(
        `Delete ${who(entry.user, people)}'s comment of ${
          String(entry.created_at).slice(0, 10)
        } on ${target.label} ("${quoted(before)}")? An admin or you can undelete it later.`,
        args.confirm,
      );
    }
    try {
      await session.client.request<null>(
        "POST",
        `${target.path}/${args.action}_comment`,
        {
          query: { id: String(entry.id) },
          body: args.action === "edit" ? { comment: args.text } : undefined,
          signal: ctx.signal,
        },
      );
    } catch (error) {
      if (error instanceof TaigaError && error.type === "permission" && error.status === 403) {
        throw new TaigaError("permission", `Taiga refused: ${permit.rule}.`, {
          status: 403,
          details: error.details,
        });
      }
      throw error;
    }
    return result(true);
  },
});
