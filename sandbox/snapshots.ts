/**
 * Changes that taiga-back records in the history of the object they hang on, without
 * bumping that object's version: its resource's `HistoryResourceMixin` snapshots
 * `get_object_for_snapshot(obj)` = the item (or wiki page), not the attachment or the
 * custom-attribute-values row (`attachments/api.py`, `custom_attributes/api.py`).
 *
 * The item's frozen snapshot holds `attachments` (`extract_attachments`: id, filename, url,
 * thumb_url, is_deprecated, description, order) and, for items, `custom_attributes` (the
 * project's attributes of that kind, by order then name, that have a value). A change of
 * either makes a `change` entry whose diff is `{"attachments"|"custom_attributes": [old,
 * new]}`; no diff and no comment makes no entry (`take_snapshot`). An attachment whose only
 * change is its `order`, `filename`, `url` or `thumb_url` is not a change
 * (`_make_diff_in_attachments`). Each entry also reaches the project timeline as a
 * `<model>.change` event. These entries count in the OCC window (see `occ.ts`).
 *
 * The `values_diff` shapes (`{new, changed, deleted}`) follow taiga-back's
 * `HistoryEntry.values_diff`, simplified: changed custom attributes carry
 * `{name, type, changes}` without the HTML `value_diff`.
 *
 * @module
 */

import { pushTimeline, recordHistory } from "./history.ts";
import { recordItemChange } from "./items.ts";
import type { Item, ItemKind, SandboxState, User } from "./state.ts";

/** What an attachment, a custom attribute value or a history diff entry freezes to. */
type Frozen = Record<string, unknown> & { id: number };

/** The history diff of a snapshot and its display form. */
type Change = { diff: Record<string, [unknown, unknown]>; valuesDiff: Record<string, unknown> };

const NO_CHANGE: Change = { diff: {}, valuesDiff: {} };

/** The object a snapshot is taken of: a work item or a wiki page. */
export type SnapshotTarget = { kind: ItemKind | "wiki"; id: number };

/** The object's attachments as taiga-back's `extract_attachments` freezes them. */
export function frozenAttachments(
  state: SandboxState,
  target: SnapshotTarget,
  origin: string,
): Frozen[] {
  return [...state.attachments.values()]
    .filter((a) => a.kind === target.kind && a.object_id === target.id)
    .sort((a, b) => a.order - b.order || a.id - b.id)
    .map((a) => ({
      id: a.id,
      filename: `attachments/${a.id}/${a.name}`,
      url: `${origin}/media/attachments/${a.id}/${encodeURIComponent(a.name)}`,
      thumb_url: null,
      is_deprecated: a.is_deprecated,
      description: a.description,
      order: a.order,
    }));
}

/** The item's custom attribute values as taiga-back's `extract_*_custom_attributes`. */
export function frozenCustomAttributes(
  state: SandboxState,
  item: Item,
  values: Record<string, unknown>,
): Frozen[] {
  return [...state.customAttributes.values()]
    .filter((a) => a.kind === item.kind && a.project === item.project)
    .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name))
    .filter((a) => String(a.id) in values)
    .map((a) => ({ id: a.id, name: a.name, value: values[String(a.id)], type: a.type }));
}

/** `{field: [old, new]}` for the fields of two frozen records, minus `ignored`. */
function fieldChanges(a: Frozen, b: Frozen, ignored: string[]): Record<string, unknown[]> {
  const out: Record<string, unknown[]> = {};
  for (const field of new Set([...Object.keys(a), ...Object.keys(b)])) {
    if (ignored.includes(field)) continue;
    if (JSON.stringify(a[field]) !== JSON.stringify(b[field])) out[field] = [a[field], b[field]];
  }
  return out;
}

/** `{new, changed, deleted}` between two frozen lists; undefined when nothing counts. */
function listDiff(
  before: Frozen[],
  after: Frozen[],
  ignored: string[],
  changed: (old: Frozen, now: Frozen, changes: Record<string, unknown[]>) => unknown,
): Record<string, unknown[]> | undefined {
  const old = new Map(before.map((f) => [f.id, f]));
  const now = new Map(after.map((f) => [f.id, f]));
  const out: Record<string, unknown[]> = { new: [], changed: [], deleted: [] };
  for (const id of new Set([...old.keys(), ...now.keys()])) {
    const a = old.get(id);
    const b = now.get(id);
    if (a && b) {
      const changes = fieldChanges(a, b, ignored);
      if (Object.keys(changes).length) out.changed.push(changed(a, b, changes));
    } else if (a) out.deleted.push(a);
    else if (b) out.new.push(b);
  }
  return out.new.length || out.changed.length || out.deleted.length ? out : undefined;
}

/** Records the snapshot entry (and its timeline event) on an item or wiki page. */
function recordOn(
  state: SandboxState,
  target: SnapshotTarget,
  user: User | null,
  change: Change,
  comment: string,
): void {
  const { diff, valuesDiff } = change;
  if (Object.keys(diff).length === 0 && comment === "") return;
  if (target.kind === "wiki") {
    const page = state.wikiPages.get(target.id);
    const project = page && state.projects.get(page.project);
    if (!page || !project) return;
    const key = `wiki.wikipage:${page.id}`;
    recordHistory(state, {
      key,
      project: page.project,
      user: user?.id ?? null,
      type: 1,
      diff,
      valuesDiff,
      comment,
    });
    pushTimeline(state, project, user, {
      type: "wiki.wikipage.change",
      model: "wikipage",
      data: { wikipage: { id: page.id, slug: page.slug }, values_diff: valuesDiff },
      comment,
    });
    return;
  }
  const item = state.items[target.kind].get(target.id);
  if (!item || !state.projects.has(item.project)) return;
  recordItemChange(state, item, user, diff, valuesDiff, comment);
}

/**
 * Records an attachments change on the history of the object they belong to, when the
 * frozen lists differ in a way taiga-back counts (or a `comment` came with the request).
 */
export function recordAttachmentsChange(
  state: SandboxState,
  target: SnapshotTarget,
  user: User | null,
  before: Frozen[],
  after: Frozen[],
  comment = "",
): void {
  const ignored = ["filename", "url", "thumb_url", "order"];
  const counts = listDiff(before, after, ignored, () => null) !== undefined;
  const values = counts
    ? listDiff(before, after, ["filename", "url", "thumb_url"], (_a, b, changes) => ({
      filename: b.filename,
      url: b.url,
      changes,
    }))
    : undefined;
  const change: Change = counts && values
    ? { diff: { attachments: [before, after] }, valuesDiff: { attachments: values } }
    : NO_CHANGE;
  recordOn(state, target, user, change, comment);
}

/**
 * Records a custom-attribute-values change on the item's history (the values row has no
 * history of its own), when the frozen attributes differ or a `comment` came with it.
 */
export function recordCustomAttributesChange(
  state: SandboxState,
  item: Item,
  user: User | null,
  before: Frozen[],
  after: Frozen[],
  comment = "",
): void {
  const values = listDiff(before, after, ["name", "type"], (_a, b, changes) => ({
    name: b.name,
    type: b.type,
    changes,
  }));
  const change: Change = values
    ? { diff: { custom_attributes: [before, after] }, valuesDiff: { custom_attributes: values } }
    : NO_CHANGE;
  recordOn(state, { kind: item.kind, id: item.id }, user, change, comment);
}
