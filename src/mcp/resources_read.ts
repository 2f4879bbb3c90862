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
import { fetchItem } from "./item_ref.ts";
import {
  gather,
  gatheredFacts,
  gatherMyProjects,
  projectRef,
  type RawObject,
} from "./resources_support.ts";
import { compactItem, itemDetail } from "./shapes/item.ts";
import { compactProject, projectDetail } from "./shapes/project.ts";
import { compactSprint } from "./shapes/sprint.ts";
import { compactWikiPage, wikiPageDetail } from "./shapes/wiki.ts";

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

/**
 * One project's full list at `path` (up to the gather cap), each raw entry shaped by `shape`, under
 * `key` next to the project and the paging facts; `tool` is the list tool named when capped.
 */
async function readProjectList(
  deps: ServerDeps,
  session: Session,
  project: string,
  list: { path: string; key: string; tool: string },
  shape: (raw: RawObject, meta: ProjectMetadata) => unknown,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const meta = await deps.metadata.get(session, project, signal);
  const listed = await gather(session, list.path, { project: meta.id }, signal);
  return {
    project: projectRef(meta),
    [list.key]: listed.items.map((raw) => shape(raw, meta)),
    ...gatheredFacts(listed, listed.items.length, list.tool),
  };
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
  return await readProjectList(
    deps,
    session,
    project,
    { path: info.path, key: info.path, tool: `list_${info.plural}` },
    (item, meta) => compactItem(kind, item, meta),
    signal,
  );
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
  const list = { path: "milestones", key: "sprints", tool: "list_milestones" };
  return await readProjectList(deps, session, project, list, compactSprint, signal);
}

/** `taiga://projects/{project}/wiki`: every wiki page of the project, without content. */
export async function readWikiPages(
  deps: ServerDeps,
  session: Session,
  project: string,
  signal?: AbortSignal,
): Promise<Record<string, unknown>> {
  const list = { path: "wiki", key: "pages", tool: "list_wiki_pages" };
  return await readProjectList(deps, session, project, list, compactWikiPage, signal);
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
