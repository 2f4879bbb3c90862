/**
 * `/history/{epic|userstory|task|issue|wiki}/{id}` (`?type=comment|activity`, newest first,
 * paginated) and the comment actions `edit_comment`, `delete_comment`, `undelete_comment`,
 * `comment_versions` (`?id=<entry id>`).
 *
 * @module
 */

import { historyShape, listedHistory } from "../history.ts";
import { badRequest, type Ctx, emptyOk, json, notFound, notFoundExc } from "../http.ts";
import { itemKey, kindByHistoryType } from "../kinds.ts";
import { paginated } from "../pagination.ts";
import type { Router } from "../router.ts";
import type { HistoryEntry } from "../state.ts";
import { renderMarkdown } from "../util.ts";
import { requireUser, rowOr404 } from "./common.ts";

/** The history key of `/history/:type/:id` after the object and permission checks. */
function objectKey(ctx: Ctx, perm: "view" | "comment"): { key: string; project: number } {
  const type = ctx.params.type;
  if (type === "wiki") {
    const wikiPerm = perm === "view" ? "view_wiki_pages" : "comment_wiki_page";
    const page = rowOr404(ctx, ctx.state.wikiPages, "WikiPage", wikiPerm);
    return { key: `wiki.wikipage:${page.id}`, project: page.project };
  }
  const def = kindByHistoryType(type);
  if (!def) throw notFound("ContentType");
  const item = rowOr404(ctx, ctx.state.items[def.kind], def.model, def.perms[perm]);
  return { key: itemKey(def, item.id), project: item.project };
}

function entry(ctx: Ctx, key: string): HistoryEntry {
  const id = ctx.query.get("id");
  const found = (ctx.state.history.get(key) ?? []).find((e) => e.id === id);
  if (!found) throw notFoundExc();
  return found;
}

/** Registers the history routes. */
export function historyRoutes(router: Router): void {
  router.get("/history/:type/:id", (ctx) => {
    const { key } = objectKey(ctx, "view");
    const entries = listedHistory(ctx.state, key, ctx.query.get("type"));
    return paginated(ctx, entries, (e) => historyShape(ctx.state, e));
  });

  router.post("/history/:type/:id/edit_comment", (ctx) => {
    const user = requireUser(ctx);
    const { key } = objectKey(ctx, "comment");
    const e = entry(ctx, key);
    if (typeof ctx.body.comment !== "string") throw badRequest({ error: "comment is required" });
    if (e.delete_comment_date) throw badRequest({ error: "deleted comments can't be edited" });
    (e.comment_versions ??= []).push({
      date: e.created_at,
      comment: e.comment,
      comment_html: e.comment_html,
      user: { id: user.id },
    });
    e.edit_comment_date = ctx.state.nowIso();
    e.comment = ctx.body.comment;
    e.comment_html = renderMarkdown(ctx.body.comment);
    return emptyOk();
  });

  router.post("/history/:type/:id/delete_comment", (ctx) => {
    const user = requireUser(ctx);
    const { key } = objectKey(ctx, "comment");
    const e = entry(ctx, key);
    if (e.delete_comment_date) throw badRequest({ error: "Comment already deleted" });
    e.delete_comment_date = ctx.state.nowIso();
    e.delete_comment_user = { pk: user.id, name: user.full_name || user.username };
    return emptyOk();
  });

  router.post("/history/:type/:id/undelete_comment", (ctx) => {
    requireUser(ctx);
    const { key } = objectKey(ctx, "comment");
    const e = entry(ctx, key);
    if (!e.delete_comment_date) throw badRequest({ error: "Comment not deleted" });
    e.delete_comment_date = null;
    e.delete_comment_user = null;
    return emptyOk();
  });

  router.get("/history/:type/:id/comment_versions", (ctx) => {
    const { key } = objectKey(ctx, "view");
    return json(entry(ctx, key).comment_versions ?? []);
  });
}
