/**
 * `taiga://attachments/{kind}/{id}`: an attachment's file, whole, up to 10 MB — what
 * download_attachment links to when a file is too big or too binary to inline. Read only from
 * the Taiga host of the session (see domain/attachment_file.ts), kept in memory, never on disk.
 * @module
 */

import { checkedFileUrl, fetchAttachmentFile } from "../domain/attachment_file.ts";
import {
  ATTACHMENT_KINDS,
  attachmentLabel,
  isAttachmentKind,
  MAX_ATTACHMENT_BYTES,
  readAttachmentRecord,
} from "../domain/attachments.ts";
import { defineResource, type ResourceDefinition, ResourceFile } from "../mcp/define.ts";
import { InputError, TaigaError } from "../taiga/errors.ts";

/** The attachment file resource template. */
export const attachmentFileResource: ResourceDefinition = defineResource({
  name: "attachment_file",
  uri: "taiga://attachments/{kind}/{id}",
  title: "Attachment file",
  description: `An attachment's file, up to ${MAX_ATTACHMENT_BYTES / 1024 / 1024} MB: kind is ${
    ATTACHMENT_KINDS.join(", ")
  }; id from list_attachments.`,
  mimeType: "application/octet-stream",
  read: async (vars, ctx) => {
    if (!isAttachmentKind(vars.kind)) {
      throw new InputError(
        `Unknown attachment kind "${vars.kind}". Valid: ${ATTACHMENT_KINDS.join(", ")}.`,
        { argument: "kind", valid: [...ATTACHMENT_KINDS] },
      );
    }
    const id = Number(vars.id);
    if (!/^\d{1,12}$/.test(vars.id) || id <= 0) {
      throw new InputError(`The attachment id must be a positive number, not "${vars.id}".`, {
        argument: "id",
      });
    }
    const session = await ctx.session();
    const raw = await readAttachmentRecord(session, vars.kind, id, ctx.signal);
    const url = checkedFileUrl(String(raw.url ?? ""), session.client.apiUrl);
    const fetched = await fetchAttachmentFile(
      ctx.deps.policy,
      session.client.apiUrl,
      url,
      () => MAX_ATTACHMENT_BYTES,
      ctx.signal,
    );
    if (!fetched.bytes) {
      throw new TaigaError(
        "validation",
        `The file of ${attachmentLabel(vars.kind)} attachment ${id} is larger than ${
          MAX_ATTACHMENT_BYTES / 1024 / 1024
        } MB: download it from its url (${url.href}).`,
      );
    }
    return new ResourceFile(fetched.mime || "application/octet-stream", fetched.bytes);
  },
});
