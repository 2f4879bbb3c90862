/**
 * `?order_by=` of the item lists, as taiga-back's `OrderByFilterMixin`
 * (`taiga/base/filters.py`):
 *
 * - one field, optionally prefixed with `-`; anything not in the viewset's `order_by_fields`
 *   (including a comma list) is silently ignored and the default order is kept;
 * - `owner` and `assigned_to` sort by the user's `full_name`;
 * - the query becomes `order_by(<field>, "-id")`: ties go by id, newest first;
 * - a foreign key sorts by the related model's `Meta.ordering` (statuses, priorities,
 *   severities, types: project, order, name; milestones: project, created_date; projects:
 *   name, id), reversed as a whole by `-`;
 * - PostgreSQL puts NULLs last when ascending and first when descending.
 *
 * The whitelists live in `kinds.ts` (`KindDef.orderBy`).
 *
 * @module
 */

import type { Ctx } from "./http.ts";
import type { KindDef } from "./kinds.ts";
import type { Item, SandboxState, SettingKind } from "./state.ts";
import { toInt } from "./util.ts";

type Key = string | number | null;

const SETTING_FIELDS: Record<string, SettingKind> = {
  type: "issue_type",
  severity: "severity",
  priority: "priority",
};

function projectKey(state: SandboxState, id: number): Key[] {
  const p = state.projects.get(id);
  return [p?.name ?? null, id];
}

function fullName(state: SandboxState, id: number | null): Key[] {
  return [id === null ? null : state.users.get(id)?.full_name ?? null];
}

/** The epic named first in `?epic=` (taiga-back annotates `epic_order` for that epic only). */
function firstEpic(ctx: Ctx): number | undefined {
  const raw = ctx.query.get("epic");
  return raw === null ? undefined : toInt(raw.split(",")[0]);
}

/** The sort key of an item for one whitelisted field (a tuple, compared left to right). */
function sortKey(ctx: Ctx, def: KindDef, item: Item, field: string): Key[] {
  const state = ctx.state;
  switch (field) {
    case "project":
      return projectKey(state, item.project);
    case "owner":
    case "assigned_to":
      return fullName(state, item[field]);
    case "total_voters":
      return [item.voters.length];
    case "milestone": {
      const m = item.milestone === null ? undefined : state.milestones.get(item.milestone);
      return m ? [...projectKey(state, m.project), m.created_date] : [null];
    }
    case "epic_order": {
      // Without ?epic= taiga-back attaches no epic_order at all (unverified what the
      // database then answers); every story has none here, so ties decide (-id).
      const epic = firstEpic(ctx);
      const rel = [...state.relatedStories.values()].find((r) =>
        r.epic === epic && r.user_story === item.id
      );
      return [rel?.order ?? null];
    }
    case "status":
    case "type":
    case "severity":
    case "priority": {
      const table = field === "status" ? def.statusKind : SETTING_FIELDS[field];
      const id = item[field];
      const row = id === null ? undefined : state.settings[table].get(id);
      return row ? [...projectKey(state, row.project), row.order, row.name] : [null];
    }
    default:
      return [(item as unknown as Record<string, Key>)[field] ?? null];
  }
}

/** Compares two keys; NULL sorts after everything (PostgreSQL ascending). */
function compareKeys(a: Key[], b: Key[]): number {
  for (let i = 0; i < Math.max(a.length, b.length); i++) {
    const x = a[i] ?? null;
    const y = b[i] ?? null;
    if (x === y) continue;
    if (x === null) return 1;
    if (y === null) return -1;
    if (typeof x === "number" && typeof y === "number") return x - y;
    const c = String(x).localeCompare(String(y));
    if (c !== 0) return c;
  }
  return 0;
}

/**
 * Sorts `list` in place for `?order_by=` when it names a whitelisted field of the kind;
 * otherwise leaves the default order untouched (Taiga ignores unknown fields silently).
 */
export function applyOrderBy(ctx: Ctx, def: KindDef, list: Item[]): Item[] {
  const raw = ctx.query.get("order_by");
  if (!raw) return list;
  const desc = raw.startsWith("-");
  const field = desc ? raw.slice(1) : raw;
  if (!def.orderBy.includes(field)) return list;
  const keyed = list.map((item) => ({ item, key: sortKey(ctx, def, item, field) }));
  keyed.sort((a, b) => {
    const c = compareKeys(a.key, b.key);
    return (desc ? -c : c) || b.item.id - a.item.id;
  });
  return keyed.map((k) => k.item);
}
