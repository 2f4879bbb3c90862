/**
 * Item actions beyond CRUD: `bulk_create` (all kinds), story ordering and sprint moves,
 * `promote_to_user_story` (tasks, issues), epic ↔ story relations, custom attribute values
 * (`custom_values.ts`) and `filters_data`.
 *
 * @module
 */

import { pushTimeline, timelineProject } from "../history.ts";
import { badRequest, type Ctx, json, noContent, notFound } from "../http.ts";
import { createItem, deleteItem, isClosed, nextOrder, updateItem } from "../items.ts";
import { type KindDef, KINDS } from "../kinds.ts";
import { paginated } from "../pagination.ts";
import type { Router } from "../router.ts";
import { itemShape } from "../shapes_items.ts";
import type { Item, Project } from "../state.ts";
import { toInt } from "../util.ts";
import {
  check,
  FieldErrors,
  pathId,
  pkField,
  projectFromBody,
  projectOr404,
  queryInt,
} from "./common.ts";
import { customValuesRoutes } from "./custom_values.ts";
import { itemOr404 } from "./items.ts";

function required(ctx: Ctx, errors: FieldErrors, field: string): unknown {
  const v = ctx.body[field];
  if (v === undefined || v === null || v === "") errors.add(field, "This field is required.");
  return v;
}

function settingOf(ctx: Ctx, def: KindDef, project: Project, raw: unknown): number | undefined {
  if (raw === undefined || raw === null) return undefined;
  const row = ctx.state.settings[def.statusKind].get(toInt(raw) ?? -1);
  if (!row || row.project !== project.id) throw badRequest({ status_id: ["Invalid status id."] });
  return row.id;
}

function milestoneOf(ctx: Ctx, project: Project, field: string, raw: unknown): number | null {
  if (raw === undefined || raw === null || raw === "") return null;
  const m = ctx.state.milestones.get(toInt(raw) ?? -1);
  if (!m || m.project !== project.id) throw badRequest({ [field]: ["Invalid milestone id."] });
  return m.id;
}

function bulkCreate(def: KindDef) {
  return (ctx: Ctx) => {
    const errors = new FieldErrors();
    required(ctx, errors, "project_id");
    required(ctx, errors, def.bulkField);
    if (def.kind === "task") required(ctx, errors, "milestone_id");
    errors.throwIfAny();
    const project = projectFromBody(ctx, "project_id");
    check(ctx, project, def.perms.add);
    const data: Record<string, unknown> = {};
    const status = settingOf(ctx, def, project, ctx.body.status_id);
    if (status !== undefined) data.status = status;
    if (def.kind !== "epic") {
      data.milestone = milestoneOf(ctx, project, "milestone_id", ctx.body.milestone_id);
    }
    if (def.kind === "userstory" && ctx.body.swimlane_id != null) {
      data.swimlane = toInt(ctx.body.swimlane_id);
    }
    if (def.kind === "task" && ctx.body.us_id != null) {
      const us = ctx.state.items.userstory.get(toInt(ctx.body.us_id) ?? -1);
      if (!us || us.project !== project.id) throw badRequest({ us_id: ["Invalid user story id."] });
      data.user_story = us.id;
    }
    const lines = String(ctx.body[def.bulkField]).split(/\r?\n/).map((l) => l.trim()).filter(
      Boolean,
    );
    const items = lines.map((subject) =>
      createItem(ctx.state, def.kind, project, ctx.user, { ...data, subject })
    );
    return json(items.map((i) => itemShape(ctx.state, i, ctx.user, "write")));
  };
}

function storiesOf(ctx: Ctx, project: Project, ids: unknown[]): Item[] {
  return ids.map((raw) => {
    const id = toInt(
      typeof raw === "object" && raw !== null ? (raw as { us_id: unknown }).us_id : raw,
    );
    const us = ctx.state.items.userstory.get(id ?? -1);
    if (!us || us.project !== project.id) {
      throw badRequest({ bulk_userstories: ["Invalid user story id."] });
    }
    return us;
  });
}

function moveToSprint(ctx: Ctx, us: Item, milestone: number | null, order?: number): void {
  const changes: Record<string, unknown> = { milestone };
  if (order !== undefined) changes.sprint_order = order;
  if (us.milestone !== milestone) updateItem(ctx.state, us, ctx.user, changes, "");
  else if (order !== undefined) us.sprint_order = order;
}

/**
 * Validates a bulk story request: `project_id`, the list `listField` and, when `needsMilestone`,
 * `milestone_id`; checks modify_us on the project. Returns the project and the milestone named.
 */
function storyBulkRequest(
  ctx: Ctx,
  listField: string,
  needsMilestone: boolean,
): { project: Project; milestone: number | null } {
  const errors = new FieldErrors();
  required(ctx, errors, "project_id");
  if (needsMilestone) required(ctx, errors, "milestone_id");
  if (!Array.isArray(ctx.body[listField])) errors.add(listField, "This field is required.");
  errors.throwIfAny();
  const project = projectFromBody(ctx, "project_id");
  check(ctx, project, "modify_us");
  return { project, milestone: milestoneOf(ctx, project, "milestone_id", ctx.body.milestone_id) };
}

function storyRoutes(router: Router): void {
  router.post("/userstories/bulk_update_backlog_order", (ctx) => {
    const { project, milestone } = storyBulkRequest(ctx, "bulk_userstories", false);
    const stories = storiesOf(ctx, project, ctx.body.bulk_userstories as unknown[]);
    const field = milestone === null ? "backlog_order" : "sprint_order";
    const after = toInt(ctx.body.after_userstory_id);
    const before = toInt(ctx.body.before_userstory_id);
    const anchor = ctx.state.items.userstory.get(after ?? before ?? -1);
    const moving = new Set(stories.map((u) => u.id));
    let first: number;
    if (anchor) {
      first = after !== undefined ? anchor[field] + 1 : anchor[field];
      for (const other of ctx.state.items.userstory.values()) {
        if (other.project === project.id && !moving.has(other.id) && other[field] >= first) {
          other[field] += stories.length;
        }
      }
    } else first = nextOrder(ctx.state, 1000);
    const out = stories.map((us, i) => {
      if (milestone !== null || "milestone_id" in ctx.body) moveToSprint(ctx, us, milestone);
      us[field] = first + i;
      return { id: us.id, milestone: us.milestone, [field]: us[field] };
    });
    return json(out);
  });

  router.post("/userstories/bulk_update_milestone", (ctx) => {
    const { project, milestone } = storyBulkRequest(ctx, "bulk_stories", true);
    const entries = ctx.body.bulk_stories as { us_id: unknown; order?: unknown }[];
    storiesOf(ctx, project, entries).forEach((us, i) =>
      moveToSprint(ctx, us, milestone, toInt(entries[i].order))
    );
    return noContent();
  });
}

function promote(def: KindDef) {
  return (ctx: Ctx) => {
    if (ctx.body.project_id === undefined) {
      throw badRequest({ project_id: ["This field is required."] });
    }
    const project = projectOr404(ctx.state, toInt(ctx.body.project_id) ?? -1);
    check(ctx, project, "add_us");
    const source = itemOr404(ctx, def);
    const us = createItem(
      ctx.state,
      "userstory",
      project,
      ctx.state.users.get(source.owner ?? -1) ?? null,
      {
        subject: source.subject,
        description: source.description,
        tags: [...source.tags],
        milestone: source.milestone,
        generated_from_issue: def.kind === "issue" ? source.id : null,
        from_task_ref: def.kind === "task" ? `Task #${source.ref}` : null,
        assigned_users: source.assigned_to === null ? [] : [source.assigned_to],
        assigned_to: source.assigned_to,
        watchers: [...source.watchers],
      },
    );
    if (def.kind === "task") deleteItem(ctx.state, source, ctx.user);
    return json([us.ref]);
  };
}

function relatedShape(rel: { epic: number; user_story: number; order: number }) {
  return { epic: rel.epic, user_story: rel.user_story, order: rel.order };
}

function epicRoutes(router: Router): void {
  const epic = KINDS.epic;
  router.get("/epics/:id/related_userstories", (ctx) => {
    const e = itemOr404(ctx, epic);
    const rels = [...ctx.state.relatedStories.values()].filter((r) => r.epic === e.id)
      .sort((a, b) => a.order - b.order);
    return paginated(ctx, rels, relatedShape);
  });
  router.post("/epics/:id/related_userstories", (ctx) => {
    const e = itemOr404(ctx, epic);
    check(ctx, ctx.state.projects.get(e.project)!, "modify_epic");
    const errors = new FieldErrors();
    const res = pkField(ctx.body.user_story, (id) => ctx.state.items.userstory.get(id));
    if (ctx.body.user_story === undefined) errors.add("user_story", "This field is required.");
    else if (!res.ok) errors.add("user_story", res.error);
    errors.throwIfAny();
    const us = (res as { value: Item }).value;
    if (
      [...ctx.state.relatedStories.values()].some((r) => r.epic === e.id && r.user_story === us.id)
    ) {
      throw badRequest({
        non_field_errors: ["The fields epic, user_story must make a unique set."],
      });
    }
    const rel = {
      id: ctx.state.nextId("related"),
      epic: e.id,
      user_story: us.id,
      order: toInt(ctx.body.order) ?? nextOrder(ctx.state),
    };
    ctx.state.relatedStories.set(rel.id, rel);
    const project = ctx.state.projects.get(e.project)!;
    const brief = (i: Item) => ({ id: i.id, ref: i.ref, subject: i.subject });
    pushTimeline(ctx.state, project, ctx.user, {
      type: "epics.relateduserstory.create",
      model: "relateduserstory",
      data: {
        epic: brief(e),
        userstory: { ...brief(us), project: timelineProject(project) },
        relateduserstory: { id: rel.id, subject: us.subject },
      },
    });
    return json(relatedShape(rel), 201);
  });
  const findRel = (ctx: Ctx) => {
    const e = itemOr404(ctx, epic);
    const usId = pathId(ctx, "RelatedUserStory", "us");
    const rel = [...ctx.state.relatedStories.values()].find((r) =>
      r.epic === e.id && r.user_story === usId
    );
    if (!rel) throw notFound("RelatedUserStory");
    return { e, rel };
  };
  router.get("/epics/:id/related_userstories/:us", (ctx) => json(relatedShape(findRel(ctx).rel)));
  router.patch("/epics/:id/related_userstories/:us", (ctx) => {
    const { e, rel } = findRel(ctx);
    check(ctx, ctx.state.projects.get(e.project)!, "modify_epic");
    if (ctx.body.order !== undefined) rel.order = toInt(ctx.body.order) ?? rel.order;
    return json(relatedShape(rel));
  });
  router.delete("/epics/:id/related_userstories/:us", (ctx) => {
    const { e, rel } = findRel(ctx);
    check(ctx, ctx.state.projects.get(e.project)!, "modify_epic");
    ctx.state.relatedStories.delete(rel.id);
    return noContent();
  });
}

function filtersData(def: KindDef) {
  return (ctx: Ctx) => {
    const projectId = queryInt(ctx, "project");
    if (projectId === undefined) throw badRequest("project param is needed");
    const project = projectOr404(ctx.state, projectId);
    check(ctx, project, def.perms.view);
    const items = [...ctx.state.items[def.kind].values()].filter((i) => i.project === project.id);
    const countBy = (f: (i: Item) => number | null, id: number | null) =>
      items.filter((i) => f(i) === id).length;
    const statuses = ctx.state.settingsOf(def.statusKind, project.id).map((s) => ({
      id: s.id,
      name: s.name,
      color: s.color,
      order: s.order,
      count: countBy((i) => i.status, s.id),
    }));
    const members = ctx.state.membershipsOf(project.id).filter((m) => m.user !== null);
    const people = (f: (i: Item) => number | null) => [
      ...members.map((m) => {
        const u = ctx.state.users.get(m.user!)!;
        return { id: u.id, full_name: u.full_name || u.username, count: countBy(f, u.id) };
      }),
      { id: null, full_name: "", count: countBy(f, null) },
    ];
    const tags = Object.keys(project.tags_colors).map((t) => ({
      name: t,
      color: project.tags_colors[t] ?? null,
      count: items.filter((i) => i.tags.includes(t)).length,
    }));
    return json({
      statuses,
      assigned_to: people((i) => i.assigned_to),
      owners: people((i) => i.owner),
      tags,
      closed: items.filter((i) => isClosed(ctx.state, i)).length,
    });
  };
}

/** Registers the collection-level actions (before `/:id` routes). */
export function itemCollectionActions(router: Router, def: KindDef): void {
  router.post(`/${def.plural}/bulk_create`, bulkCreate(def));
  router.get(`/${def.plural}/filters_data`, filtersData(def));
  if (def.kind === "userstory") storyRoutes(router);
  customValuesRoutes(router, def);
}

/** Registers the per-item actions. */
export function itemDetailActions(router: Router, def: KindDef): void {
  if (def.kind === "task" || def.kind === "issue") {
    router.post(`/${def.plural}/:id/promote_to_user_story`, promote(def));
  }
  if (def.kind === "epic") epicRoutes(router);
}
