/**
 * One attachment's settings and its end: update_attachment (description, deprecated flag) and
 * delete_attachment (asked first, naming what the file hangs on); download_attachment is in
 * attachment_download.ts.
 * @module
 */

import { z } from "zod";
import {
  type AttachmentKind,
  attachmentLabel,
  attachmentNotFound,
  attachmentsPath,
  ownerPath,
  readAttachmentRecord,
} from "../domain/attachments.ts";
import { confirmField } from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { Session } from "../sessions/store.ts";
import { InputError, readOrNotFound, shortValue, TaigaError } from "../taiga/errors.ts";
import { attachmentInput, downloadAttachment, fileSchema, kb } from "./attachment_download.ts";
import { compactAttachment } from "./attachments.ts";

type Raw = Record<string, unknown>;

function attachmentPath(kind: AttachmentKind, id: number): string {
  return `${attachmentsPath(kind)}/${id}`;
}

/** What the attachment `raw` hangs on, in words: 'user story #12 "Login page"', for a question. */
async function ownerInWords(ctx: RequestContext, session: Session, kind: AttachmentKind, raw: Raw) {
  try {
    const owner = await session.client.get<Raw>(
      `${ownerPath(kind)}/${raw.object_id}`,
      undefined,
      ctx.signal,
    );
    return kind === "wiki"
      ? `wiki page "${owner.slug}"`
      : `${attachmentLabel(kind)} #${owner.ref} "${shortValue(owner.subject)}"`;
  } catch (error) {
    if (error instanceof TaigaError && error.type === "not_found") {
      return `${attachmentLabel(kind)} id ${raw.object_id}`;
    }
    throw error;
  }
}

const updateAttachment = defineTool({
  name: "update_attachment",
  title: "Update an attachment",
  description:
    'Change an attachment\'s description, or mark it deprecated (outdated, kept for reference). E.g. {"kind":"user_story","attachment_id":42,"deprecated":true}.',
  toolset: "attachments",
  readOnly: false,
  annotations: { idempotentHint: true },
  input: () => ({
    ...attachmentInput(),
    description: z.string().max(5_000).optional(),
    deprecated: z.boolean().optional(),
  }),
  output: () => ({ attachment: fileSchema() }),
  handler: async (args, ctx) => {
    const changes: Raw = {};
    if (args.description !== undefined) changes.description = args.description;
    if (args.deprecated !== undefined) changes.is_deprecated = args.deprecated;
    if (Object.keys(changes).length === 0) {
      throw new InputError("Nothing to change: pass description or deprecated.");
    }
    const session = await ctx.session();
    const path = attachmentPath(args.kind, args.attachment_id);
    const updated = await readOrNotFound(
      () => session.client.patch<Raw>(path, changes, ctx.signal),
      attachmentNotFound(args.kind, args.attachment_id),
    );
    return { attachment: compactAttachment(updated) };
  },
});

const deleteAttachment = defineTool({
  name: "delete_attachment",
  title: "Delete an attachment",
  description:
    'Delete one attached file for good; the person is asked first. E.g. {"kind":"task","attachment_id":42}.',
  toolset: "attachments",
  readOnly: false,
  input: () => ({ ...attachmentInput(), confirm: confirmField() }),
  output: () => ({ deleted: z.boolean(), attachment: fileSchema() }),
  annotations: { destructiveHint: true, idempotentHint: true },
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const raw = await readAttachmentRecord(session, args.kind, args.attachment_id, ctx.signal);
    const attachment = compactAttachment(raw);
    const owner = await ownerInWords(ctx, session, args.kind, raw);
    await ctx.confirm(
      `Delete the file "${attachment.name}" (${
        kb(attachment.size)
      }) attached to ${owner}? Taiga has no undo.`,
      args.confirm,
    );
    await session.client.delete(
      attachmentPath(args.kind, args.attachment_id),
      undefined,
      ctx.signal,
    );
    return { deleted: true, attachment };
  },
});

/** Download, update and delete tools of the `attachments` toolset (beside attachments.ts). */
export const attachmentFileTools: readonly AnyTool[] = [
  downloadAttachment,
  updateAttachment,
  deleteAttachment,
];
