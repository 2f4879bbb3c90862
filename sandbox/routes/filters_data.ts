/**
 * `GET /{userstories|tasks|issues|epics}/filters_data?project=<id>[&<list filters>]`
 * (taiga-back the kinds' `api.py filters_data` and `services.py get_*_filters_data`): facet counts over
 * the items the caller can see, each facet computed with every list filter except its own.
 *
 * - keys: stories `statuses, assigned_to, assigned_users, owners, tags, epics, roles`; tasks
 *   `statuses, assigned_to, owners, tags, roles`; issues `types, statuses, priorities,
 *   severities, assigned_to, owners, tags, roles`; epics `statuses, assigned_to, owners, tags`;
 * - `assigned_to` lists the unassigned row and EVERY member (count 0 included) by name;
 *   `owners` only those with a count; `tags` every tag of the project's `tags_colors`;
 * - no `project`, or an unknown one: 404 `{"_error_message": ""}` (401 when anonymous).
 *
 * @module
 */

import { filterItems } from "../filters.ts";
import { type Ctx, json } from "../http.ts";
import type { KindDef } from "../kinds.ts";
import type { Router } from "../router.ts";
import type { Item, Project, SettingKind } from "../state.ts";
import { toInt } from "../util.ts";
import { objectOrError, visibleProjects } from "./common.ts";

type Row = Record<string, unknown>;

/** The items of the project the caller sees, filtered by every filter but `own`'s. */
function itemsWithout(ctx: Ctx, def: KindDef, project: Project, own: string): Item[] {
  const query = new URLSearchParams(ctx.query);
  query.delete(own);
  query.delete(`exclude_${own}`);
  query.delete("order_by");
  const visible = visibleProjects(ctx, def.perms.view);
  const all = visible.has(project.id)
    ? [...ctx.state.items[def.kind].values()].filter((i) => i.project === project.id)
    : [];
  return filterItems({ ...ctx, query }, def, all);
}

function byName(a: Row, b: Row): number {
  const x = String(a.full_name);
  const y = String(b.full_name);
  return x < y ? -1 : x > y ? 1 : 0;
}

function settingFacet(ctx: Ctx, kind: SettingKind, project: Project, items: Item[], field: string) {
  return ctx.state.settingsOf(kind, project.id).map((s) => ({
    id: s.id,
    name: s.name,
    color: s.color,
    order: s.order,
    count: items.filter((i) => (i as unknown as Record<string, unknown>)[field] === s.id).length,
  }));
}

function members(ctx: Ctx, project: Project) {
  return ctx.state.membershipsOf(project.id).filter((m) => m.user !== null)
    .map((m) => ctx.state.users.get(m.user!)!);
}

function photos(ctx: Ctx, id: number | null): Row {
  const u = id === null ? undefined : ctx.state.users.get(id);
  return { photo: null, big_photo: null, gravatar_id: u?.gravatar_id ?? null };
}

/** Users of a story: its assigned users, else its assignee. */
function storyUsers(us: Item): number[] {
  return us.assigned_users.length
    ? us.assigned_users
    : us.assigned_to === null
    ? []
    : [us.assigned_to];
}

function people(
  ctx: Ctx,
  project: Project,
  items: Item[],
  of: (i: Item) => number[],
  withPhotos: boolean,
  keepEmpty: boolean,
): Row[] {
  const rows: Row[] = members(ctx, project).map((u) => ({
    id: u.id,
    full_name: u.full_name || u.username,
    count: items.filter((i) => of(i).includes(u.id)).length,
    ...(withPhotos ? photos(ctx, u.id) : {}),
  }));
  if (keepEmpty) {
    rows.push({
      id: null,
      full_name: "",
      count: items.filter((i) => of(i).length === 0).length,
      ...(withPhotos ? photos(ctx, null) : {}),
    });
  }
  return rows.filter((r) => keepEmpty || (r.count as number) > 0).sort(byName);
}

function tagFacet(project: Project, items: Item[]): Row[] {
  return Object.keys(project.tags_colors).sort().map((t) => ({
    name: t,
    color: project.tags_colors[t] ?? null,
    count: items.filter((i) => i.tags.includes(t)).length,
  }));
}

function roleFacet(ctx: Ctx, project: Project, items: Item[]): Row[] {
  return ctx.state.rolesOf(project.id).map((r) => ({
    id: r.id,
    name: r.name,
    color: null,
    order: r.order,
    count: items.filter((i) => {
      const users = i.kind === "userstory"
        ? storyUsers(i)
        : i.assigned_to === null
        ? []
        : [i.assigned_to];
      return users.some((u) => ctx.state.membershipOf(u, project.id)?.role === r.id);
    }).length,
  }));
}

function epicFacet(ctx: Ctx, project: Project, items: Item[]): Row[] {
  const epicsOf = (us: Item) =>
    [...ctx.state.relatedStories.values()].filter((r) => r.user_story === us.id).map((r) => r.epic);
  const rows: Row[] = [...ctx.state.items.epic.values()].filter((e) => e.project === project.id)
    .map((e) => ({
      id: e.id,
      ref: e.ref,
      subject: e.subject,
      order: e.epics_order,
      count: items.filter((us) => epicsOf(us).includes(e.id)).length,
    }))
    .sort((a, b) =>
      (a.order as number) - (b.order as number) || (a.id as number) - (b.id as number)
    );
  const none = items.filter((us) => epicsOf(us).length === 0).length;
  return [{ id: null, ref: null, subject: null, order: 0, count: none }, ...rows];
}

function filtersData(def: KindDef) {
  return (ctx: Ctx) => {
    const project = objectOrError(
      ctx,
      ctx.state.projects.get(toInt(ctx.query.get("project")) ?? -1),
    );
    const facet = (own: string) => itemsWithout(ctx, def, project, own);
    const assignee = (i: Item) => (i.assigned_to === null ? [] : [i.assigned_to]);
    const owner = (i: Item) => (i.owner === null ? [] : [i.owner]);
    const story = def.kind === "userstory";
    const out: Row = {};
    if (def.kind === "issue") {
      out.types = settingFacet(ctx, "issue_type", project, facet("type"), "type");
    }
    out.statuses = settingFacet(ctx, def.statusKind, project, facet("status"), "status");
    if (def.kind === "issue") {
      out.priorities = settingFacet(ctx, "priority", project, facet("priority"), "priority");
      out.severities = settingFacet(ctx, "severity", project, facet("severity"), "severity");
    }
    out.assigned_to = people(ctx, project, facet("assigned_to"), assignee, false, true);
    if (story) {
      out.assigned_users = people(ctx, project, facet("assigned_users"), storyUsers, true, true);
    }
    out.owners = people(ctx, project, facet("owner"), owner, story, false);
    out.tags = tagFacet(project, facet("tags"));
    if (story) out.epics = epicFacet(ctx, project, facet("epic"));
    if (def.kind !== "epic") out.roles = roleFacet(ctx, project, facet("role"));
    return json(out);
  };
}

/** Registers `filters_data` of a kind (before its `/:id` routes). */
export function filtersDataRoutes(router: Router, def: KindDef): void {
  router.get(`/${def.plural}/filters_data`, filtersData(def));
}
