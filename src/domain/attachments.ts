/**
 * What attachments hang on (an item kind, or a wiki page) and reading one attachment's record:
 * the knowledge the attachment tools and the attachment resource share.
 * @module
 */

import type { Session } from "../sessions/store.ts";
import { readOrNotFound } from "../taiga/errors.ts";
import { KIND_ARGS, kindOfArg } from "../taiga/kinds.ts";

/** Largest file uploaded or read whole (add_attachment, the attachment file resource). */
export const MAX_ATTACHMENT_BYTES = 10 * 1024 * 1024;

/** The resource URI of attachment `id`'s file (see src/resources/attachment_file.ts). */
export function attachmentFileUri(kind: AttachmentKind, id: number): string {
  return `taiga://attachments/${kind}/${id}`;
}

/** What an attachment can hang on: an item kind (as the `kind` argument names it) or "wiki". */
export const ATTACHMENT_KINDS = [...KIND_ARGS, "wiki"] as const;

/** One of {@link ATTACHMENT_KINDS}. */
export type AttachmentKind = typeof ATTACHMENT_KINDS[number];

/** Whether `value` names an attachment kind. */
export function isAttachmentKind(value: string): value is AttachmentKind {
  return (ATTACHMENT_KINDS as readonly string[]).includes(value);
}

/** The API path of what attachments of `kind` hang on ("userstories", "wiki"). */
export function ownerPath(kind: AttachmentKind): string {
  return kind === "wiki" ? "wiki" : kindOfArg(kind).path;
}

/** The `…/attachments` collection path of a kind. */
export function attachmentsPath(kind: AttachmentKind): string {
  return `${ownerPath(kind)}/attachments`;
}

/** What an attachment of `kind` hangs on, in words ("user story", "wiki page"). */
export function attachmentLabel(kind: AttachmentKind): string {
  return kind === "wiki" ? "wiki page" : kindOfArg(kind).label;
}

/** The not-found message of attachment `id` of `kind`, saying how to find it. */
export function attachmentNotFound(kind: AttachmentKind, id: number): string {
  return `There is no ${
    attachmentLabel(kind)
  } attachment with id ${id}. Use list_attachments to find it (and check kind).`;
}

/** Taiga's record of attachment `id` of `kind`, or a not-found error saying how to find it. */
export async function readAttachmentRecord(
  session: Session,
  kind: AttachmentKind,
  id: number,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  return await readOrNotFound(
    () =>
      session.client.get<Record<string, unknown>>(
        `${attachmentsPath(kind)}/${id}`,
        undefined,
        signal,
      ),
    attachmentNotFound(kind, id),
  );
}
