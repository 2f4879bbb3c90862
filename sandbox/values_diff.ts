/**
 * A history entry's `values` (names of the ids its diff mentions, `freeze_impl.py *_values`)
 * and `values_diff` (the readable diff, `HistoryEntry.values_diff` in `history/models.py`):
 * foreign keys become names, `assigned_users` a comma-joined name list, `points` a
 * `{role name: [old, new]}` dict of the roles that changed, texts an HTML diff
 * (`description_diff`…), attachments, custom attributes and an epic's stories
 * `{new, changed, deleted}` lists; other fields pass through.
 *
 * @module
 */

import type { Diff, Frozen } from "./freeze.ts";
import { htmlDiff } from "./htmldiff.ts";
import type { SandboxState, SettingKind } from "./state.ts";

/** `{table: {"<id>": name}}`. */
export type Values = Record<string, Record<string, string>>;

const STATUS_TABLE: Record<string, SettingKind> = {
  "userstories.userstory": "us_status",
  "tasks.task": "task_status",
  "issues.issue": "issue_status",
  "epics.epic": "epic_status",
};

function ids(pair: [unknown, unknown]): number[] {
  return pair.filter((v): v is number => typeof v === "number");
}

function names(
  list: number[],
  name: (id: number) => string | undefined,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const id of list) {
    const n = name(id);
    if (n !== undefined) out[String(id)] = n;
  }
  return out;
}

/** The `values` of a diff, for an object of `typename` (`userstories.userstory`…). */
export function valuesOf(state: SandboxState, typename: string, diff: Diff): Values {
  const users = new Set<number>();
  if (diff.assigned_to) ids(diff.assigned_to).forEach((u) => users.add(u));
  if (diff.assigned_users) {
    for (const list of diff.assigned_users) {
      if (Array.isArray(list)) list.forEach((u) => typeof u === "number" && users.add(u));
    }
  }
  const fullName = (id: number) => {
    const u = state.users.get(id);
    return u ? u.full_name || u.username : undefined;
  };
  const values: Values = { users: names([...users], fullName) };
  const setting = (kind: SettingKind) => (id: number) => state.settings[kind].get(id)?.name;
  const statusTable = STATUS_TABLE[typename];
  if (!statusTable) return values;
  if (diff.status) values.status = names(ids(diff.status), setting(statusTable));
  if (typename === "epics.epic") return values;
  if (diff.milestone) {
    values.milestone = names(ids(diff.milestone), (id) => state.milestones.get(id)?.name);
  }
  if (typename === "userstories.userstory") {
    if (diff.swimlane) values.swimlane = names(ids(diff.swimlane), setting("swimlane"));
    if (diff.points) {
      const roles = new Set<number>();
      const points = new Set<number>();
      for (const entry of diff.points as (Record<string, number> | null)[]) {
        for (const [role, p] of Object.entries(entry ?? {})) {
          roles.add(Number(role));
          points.add(p);
        }
      }
      values.roles = names([...roles], (id) => state.roles.get(id)?.name);
      values.points = names([...points], setting("points"));
    }
  } else if (typename === "issues.issue") {
    for (const [field, kind] of [["priority", "priority"], ["severity", "severity"]] as const) {
      if (diff[field]) values[field] = names(ids(diff[field]), setting(kind));
    }
    if (diff.type) values.type = names(ids(diff.type), setting("issue_type"));
  } else if (typename === "tasks.task" && diff.user_story) {
    values.user_story = names(ids(diff.user_story), (id) => {
      const us = state.items.userstory.get(id);
      return us ? `#${us.ref} ${us.subject}` : undefined;
    });
  }
  return values;
}

const IGNORED = ["watchers", "description_diff", "content_diff", "blocked_note_diff"];
const TEXTS = ["description", "content", "blocked_note"];

function byId(list: unknown): Map<unknown, Frozen> {
  return new Map(((list ?? []) as Frozen[]).map((x) => [x.id, x]));
}

function changes(a: Frozen, b: Frozen, excluded: string[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (excluded.includes(k)) continue;
    if (JSON.stringify(a[k] ?? null) !== JSON.stringify(b[k] ?? null)) {
      out[k] = [a[k] ?? null, b[k] ?? null];
    }
  }
  return out;
}

function attachmentsDiff([before, after]: [unknown, unknown]) {
  const old = byId(before);
  const now = byId(after);
  const out = { new: [] as Frozen[], changed: [] as Frozen[], deleted: [] as Frozen[] };
  for (const id of new Set([...old.keys(), ...now.keys()])) {
    const a = old.get(id);
    const b = now.get(id);
    if (a && b) {
      const c = changes(a, b, ["filename", "url", "thumb_url", "order"]);
      if (Object.keys(c).length) {
        out.changed.push({ filename: b.filename, url: b.url, thumb_url: "", changes: c });
      }
    } else if (a) out.deleted.push(a);
    else if (b) out.new.push(b);
  }
  return out.new.length || out.changed.length || out.deleted.length ? out : undefined;
}

function customValueDiff(type: unknown, before: unknown, after: unknown): unknown {
  if (type === "number" || type === "checkbox") return [before ?? null, after ?? null];
  return htmlDiff(String(before ?? ""), String(after ?? ""));
}

function customAttributesDiff([before, after]: [unknown, unknown]) {
  const old = byId(before);
  const now = byId(after);
  const out = { new: [] as Frozen[], changed: [] as Frozen[], deleted: [] as Frozen[] };
  for (const id of new Set([...old.keys(), ...now.keys()])) {
    const a = old.get(id);
    const b = now.get(id);
    if (a && b) {
      const c = changes(a, b, ["name", "type"]);
      if (!Object.keys(c).length) continue;
      const type = b.type ?? "text";
      out.changed.push({
        name: b.name ?? "",
        changes: c,
        type,
        value_diff: customValueDiff(type, a.value, b.value),
      });
    } else if (a) out.deleted.push(a);
    else if (b) out.new.push({ ...b, value_diff: customValueDiff(b.type, undefined, b.value) });
  }
  return out.new.length || out.changed.length || out.deleted.length ? out : undefined;
}

function pointsDiff([before, after]: [unknown, unknown], values: Values) {
  const old = (before ?? {}) as Record<string, number>;
  const out: Record<string, unknown[]> = {};
  for (const [role, p] of Object.entries((after ?? {}) as Record<string, number>)) {
    const name = values.roles?.[role] ?? role;
    const a = old[role] === undefined ? null : values.points?.[String(old[role])] ?? null;
    const b = values.points?.[String(p)] ?? null;
    if (a !== b) out[name] = [a, b];
  }
  return Object.keys(out).length ? out : undefined;
}

function storiesDiff([before, after]: [unknown, unknown]) {
  const old = byId(before);
  const now = byId(after);
  const out = {
    new: [...now.keys()].filter((id) => !old.has(id)).map((id) => now.get(id)),
    deleted: [...old.keys()].filter((id) => !now.has(id)).map((id) => old.get(id)),
  };
  return out.new.length || out.deleted.length ? out : undefined;
}

/** The readable `values_diff` of a diff and its `values`. */
export function valuesDiffOf(diff: Diff, values: Values): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  const name = (table: string) => (v: unknown) =>
    v === null || v === undefined ? null : values[table]?.[String(v)] ?? null;
  for (const [key, pair] of Object.entries(diff)) {
    if (IGNORED.includes(key)) continue;
    let value: unknown;
    let outKey = key;
    if (TEXTS.includes(key)) {
      const html = htmlDiff(String(pair[0] ?? ""), String(pair[1] ?? ""));
      if (!html) continue;
      outKey = `${key}_diff`;
      value = [null, html];
    } else if (key === "assigned_to" || key === "owner") value = pair.map(name("users"));
    else if (key === "assigned_users") {
      value = pair.map((list) => {
        const found = ((list ?? []) as number[]).map(name("users")).filter(Boolean);
        return (list as number[] | null)?.length ? found.join(", ") : null;
      });
    } else if (key === "points") value = pointsDiff(pair, values);
    else if (key === "attachments") value = attachmentsDiff(pair);
    else if (key === "custom_attributes") value = customAttributesDiff(pair);
    else if (key === "user_stories") value = storiesDiff(pair);
    else if (key in values) value = pair.map(name(key));
    else value = pair;
    if (value === undefined || value === null) continue;
    out[outKey] = value;
  }
  return out;
}
