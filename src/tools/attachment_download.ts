/**
 * download_attachment: text up to 100 KB comes back as text, images up to 1 MB as an image block,
 * anything else as a link to the attachment file resource (taiga://attachments/{kind}/{id}, up to
 * 10 MB) with the reason. The file is read safely by domain/attachment_file.ts.
 * @module
 */

import { Buffer } from "node:buffer";
import { z } from "zod";
import { checkedFileUrl, fetchAttachmentFile } from "../domain/attachment_file.ts";
import {
  attachmentFileUri,
  MAX_ATTACHMENT_BYTES,
  readAttachmentRecord,
} from "../domain/attachments.ts";
import { lazy } from "../domain/lazy.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { attachmentKindField, compactAttachment } from "./attachments.ts";

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

/** A size in words: "70 bytes", "12 KB", "1.5 MB". */
export function kb(bytes: number): string {
  if (bytes < 1024) return `${bytes} byte${bytes === 1 ? "" : "s"}`;
  return bytes >= 1024 * 1024
    ? `${Number((bytes / 1024 / 1024).toFixed(1))} MB`
    : `${Math.ceil(bytes / 1024)} KB`;
}

const startsWith = (bytes: Uint8Array, ...head: number[]) => head.every((b, i) => bytes[i] === b);

/** The image type the bytes really are (clients and model APIs reject a mislabelled image). */
function imageTypeOf(bytes: Uint8Array): string | undefined {
  if (startsWith(bytes, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return "image/png";
  if (startsWith(bytes, 0xff, 0xd8, 0xff)) return "image/jpeg";
  if (startsWith(bytes, 0x47, 0x49, 0x46, 0x38)) return "image/gif";
  const riff = startsWith(bytes, 0x52, 0x49, 0x46, 0x46);
  if (riff && String.fromCharCode(...bytes.subarray(8, 12)) === "WEBP") return "image/webp";
  return undefined;
}

/** Control characters no text file holds (tab, line breaks, form feed and ESC of logs excepted). */
// deno-lint-ignore no-control-regex
const BINARY_CONTROL = /[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]/;

function capOf(category: Category): number {
  return category === "image" ? IMAGE_INLINE_BYTES : TEXT_INLINE_BYTES;
}

/** The input of the tools on one attachment: its kind and id. */
export const attachmentInput = lazy(() => ({
  kind: attachmentKindField(),
  attachment_id: z.number().int().positive().describe("From list_attachments"),
}));

/** One attachment in the output of these tools. */
export const fileSchema = lazy(() =>
  z.looseObject({ id: z.number(), name: z.string(), size: z.number() })
);

/** download_attachment. */
export const downloadAttachment: AnyTool = defineTool({
  name: "download_attachment",
  title: "Download an attachment",
  description: `Read an attached file: text up to ${
    kb(TEXT_INLINE_BYTES)
  } comes back as text, images up to ${
    kb(IMAGE_INLINE_BYTES)
  } as an image; other files as a resource to read (up to ${
    kb(MAX_ATTACHMENT_BYTES)
  }) and their url. E.g. {"kind":"issue","attachment_id":42}.`,
  toolset: "attachments",
  readOnly: true,
  input: () => attachmentInput(),
  output: () => ({
    attachment: fileSchema(),
    mime_type: z.string(),
    inline: z.enum(["text", "image", "none"]),
    text: z.string().optional(),
    resource: z.string().optional().describe("The file as a resource (resources/read)"),
    reason: z.string().optional().describe("Why it is not inline"),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const raw = await readAttachmentRecord(session, args.kind, args.attachment_id, ctx.signal);
    const attachment = compactAttachment(raw);
    const url = checkedFileUrl(String(raw.url ?? ""), session.client.apiUrl);
    const guessed = guessMime(attachment.name);
    const none = (mime: string, reason: string) => {
      const type = mime || "application/octet-stream";
      const resource = attachmentFileUri(args.kind, attachment.id);
      const readable = attachment.size <= MAX_ATTACHMENT_BYTES;
      if (readable) {
        ctx.attach({
          type: "resource_link",
          uri: resource,
          name: attachment.name,
          mimeType: type,
          size: attachment.size,
        });
      }
      return {
        attachment,
        mime_type: type,
        inline: "none" as const,
        ...(readable ? { resource } : {}),
        reason: `${reason} ${
          readable ? "Read it as the resource, or download it" : "Download it"
        } from attachment.url.`,
      };
    };
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
    const fetched = await fetchAttachmentFile(
      ctx.deps.policy,
      session.client.apiUrl,
      url,
      (served) => {
        const category = categoryFor(served);
        return category === "binary" ? 0 : capOf(category);
      },
      ctx.signal,
    );
    const category = categoryFor(fetched.mime);
    const mime = categoryOf(fetched.mime) === "unknown" ? guessed : fetched.mime;
    if (category === "binary") return binary(mime);
    if (!fetched.bytes) return tooLarge(mime, category);
    if (category === "image") {
      const real = imageTypeOf(fetched.bytes);
      if (!real) {
        return none(
          mime,
          `Named or served as ${mime}, but its bytes are not a PNG, JPEG, GIF or WebP image.`,
        );
      }
      // The image goes to the client as an image block, not again inside the JSON.
      ctx.attach({
        type: "image",
        data: Buffer.from(fetched.bytes).toString("base64"),
        mimeType: real,
      });
      return { attachment, mime_type: real, inline: "image" as const };
    }
    let text: string;
    try {
      text = new TextDecoder("utf-8", { fatal: true }).decode(fetched.bytes);
    } catch {
      return binary(mime);
    }
    if (BINARY_CONTROL.test(text)) return binary(mime);
    return { attachment, mime_type: mime || "text/plain", inline: "text" as const, text };
  },
});
