/**
 * Deleting a work item: Taiga has no undo, so the person is asked first, told what goes with it
 * (a story's tasks, the comments).
 * @module
 */

import { z } from "zod";
import { confirmField, itemArg, itemProjectField } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { Session } from "../sessions/store.ts";
import { shortValue } from "../taiga/errors.ts";
import type { KindInfo } from "../taiga/kinds.ts";
import { fetchPage } from "../taiga/pagination.ts";
import { fetchItem } from "../taiga/reads.ts";
import type { RawItem } from "../taiga/types.ts";

/** What deleting `raw` loses, counted, for the person to confirm. */
async function deleteQuestion(
  session: Session,
  info: KindInfo,
  raw: RawItem,
  signal: AbortSignal,
): Promise<string> {
  const lost: string[] = [];
  if (info.kind === "userstory") {
    const tasks = await fetchPage(session.client, "tasks", { user_story: raw.id }, {
      page: 1,
      pageSize: 1,
      signal,
    });
    if (tasks.total > 0) lost.push(`its ${tasks.total} task(s)`);
  }
  const comments = Number(raw.total_comments ?? 0);
  if (comments > 0) lost.push(`${comments} comment(s)`);
  const project = (raw.project_extra_info as { slug?: string } | undefined)?.slug ?? raw.project;
  return `Delete ${info.label} #${raw.ref} "${shortValue(raw.subject)}" of project ${project}${
    lost.length > 0 ? ` with ${lost.join(" and ")}` : ""
  }? Taiga has no undo.`;
}

/** The delete tool of one kind: asks the person first, naming what goes with the item. */
export function deleteTool(info: KindInfo): AnyTool {
  return defineTool({
    name: `delete_${info.one}`,
    title: `Delete a ${info.label}`,
    description:
      `Delete a ${info.label} for good (no undo); the person is asked first. E.g. {"project":"jane-website","item":"#12"}.`,
    toolset: info.toolset,
    readOnly: false,
    input: () => ({ item: itemArg(info), project: itemProjectField(), confirm: confirmField() }),
    output: () => ({
      deleted: z.boolean(),
      id: z.number(),
      ref: z.number(),
      subject: z.string(),
    }),
    annotations: { destructiveHint: true, idempotentHint: true },
    handler: async (args, ctx) => {
      const session = await ctx.session();
      const raw = await fetchItem(session.client, info.kind, args.project, args.item, ctx.signal);
      await ctx.confirm(await deleteQuestion(session, info, raw, ctx.signal), args.confirm);
      await session.client.delete(`${info.path}/${raw.id}`, undefined, ctx.signal);
      return { deleted: true, id: raw.id, ref: raw.ref, subject: String(raw.subject) };
    },
  });
}
