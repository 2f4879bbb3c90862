/**
 * The `taiga://` resources: the user's projects, a project, its items, sprints and wiki, and
 * single items by ref — compact JSON like the tools, read with the connection's default session.
 * Templates complete project slugs, item refs and wiki slugs.
 *
 * ```
 * taiga://projects
 * taiga://projects/{project}                      (id or slug)
 * taiga://projects/{project}/{epics|userstories|tasks|issues|sprints|wiki}
 * taiga://projects/{project}/{epics|userstories|tasks|issues}/{ref}
 * taiga://projects/{project}/wiki/{slug}
 * ```
 * @module
 */

import { gatherMyProjects } from "../domain/gather.ts";
import { completeProject, completeRef, completeWikiSlug } from "../mcp/complete.ts";
import type { RequestContext } from "../mcp/context.ts";
import {
  type Completer,
  defineResource,
  type ListedResource,
  type ResourceDefinition,
} from "../mcp/define.ts";
import { ITEM_KINDS, KINDS } from "../taiga/kinds.ts";
import { attachmentFileResource } from "./attachment_file.ts";
import {
  readItemByRef,
  readItems,
  readProject,
  readProjects,
  readSprints,
  readWikiPage,
  readWikiPages,
} from "./read.ts";

/** The URI scheme and root of every resource. */
export const RESOURCE_ROOT = "taiga://projects";

const project: Completer = (typed, _given, ctx) => completeProject(ctx, typed);

/**
 * The user's projects as concrete resources for resources/list. Listing must not fail the whole
 * request, so without a login (or on any error) it lists none.
 */
async function listProjectResources(ctx: RequestContext): Promise<ListedResource[]> {
  try {
    const listed = await gatherMyProjects(await ctx.session(), ctx.signal);
    return listed.items.map((item) => ({
      uri: `${RESOURCE_ROOT}/${encodeURIComponent(String(item.slug))}`,
      name: String(item.slug),
      title: String(item.name ?? item.slug),
    }));
  } catch (error) {
    ctx.deps.log.debug("resources/list: no project resources", {
      error: error instanceof Error ? error.message : String(error),
    });
    return [];
  }
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

const itemResources: ResourceDefinition[] = ITEM_KINDS.flatMap((kind) => {
  const info = KINDS[kind];
  return [
    defineResource({
      name: `project_${info.path}`,
      uri: `${RESOURCE_ROOT}/{project}/${info.path}`,
      title: `Project ${info.labelPlural}`,
      description:
        `Every ${info.label} of a project (compact: ref, subject, status, assignee...). For filters use list_${info.plural}.`,
      complete: { project },
      read: (vars, ctx) => readItems(kind, vars.project, ctx),
    }),
    defineResource({
      name: `${kind}_by_ref`,
      uri: `${RESOURCE_ROOT}/{project}/${info.path}/{ref}`,
      title: `${capitalised(info.label)} by ref`,
      description: `One ${info.label} by its ref number in the project, with its description.`,
      complete: {
        project,
        ref: (typed, given, ctx) => completeRef(ctx, info.path, given.project, typed),
      },
      read: (vars, ctx) => readItemByRef(kind, vars.project, vars.ref, ctx),
    }),
  ];
});

/** Every resource and template, in the order resources/list shows them. */
export const RESOURCES: readonly ResourceDefinition[] = [
  defineResource({
    name: "projects",
    uri: RESOURCE_ROOT,
    title: "My Taiga projects",
    description: "The projects you are a member of: id, slug, name, owner, enabled modules.",
    read: (_vars, ctx) => readProjects(ctx),
  }),
  defineResource({
    name: "project",
    uri: `${RESOURCE_ROOT}/{project}`,
    title: "Taiga project",
    description: "One project by slug or id: description, modules, members with roles, tags.",
    complete: { project },
    list: listProjectResources,
    read: (vars, ctx) => readProject(vars.project, ctx),
  }),
  ...itemResources,
  defineResource({
    name: "project_sprints",
    uri: `${RESOURCE_ROOT}/{project}/sprints`,
    title: "Project sprints",
    description: "Every sprint (milestone) of a project: name, dates, closed, points.",
    complete: { project },
    read: (vars, ctx) => readSprints(vars.project, ctx),
  }),
  defineResource({
    name: "project_wiki",
    uri: `${RESOURCE_ROOT}/{project}/wiki`,
    title: "Project wiki pages",
    description: "Every wiki page of a project (slug, version, size), without the content.",
    complete: { project },
    read: (vars, ctx) => readWikiPages(vars.project, ctx),
  }),
  defineResource({
    name: "wiki_page",
    uri: `${RESOURCE_ROOT}/{project}/wiki/{slug}`,
    title: "Wiki page",
    description: "One wiki page of a project by slug, with its markdown content.",
    complete: {
      project,
      slug: (typed, given, ctx) => completeWikiSlug(ctx, given.project, typed),
    },
    read: (vars, ctx) => readWikiPage(vars.project, vars.slug, ctx),
  }),
  attachmentFileResource,
];
