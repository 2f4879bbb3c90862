/**
 * `/wiki` (pages, OCC-versioned like items), `wiki/by_slug`, `wiki/render`, and
 * `/wiki-links` CRUD.
 *
 * @module
 */

import {
  badRequest,
  type Ctx,
  emptyOk,
  json,
  noContent,
  notAuthenticated,
  notFound,
} from "../http.ts";
import { checkVersion, versionTypeError } from "../occ.ts";
import { paginated } from "../pagination.ts";
import type { Router } from "../router.ts";
import { projectExtraInfo } from "../shapes_items.ts";
import { takeSnapshot } from "../snapshot.ts";
import type { SandboxState, User, WikiLink, WikiPage } from "../state.ts";
import { renderMarkdown, slugify, toInt } from "../util.ts";
import {
  check,
  FieldErrors,
  projectFromBody,
  projectOr404,
  queryInt,
  removeFrom,
  rowOr404,
  visibleProjects,
} from "./common.ts";

/** The wiki page shape. */
export function wikiShape(
  state: SandboxState,
  w: WikiPage,
  viewer: User | null,
): Record<string, unknown> {
  return {
    project: w.project,
    project_extra_info: projectExtraInfo(state, w.project),
    is_watcher: viewer !== null && w.watchers.includes(viewer.id),
    total_watchers: w.watchers.length,
    id: w.id,
    slug: w.slug,
    content: w.content,
    owner: w.owner,
    last_modifier: w.last_modifier,
    created_date: w.created_date,
    modified_date: w.modified_date,
    html: renderMarkdown(w.content),
    editions: w.editions,
    version: w.version,
  };
}

function linkShape(l: WikiLink): Record<string, unknown> {
  return { id: l.id, project: l.project, title: l.title, href: l.href, order: l.order };
}

/** Creates a wiki page (routes and seed). */
export function createWikiPage(
  state: SandboxState,
  projectId: number,
  owner: User | null,
  slug: string,
  content: string,
): WikiPage {
  const now = state.nowIso();
  const page: WikiPage = {
    id: state.nextId("wiki"),
    project: projectId,
    slug,
    content,
    owner: owner?.id ?? null,
    last_modifier: owner?.id ?? null,
    created_date: now,
    modified_date: now,
    version: 1,
    editions: 1,
    watchers: [],
  };
  state.wikiPages.set(page.id, page);
  takeSnapshot(state, { kind: "wiki", id: page.id }, owner);
  return page;
}

function wikiRoutes(router: Router): void {
  const one = (ctx: Ctx) => rowOr404(ctx, ctx.state.wikiPages, "WikiPage", "view_wiki_pages");
  router.get("/wiki", (ctx) => {
    const visible = visibleProjects(ctx, "view_wiki_pages");
    const projectId = queryInt(ctx, "project");
    const slug = ctx.query.get("slug");
    const pages = [...ctx.state.wikiPages.values()].filter((w) =>
      visible.has(w.project) && (projectId === undefined || w.project === projectId) &&
      (!slug || w.slug === slug)
    );
    return paginated(ctx, pages, (w) => wikiShape(ctx.state, w, ctx.user));
  });
  router.get("/wiki/by_slug", (ctx) => {
    const slug = ctx.query.get("slug");
    const projectId = toInt(ctx.query.get("project"));
    const page = [...ctx.state.wikiPages.values()].find((w) =>
      w.slug === slug && w.project === projectId
    );
    if (!page) throw notFound("WikiPage");
    check(ctx, ctx.state.projects.get(page.project)!, "view_wiki_pages");
    return json(wikiShape(ctx.state, page, ctx.user));
  });
  router.post("/wiki/render", (ctx) => {
    const project = projectOr404(ctx.state, toInt(ctx.body.project_id) ?? -1);
    check(ctx, project, "view_wiki_pages");
    return json({ data: renderMarkdown(String(ctx.body.content ?? "")) });
  });
  router.post("/wiki", (ctx) => {
    const project = projectFromBody(ctx);
    const errors = new FieldErrors();
    if (typeof ctx.body.slug !== "string" || !ctx.body.slug.trim()) {
      errors.add("slug", "This field is required.");
    }
    errors.throwIfAny();
    check(ctx, project, "add_wiki_page");
    const slug = slugify(String(ctx.body.slug));
    if (
      [...ctx.state.wikiPages.values()].some((w) => w.project === project.id && w.slug === slug)
    ) {
      throw badRequest({ __all__: ["Wiki page with this Project and Slug already exists."] });
    }
    const page = createWikiPage(
      ctx.state,
      project.id,
      ctx.user,
      slug,
      String(ctx.body.content ?? ""),
    );
    return json(wikiShape(ctx.state, page, ctx.user), 201);
  });
  router.get("/wiki/:id", (ctx) => json(wikiShape(ctx.state, one(ctx), ctx.user)));
  const update = (ctx: Ctx) => {
    const page = one(ctx);
    const project = ctx.state.projects.get(page.project)!;
    check(ctx, project, "modify_wiki_page");
    const typeError = versionTypeError(ctx.body);
    if (typeError) throw typeError;
    const key = `wiki.wikipage:${page.id}`;
    checkVersion(ctx.state, key, page.version, ctx.body);
    if (ctx.body.content !== undefined && String(ctx.body.content) !== page.content) {
      page.content = String(ctx.body.content);
      page.editions += 1;
    }
    if (typeof ctx.body.slug === "string") page.slug = slugify(ctx.body.slug);
    page.version += 1;
    page.last_modifier = ctx.user?.id ?? page.last_modifier;
    page.modified_date = ctx.state.nowIso();
    const comment = typeof ctx.body.comment === "string" ? ctx.body.comment.trim() : "";
    takeSnapshot(ctx.state, { kind: "wiki", id: page.id }, ctx.user, { comment });
    return json(wikiShape(ctx.state, page, ctx.user));
  };
  router.patch("/wiki/:id", update);
  router.put("/wiki/:id", update);
  router.delete("/wiki/:id", (ctx) => {
    const page = one(ctx);
    check(ctx, ctx.state.projects.get(page.project)!, "delete_wiki_page");
    takeSnapshot(ctx.state, { kind: "wiki", id: page.id }, ctx.user, { delete: true });
    ctx.state.wikiPages.delete(page.id);
    return noContent();
  });
  for (const [action, add] of [["watch", true], ["unwatch", false]] as const) {
    router.post(`/wiki/:id/${action}`, (ctx) => {
      if (!ctx.user) throw notAuthenticated();
      const page = one(ctx);
      if (add && !page.watchers.includes(ctx.user.id)) page.watchers.push(ctx.user.id);
      if (!add) removeFrom(page.watchers, ctx.user.id);
      return emptyOk();
    });
  }
}

function linkRoutes(router: Router): void {
  const one = (ctx: Ctx) => rowOr404(ctx, ctx.state.wikiLinks, "WikiLink", "view_wiki_links");
  router.get("/wiki-links", (ctx) => {
    const visible = visibleProjects(ctx, "view_wiki_links");
    const projectId = queryInt(ctx, "project");
    const links = [...ctx.state.wikiLinks.values()].filter((l) =>
      visible.has(l.project) && (projectId === undefined || l.project === projectId)
    ).sort((a, b) => a.order - b.order || a.id - b.id);
    return paginated(ctx, links, linkShape);
  });
  router.post("/wiki-links", (ctx) => {
    const project = projectFromBody(ctx);
    const errors = new FieldErrors();
    if (typeof ctx.body.title !== "string" || !ctx.body.title.trim()) {
      errors.add("title", "This field is required.");
    }
    errors.throwIfAny();
    check(ctx, project, "add_wiki_link");
    const link: WikiLink = {
      id: ctx.state.nextId("wiki-link"),
      project: project.id,
      title: String(ctx.body.title),
      href: typeof ctx.body.href === "string" && ctx.body.href
        ? ctx.body.href
        : slugify(String(ctx.body.title)),
      order: toInt(ctx.body.order) ?? ctx.state.wikiLinks.size + 1,
    };
    ctx.state.wikiLinks.set(link.id, link);
    return json(linkShape(link), 201);
  });
  router.get("/wiki-links/:id", (ctx) => json(linkShape(one(ctx))));
  const update = (ctx: Ctx) => {
    const l = one(ctx);
    check(ctx, ctx.state.projects.get(l.project)!, "modify_wiki_link");
    if (typeof ctx.body.title === "string" && ctx.body.title.trim()) l.title = ctx.body.title;
    if (typeof ctx.body.href === "string") l.href = ctx.body.href;
    if (ctx.body.order !== undefined) l.order = toInt(ctx.body.order) ?? l.order;
    return json(linkShape(l));
  };
  router.patch("/wiki-links/:id", update);
  router.put("/wiki-links/:id", update);
  router.delete("/wiki-links/:id", (ctx) => {
    const l = one(ctx);
    check(ctx, ctx.state.projects.get(l.project)!, "delete_wiki_link");
    ctx.state.wikiLinks.delete(l.id);
    return noContent();
  });
}

/** Registers the wiki and wiki-link routes. */
export function wikiAllRoutes(router: Router): void {
  wikiRoutes(router);
  linkRoutes(router);
}
