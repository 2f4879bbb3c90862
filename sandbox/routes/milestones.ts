/**
 * `/milestones` (sprints): list (`project`, `project__slug`, `closed`; ordered by
 * `-estimated_start`; `Taiga-Info-Total-Opened/Closed-Milestones`), detail with nested
 * stories, create, PATCH/PUT, DELETE, `stats` (burndown computed from the real data, as
 * taiga-back's `MilestoneViewSet.stats`), watch/unwatch/watchers. No OCC.
 *
 * @module
 */

import { type Ctx, emptyOk, json, noContent, notAuthenticated } from "../http.ts";
import { isClosed } from "../items.ts";
import { paginated } from "../pagination.ts";
import { pointsPerRole, sumValues, totalPoints } from "../points.ts";
import type { Router } from "../router.ts";
import { milestoneStoryShape, projectExtraInfo } from "../shapes_items.ts";
import { takeSnapshot } from "../snapshot.ts";
import type { Item, Milestone, SandboxState } from "../state.ts";
import { addDays, isIsoDate, uniqueSlug } from "../util.ts";
import {
  check,
  FieldErrors,
  projectFromBody,
  queryBool,
  queryInt,
  removeFrom,
  rowOr404,
  toBool,
  visibleProjects,
} from "./common.ts";

function storiesIn(state: SandboxState, m: Milestone): Item[] {
  return [...state.items.userstory.values()].filter((u) => u.milestone === m.id)
    .sort((a, b) => a.sprint_order - b.sprint_order || a.id - b.id);
}

function sumPoints(state: SandboxState, stories: Item[]): number | null {
  const values = stories.map((u) => totalPoints(state, u)).filter((v): v is number => v !== null);
  return values.length ? values.reduce((a, b) => a + b, 0) : null;
}

/** The milestone shape (list and detail are the same in taiga-back). */
export function milestoneShape(state: SandboxState, m: Milestone): Record<string, unknown> {
  const stories = storiesIn(state, m);
  return {
    project: m.project,
    project_extra_info: projectExtraInfo(state, m.project),
    id: m.id,
    name: m.name,
    slug: m.slug,
    owner: m.owner,
    estimated_start: m.estimated_start,
    estimated_finish: m.estimated_finish,
    created_date: m.created_date,
    modified_date: m.modified_date,
    closed: m.closed,
    disponibility: m.disponibility,
    order: m.order,
    user_stories: stories.map((u) => milestoneStoryShape(state, u)),
    total_points: sumPoints(state, stories),
    closed_points: sumPoints(state, stories.filter((u) => isClosed(state, u))),
  };
}

function stats(state: SandboxState, m: Milestone): Record<string, unknown> {
  const stories = storiesIn(state, m);
  const tasks = [...state.items.task.values()].filter((t) => t.milestone === m.id);
  const total = pointsPerRole(state, stories);
  const closed = pointsPerRole(state, stories.filter((u) => isClosed(state, u)));
  const sumTotal = sumValues(total);
  // Closed points by date: each finished task closes its story's points / its task count.
  const closedByDate = new Map<string, number>();
  for (const t of tasks) {
    if (!t.finished_date || t.user_story === null) continue;
    const us = stories.find((u) => u.id === t.user_story);
    if (!us) continue;
    const usTasks = [...state.items.task.values()].filter((x) => x.user_story === us.id).length;
    let day = t.finished_date.slice(0, 10);
    if (day < m.estimated_start) day = m.estimated_start;
    closedByDate.set(day, (closedByDate.get(day) ?? 0) + (totalPoints(state, us) ?? 0) / usTasks);
  }
  const days: Record<string, unknown>[] = [];
  const length = Math.round(
    (Date.parse(m.estimated_finish) - Date.parse(m.estimated_start)) / 86_400_000,
  );
  const perDay = length ? sumTotal / length : 0;
  let optimal = sumTotal;
  let accumulated = 0;
  for (let day = m.estimated_start, n = 0; day <= m.estimated_finish; day = addDays(day, 1), n++) {
    accumulated += closedByDate.get(day) ?? 0;
    days.push({
      day,
      name: Number(day.slice(8, 10)),
      open_points: sumTotal - accumulated,
      optimal_points: optimal,
    });
    optimal -= perDay;
    if (n > 3660) break;
  }
  return {
    name: m.name,
    estimated_start: m.estimated_start,
    estimated_finish: m.estimated_finish,
    total_points: total,
    completed_points: Object.values(closed),
    total_userstories: stories.length,
    completed_userstories: stories.filter((u) => isClosed(state, u)).length,
    total_tasks: tasks.length,
    completed_tasks: tasks.filter((t) => isClosed(state, t)).length,
    iocaine_doses: tasks.filter((t) => t.is_iocaine).length,
    days,
  };
}

function validate(
  ctx: Ctx,
  m: Milestone | null,
  partial: boolean,
  projectId: number,
  errors = new FieldErrors(),
): Partial<Milestone> {
  const b = ctx.body;
  const out: Partial<Milestone> = {};
  if (b.name === undefined ? !partial : typeof b.name !== "string" || !b.name.trim()) {
    errors.add("name", "This field is required.");
  } else if (b.name !== undefined) {
    const dup = [...ctx.state.milestones.values()].some((x) =>
      x.project === projectId && x.name === b.name && x.id !== m?.id
    );
    if (dup) errors.add("name", "Name duplicated for the project");
    out.name = String(b.name);
  }
  for (const f of ["estimated_start", "estimated_finish"] as const) {
    if (b[f] === undefined) {
      if (!partial) errors.add(f, "This field is required.");
    } else if (!isIsoDate(b[f])) {
      errors.add(f, "Date has wrong format. Use one of these formats instead: YYYY[-MM[-DD]]");
    } else out[f] = b[f] as string;
  }
  const start = out.estimated_start ?? m?.estimated_start;
  const finish = out.estimated_finish ?? m?.estimated_finish;
  if (!errors.any && start && finish && start > finish) {
    errors.add("estimated_finish", "The estimated start must be previous to the estimated finish.");
  }
  if (b.closed !== undefined) out.closed = toBool(b.closed) ?? false;
  if (b.disponibility !== undefined) out.disponibility = Number(b.disponibility) || 0;
  if (b.order !== undefined) out.order = Number(b.order) || 1;
  errors.throwIfAny();
  return out;
}

/** Registers the milestone routes. */
export function milestoneRoutes(router: Router): void {
  const one = (ctx: Ctx) => rowOr404(ctx, ctx.state.milestones, "Milestone", "view_milestones");
  router.get("/milestones", (ctx) => {
    const visible = visibleProjects(ctx, "view_milestones");
    const projectId = queryInt(ctx, "project");
    const slug = ctx.query.get("project__slug");
    const closed = queryBool(ctx, "closed");
    const list = [...ctx.state.milestones.values()].filter((m) =>
      visible.has(m.project) &&
      (projectId === undefined || m.project === projectId) &&
      (!slug || ctx.state.projects.get(m.project)?.slug === slug) &&
      (closed === undefined || m.closed === closed)
    ).sort((a, b) => b.estimated_start.localeCompare(a.estimated_start) || a.id - b.id);
    const headers: Record<string, string> = {};
    if (projectId !== undefined && ctx.state.projects.has(projectId)) {
      const all = [...ctx.state.milestones.values()].filter((m) => m.project === projectId);
      headers["Taiga-Info-Total-Opened-Milestones"] = String(all.filter((m) => !m.closed).length);
      headers["Taiga-Info-Total-Closed-Milestones"] = String(all.filter((m) => m.closed).length);
    }
    return paginated(ctx, list, (m) => milestoneShape(ctx.state, m), headers);
  });
  router.post("/milestones", (ctx) => {
    const errors = new FieldErrors();
    if (ctx.body.project === undefined) errors.add("project", "This field is required.");
    const data = validate(ctx, null, false, Number(ctx.body.project), errors);
    const project = projectFromBody(ctx);
    check(ctx, project, "add_milestone");
    const now = ctx.state.nowIso();
    const m: Milestone = {
      id: ctx.state.nextId("milestone"),
      project: project.id,
      name: data.name!,
      slug: uniqueSlug(
        data.name!,
        (s) => [...ctx.state.milestones.values()].some((x) => x.slug === s),
      ),
      owner: ctx.user?.id ?? null,
      estimated_start: data.estimated_start!,
      estimated_finish: data.estimated_finish!,
      created_date: now,
      modified_date: now,
      closed: data.closed ?? false,
      disponibility: data.disponibility ?? 0,
      order: data.order ?? 1,
      watchers: [],
    };
    ctx.state.milestones.set(m.id, m);
    takeSnapshot(ctx.state, { kind: "milestone", id: m.id }, ctx.user);
    return json(milestoneShape(ctx.state, m), 201);
  });
  router.get("/milestones/:id", (ctx) => json(milestoneShape(ctx.state, one(ctx))));
  const update = (partial: boolean) => (ctx: Ctx) => {
    const m = one(ctx);
    check(ctx, ctx.state.projects.get(m.project)!, "modify_milestone");
    Object.assign(m, validate(ctx, m, partial, m.project), { modified_date: ctx.state.nowIso() });
    takeSnapshot(ctx.state, { kind: "milestone", id: m.id }, ctx.user);
    return json(milestoneShape(ctx.state, m));
  };
  router.patch("/milestones/:id", update(true));
  router.put("/milestones/:id", update(false));
  router.delete("/milestones/:id", (ctx) => {
    const m = one(ctx);
    check(ctx, ctx.state.projects.get(m.project)!, "delete_milestone");
    takeSnapshot(ctx.state, { kind: "milestone", id: m.id }, ctx.user, { delete: true });
    for (const kind of ["userstory", "task", "issue"] as const) {
      for (const item of ctx.state.items[kind].values()) {
        if (item.milestone === m.id) item.milestone = null;
      }
    }
    ctx.state.milestones.delete(m.id);
    return noContent();
  });
  router.get("/milestones/:id/stats", (ctx) => json(stats(ctx.state, one(ctx))));
  for (const [action, add] of [["watch", true], ["unwatch", false]] as const) {
    router.post(`/milestones/:id/${action}`, (ctx) => {
      if (!ctx.user) throw notAuthenticated();
      const m = one(ctx);
      if (add && !m.watchers.includes(ctx.user.id)) m.watchers.push(ctx.user.id);
      if (!add) removeFrom(m.watchers, ctx.user.id);
      return emptyOk();
    });
  }
  router.get("/milestones/:id/watchers", (ctx) => {
    const users = one(ctx).watchers.map((id) => ctx.state.users.get(id)!).filter(Boolean);
    return paginated(
      ctx,
      users,
      (u) => ({ id: u.id, username: u.username, full_name: u.full_name }),
    );
  });
}
