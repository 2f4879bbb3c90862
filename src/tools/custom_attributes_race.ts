/**
 * Taiga replaces an item's whole custom-attribute set on every write and never refuses a stale
 * version of it, so a write racing another silently erases the other's values. This module finds
 * what the other writers set — from the item's history, where Taiga records each change as a
 * `custom_attributes` diff `[before, after]` — so the tool can put it back.
 * @module
 */

import type { Session } from "../sessions/store.ts";
import type { KindInfo } from "../taiga/kinds.ts";

interface FrozenValue {
  id: number;
  value: unknown;
}

interface HistoryEntry {
  diff?: { custom_attributes?: [FrozenValue[] | null, FrozenValue[] | null] };
}

function changesOf(entry: HistoryEntry): Record<string, unknown> {
  const [before, after] = entry.diff?.custom_attributes ?? [null, null];
  const old = new Map((before ?? []).map((attribute) => [attribute.id, attribute.value]));
  const changes: Record<string, unknown> = {};
  for (const attribute of after ?? []) {
    if (JSON.stringify(old.get(attribute.id)) !== JSON.stringify(attribute.value)) {
      changes[String(attribute.id)] = attribute.value;
    }
  }
  for (const attribute of before ?? []) {
    if (!(after ?? []).some((kept) => kept.id === attribute.id)) {
      changes[String(attribute.id)] = null;
    }
  }
  return changes;
}

/**
 * The values (attribute id → value) that `others` writes made just before ours, oldest first so
 * the newest wins; undefined when the history does not show them.
 */
export async function overwrittenValues(
  session: Session,
  info: KindInfo,
  itemId: number,
  others: number,
  signal?: AbortSignal,
): Promise<Record<string, unknown> | undefined> {
  const history = await session.client.get<HistoryEntry[]>(
    `history/${info.historyKey}/${itemId}`,
    { type: "activity", page_size: 50 },
    signal,
  );
  const writes = history.filter((entry) => Array.isArray(entry.diff?.custom_attributes));
  // Newest first: ours, then the ones we overwrote.
  const theirs = writes.slice(1, 1 + others);
  if (theirs.length < others) return undefined;
  return Object.assign({}, ...theirs.reverse().map(changesOf));
}
