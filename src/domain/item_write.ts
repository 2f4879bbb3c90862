/**
 * Edits of work items through the versioned write: a named version is enforced, no version
 * means the latest one, re-read on every race so a payload built from the item (add an
 * assignee) is never stale.
 * @module
 */

import type { Session } from "../sessions/store.ts";
import type { KindInfo } from "../taiga/kinds.ts";
import type { RawItem } from "../taiga/types.ts";
import type { ProjectMetadata } from "./metadata.ts";
import { itemDetail } from "./shapes/item.ts";
import { conflictError, versionedWrite } from "./versioned_write.ts";

/** Options of {@link patchItem}. */
export interface PatchOptions {
  /** The version the caller says it edits; undefined: use the current one. */
  version?: number;
  /** Compact keys of the fields being changed (shown on a conflict). */
  shown: readonly string[];
  /** Metadata, for readable current values. */
  meta?: ProjectMetadata;
  /** Cancellation. */
  signal?: AbortSignal;
}

/** A PATCH body, or a function that builds it from the item as it is now (e.g. add an assignee). */
export type Payload = Record<string, unknown> | ((current: RawItem) => Record<string, unknown>);

/** PATCHes `payload` onto `current` following the version rules above; returns the new item. */
export async function patchItem(
  session: Session,
  info: KindInfo,
  current: RawItem,
  payload: Payload,
  options: PatchOptions,
): Promise<RawItem> {
  const path = `${info.path}/${current.id}`;
  const build = typeof payload === "function" ? payload : () => payload;
  const { saved } = await versionedWrite<RawItem>({
    key: `${session.client.apiUrl}/${path}`,
    current,
    version: options.version,
    read: () => session.client.get<RawItem>(path, undefined, options.signal),
    send: (base, version) =>
      session.client.patch<RawItem>(path, { ...build(base), version }, options.signal),
    conflict: (fresh, sent) => {
      const detail = itemDetail(info.kind, fresh, options.meta);
      const values: Record<string, unknown> = {};
      for (const key of options.shown) values[key] = detail[key] ?? null;
      const label = `${info.label[0].toUpperCase()}${info.label.slice(1)} #${fresh.ref}`;
      return conflictError(label, fresh.version, sent, values);
    },
  }, options.signal);
  return saved;
}
