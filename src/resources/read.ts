/**
 * What each `taiga://` resource holds: the same compact JSON the tools return, gathered through
 * the session's client. Lists are complete up to a cap, and say so when the cap is hit.
 * @module
 */

import { InputError, shortValue } from "../taiga/errors.ts";
import {
  gather,
  gatheredFacts,
  gatherMyProjects,
  projectRef,
  type RawObject,
} from "../domain/gather.ts";
import type { ProjectMetadata } from "../domain/metadata.ts";
import { compactItem, itemDetail } from "../domain/shapes/item.ts";
import { compactProject, projectDetail } from "../domain/shapes/project.ts";
import { compactSprint } from "../domain/shapes/sprint.ts";
import { compactWikiPage, wikiPageDetail } from "../domain/shapes/wiki.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type ItemKind, KINDS } from "../taiga/kinds.ts";
import { fetchItem, fetchProject } from "../taiga/reads.ts";

/** `taiga://projects`: the projects the user is a member of. */
export async function readProjects(ctx: RequestContext): Promise<Record<string, unknown>> {
  const listed = await gatherMyProjects(await ctx.session(), ctx.signal);
  return {
    projects: listed.items.map(compactProject),
    ...gatheredFacts(listed, listed.items.length, "list_projects"),
  };
}

/** `taiga://projects/{project}`: one project's detail, as get_project shows it. */
export async function readProject(
  project: string,
  ctx: RequestContext,
): Promise<Record<string, unknown>> {
  const session = await ctx.session();
  return { project: projectDetail(await fetchProject(session.client, project, ctx.signal)) };
}

/**
 * One project's full list at `path` (up to the gather cap), each raw entry shaped by `shape`, under
 * `key` next to the project and the paging facts; `tool` is the list tool named when capped.
 */
async function readProjectList(
  ctx: RequestContext,
  project: string,
  list: { path: string; key: string; tool: string },
  shape: (raw: RawObject, meta: ProjectMetadata) => unknown,
): Promise<Record<string, unknown>> {
  const session = await ctx.session();
  const meta = await ctx.metadata.get(session, project, ctx.signal);
  const listed = await gather(session, list.path, { project: meta.id }, ctx.signal);
  return {
    project: projectRef(meta),
    [list.key]: listed.items.map((raw) => shape(raw, meta)),
    ...gatheredFacts(listed, listed.items.length, list.tool),
  };
}

/** `taiga://projects/{project}/<items>`: every item of one kind in the project, compact. */
export async function readItems(
  kind: ItemKind,
  project: string,
  ctx: RequestContext,
): Promise<Record<string, unknown>> {
  const info = KINDS[kind];
  return await readProjectList(
    ctx,
    project,
    { path: info.path, key: info.path, tool: `list_${info.plural}` },
    (item, meta) => compactItem(kind, item, meta),
  );
}

/** Reads a `{ref}` variable: `12` or `#12`. */
function parseRefVariable(value: string): number {
  const ref = Number(value.trim().replace(/^#/, ""));
  if (!Number.isInteger(ref) || ref <= 0) {
    throw new InputError(
      `"${shortValue(value)}" is not an item ref; use a number such as 12 (or #12).`,
    );
  }
  return ref;
}

/** `taiga://projects/{project}/<items>/{ref}`: one item by its ref, with its description. */
export async function readItemByRef(
  kind: ItemKind,
  project: string,
  ref: string,
  ctx: RequestContext,
): Promise<Record<string, unknown>> {
  const number = parseRefVariable(ref);
  const session = await ctx.session();
  const meta = await ctx.metadata.get(session, project, ctx.signal);
  const raw = await fetchItem(session.client, kind, meta.slug, `#${number}`, ctx.signal);
  return { [KINDS[kind].one]: itemDetail(kind, raw, meta) };
}

/** `taiga://projects/{project}/sprints`: every sprint of the project, compact. */
export async function readSprints(
  project: string,
  ctx: RequestContext,
): Promise<Record<string, unknown>> {
  const list = { path: "milestones", key: "sprints", tool: "list_milestones" };
  return await readProjectList(ctx, project, list, compactSprint);
}

/** `taiga://projects/{project}/wiki`: every wiki page of the project, without content. */
export async function readWikiPages(
  project: string,
  ctx: RequestContext,
): Promise<Record<string, unknown>> {
  const list = { path: "wiki", key: "pages", tool: "list_wiki_pages" };
  return await readProjectList(ctx, project, list, compactWikiPage);
}

/** `taiga://projects/{project}/wiki/{slug}`: one wiki page with its markdown. */
export async function readWikiPage(
  project: string,
  slug: string,
  ctx: RequestContext,
): Promise<Record<string, unknown>> {
  const session = await ctx.session();
  const meta = await ctx.metadata.get(session, project, ctx.signal);
  const raw = await session.client.get<RawObject>(
    "wiki/by_slug",
    { slug, project: meta.id },
    ctx.signal,
  );
  return { page: wikiPageDetail(raw) };
}
