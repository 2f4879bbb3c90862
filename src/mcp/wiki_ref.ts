/**
 * Wiki pages named the way a person names them: a slug with its project, or an id. A slug made
 * of digits ("2024") is still a slug when a project is given, and a page fetched by id must belong
 * to the project named — a wrong number never edits another project's page.
 * @module
 */

import type { Session } from "../sessions/store.ts";
import { TaigaError } from "../taiga/errors.ts";
import { readOrNotFound } from "./item_ref.ts";
import type { ToolContext } from "./tool.ts";

type Raw = Record<string, unknown>;

/** Reads a wiki page by slug within `project`, or by id (checked against `project` when given). */
export async function fetchWikiPage(
  session: Session,
  ctx: ToolContext,
  page: number | string,
  project: number | string | undefined,
): Promise<Raw> {
  const digits = typeof page === "number" || /^\d+$/.test(page.trim());
  if (project === undefined) {
    if (!digits) {
      throw new TaigaError(
        "input",
        `Pass project too: the wiki page "${page}" is given by slug.`,
        { details: { argument: "project" } },
      );
    }
    return await readOrNotFound(
      () => session.client.get<Raw>(`wiki/${Number(page)}`, undefined, ctx.signal),
      `No wiki page with id ${page}. Call list_wiki_pages to see a project's pages.`,
    );
  }
  const meta = await ctx.deps.metadata.get(session, project, ctx.signal);
  const notFound =
    `No wiki page "${page}" in project ${meta.slug}. Call list_wiki_pages to see its pages.`;
  if (typeof page === "string") {
    try {
      return await session.client.get<Raw>(
        "wiki/by_slug",
        { slug: page.trim(), project: meta.id },
        ctx.signal,
      );
    } catch (error) {
      const missing = error instanceof TaigaError && error.type === "not_found";
      if (!missing) throw error;
      if (!digits) throw new TaigaError("not_found", notFound, { status: 404 });
    }
  }
  const found = await readOrNotFound(
    () => session.client.get<Raw>(`wiki/${Number(page)}`, undefined, ctx.signal),
    notFound,
  );
  if (found.project !== meta.id) {
    throw new TaigaError(
      "input",
      `Wiki page ${page} belongs to another project, not ${meta.slug}. Call list_wiki_pages to see its pages.`,
      { details: { argument: "page" } },
    );
  }
  return found;
}
