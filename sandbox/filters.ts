/**
 * List filters of the item endpoints (taiga-back `taiga/base/filters.py`, §7):
 * plain (`project`, `project__slug`, `milestone`, `milestone__isnull`, `user_story`,
 * `status__is_closed`, `is_closed`, `status__is_archived`), related with comma ids and
 * `null` plus `exclude_*` (status, assigned_to, assigned_users, owner, role, epic, type,
 * severity, priority), `tags` (any), `watchers`, `q`, dates with `__lt/__gt/__lte/__gte`,
 * and `order_by` (whitelisted per kind, see `ordering.ts`).
 *
 * @module
 */

import { type Ctx, taigaError } from "./http.ts";
import { isClosed } from "./items.ts";
import type { KindDef } from "./kinds.ts";
import { applyOrderBy } from "./ordering.ts";
import type { Item } from "./state.ts";
import { queryBool, queryInt } from "./routes/common.ts";
import { toInt } from "./util.ts";

const PARAMS_ERROR = "Error in filter params types.";

function idList(raw: string): (number | null)[] {
  return raw.split(",").filter((s) => s !== "").map((s) => {
    if (s === "null") return null;
    const n = toInt(s);
    if (n === undefined) throw taigaError(400, PARAMS_ERROR, "BadRequest");
    return n;
  });
}

function relatedValues(ctx: Ctx, item: Item, filter: string): (number | null)[] {
  switch (filter) {
    case "assigned_users":
      return item.assigned_users.length ? item.assigned_users : [null];
    case "role": {
      const users = item.kind === "userstory" && item.assigned_users.length
        ? item.assigned_users
        : [item.assigned_to];
      return users.map((u) =>
        u === null ? null : ctx.state.membershipOf(u, item.project)?.role ?? null
      );
    }
    case "epic": {
      const epics = [...ctx.state.relatedStories.values()].filter((r) => r.user_story === item.id)
        .map((r) => r.epic);
      return epics.length ? epics : [null];
    }
    default:
      return [(item as unknown as Record<string, number | null>)[filter] ?? null];
  }
}

function compareDates(value: string | null, op: string, arg: string): boolean {
  if (value === null) return false;
  const a = value.length === 10 ? value : value;
  const b = arg;
  switch (op) {
    case "gt":
      return a > b;
    case "gte":
      return a >= b || a.startsWith(b);
    case "lt":
      return a < b;
    case "lte":
      return a <= b || a.startsWith(b);
    default:
      return a.startsWith(b);
  }
}

/** Applies the query's filters and ordering to the items of one kind. */
export function filterItems(ctx: Ctx, def: KindDef, items: Item[]): Item[] {
  const q = ctx.query;
  let list = items;
  const project = queryInt(ctx, "project");
  if (project !== undefined) list = list.filter((i) => i.project === project);
  const slug = q.get("project__slug");
  if (slug) list = list.filter((i) => ctx.state.projects.get(i.project)?.slug === slug);

  for (const name of ["milestone", "user_story"]) {
    const raw = q.get(name);
    if (raw === null || raw === "") continue;
    const want = raw === "null" ? null : toInt(raw);
    if (want === undefined) {
      throw taigaError(400, `'${name}' must be an integer value.`, "BadRequest");
    }
    list = list.filter((i) => (i as unknown as Record<string, unknown>)[name] === want);
  }
  const noMilestone = queryBool(ctx, "milestone__isnull");
  if (noMilestone !== undefined) list = list.filter((i) => (i.milestone === null) === noMilestone);
  for (const name of ["status__is_closed", "is_closed"]) {
    const v = queryBool(ctx, name);
    if (v !== undefined) list = list.filter((i) => isClosed(ctx.state, i) === v);
  }
  const archived = queryBool(ctx, "status__is_archived");
  if (archived !== undefined) {
    list = list.filter((i) =>
      (i.status !== null && ctx.state.settings.us_status.get(i.status)?.is_archived === true) ===
        archived
    );
  }

  for (const filter of [...def.relatedFilters, "watchers"]) {
    for (const exclude of [false, true]) {
      const raw = q.get(exclude ? `exclude_${filter}` : filter);
      if (raw === null || raw === "") continue;
      const wanted = new Set(idList(raw));
      list = list.filter((i) => {
        const values = filter === "watchers" ? i.watchers : relatedValues(ctx, i, filter);
        const hit = values.some((v) => wanted.has(v));
        return exclude ? !hit : hit;
      });
    }
  }

  for (const exclude of [false, true]) {
    const raw = q.get(exclude ? "exclude_tags" : "tags");
    if (!raw) continue;
    const tags = new Set(raw.split(",").map((t) => t.trim()).filter(Boolean));
    list = list.filter((i) => i.tags.some((t) => tags.has(t)) !== exclude);
  }

  const text = q.get("q")?.trim().toLowerCase();
  if (text) {
    list = list.filter((i) =>
      i.subject.toLowerCase().includes(text) ||
      i.description.toLowerCase().includes(text) ||
      i.tags.some((t) => t.toLowerCase().includes(text)) ||
      String(i.ref) === text.replace(/^#/, "")
    );
  }

  for (const field of def.dateFilters) {
    for (const op of ["", "gt", "gte", "lt", "lte"]) {
      const arg = q.get(op ? `${field}__${op}` : field);
      if (!arg) continue;
      list = list.filter((i) =>
        compareDates((i as unknown as Record<string, string | null>)[field], op, arg)
      );
    }
  }

  return applyOrderBy(ctx, def, list.slice().sort(def.order));
}
