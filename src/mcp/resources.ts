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

// @ts-types="@modelcontextprotocol/sdk/server/mcp"
import {
  type CompleteResourceTemplateCallback,
  type ListResourcesCallback,
  type McpServer,
  ResourceTemplate,
} from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ListResourcesResult, ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import type { Session } from "../sessions/store.ts";
import { ITEM_KINDS, KINDS } from "../taiga/kinds.ts";
import type { ServerDeps } from "./deps.ts";
import { completeProject, completeRef, completeWikiSlug } from "./resources_complete.ts";
import {
  readItemByRef,
  readItems,
  readProject,
  readProjects,
  readSprints,
  readWikiPage,
  readWikiPages,
} from "./resources_read.ts";
import {
  asMcp,
  defaultSession,
  gatherMyProjects,
  jsonResource,
  variable,
} from "./resources_support.ts";

/** The URI scheme and root of every resource. */
export const RESOURCE_ROOT = "taiga://projects";

type Variables = Record<string, string | string[]>;
type Reader = (
  session: Session,
  vars: Record<string, string>,
  signal: AbortSignal,
) => Promise<Record<string, unknown>>;

interface ReadExtra {
  signal: AbortSignal;
}

/** Registers every `taiga://` resource and template on `server` for the MCP connection `owner`. */
export function registerResources(server: McpServer, deps: ServerDeps, owner?: string): void {
  const read = (uri: URL, vars: Variables, extra: ReadExtra, reader: Reader) =>
    asMcp<ReadResourceResult>(async () => {
      const session = await defaultSession(deps, owner);
      const decoded = Object.fromEntries(
        Object.entries(vars).map(([name, value]) => [name, variable(value)]),
      );
      return jsonResource(uri, await reader(session, decoded, extra.signal));
    });
  const project = (typed: string) => completeProject(deps, owner, typed);
  const json = { mimeType: "application/json" };
  /** Registers the template `taiga://projects/{project}<rest>`, completing `project` and `more`. */
  const template = (
    name: string,
    rest: string,
    about: { title: string; description: string },
    reader: Reader,
    more: Record<string, CompleteResourceTemplateCallback> = {},
    list?: ListResourcesCallback,
  ): void => {
    server.registerResource(
      name,
      new ResourceTemplate(`${RESOURCE_ROOT}/{project}${rest}`, {
        list,
        complete: { project, ...more },
      }),
      { ...json, ...about },
      (uri: URL, vars: Variables, extra: ReadExtra) => read(uri, vars, extra, reader),
    );
  };
  /** Completes a variable from what was typed and the `project` argument given so far. */
  const inProject = (
    complete: (project: string | undefined, typed: string) => Promise<string[]>,
  ): CompleteResourceTemplateCallback =>
  (typed, context) => complete(context?.arguments?.project, typed);

  server.registerResource(
    "projects",
    RESOURCE_ROOT,
    {
      ...json,
      title: "My Taiga projects",
      description: "The projects you are a member of: id, slug, name, owner, enabled modules.",
    },
    (uri: URL, extra: ReadExtra) =>
      read(uri, {}, extra, (session, _vars, signal) => readProjects(session, signal)),
  );

  template(
    "project",
    "",
    {
      title: "Taiga project",
      description: "One project by slug or id: description, modules, members with roles, tags.",
    },
    (session, v, signal) => readProject(session, v.project, signal),
    {},
    (extra: ReadExtra) => listProjectResources(deps, owner, extra.signal),
  );

  for (const kind of ITEM_KINDS) {
    const info = KINDS[kind];
    template(
      `project_${info.path}`,
      `/${info.path}`,
      {
        title: `Project ${info.labelPlural}`,
        description:
          `Every ${info.label} of a project (compact: ref, subject, status, assignee...). For filters use list_${info.plural}.`,
      },
      (s, v, signal) => readItems(deps, s, v.project, kind, signal),
    );
    template(
      `${kind}_by_ref`,
      `/${info.path}/{ref}`,
      {
        title: `${capitalised(info.label)} by ref`,
        description: `One ${info.label} by its ref number in the project, with its description.`,
      },
      (s, v, signal) => readItemByRef(deps, s, v.project, kind, v.ref, signal),
      { ref: inProject((p, typed) => completeRef(deps, owner, info.path, p, typed)) },
    );
  }

  template(
    "project_sprints",
    "/sprints",
    {
      title: "Project sprints",
      description: "Every sprint (milestone) of a project: name, dates, closed, points.",
    },
    (s, v, signal) => readSprints(deps, s, v.project, signal),
  );

  template(
    "project_wiki",
    "/wiki",
    {
      title: "Project wiki pages",
      description: "Every wiki page of a project (slug, version, size), without the content.",
    },
    (s, v, signal) => readWikiPages(deps, s, v.project, signal),
  );

  template(
    "wiki_page",
    "/wiki/{slug}",
    {
      title: "Wiki page",
      description: "One wiki page of a project by slug, with its markdown content.",
    },
    (s, v, signal) => readWikiPage(deps, s, v.project, v.slug, signal),
    { slug: inProject((p, typed) => completeWikiSlug(deps, owner, p, typed)) },
  );
}

function capitalised(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/**
 * The user's projects as concrete resources for resources/list. Listing must not fail the whole
 * request, so without a login (or on any error) it lists none.
 */
async function listProjectResources(
  deps: ServerDeps,
  owner: string | undefined,
  signal: AbortSignal,
): Promise<ListResourcesResult> {
  try {
    const session = await defaultSession(deps, owner);
    const listed = await gatherMyProjects(session, signal);
    return {
      resources: listed.items.map((item) => ({
        uri: `${RESOURCE_ROOT}/${encodeURIComponent(String(item.slug))}`,
        name: String(item.slug),
        title: String(item.name ?? item.slug),
        mimeType: "application/json",
      })),
    };
  } catch (error) {
    deps.log.debug("resources/list: no project resources", {
      error: error instanceof Error ? error.message : String(error),
    });
    return { resources: [] };
  }
}
