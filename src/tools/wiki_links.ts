/**
 * Wiki link tools: the entries of a project's wiki sidebar (title → page slug).
 * @module
 */

import { z } from "zod";
import { ALL_ITEMS_CAP, projectField } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { compactWikiLink, wikiLinkSchema } from "../domain/shapes/wiki.ts";
import type { Session } from "../sessions/store.ts";
import { fetchAll } from "../taiga/pagination.ts";

type Raw = Record<string, unknown>;

/** Adds a sidebar link titled `title` to the page slug `href` in the project `project` (its id). */
export async function postWikiLink(
  session: Session,
  project: number,
  link: { title: string; href: string },
  signal?: AbortSignal,
): Promise<Raw> {
  return await session.client.post<Raw>("wiki-links", {
    project,
    title: link.title,
    href: link.href,
  }, signal);
}

const listWikiLinks = defineTool({
  name: "list_wiki_links",
  title: "List wiki sidebar links",
  description:
    'List the links of a project\'s wiki sidebar, in order: title and the page slug each points to. Example: {"project":"jane-website"}.',
  toolset: "wiki",
  readOnly: true,
  input: () => ({ project: projectField() }),
  output: () => ({ links: z.array(wikiLinkSchema()), total: z.number() }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    const result = await fetchAll<Raw>(session.client, "wiki-links", { project: meta.id }, {
      maxItems: ALL_ITEMS_CAP,
      signal: ctx.signal,
    });
    const links = result.items.map(compactWikiLink).sort((a, b) =>
      (a.order ?? 0) - (b.order ?? 0) || a.id - b.id
    );
    return { links, total: result.total };
  },
});

const createWikiLink = defineTool({
  name: "create_wiki_link",
  title: "Add a wiki sidebar link",
  description:
    'Add a link to a project\'s wiki sidebar, pointing to a page slug (the page need not exist yet). Example: {"project":"jane-website","title":"Release notes","href":"release-notes"}.',
  toolset: "wiki",
  readOnly: false,
  input: () => ({
    project: projectField(),
    title: z.string().trim().min(1).max(500).describe("Text shown in the sidebar"),
    href: z.string().trim().min(1).max(500).describe('Slug of the page, e.g. "release-notes"'),
  }),
  output: () => ({ link: wikiLinkSchema() }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    const link = await postWikiLink(session, meta.id, args, ctx.signal);
    return { link: compactWikiLink(link) };
  },
});

const deleteWikiLink = defineTool({
  name: "delete_wiki_link",
  title: "Remove a wiki sidebar link",
  description:
    'Remove a link from the wiki sidebar by its id (see list_wiki_links). The page itself stays. Example: {"link":4}.',
  toolset: "wiki",
  readOnly: false,
  annotations: { destructiveHint: true, idempotentHint: true },
  input: () => ({ link: z.number().int().positive().describe("Wiki link id") }),
  output: () => ({ deleted: z.boolean(), link: z.number() }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    await session.client.delete(`wiki-links/${args.link}`, undefined, ctx.signal);
    return { deleted: true, link: args.link };
  },
});

/** Wiki sidebar link tools. */
export const wikiLinkTools: readonly AnyTool[] = [listWikiLinks, createWikiLink, deleteWikiLink];
