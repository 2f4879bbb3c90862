/**
 * Safe edits of work items under Taiga's optimistic concurrency: a given `version` is enforced and a
 * conflict reports the current version and values; no version means read-then-PATCH with the
 * current one (last write wins for the fields sent), retried once if someone edits in between.
 * @module
 */

import type { Session } from "../../sessions/store.ts";
import { TaigaError } from "../../taiga/errors.ts";
import type { KindInfo } from "../../taiga/kinds.ts";
import type { ProjectMetadata } from "../metadata.ts";
import type { RawItem } from "../resolve.ts";
import { itemDetail } from "../shapes/item.ts";

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

function isConflict(error: unknown): boolean {
  return error instanceof TaigaError && error.type === "conflict";
}

/** The error telling the caller the item changed, with its current version and values. */
export function conflictError(
  info: KindInfo,
  fresh: RawItem,
  sentVersion: number,
  options: PatchOptions,
): TaigaError {
  const detail = itemDetail(info.kind, fresh, options.meta);
  const current: Record<string, unknown> = {};
  for (const key of options.shown) current[key] = detail[key] ?? null;
  const values = Object.entries(current).map(([key, value]) => `${key}=${JSON.stringify(value)}`)
    .join(", ");
  return new TaigaError(
    "conflict",
    `${info.label[0].toUpperCase()}${
      info.label.slice(1)
    } #${fresh.ref} was changed by someone else: you sent version ${sentVersion}, it is now at version ${fresh.version}.${
      values ? ` Current values of the fields you tried to change: ${values}.` : ""
    } If your change still makes sense, retry with version ${fresh.version} (or omit version to overwrite).`,
    {
      status: 400,
      details: { current_version: fresh.version, sent_version: sentVersion, current },
    },
  );
}

/** A PATCH body, or a function that builds it from the item as it is now (e.g. add an assignee). */
export type Payload = Record<string, unknown> | ((current: RawItem) => Record<string, unknown>);

/**
 * PATCHes `payload` onto `current` following the version rules above; returns the new item. A
 * payload built from the item is rebuilt from the fresh item before the retry, so an edit that
 * depends on the current values (add/remove an assignee) never resends stale ones.
 */
export async function patchItem(
  session: Session,
  info: KindInfo,
  current: RawItem,
  payload: Payload,
  options: PatchOptions,
): Promise<RawItem> {
  const path = `${info.path}/${current.id}`;
  const build = typeof payload === "function" ? payload : () => payload;
  const send = (item: RawItem, version: number) =>
    session.client.patch<RawItem>(path, { ...build(item), version }, options.signal);
  const version = options.version ?? current.version;
  try {
    return await send(current, version);
  } catch (error) {
    if (!isConflict(error)) throw error;
    const fresh = await session.client.get<RawItem>(path, undefined, options.signal);
    if (options.version !== undefined) throw conflictError(info, fresh, version, options);
    try {
      return await send(fresh, fresh.version);
    } catch (again) {
      if (!isConflict(again)) throw again;
      const latest = await session.client.get<RawItem>(path, undefined, options.signal);
      throw conflictError(info, latest, fresh.version, options);
    }
  }
}
