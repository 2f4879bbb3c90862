/**
 * ONE generic implementation of the epic, user story, task and issue endpoints, driven by
 * the kinds table: list (filters, pagination, Taiga-Info headers), create, detail,
 * `by_ref`, PATCH/PUT with OCC and comments, DELETE, votes and watchers.
 *
 * @module
 */

import { filterItems } from "../filters.ts";
import {
  type Ctx,
  emptyOk,
  HttpError,
  json,
  noContent,
  notAuthenticated,
  notFound,
} from "../http.ts";
import { createItem, deleteItem, updateItem } from "../items.ts";
import { itemKey, type KindDef } from "../kinds.ts";
import { checkVersion } from "../occ.ts";
import { paginated } from "../pagination.ts";
import type { Router } from "../router.ts";
import { itemShape, storyTasks } from "../shapes_items.ts";
import type { Item } from "../state.ts";
import { toInt } from "../util.ts";
import { validateItemBody } from "../validate.ts";
import { check, pathId, projectFromBody, removeFrom, visibleProjects } from "./common.ts";

/** An item by `:id` that the caller may view, else 404 / 401 / 403. */
export function itemOr404(ctx: Ctx, def: KindDef, param = "id"): Item {
  const item = ctx.state.items[def.kind].get(pathId(ctx, def.model, param));
  if (!item) throw notFound(def.model);
  check(ctx, ctx.state.projects.get(item.project)!, def.perms.view);
  return item;
}

/** `{previous, next}` of an item within its project, in the kind's default order. */
function neighbors(ctx: Ctx, def: KindDef, item: Item) {
  const list = [...ctx.state.items[def.kind].values()]
    .filter((i) => i.project === item.project)
    .sort(def.order);
  const at = list.findIndex((i) => i.id === item.id);
  const brief = (i: Item | undefined) => (i ? { id: i.id, ref: i.ref, subject: i.subject } : null);
  return { previous: brief(list[at - 1]), next: brief(list[at + 1]) };
}

/** The detail (retrieve / by_ref) response of an item. */
export function detailResponse(ctx: Ctx, def: KindDef, item: Item): Response {
  return json(
    withTasks(ctx, itemShape(ctx.state, item, ctx.user, "detail", neighbors(ctx, def, item)), item),
  );
}

/** Taiga fills a story's `tasks` only when the query names `include_tasks` (any value). */
function withTasks(ctx: Ctx, shape: Record<string, unknown>, item: Item): Record<string, unknown> {
  if (item.kind !== "userstory" || !ctx.query.has("include_tasks")) return shape;
  return { ...shape, tasks: storyTasks(ctx.state, item.id) };
}

function storyListHeaders(ctx: Ctx, items: Item[]): Record<string, string> {
  const projectId = Number(ctx.query.get("project"));
  if (!ctx.state.projects.has(projectId)) return {};
  const inProject = [...ctx.state.items.userstory.values()].filter((u) => u.project === projectId);
  const headers: Record<string, string> = {
    "Taiga-Info-Userstories-Without-Swimlane": String(inProject.some((u) => u.swimlane === null)),
  };
  if (ctx.query.get("milestone") === "null") {
    headers["Taiga-Info-Backlog-Total-Userstories"] = String(items.length);
  }
  return headers;
}

function list(def: KindDef) {
  return (ctx: Ctx) => {
    const visible = visibleProjects(ctx, def.perms.view);
    const all = [...ctx.state.items[def.kind].values()].filter((i) => visible.has(i.project));
    const items = filterItems(ctx, def, all);
    const headers = def.kind === "userstory" ? storyListHeaders(ctx, items) : {};
    const shape = (i: Item) => withTasks(ctx, itemShape(ctx.state, i, ctx.user, "list"), i);
    return paginated(ctx, items, shape, headers);
  };
}

function create(def: KindDef) {
  return (ctx: Ctx) => {
    const project = projectFromBody(ctx);
    const data = validateItemBody(ctx, def, project, { create: true, partial: false });
    check(ctx, project, def.perms.add);
    // taiga-back's TaskViewSet.pre_save: a task of a story is in the story's sprint, always.
    if (def.kind === "task" && typeof data.user_story === "number") {
      data.milestone = ctx.state.items.userstory.get(data.user_story)?.milestone ?? null;
    }
    const item = createItem(ctx.state, def.kind, project, ctx.user, data);
    return json(itemShape(ctx.state, item, ctx.user, "write"), 201);
  };
}

/** Puts back every field of `item` that is not in `changes` as it was `loaded` (a whole-row save). */
function saveWholeRow(item: Item, loaded: Item, changes: Record<string, unknown>): void {
  const row = item as unknown as Record<string, unknown>;
  for (const [key, value] of Object.entries(loaded)) {
    if (key !== "version" && !(key in changes)) row[key] = value;
  }
}

function update(def: KindDef, partial: boolean) {
  return async (ctx: Ctx) => {
    const item = itemOr404(ctx, def);
    const project = ctx.state.projects.get(item.project)!;
    const keys = Object.keys(ctx.body).filter((k) => k !== "version");
    const commentOnly = keys.length > 0 && keys.every((k) => k === "comment");
    check(ctx, project, commentOnly ? def.perms.comment : def.perms.modify);
    const changes = validateItemBody(ctx, def, project, { create: false, partial });
    checkVersion(ctx.state, itemKey(def, item.id), item.version, ctx.body);
    if (ctx.state.saveWindowMs > 0) {
      const loaded = structuredClone(item);
      await new Promise((resolve) => setTimeout(resolve, ctx.state.saveWindowMs));
      saveWholeRow(item, loaded, changes);
    }
    const comment = typeof ctx.body.comment === "string" ? ctx.body.comment.trim() : "";
    const orders = updateItem(ctx.state, item, ctx.user, changes, comment);
    const headers: Record<string, string> = orders
      ? { "Taiga-Info-Order-Updated": JSON.stringify(orders) }
      : {};
    return json(itemShape(ctx.state, item, ctx.user, "write"), 200, headers);
  };
}

function byRef(def: KindDef) {
  return (ctx: Ctx) => {
    const ref = ctx.query.get("ref");
    if (ref === null) throw new HttpError(400, "ref param is needed");
    const projectParam = ctx.query.get("project");
    const slug = ctx.query.get("project__slug");
    if (projectParam === null && slug === null) {
      throw new HttpError(400, "project or project__slug param is needed");
    }
    const project = [...ctx.state.projects.values()].find((p) =>
      projectParam !== null ? String(p.id) === projectParam : p.slug === slug
    );
    const item = project &&
      [...ctx.state.items[def.kind].values()].find((i) =>
        i.project === project.id && String(i.ref) === ref
      );
    if (!item || !project) throw notFound(def.model);
    check(ctx, project, def.perms.view);
    return detailResponse(ctx, def, item);
  };
}

function people(ctx: Ctx, ids: number[]): Response {
  const users = ids.map((id) => ctx.state.users.get(id)).filter((u) => u !== undefined);
  return paginated(ctx, users, (u) => ({ id: u.id, username: u.username, full_name: u.full_name }));
}

function registerVotes(router: Router, def: KindDef): void {
  const base = `/${def.plural}/:id`;
  const toggle = (field: "voters" | "watchers", add: boolean) => (ctx: Ctx) => {
    if (!ctx.user) throw notAuthenticated();
    const item = itemOr404(ctx, def);
    if (add && !item[field].includes(ctx.user.id)) item[field].push(ctx.user.id);
    if (!add) removeFrom(item[field], ctx.user.id);
    return emptyOk();
  };
  router.post(`${base}/upvote`, toggle("voters", true));
  router.post(`${base}/downvote`, toggle("voters", false));
  router.post(`${base}/watch`, toggle("watchers", true));
  router.post(`${base}/unwatch`, toggle("watchers", false));
  router.get(`${base}/voters`, (ctx) => people(ctx, itemOr404(ctx, def).voters));
  router.get(`${base}/watchers`, (ctx) => people(ctx, itemOr404(ctx, def).watchers));
  for (const field of ["voters", "watchers"] as const) {
    // A user who is not in the list: taiga-back answers `response.NotFound()`, no body.
    router.get(`${base}/${field}/:user`, (ctx) => {
      const id = toInt(ctx.params.user);
      const user = id === undefined ? undefined : ctx.state.users.get(id);
      if (!user || !itemOr404(ctx, def)[field].includes(user.id)) {
        return new Response(null, { status: 404 });
      }
      return json({ id: user.id, username: user.username, full_name: user.full_name });
    });
  }
}

/** Registers the list/create/by_ref routes (before any `/:id` route of the kind). */
export function itemCollectionRoutes(router: Router, def: KindDef): void {
  router.get(`/${def.plural}`, list(def));
  router.post(`/${def.plural}`, create(def));
  router.get(`/${def.plural}/by_ref`, byRef(def));
}

/** Registers the `/:id` routes of a kind. */
export function itemDetailRoutes(router: Router, def: KindDef): void {
  const path = `/${def.plural}/:id`;
  router.get(path, (ctx) => detailResponse(ctx, def, itemOr404(ctx, def)));
  router.patch(path, update(def, true));
  router.put(path, update(def, false));
  router.delete(path, (ctx) => {
    const item = itemOr404(ctx, def);
    check(ctx, ctx.state.projects.get(item.project)!, def.perms.delete);
    deleteItem(ctx.state, item, ctx.user);
    return noContent();
  });
  registerVotes(router, def);
}
