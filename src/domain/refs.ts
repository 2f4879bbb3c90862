/**
 * References that need a project's metadata to resolve: sprints by name and wiki pages by slug.
 * A slug made of digits ("2024") is still a slug when a project is given, and a page fetched by
 * id must belong to the project named — a wrong number never edits another project's page.
 * @module
 */

import type { Session } from "../sessions/store.ts";
import { InputError, readOrNotFound, shortValue, TaigaError } from "../taiga/errors.ts";
import type { RawRecord } from "../taiga/types.ts";
import { resolveSprint, withMetadata, type WorkContext } from "./names.ts";

/** The milestone id named by `sprint` (id, or name/slug within `project`). */
export async function resolveSprintId(
  session: Session,
  ctx: WorkContext,
  sprint: number | string,
  project: number | string | undefined,
): Promise<number> {
  if (project === undefined) {
    if (typeof sprint === "number") return sprint;
    if (/^\d+$/.test(sprint)) return Number(sprint);
    throw new InputError(`Pass project too: the sprint "${shortValue(sprint)}" is given by name.`, {
      argument: "project",
    });
  }
  return await withMetadata(ctx, session, project, (meta) => {
    const found = resolveSprint(meta, sprint);
    if (found === null) {
      throw new InputError(
        `"${sprint}" means the backlog, not a sprint. Name a sprint: ${
          meta.sprints.map((s) => s.name).join(", ") || "(this project has none)"
        }.`,
      );
    }
    return Promise.resolve(found);
  });
}

/** Reads a wiki page by slug within `project`, or by id (checked against `project` when given). */
export async function fetchWikiPage(
  session: Session,
  ctx: WorkContext,
  page: number | string,
  project: number | string | undefined,
): Promise<RawRecord> {
  const client = session.client;
  const digits = typeof page === "number" || /^\d+$/.test(page.trim());
  if (project === undefined) {
    if (!digits) {
      throw new InputError(
        `Pass project too: the wiki page "${shortValue(page)}" is given by slug.`,
        { argument: "project" },
      );
    }
    return await readOrNotFound(
      () => client.get<RawRecord>(`wiki/${Number(page)}`, undefined, ctx.signal),
      `No wiki page with id ${page}. Call list_wiki_pages to see a project's pages.`,
    );
  }
  const meta = await ctx.metadata.get(session, project, ctx.signal);
  const notFound = `No wiki page "${
    shortValue(page)
  }" in project ${meta.slug}. Call list_wiki_pages to see its pages.`;
  if (typeof page === "string") {
    try {
      return await client.get<RawRecord>(
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
    () => client.get<RawRecord>(`wiki/${Number(page)}`, undefined, ctx.signal),
    notFound,
  );
  if (found.project !== meta.id) {
    throw new InputError(
      `Wiki page ${page} belongs to another project, not ${meta.slug}. Call list_wiki_pages to see its pages.`,
      { argument: "page" },
    );
  }
  return found;
}
