/**
 * `/history/{epic|userstory|task|issue|wiki}/{id}` (`?type=comment|activity`, newest first,
 * paginated) and the comment actions (taiga-back `history/api.py`), the entry named by
 * `?id=<entry uuid>` among the object's listed entries:
 *
 * - `edit_comment` `{comment}`, `delete_comment`, `undelete_comment` answer 200 with an EMPTY
 *   body; an unknown id is a 404 with an empty body; errors are `{"error": "..."}` dicts;
 * - edit and delete: the comment's author or a project admin; undelete: whoever deleted it or
 *   an admin (sandbox projects are never blocked nor archived);
 * - each of the three re-saves the entry, which pushes the timeline event of that entry again
 *   (with `comment_edited` / `comment_deleted`, at the entry's original time);
 * - `comment_versions`: the previous texts, oldest first, each dated with the entry's own
 *   `created_at` and with the full user of the editor; an empty 200 for a never-edited one.
 *
 * @module
 */

import { historyShape, listedHistory } from "../history.ts";
import { type Ctx, emptyOk, HttpError, json, notFound, permissionDenied } from "../http.ts";
import { itemKey, kindByHistoryType } from "../kinds.ts";
import { paginated } from "../pagination.ts";
import { isAdmin } from "../permissions.ts";
import type { Router } from "../router.ts";
import { userPublic } from "../shapes_users.ts";
import { pushEntryEvent } from "../snapshot.ts";
import type { HistoryEntry, Project } from "../state.ts";
import { renderMarkdown } from "../util.ts";
import { check, pathId } from "./common.ts";

/** The history key and project of `/history/:type/:id` (404 for an unknown object). */
function objectOf(ctx: Ctx): { key: string; project: Project } {
  const type = ctx.params.type;
  if (type === "wiki") {
    const page = ctx.state.wikiPages.get(pathId(ctx, "WikiPage"));
    if (!page) throw notFound("WikiPage");
    return { key: `wiki.wikipage:${page.id}`, project: ctx.state.projects.get(page.project)! };
  }
  const def = kindByHistoryType(type);
  if (!def) throw new HttpError(404, { _error_message: "" });
  const item = ctx.state.items[def.kind].get(pathId(ctx, def.model));
  if (!item) throw notFound(def.model);
  return { key: itemKey(def, item.id), project: ctx.state.projects.get(item.project)! };
}

/** Taiga answers a missing entry with `response.NotFound()`: a 404 without a body. */
class EmptyNotFound extends Error {}

function entryOf(ctx: Ctx, key: string): HistoryEntry {
  const id = ctx.query.get("id");
  const found = listedHistory(ctx.state, key, null).find((e) => e.id === id);
  if (!found) throw new EmptyNotFound();
  return found;
}

function allow(ctx: Ctx, project: Project, who: number | null | undefined): void {
  const me = ctx.user?.id;
  if (me === undefined) throw permissionDenied(null);
  if (who !== me && !isAdmin(ctx.state, ctx.user, project)) throw permissionDenied(ctx.user);
}

/** Wraps a comment action: the empty 404 of a missing entry. */
function action(handler: (ctx: Ctx) => Response): (ctx: Ctx) => Response {
  return (ctx) => {
    try {
      return handler(ctx);
    } catch (err) {
      if (err instanceof EmptyNotFound) return new Response(null, { status: 404 });
      throw err;
    }
  };
}

const badRequest = (error: string) => new HttpError(400, { error });

/** Registers the history routes. */
export function historyRoutes(router: Router): void {
  router.get("/history/:type/:id", (ctx) => {
    const { key, project } = objectOf(ctx);
    check(ctx, project, "view_project");
    const entries = listedHistory(ctx.state, key, ctx.query.get("type"));
    return paginated(ctx, entries, (e) => historyShape(ctx.state, e));
  });

  router.post(
    "/history/:type/:id/edit_comment",
    action((ctx) => {
      const { key, project } = objectOf(ctx);
      const e = entryOf(ctx, key);
      allow(ctx, project, e.user);
      const comment = ctx.body.comment;
      if (comment === undefined || comment === null) throw badRequest("comment is required");
      if (e.delete_comment_date) throw badRequest("deleted comments can't be edited");
      (e.comment_versions ??= []).push({
        date: e.created_at,
        comment: e.comment,
        comment_html: e.comment_html,
        user: { id: ctx.user!.id },
      });
      e.edit_comment_date = ctx.state.nowIso();
      e.comment = String(comment);
      e.comment_html = renderMarkdown(e.comment);
      pushEntryEvent(ctx.state, e);
      return emptyOk();
    }),
  );

  router.post(
    "/history/:type/:id/delete_comment",
    action((ctx) => {
      const { key, project } = objectOf(ctx);
      const e = entryOf(ctx, key);
      allow(ctx, project, e.user);
      if (e.delete_comment_date) throw badRequest("Comment already deleted");
      e.delete_comment_date = ctx.state.nowIso();
      e.delete_comment_user = { pk: ctx.user!.id, name: ctx.user!.full_name || ctx.user!.username };
      pushEntryEvent(ctx.state, e);
      return emptyOk();
    }),
  );

  router.post(
    "/history/:type/:id/undelete_comment",
    action((ctx) => {
      const { key, project } = objectOf(ctx);
      const e = entryOf(ctx, key);
      allow(ctx, project, e.delete_comment_user?.pk);
      if (!e.delete_comment_date) throw badRequest("Comment not deleted");
      e.delete_comment_date = null;
      e.delete_comment_user = null;
      pushEntryEvent(ctx.state, e);
      return emptyOk();
    }),
  );

  router.get(
    "/history/:type/:id/comment_versions",
    action((ctx) => {
      const { key, project } = objectOf(ctx);
      const e = entryOf(ctx, key);
      allow(ctx, project, e.user);
      if (!e.comment_versions?.length) return emptyOk();
      return json(e.comment_versions.map((v) => {
        const version = v as { user: { id: number } };
        const u = ctx.state.users.get(version.user.id);
        return { ...version, user: u ? userPublic(ctx.state, u) : version.user };
      }));
    }),
  );
}
