/**
 * The project's value lists as one table — statuses of each kind, points, priorities,
 * severities, issue types and swimlanes: Taiga's path and order key of each, what a value may
 * carry besides its name, the project default it feeds, and how many items use each value (what
 * moves when one is deleted). Status lists come from the kind table.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import type { ProjectMetadata } from "../domain/metadata.ts";
import { type Named, normaliseName, resolveNamed } from "../domain/names.ts";
import { ALL_ITEMS_CAP } from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import type { Session } from "../sessions/store.ts";
import { InputError } from "../taiga/errors.ts";
import { ITEM_KINDS, type ItemKind, KINDS } from "../taiga/kinds.ts";
import { fetchAll } from "../taiga/pagination.ts";

type Raw = Record<string, unknown>;

/** A setting a value may carry besides its name (the tool argument's name). */
export type ValueOption = "color" | "closed" | "archived" | "wip_limit" | "points_value";

/**
 * How items use a list's values: a facet of `filters_data` (over `field` of `kind`), or a field
 * of every story.
 */
type Usage = { facet: string; kind: ItemKind; field: string } | {
  storyField: "points" | "swimlane";
};

/** Everything the value-list tools need to know about one list. */
export interface ValueListInfo {
  /** The `list` argument value, e.g. `user_story_statuses`. */
  name: string;
  /** Human label of one value, e.g. "user story status". */
  label: string;
  /** Taiga collection path. */
  path: string;
  /** Key of `bulk_update_order`. */
  bulkKey: string;
  /** Project field holding the default value. */
  defaultKey: string;
  /** What uses the values, e.g. "user story". */
  item: string;
  /** Its plural, e.g. "user stories". */
  items: string;
  /** Settings besides the name. */
  options: readonly ValueOption[];
  /** How to count the items using each value. */
  usage: Usage;
}

function statusList(kind: ItemKind): ValueListInfo {
  const info = KINDS[kind];
  return {
    name: `${info.one}_statuses`,
    label: `${info.label} status`,
    path: `${info.historyKey}-statuses`,
    bulkKey: `bulk_${info.historyKey}_statuses`,
    // The project names its default after its list: us_statuses → default_us_status.
    defaultKey: `default_${info.metadataKeys.statuses.replace(/es$/, "")}`,
    item: info.label,
    items: info.labelPlural,
    // Only story statuses have Kanban columns (archived, WIP limit).
    options: kind === "userstory" ? ["color", "closed", "archived", "wip_limit"] : [
      "color",
      "closed",
    ],
    usage: { facet: "statuses", kind, field: "status" },
  };
}

function issueList(
  name: string,
  label: string,
  path: string,
  facet: string,
  field: string,
): ValueListInfo {
  return {
    name,
    label,
    path,
    bulkKey: `bulk_${name}`,
    defaultKey: `default_${label.replace(" ", "_")}`,
    item: KINDS.issue.label,
    items: KINDS.issue.labelPlural,
    options: ["color"],
    usage: { facet, kind: "issue", field },
  };
}

/** Every value list, in the order tools show them. */
export const VALUE_LISTS: readonly ValueListInfo[] = [
  ...ITEM_KINDS.map(statusList),
  {
    name: "points",
    label: "points value",
    path: "points",
    bulkKey: "bulk_points",
    defaultKey: "default_points",
    item: KINDS.userstory.label,
    items: KINDS.userstory.labelPlural,
    options: ["points_value"],
    usage: { storyField: "points" },
  },
  issueList("priorities", "priority", "priorities", "priorities", "priority"),
  issueList("severities", "severity", "severities", "severities", "severity"),
  issueList("issue_types", "issue type", "issue-types", "types", "type"),
  {
    name: "swimlanes",
    label: "swimlane",
    path: "swimlanes",
    bulkKey: "bulk_swimlanes",
    defaultKey: "default_swimlane",
    item: KINDS.userstory.label,
    items: KINDS.userstory.labelPlural,
    options: [],
    usage: { storyField: "swimlane" },
  },
];

/** The `list` argument of the value-list writes. */
export const valueListField: () => z.ZodEnum<Record<string, string>> = lazy(() =>
  z.enum(
    VALUE_LISTS.map((list) => list.name) as [string, ...string[]],
  )
);

/** The list named by a `list` argument value. */
export function valueList(name: string): ValueListInfo {
  return VALUE_LISTS.find((list) => list.name === name)!;
}

/** A colour as Taiga's tag validator accepts it (value lists take it unchecked). */
export const colorField: () => z.ZodString = lazy(() =>
  z.string().trim().regex(
    /^#([0-9a-fA-F]{6}|[0-9a-fA-F]{3})$/,
    'Use a hex colour like "#A8E440" or "#ccc"',
  ).describe('Hex, e.g. "#A8E440"')
);

/** A value of a list as read from Taiga. */
export interface ValueRow extends Named {
  /** Taiga's JSON. */
  raw: Raw;
}

/** "1 user story", "4 user stories". */
export function itemCount(list: ValueListInfo, count: number): string {
  return `${count} ${count === 1 ? list.item : list.items}`;
}

/** The values of `list` in the project, in display order. */
export async function fetchValues(
  ctx: RequestContext,
  session: Session,
  list: ValueListInfo,
  projectId: number,
): Promise<ValueRow[]> {
  const { items } = await fetchAll<Raw>(session.client, list.path, { project: projectId }, {
    maxItems: ALL_ITEMS_CAP,
    signal: ctx.signal,
  });
  return items
    .sort((a, b) => Number(a.order) - Number(b.order) || Number(a.id) - Number(b.id))
    .map((raw) => ({
      id: Number(raw.id),
      name: String(raw.name ?? ""),
      ...(typeof raw.slug === "string" ? { slug: raw.slug } : {}),
      raw,
    }));
}

/** The value named `value` (name, slug or id) among `rows`; unknown names list the valid ones. */
export function findValue(
  rows: readonly ValueRow[],
  list: ValueListInfo,
  value: string | number,
): ValueRow {
  return resolveNamed(rows, value, list.label);
}

/** Refuses a name another value of the list already has (names are matched loosely). */
export function checkFreeName(
  rows: readonly ValueRow[],
  list: ValueListInfo,
  name: string,
  self?: number,
): void {
  const taken = rows.find((row) =>
    row.id !== self && normaliseName(row.name) === normaliseName(name)
  );
  if (taken) {
    throw new InputError(
      `The ${list.label} "${taken.name}" already exists: pick another name.`,
      { argument: "name", taken: taken.name },
    );
  }
}

/** The id of the project's default value of `list`, if any. */
export function defaultOf(meta: ProjectMetadata, list: ValueListInfo): number | null {
  return meta.defaults[list.defaultKey.slice("default_".length)] ?? null;
}

/** Items using each value (by id); `atLeast` when the stories were too many to read all. */
export interface UsageCounts {
  /** Value id → items using it. */
  counts: Map<number, number>;
  /** The counts are lower bounds. */
  atLeast: boolean;
}

/** How many items use each value of `list` (one request, or the stories' pages). */
export async function usageCounts(
  ctx: RequestContext,
  session: Session,
  list: ValueListInfo,
  projectId: number,
): Promise<UsageCounts> {
  const counts = new Map<number, number>();
  const add = (id: unknown, n = 1): void => {
    if (typeof id === "number") counts.set(id, (counts.get(id) ?? 0) + n);
  };
  const usage = list.usage;
  if ("facet" in usage) {
    const data = await session.client.get<Raw>(
      `${KINDS[usage.kind].path}/filters_data`,
      { project: projectId },
      ctx.signal,
    );
    if (Array.isArray(data?.[usage.facet])) {
      for (const entry of data[usage.facet] as Raw[]) add(entry.id, Number(entry.count) || 0);
      return { counts, atLeast: false };
    }
    // No such facet (another Taiga version): count the items themselves; never assume zero.
  }
  const kind = "facet" in usage ? usage.kind : "userstory";
  const items = await fetchAll<Raw>(session.client, KINDS[kind].path, {
    project: projectId,
  }, { maxItems: ALL_ITEMS_CAP, signal: ctx.signal });
  for (const item of items.items) {
    if ("facet" in usage) add(item[usage.field]);
    else if (usage.storyField === "swimlane") add(item.swimlane);
    else {
      const points = item.points && typeof item.points === "object" ? item.points as Raw : {};
      new Set(Object.values(points)).forEach((id) => add(id));
    }
  }
  return { counts, atLeast: items.truncated };
}

/**
 * Puts value `id` at `position` (1 = first) and renumbers the list 1…n with
 * `bulk_update_order` (Taiga's orders are not dense, and new values get order 10).
 */
export async function placeValue(
  ctx: RequestContext,
  session: Session,
  list: Pick<ValueListInfo, "path" | "bulkKey">,
  projectId: number,
  rows: readonly Named[],
  id: number,
  position: number,
): Promise<void> {
  const others = rows.filter((row) => row.id !== id);
  const at = Math.min(Math.max(position, 1), others.length + 1) - 1;
  const ids = [
    ...others.slice(0, at).map((row) => row.id),
    id,
    ...others.slice(at).map((r) => r.id),
  ];
  await session.client.post(`${list.path}/bulk_update_order`, {
    project: projectId,
    [list.bulkKey]: ids.map((rowId, index) => [rowId, index + 1]),
  }, ctx.signal);
}
