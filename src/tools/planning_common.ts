/**
 * What the planning tools share: items as one readable line ("#12 Pay with card"), every item
 * of a list, and the error of a run of writes that stopped midway (saying what was done).
 * @module
 */

import { ALL_ITEMS_CAP } from "../mcp/args.ts";
import type { Session } from "../sessions/store.ts";
import { InputError, TaigaError } from "../taiga/errors.ts";
import { KINDS } from "../taiga/kinds.ts";
import { fetchItem, parseRef } from "../taiga/reads.ts";
import { fetchAll } from "../taiga/pagination.ts";
import type { RawItem } from "../taiga/types.ts";
import type { QueryValue } from "../taiga/url.ts";

/** An item as one line: `#ref subject`. */
export function itemLine(raw: RawItem): string {
  return `#${raw.ref} ${String(raw.subject ?? "")}`;
}

/** Orders items by a numeric order field, then id (Taiga's tie-break). */
export function byOrder(field: string): (a: RawItem, b: RawItem) => number {
  return (a, b) => (Number(a[field]) || 0) - (Number(b[field]) || 0) || a.id - b.id;
}

/**
 * Every item of `path` matching `query`. Stops at the list cap and says so: a planning tool
 * acting on part of a list without knowing it would move or report the wrong things.
 */
export async function everyItem(
  session: Session,
  path: string,
  query: Record<string, QueryValue>,
  signal: AbortSignal,
): Promise<RawItem[]> {
  const result = await fetchAll<RawItem>(session.client, path, query, {
    maxItems: ALL_ITEMS_CAP,
    signal,
  });
  if (result.truncated) {
    throw new TaigaError(
      "server",
      `More than ${ALL_ITEMS_CAP} items in ${path}; narrow the request (a project, a sprint).`,
    );
  }
  return result.items;
}

/**
 * The error of the write that failed after others succeeded: Taiga's reason, then what is
 * already done, so a retry does only the rest.
 */
export function stoppedMidway(error: unknown, done: readonly string[]): unknown {
  if (!(error instanceof TaigaError) || done.length === 0) return error;
  return new TaigaError(
    error.type,
    `${error.message} Already done before that: ${done.join("; ")}.`,
    { status: error.status, details: { ...error.details, done: [...done] } },
  );
}

/** Items by #ref or id; many refs cost one list walk instead of a request each. */
export async function fetchItems(
  session: Session,
  kind: "userstory" | "task" | "issue" | "epic",
  project: number,
  refs: ReadonlyArray<string | number>,
  signal: AbortSignal,
): Promise<RawItem[]> {
  const listed = refs.length > 5
    ? await everyItem(session, KINDS[kind].path, { project }, signal)
    : [];
  const found = await Promise.all(refs.map((value) => {
    const parsed = parseRef(value, true);
    const hit = parsed.project === undefined
      ? listed.find((i) => parsed.id !== undefined ? i.id === parsed.id : i.ref === parsed.ref)
      : undefined;
    return hit ?? fetchItem(session.client, kind, project, value, signal);
  }));
  const seen = new Set<number>();
  for (const item of found) {
    if (seen.has(item.id)) {
      throw new InputError(`${itemLine(item)} is listed twice; name each item once.`, {
        argument: "items",
      });
    }
    seen.add(item.id);
  }
  return found;
}

/** The one value `of` gives for every item, or an error naming what differs (by `label`). */
export function common<T>(
  items: RawItem[],
  of: (i: RawItem) => T,
  what: string,
  fix: string,
  label: (value: T) => string = (value) => String(value),
): T {
  const values = new Map<T, string[]>();
  for (const item of items) values.set(of(item), [...values.get(of(item)) ?? [], `#${item.ref}`]);
  if (values.size === 1) return [...values.keys()][0];
  const groups = [...values].map(([value, refs]) =>
    `${value === null || value === undefined ? "none" : label(value)}: ${refs.join(", ")}`
  );
  throw new InputError(`The items are in different ${what} (${groups.join("; ")}). ${fix}`, {
    argument: "items",
  });
}
