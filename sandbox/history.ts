/**
 * History entries (also the window the OCC stale-version rule reads); `snapshot.ts` makes them.
 *
 * taiga-back lists only `change` entries (type 1) that are not hidden; creation entries
 * (type 2) are kept for completeness. `?type=comment` keeps entries with a comment,
 * `?type=activity` entries with a diff and no comment (taiga-back `history/api.py`).
 *
 * @module
 */

import type { HistoryEntry, SandboxState } from "./state.ts";
import { renderMarkdown, uuid } from "./util.ts";

/** Appends a history entry and returns it. */
export function recordHistory(
  state: SandboxState,
  init: {
    key: string;
    project: number;
    user: number | null;
    type: 1 | 2 | 3;
    diff?: Record<string, [unknown, unknown]>;
    /** Names of the ids the diff mentions. */
    values?: Record<string, Record<string, string>>;
    /** Display form of the diff (`{new, changed, deleted}` for attachments...). */
    valuesDiff?: Record<string, unknown>;
    comment?: string;
    hidden?: boolean;
  },
): HistoryEntry {
  const comment = init.comment ?? "";
  const entry: HistoryEntry = {
    id: uuid(),
    user: init.user,
    created_at: state.nowIso(),
    type: init.type,
    key: init.key,
    diff: init.diff ?? {},
    values: init.values ?? { users: {} },
    values_diff: init.valuesDiff ?? init.diff ?? {},
    comment,
    comment_html: renderMarkdown(comment),
    delete_comment_date: null,
    delete_comment_user: null,
    edit_comment_date: null,
    comment_versions: null,
    is_hidden: init.hidden ?? false,
    project: init.project,
  };
  const list = state.history.get(init.key) ?? [];
  list.push(entry);
  state.history.set(init.key, list);
  return entry;
}

/**
 * Fields changed by the last `count` history entries of an object, whatever their type
 * (taiga-back `history/services.py` `get_modified_fields`: the newest `count` entries by
 * `created_at`, hidden ones and entries that bumped no version included).
 */
export function fieldsInLastEntries(state: SandboxState, key: string, count: number): Set<string> {
  const out = new Set<string>();
  if (count <= 0) return out;
  for (const entry of (state.history.get(key) ?? []).slice(-count)) {
    Object.keys(entry.diff).forEach((f) => out.add(f));
  }
  return out;
}

/** Listed entries of an object, newest first, filtered by `?type=`. */
export function listedHistory(
  state: SandboxState,
  key: string,
  type: string | null,
): HistoryEntry[] {
  let entries = (state.history.get(key) ?? []).filter((e) => e.type === 1 && !e.is_hidden);
  if (type === "comment") entries = entries.filter((e) => e.comment !== "");
  if (type === "activity") {
    entries = entries.filter((e) => e.comment === "" && Object.keys(e.diff).length > 0);
  }
  return entries.slice().reverse();
}

/** Number of (not deleted) comments on an object. */
export function commentCount(state: SandboxState, key: string): number {
  return (state.history.get(key) ?? []).filter((e) => e.comment !== "" && !e.delete_comment_date)
    .length;
}

/** Serialises a history entry like taiga-back's `HistoryEntrySerializer`. */
export function historyShape(state: SandboxState, e: HistoryEntry): Record<string, unknown> {
  const u = e.user === null ? undefined : state.users.get(e.user);
  return {
    id: e.id,
    user: u
      ? {
        pk: u.id,
        username: u.username,
        name: u.full_name || u.username,
        photo: null,
        is_active: u.is_active,
        gravatar_id: u.gravatar_id,
      }
      : { pk: null, username: null, name: "", photo: null, is_active: false, gravatar_id: null },
    created_at: e.created_at,
    type: e.type,
    key: e.key,
    diff: e.diff,
    snapshot: null,
    values: e.values,
    values_diff: e.values_diff,
    comment: e.comment,
    comment_html: e.comment_html,
    delete_comment_date: e.delete_comment_date,
    delete_comment_user: e.delete_comment_user,
    edit_comment_date: e.edit_comment_date,
    is_hidden: e.is_hidden,
    is_snapshot: false,
  };
}
