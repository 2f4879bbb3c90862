/**
 * Compact projections of Taiga wiki pages and wiki links. A page's list row leaves out the
 * content and its rendered HTML (the bulk of Taiga's JSON); the detail keeps the markdown only.
 * @module
 */

import { lazy } from "../lazy.ts";
import { z } from "zod";

type Raw = Record<string, unknown>;

/** Output schema of a wiki page as one line of a list. */
export const compactWikiPageSchema = lazy(() =>
  z.looseObject({
    id: z.number(),
    slug: z.string(),
    project: z.number().optional(),
    version: z.number(),
    editions: z.number().optional(),
    size: z.number().optional().describe("Length of the markdown content, in characters"),
    modified_date: z.string().optional(),
  })
);

/** Output schema of a wiki page with its content. */
export const wikiPageSchema = lazy(() =>
  compactWikiPageSchema().extend({
    content: z.string().describe("Markdown"),
    created_date: z.string().optional(),
    owner: z.number().nullable().optional().describe("User id of the author"),
    last_modifier: z.number().nullable().optional().describe("User id of the last editor"),
  })
);

/** Output schema of a wiki link (an entry of the wiki's sidebar). */
export const wikiLinkSchema = lazy(() =>
  z.looseObject({
    id: z.number(),
    title: z.string(),
    href: z.string().describe("Slug of the page it points to"),
    order: z.number().optional(),
  })
);

/** A wiki page as one line of a list. */
export function compactWikiPage(page: Raw): z.infer<ReturnType<typeof compactWikiPageSchema>> {
  return {
    id: page.id as number,
    slug: String(page.slug ?? ""),
    ...(typeof page.project === "number" ? { project: page.project } : {}),
    version: Number(page.version ?? 0),
    ...(typeof page.editions === "number" ? { editions: page.editions } : {}),
    ...(typeof page.content === "string" ? { size: page.content.length } : {}),
    ...(typeof page.modified_date === "string" ? { modified_date: page.modified_date } : {}),
  };
}

/** A wiki page with its markdown (no HTML rendering). */
export function wikiPageDetail(page: Raw): z.infer<ReturnType<typeof wikiPageSchema>> {
  return {
    ...compactWikiPage(page),
    content: typeof page.content === "string" ? page.content : "",
    ...(typeof page.created_date === "string" ? { created_date: page.created_date } : {}),
    owner: typeof page.owner === "number" ? page.owner : null,
    last_modifier: typeof page.last_modifier === "number" ? page.last_modifier : null,
  };
}

/** A wiki link. */
export function compactWikiLink(link: Raw): z.infer<ReturnType<typeof wikiLinkSchema>> {
  return {
    id: link.id as number,
    title: String(link.title ?? ""),
    href: String(link.href ?? ""),
    ...(typeof link.order === "number" ? { order: link.order } : {}),
  };
}
