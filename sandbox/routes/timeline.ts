/**
 * `GET /timeline/project/{id}`, `/timeline/user/{id}`, `/timeline/profile/{id}` (taiga-back
 * `timeline/api.py`): paginated, newest first, only the rows the caller may see; see
 * `timeline.ts` for what each one holds. `only_relevant` (any value) drops the delete events
 * and project changes; the clause meant to drop changes without a `values_diff` never
 * matches in taiga-back (it compares `event_type` with a list), so those stay.
 *
 * @module
 */

import { type Ctx, notFound } from "../http.ts";
import { paginated } from "../pagination.ts";
import type { Router } from "../router.ts";
import type { TimelineEntry } from "../state.ts";
import { CONTENT_TYPES, newestFirst, timelineShape, timelineVisible } from "../timeline.ts";
import { check, pathId, projectOr404 } from "./common.ts";

const NOT_RELEVANT = [
  "issues.issue.delete",
  "tasks.task.delete",
  "userstories.userstory.delete",
  "epics.epic.delete",
  "wiki.wikipage.delete",
  "projects.project.change",
];

function answer(ctx: Ctx, rows: TimelineEntry[]): Response {
  let list = rows.filter((t) => timelineVisible(ctx.state, ctx.user, t));
  if (ctx.query.has("only_relevant")) {
    list = list.filter((t) => !NOT_RELEVANT.includes(t.event_type));
  }
  return paginated(ctx, newestFirst(list), (t) => timelineShape(ctx.state, t));
}

/** Registers the timeline routes. */
export function timelineRoutes(router: Router): void {
  router.get("/timeline/project/:id", (ctx) => {
    const project = projectOr404(ctx.state, pathId(ctx, "Project"));
    check(ctx, project, "view_project");
    const namespace = `project:${project.id}`;
    return answer(ctx, ctx.state.timeline.filter((t) => t.namespace === namespace));
  });
  router.get("/timeline/user/:id", (ctx) => {
    const user = ctx.state.users.get(pathId(ctx, "User"));
    if (!user) throw notFound("User");
    const namespace = `user:${user.id}`;
    return answer(
      ctx,
      ctx.state.timeline.filter((t) =>
        t.content_type === CONTENT_TYPES.user && t.namespace === namespace
      ),
    );
  });
  router.get("/timeline/profile/:id", (ctx) => {
    const user = ctx.state.users.get(pathId(ctx, "User"));
    if (!user) throw notFound("User");
    return answer(
      ctx,
      ctx.state.timeline.filter((t) =>
        t.content_type === CONTENT_TYPES.user && t.object_id === user.id
      ),
    );
  });
}
