/**
 * Wiki tools: pages (list, read, create, update with version rules, delete) and the wiki's
 * sidebar links. Pages are named by slug (with the project) or by id.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { InputError } from "../taiga/errors.ts";
import { fetchWikiPage } from "../domain/refs.ts";
import { confirmField, listInput, listOutput, projectField } from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import {
  compactWikiPage,
  compactWikiPageSchema,
  wikiPageDetail,
  wikiPageSchema,
} from "../domain/shapes/wiki.ts";
import { listItems } from "../mcp/listing.ts";
import type { Session } from "../sessions/store.ts";
import type { TaigaError } from "../taiga/errors.ts";
import { conflictError, type SentVersion, versionedWrite } from "../domain/versioned_write.ts";
import { postWikiLink, wikiLinkTools } from "./wiki_links.ts";
import { z } from "zod";

type Raw = Record<string, unknown>;

/** Longest markdown we send (Taiga stores text; this keeps a runaway argument out). */
const MAX_CONTENT = 200_000;
/** Characters of the current content shown in a conflict error. */
const CONFLICT_EXCERPT = 2_000;

const SLUG = /^[a-z0-9]+(?:[-_][a-z0-9]+)*$/;

const slugField = lazy(() =>
  z.string().trim().min(1).max(500).regex(
    SLUG,
    'Use lowercase letters, digits and single hyphens, e.g. "release-notes"',
  )
);

const pageField = lazy(() =>
  z.union([z.number().int().positive(), z.string().trim().min(1).max(500)])
    .describe('Page slug (e.g. "home", needs project) or page id (e.g. 7)')
);

const optionalProject = lazy(() =>
  projectField().optional().describe(
    'Project id or slug; required when the page is given by slug (e.g. "jane-website")',
  )
);

const contentField = lazy(() => z.string().max(MAX_CONTENT).describe("Markdown content"));

/** Reads a wiki page by slug within a project, or by id (see wiki_ref.ts). */
const fetchPage = (
  session: Session,
  ctx: RequestContext,
  page: number | string,
  project: number | string | undefined,
): Promise<Raw> => fetchWikiPage(session, ctx, page, project);

const listWikiPages = defineTool({
  name: "list_wiki_pages",
  title: "List wiki pages",
  description:
    'List the wiki pages of a project: slug, id, version, size and last change (no content; use get_wiki_page for that). Example: {"project":"jane-website"}.',
  toolset: "wiki",
  readOnly: true,
  input: () => ({ project: projectField(), ...listInput() }),
  output: () => ({ pages: z.array(compactWikiPageSchema()), ...listOutput() }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    const listed = await listItems<Raw>(session.client, "wiki", { project: meta.id }, args, ctx);
    return { pages: listed.items.map(compactWikiPage), ...listed.paging };
  },
});

const getWikiPage = defineTool({
  name: "get_wiki_page",
  title: "Read a wiki page",
  description:
    'Read one wiki page\'s markdown and version, by slug (with project) or by id. Example: {"project":"jane-website","page":"home"}.',
  toolset: "wiki",
  readOnly: true,
  input: () => ({
    page: pageField(),
    project: optionalProject(),
    verbose: z.boolean().default(false).describe(
      "Return Taiga's full JSON (with rendered HTML) instead of the compact form",
    ),
  }),
  output: () => ({ page: wikiPageSchema() }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const raw = await fetchPage(session, ctx, args.page, args.project);
    return { page: args.verbose ? { ...raw, ...wikiPageDetail(raw) } : wikiPageDetail(raw) };
  },
});

const createWikiPage = defineTool({
  name: "create_wiki_page",
  title: "Create a wiki page",
  description:
    'Create a wiki page in a project. The slug names the page ("home" is the wiki\'s start page). Pass link_title to also add it to the wiki sidebar. Example: {"project":"jane-website","slug":"release-notes","content":"# Release notes\\n...","link_title":"Release notes"}.',
  toolset: "wiki",
  readOnly: false,
  input: () => ({
    project: projectField(),
    slug: slugField().describe(
      'Page slug: lowercase words joined by hyphens, e.g. "release-notes"',
    ),
    content: contentField(),
    link_title: z.string().trim().min(1).max(500).optional().describe(
      "Also add a sidebar link with this title",
    ),
  }),
  output: () => ({
    page: wikiPageSchema(),
    link: z.object({ id: z.number(), title: z.string() }).optional(),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    const created = await session.client.post<Raw>("wiki", {
      project: meta.id,
      slug: args.slug,
      content: args.content,
    }, ctx.signal);
    if (args.link_title === undefined) return { page: wikiPageDetail(created) };
    const link = await postWikiLink(session, meta.id, {
      title: args.link_title,
      href: args.slug,
    }, ctx.signal);
    return {
      page: wikiPageDetail(created),
      link: { id: link.id as number, title: String(link.title) },
    };
  },
});

/** The refusal of a version: stale (someone saved since), or one the page never had. */
function versionRefusal(current: Raw, sent: SentVersion): InputError | TaigaError {
  const content = typeof current.content === "string" ? current.content : "";
  const excerpt = content.length > CONFLICT_EXCERPT
    ? `${content.slice(0, CONFLICT_EXCERPT)}…`
    : content;
  const version = current.version as number;
  if (sent.version !== undefined && sent.version > version) {
    return new InputError(
      `Version ${sent.version} is not a version of wiki page "${current.slug}": it is at version ${version}. Read the page again and retry with version ${version}, or omit version to overwrite.`,
      { argument: "version", sent_version: sent.version, current_version: version },
    );
  }
  return conflictError(`Wiki page "${current.slug}"`, version, sent, { content: excerpt }, {
    details: { modified: current.modified_date },
  });
}

const updateWikiPage = defineTool({
  name: "update_wiki_page",
  title: "Update a wiki page",
  description:
    'Replace a wiki page\'s markdown (and optionally rename its slug). With version: refused if someone changed the page since, and the error shows the current version and content. Without version: the current version is read first and your content overwrites the page (last write wins). Example: {"project":"jane-website","page":"home","content":"# Home\\nUpdated","version":3}.',
  toolset: "wiki",
  readOnly: false,
  input: () => ({
    page: pageField(),
    project: optionalProject(),
    content: contentField().optional().describe("New markdown content (replaces the old)"),
    new_slug: slugField().optional().describe("Rename the page to this slug"),
    version: z.number().int().positive().optional().describe(
      "The version you read; omit to update the latest version",
    ),
  }),
  output: () => ({ page: wikiPageSchema() }),
  handler: async (args, ctx) => {
    if (args.content === undefined && args.new_slug === undefined) {
      throw new InputError("Nothing to change: pass content and/or new_slug.");
    }
    const session = await ctx.session();
    const current = await fetchPage(session, ctx, args.page, args.project);
    const id = current.id as number;
    const body: Raw = {};
    if (args.content !== undefined) body.content = args.content;
    if (args.new_slug !== undefined) body.slug = args.new_slug;
    const { saved } = await versionedWrite<Raw & { version: number }>({
      current: current as Raw & { version: number },
      version: args.version,
      read: () =>
        session.client.get<Raw & { version: number }>(`wiki/${id}`, undefined, ctx.signal),
      send: (_base, version) =>
        session.client.patch<Raw & { version: number }>(
          `wiki/${id}`,
          { ...body, version },
          ctx.signal,
        ),
      conflict: versionRefusal,
    }, ctx.signal);
    return { page: wikiPageDetail(saved) };
  },
});

const deleteWikiPage = defineTool({
  name: "delete_wiki_page",
  title: "Delete a wiki page",
  description:
    'Delete a wiki page (by slug with project, or by id). Sidebar links that pointed to it are left as they are. The person is asked first. Example: {"project":"jane-website","page":"old-notes"}.',
  toolset: "wiki",
  readOnly: false,
  annotations: { destructiveHint: true, idempotentHint: true },
  input: () => ({ page: pageField(), project: optionalProject(), confirm: confirmField() }),
  output: () => ({ deleted: z.boolean(), page: z.object({ id: z.number(), slug: z.string() }) }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const current = await fetchPage(session, ctx, args.page, args.project);
    await ctx.confirm(
      `Delete wiki page "${current.slug}" with its history? Taiga has no undo.`,
      args.confirm,
    );
    await session.client.delete(`wiki/${current.id}`, undefined, ctx.signal);
    return { deleted: true, page: { id: current.id as number, slug: String(current.slug) } };
  },
});

/** Wiki tools (toolset `wiki`, not in the default selection). */
export const wikiTools: readonly AnyTool[] = [
  listWikiPages,
  getWikiPage,
  createWikiPage,
  updateWikiPage,
  deleteWikiPage,
  ...wikiLinkTools,
];
