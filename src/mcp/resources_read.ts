/**
 * What each `taiga://` resource holds: the same compact JSON the tools return, gathered through
 * the session's client. Lists are complete up to a cap, and say so when the cap is hit.
 * @module
 */

import type { Session } from "../sessions/store.ts";
import { type ItemKind, KINDS } from "../taiga/kinds.ts";
import { inputError } from "./tool.ts";
import type { ServerDeps } from "./deps.ts";
import type { ProjectMetadata } from "./metadata.ts";
import { fetchProject } from "./project_ref.ts";
import { fetchItem } from "./resolve.ts";
import { gather, gatheredFacts, gatherMyProjects, type RawObject } from "./resources_support.ts";
import { compactItem, itemDetail } from "./shapes/item.ts";
import { compactProject, projectDetail } from "./shapes/project.ts";
import { compactSprint } from "./shapes/sprint.ts";
import { compactWikiPage, wikiPageDetail } from "./shapes/wiki.ts";

/** The project a resource names, as `{id, slug, name}`. */
function projectRef(meta: ProjectMetadata): Record<string, unknown> {
  return { id: meta.id, slug: meta.slug, name: meta.name };
}

/** `taiga://projects`: the projects the user is a member of. */
export async function readProjects(
  session: Session,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const listed = await gatherMyProjects(session, signal);
  return {
    projects: listed.items.map(compactProject),
    ...gatheredFacts(listed, listed.items.length, "list_projects"),
  };
}

/** `taiga://projects/{project}`: one project's detail, as get_project shows it. */
export async function readProject(
  session: Session,
  project: string,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  return { project: projectDetail(await fetchProject(session.client, project, signal)) };
}

/** `taiga://projects/{project}/<items>`: every item of one kind in the project, compact. */
export async function readItems(
  deps: ServerDeps,
  session: Session,
  project: string,
  kind: ItemKind,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const info = KINDS[kind];
  const meta = await deps.metadata.get(session, project, signal);
  const listed = await gather(session, info.path, { project: meta.id }, signal);
  return {
    project: projectRef(meta),
    [info.path]: listed.items.map((item) => compactItem(kind, item, meta)),
    ...gatheredFacts(listed, listed.items.length, `list_${info.plural}`),
  };
}

/** Reads a `{ref}` variable: `12` or `#12`. */
function parseRefVariable(value: string): number {
  const ref = Number(value.trim().replace(/^#/, ""));
  if (!Number.isInteger(ref) || ref <= 0) {
    throw inputError(`"${value}" is not an item ref; use a number such as 12 (or #12).`);
  }
  return ref;
}

/** `taiga://projects/{project}/<items>/{ref}`: one item by its ref, with its description. */
export async function readItemByRef(
  deps: ServerDeps,
  session: Session,
  project: string,
  kind: ItemKind,
  ref: string,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const number = parseRefVariable(ref);
  const meta = await deps.metadata.get(session, project, signal);
  const raw = await fetchItem(session, kind, meta.slug, `#${number}`, signal);
  return { [KINDS[kind].one]: itemDetail(kind, raw, meta) };
}

/** `taiga://projects/{project}/sprints`: every sprint of the project, compact. */
export async function readSprints(
  deps: ServerDeps,
  session: Session,
  project: string,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const meta = await deps.metadata.get(session, project, signal);
  const listed = await gather(session, "milestones", { project: meta.id }, signal);
  return {
    project: projectRef(meta),
    sprints: listed.items.map(compactSprint),
    ...gatheredFacts(listed, listed.items.length, "list_milestones"),
  };
}

/** `taiga://projects/{project}/wiki`: every wiki page of the project, without content. */
export async function readWikiPages(
  deps: ServerDeps,
  session: Session,
  project: string,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const meta = await deps.metadata.get(session, project, signal);
  const listed = await gather(session, "wiki", { project: meta.id }, signal);
  return {
    project: projectRef(meta),
    pages: listed.items.map(compactWikiPage),
    ...gatheredFacts(listed, listed.items.length, "list_wiki_pages"),
  };
}

/** `taiga://projects/{project}/wiki/{slug}`: one wiki page with its markdown. */
export async function readWikiPage(
  deps: ServerDeps,
  session: Session,
  project: string,
  slug: string,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const meta = await deps.metadata.get(session, project, signal);
  const raw = await session.client.get<RawObject>(
    "wiki/by_slug",
    { slug, project: meta.id },
    signal,
  );
  return { page: wikiPageDetail(raw) };
}
