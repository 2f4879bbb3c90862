/**
 * An attachment's file and its settings: download_attachment (text up to 100 KB and images up
 * to 1 MB come back inline, anything else as its url with the reason; how the file is read
 * safely is in attachment_fetch.ts) and update_attachment (description, deprecated flag).
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import { confirmField } from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { Session } from "../sessions/store.ts";
import { InputError, readOrNotFound, shortValue, TaigaError } from "../taiga/errors.ts";
import { kindOfArg } from "../taiga/kinds.ts";
import { checkedFileUrl, fetchAttachmentFile } from "./attachment_fetch.ts";
import { attachmentKindField, attachmentsPath, compactAttachment, labelOf } from "./attachments.ts";

type Raw = Record<string, unknown>;
type Kind = z.infer<ReturnType<typeof attachmentKindField>>;

/** Largest text file returned inline (bytes). */
export const TEXT_INLINE_BYTES = 100 * 1024;

/** Largest image returned inline (bytes). */
export const IMAGE_INLINE_BYTES = 1024 * 1024;

type Category = "text" | "image" | "binary" | "unknown";

const IMAGE_TYPES = new Set(["image/png", "image/jpeg", "image/gif", "image/webp"]);
const TEXT_TYPE =
  /^(text\/|application\/(json|xml|csv|yaml|x-yaml|x-ndjson|javascript|sql|[\w.-]+\+(json|xml))$)/;

const BY_EXTENSION: Readonly<Record<string, string>> = {
  txt: "text/plain",
  log: "text/plain",
  md: "text/markdown",
  markdown: "text/markdown",
  csv: "text/csv",
  tsv: "text/tab-separated-values",
  json: "application/json",
  xml: "application/xml",
  yaml: "application/yaml",
  yml: "application/yaml",
  html: "text/html",
  svg: "image/svg+xml",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  webp: "image/webp",
};

function categoryOf(mime: string): Category {
  if (mime === "") return "unknown";
  if (IMAGE_TYPES.has(mime)) return "image";
  if (TEXT_TYPE.test(mime) || mime === "image/svg+xml") return "text";
  return mime === "application/octet-stream" ? "unknown" : "binary";
}

function guessMime(name: string): string {
  const ext = name.includes(".") ? name.split(".").pop()!.toLowerCase() : "";
  return BY_EXTENSION[ext] ?? "";
}

function kb(bytes: number): string {
  return bytes >= 1024 * 1024
    ? `${Number((bytes / 1024 / 1024).toFixed(1))} MB`
    : `${Math.ceil(bytes / 1024)} KB`;
}

function capOf(category: Category): number {
  return category === "image" ? IMAGE_INLINE_BYTES : TEXT_INLINE_BYTES;
}

function attachmentPath(kind: Kind, id: number): string {
  return `${attachmentsPath(kind)}/${id}`;
}

function notFoundMessage(kind: Kind, id: number): string {
  return `There is no ${
    labelOf(kind)
  } attachment with id ${id}. Use list_attachments to find it (and check kind).`;
}

/** What the attachment `raw` hangs on, in words: 'user story #12 "Login page"', for a question. */
async function ownerInWords(ctx: RequestContext, session: Session, kind: Kind, raw: Raw) {
  const path = kind === "wiki" ? "wiki" : kindOfArg(kind).path;
  try {
    const owner = await session.client.get<Raw>(`${path}/${raw.object_id}`, undefined, ctx.signal);
    return kind === "wiki"
      ? `wiki page "${owner.slug}"`
      : `${labelOf(kind)} #${owner.ref} "${shortValue(owner.subject)}"`;
  } catch (error) {
    if (error instanceof TaigaError && error.type === "not_found") {
      return `${labelOf(kind)} id ${raw.object_id}`;
    }
    throw error;
  }
}

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (let at = 0; at < bytes.length; at += 0x8000) {
    binary += String.fromCharCode(...bytes.subarray(at, at + 0x8000));
  }
  return btoa(binary);
}

const attachmentInput = lazy(() => ({
  kind: attachmentKindField(),
  attachment_id: z.number().int().positive().describe("From list_attachments"),
}));

const fileSchema = lazy(() =>
  z.looseObject({ id: z.number(), name: z.string(), size: z.number() })
);

async function readAttachment(ctx: RequestContext, session: Session, kind: Kind, id: number) {
  return await readOrNotFound(
    () => session.client.get<Raw>(attachmentPath(kind, id), undefined, ctx.signal),
    notFoundMessage(kind, id),
  );
}

const downloadAttachment = defineTool({
  name: "download_attachment",
  title: "Download an attachment",
  description: `Read an attached file: text up to ${
    kb(TEXT_INLINE_BYTES)
  } comes back as text, images up to ${
    kb(IMAGE_INLINE_BYTES)
  } as base64; other files as their url with the reason. E.g. {"kind":"issue","attachment_id":42}.`,
  toolset: "attachments",
  readOnly: true,
  input: () => attachmentInput(),
  output: () => ({
    attachment: fileSchema(),
    mime_type: z.string(),
    inline: z.enum(["text", "image", "none"]),
    text: z.string().optional(),
    data_base64: z.string().optional().describe("The image's bytes"),
    reason: z.string().optional().describe("Why it is not inline"),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const raw = await readAttachment(ctx, session, args.kind, args.attachment_id);
    const attachment = compactAttachment(raw);
    const url = checkedFileUrl(String(raw.url ?? ""), session.client.apiUrl);
    const guessed = guessMime(attachment.name);
    const none = (mime: string, reason: string) => ({
      attachment,
      mime_type: mime || "application/octet-stream",
      inline: "none" as const,
      reason: `${reason} Download it from attachment.url.`,
    });
    const tooLarge = (mime: string, category: Category) =>
      none(
        mime,
        `Too large to return inline: ${kb(attachment.size)} (${attachment.size} bytes); ${
          category === "image" ? "images" : "text"
        } come back up to ${kb(capOf(category))}.`,
      );
    const binary = (mime: string) =>
      none(mime, `A binary file (${mime || "unknown type"}, ${kb(attachment.size)}).`);
    const expected = categoryOf(guessed);
    if (expected !== "unknown" && attachment.size > capOf(expected)) {
      return tooLarge(guessed, expected);
    }
    // The served type decides: what turns out binary is not read at all.
    const categoryFor = (served: string) => {
      const category = categoryOf(served);
      return category === "unknown" ? expected : category;
    };
    const fetched = await fetchAttachmentFile(ctx, session.client.apiUrl, url, (served) => {
      const category = categoryFor(served);
      return category === "binary" ? 0 : capOf(category);
    });
    const category = categoryFor(fetched.mime);
    const mime = categoryOf(fetched.mime) === "unknown" ? guessed : fetched.mime;
    if (category === "binary") return binary(mime);
    if (!fetched.bytes) return tooLarge(mime, category);
    if (category === "image") {
      const data = toBase64(fetched.bytes);
      return { attachment, mime_type: mime, inline: "image" as const, data_base64: data };
    }
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(fetched.bytes);
    } catch {
      return binary(mime);
    }
    return { attachment, mime_type: mime || "text/plain", inline: "text" as const, text };
  },
});

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
      notFoundMessage(args.kind, args.attachment_id),
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
    const raw = await readAttachment(ctx, session, args.kind, args.attachment_id);
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
