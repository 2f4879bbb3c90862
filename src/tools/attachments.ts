/**
 * Attachments of user stories, tasks, issues, epics and wiki pages: list_attachments,
 * add_attachment (base64 content → a multipart upload, validated and size-checked before anything
 * is sent); reading, updating and deleting one attachment are in attachment_files.ts.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { InputError } from "../taiga/errors.ts";
import { fetchWikiPage } from "../domain/refs.ts";
import { itemProjectField, itemRefField } from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { Session } from "../sessions/store.ts";
import { fetchAll } from "../taiga/pagination.ts";
import { fetchItem } from "../taiga/reads.ts";
import { kindOfArg } from "../taiga/kinds.ts";
import {
  ATTACHMENT_KINDS,
  type AttachmentKind,
  attachmentsPath,
  MAX_ATTACHMENT_BYTES,
} from "../domain/attachments.ts";
import { z } from "zod";

type Raw = Record<string, unknown>;

/** Toolset of the attachment tools (not in the default selection). */
export const ATTACHMENTS_TOOLSET = "attachments";

/** Largest file add_attachment uploads (decoded bytes). */
export { MAX_ATTACHMENT_BYTES };

/** Longest `content_base64` accepted: 10 MB in base64 plus room for line breaks. */
const MAX_BASE64_CHARS = 15_000_000;

/** Most attachments listed for one object. */
const MAX_LISTED = 1_000;

/** The `kind` argument of the attachment tools: an item kind or "wiki". */
export const attachmentKindField: () => z.ZodEnum<
  { [K in typeof ATTACHMENT_KINDS[number]]: K }
> = lazy(() =>
  z.enum(ATTACHMENT_KINDS).describe(
    'What the file hangs on: "user_story", "task", "issue", "epic" or "wiki" (a wiki page)',
  )
);

const targetInput = lazy(() => ({
  kind: attachmentKindField(),
  item: itemRefField().describe(
    'The item: "#ref" with project (e.g. "#12"), id, or Taiga URL; for kind "wiki", the page slug (e.g. "home", with project) or page id',
  ),
  project: itemProjectField(),
}));

const targetSchema = lazy(() =>
  z.object({
    kind: z.string(),
    id: z.number(),
    ref: z.number().optional(),
    subject: z.string().optional(),
    slug: z.string().optional(),
  })
);

const attachmentSchema = lazy(() =>
  z.object({
    id: z.number(),
    name: z.string(),
    size: z.number().describe("Bytes"),
    url: z.string().describe("Where the file can be downloaded"),
    description: z.string(),
    created: z.string().nullable(),
    deprecated: z.boolean().optional(),
  })
);

/** What an attachment hangs on: its API path, ids and a summary for the output. */
interface Target {
  path: string;
  objectId: number;
  projectId: number;
  summary: z.infer<ReturnType<typeof targetSchema>>;
}

/** A Taiga attachment as one compact record. */
export function compactAttachment(raw: Raw): z.infer<ReturnType<typeof attachmentSchema>> {
  return {
    id: Number(raw.id),
    name: String(raw.name ?? ""),
    size: Number(raw.size ?? 0),
    url: String(raw.url ?? ""),
    description: String(raw.description ?? ""),
    created: typeof raw.created_date === "string" ? raw.created_date : null,
    ...(raw.is_deprecated === true ? { deprecated: true } : {}),
  };
}

async function wikiTarget(
  ctx: RequestContext,
  session: Session,
  page: string | number,
  project: string | number | undefined,
): Promise<Raw> {
  return await fetchWikiPage(session, ctx, page, project);
}

async function resolveTarget(
  ctx: RequestContext,
  session: Session,
  args: { kind: AttachmentKind; item: string | number; project?: string | number },
): Promise<Target> {
  const path = attachmentsPath(args.kind);
  if (args.kind === "wiki") {
    const page = await wikiTarget(ctx, session, args.item, args.project);
    return {
      path,
      objectId: Number(page.id),
      projectId: Number(page.project),
      summary: { kind: "wiki", id: Number(page.id), slug: String(page.slug) },
    };
  }
  const info = kindOfArg(args.kind);
  const raw = await fetchItem(session.client, info.kind, args.project, args.item, ctx.signal);
  return {
    path,
    objectId: raw.id,
    projectId: Number(raw.project),
    summary: { kind: args.kind, id: raw.id, ref: raw.ref, subject: String(raw.subject ?? "") },
  };
}

function megabytes(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/**
 * Decodes base64 (standard or URL-safe, line breaks and a `data:…;base64,` prefix allowed),
 * refusing anything malformed, empty or larger than `maxBytes` with an "input" error.
 */
export function decodeBase64Content(text: string, maxBytes = MAX_ATTACHMENT_BYTES): Uint8Array {
  let body = text.trim();
  const dataUrl = /^data:[^,]*;base64,/i.exec(body);
  if (dataUrl) body = body.slice(dataUrl[0].length);
  body = body.replace(/\s+/g, "");
  const invalid = (why: string): InputError =>
    new InputError(`content_base64 is not valid base64: ${why}.`, { argument: "content_base64" });
  const bad = body.search(/[^A-Za-z0-9+/=_-]/);
  if (bad >= 0) throw invalid(`unexpected character "${body[bad]}" at position ${bad}`);
  const unpadded = body.replace(/={1,2}$/, "");
  if (unpadded.includes("=")) throw invalid('"=" may only appear as padding at the end');
  if (unpadded.length % 4 === 1) throw invalid("its length is not possible for base64");
  if (unpadded.length === 0) {
    throw new InputError("content_base64 is empty: Taiga does not accept empty files.", {
      argument: "content_base64",
    });
  }
  const size = Math.floor(unpadded.length * 3 / 4);
  if (size > maxBytes) {
    throw new InputError(
      `The file is too big: ${
        megabytes(size)
      } (${size} bytes) decoded; attachments are limited to ${
        megabytes(maxBytes)
      } (${maxBytes} bytes). Upload a smaller file.`,
      { argument: "content_base64", size, max_bytes: maxBytes },
    );
  }
  const standard = unpadded.replace(/-/g, "+").replace(/_/g, "/");
  const binary = atob(standard + "=".repeat((4 - standard.length % 4) % 4));
  const bytes = new Uint8Array(binary.length);
  for (let i = 0; i < binary.length; i++) bytes[i] = binary.charCodeAt(i);
  return bytes;
}

const listAttachments = defineTool({
  name: "list_attachments",
  title: "List attachments",
  description:
    'The files attached to a user story, task, issue, epic or wiki page: id, name, size in bytes, download url, description, date. Example: {"kind":"issue","project":"jane-website","item":"#7"}.',
  toolset: ATTACHMENTS_TOOLSET,
  readOnly: true,
  input: () => targetInput(),
  output: () => ({
    target: targetSchema(),
    attachments: z.array(attachmentSchema()),
    total: z.number(),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const target = await resolveTarget(ctx, session, args);
    const listed = await fetchAll<Raw>(
      session.client,
      target.path,
      { object_id: target.objectId, project: target.projectId },
      { maxItems: MAX_LISTED, signal: ctx.signal },
    );
    return {
      target: target.summary,
      attachments: listed.items.map(compactAttachment),
      total: listed.total,
    };
  },
});

/** A file name without directories or control characters. */
function isPlainFileName(name: string): boolean {
  return !/[/\\]/.test(name) && [...name].every((char) => char.charCodeAt(0) >= 32);
}

const addAttachment = defineTool({
  name: "add_attachment",
  title: "Attach a file",
  description:
    `Attach a file to a user story, task, issue, epic or wiki page. Pass the file's bytes as base64 (at most ${
      megabytes(MAX_ATTACHMENT_BYTES)
    } decoded). Example: {"kind":"user_story","project":"jane-website","item":"#12","filename":"notes.txt","content_base64":"SGVsbG8sIFRhaWdhIQ==","description":"Meeting notes"}.`,
  toolset: ATTACHMENTS_TOOLSET,
  readOnly: false,
  input: () => ({
    ...targetInput(),
    filename: z.string().trim().min(1, "filename must not be empty").max(255).refine(
      isPlainFileName,
      'filename must be a plain file name (no "/" or "\\" or control characters), e.g. "report.pdf"',
    ).describe('File name shown in Taiga, with extension (e.g. "report.pdf")'),
    content_base64: z.string().min(1, "content_base64 must not be empty").max(
      MAX_BASE64_CHARS,
      `content_base64 is too long: attachments are limited to ${
        megabytes(MAX_ATTACHMENT_BYTES)
      } decoded`,
    ).describe(
      `The file's bytes, base64-encoded (at most ${megabytes(MAX_ATTACHMENT_BYTES)} decoded)`,
    ),
    description: z.string().max(5_000).optional().describe("Short description of the file"),
  }),
  output: () => ({ target: targetSchema(), attachment: attachmentSchema() }),
  annotations: { idempotentHint: false },
  handler: async (args, ctx) => {
    const bytes = decodeBase64Content(args.content_base64);
    const session = await ctx.session();
    const target = await resolveTarget(ctx, session, args);
    const form = new FormData();
    form.set("attached_file", new File([bytes as Uint8Array<ArrayBuffer>], args.filename));
    form.set("project", String(target.projectId));
    form.set("object_id", String(target.objectId));
    if (args.description) form.set("description", args.description);
    const { data } = await session.client.request<Raw>("POST", target.path, {
      form,
      signal: ctx.signal,
    });
    return { target: target.summary, attachment: compactAttachment(data) };
  },
});

/** Attachment tools (toolset `attachments`, not in the default selection). */
export const attachmentTools: readonly AnyTool[] = [
  listAttachments,
  addAttachment,
];
