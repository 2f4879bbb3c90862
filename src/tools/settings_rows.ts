/**
 * How the value-list tools show a value (compact row or Taiga's JSON), check the settings a
 * call passes against the list, and page a list read whole.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import type { ListArgs } from "../mcp/listing.ts";
import { InputError } from "../taiga/errors.ts";
import {
  colorField,
  type ValueListInfo,
  type ValueOption,
  type ValueRow,
} from "./settings_lists.ts";

type Raw = Record<string, unknown>;

/** One value as the tools show it. */
export const valueRowSchema: () => z.ZodObject = lazy(() =>
  z.looseObject({
    name: z.string(),
    position: z.number().optional().describe("1 = first"),
  })
);

/** A value in compact form: name, position, the settings it has, whether it is the default. */
export function compactValue(
  list: ValueListInfo,
  row: ValueRow,
  position: number,
  defaultId: number | null,
): Raw {
  const raw = row.raw;
  const has = (option: ValueOption): boolean => list.options.includes(option);
  const lanes = Array.isArray(raw.statuses) ? raw.statuses as Raw[] : [];
  const limits = Object.fromEntries(
    lanes.filter((s) => typeof s.wip_limit === "number")
      .map((s) => [String(s.name), s.wip_limit]),
  );
  return {
    id: row.id,
    name: row.name,
    position,
    ...(has("color") && typeof raw.color === "string" ? { color: raw.color } : {}),
    ...(has("closed") ? { closed: raw.is_closed === true } : {}),
    ...(has("archived") && raw.is_archived === true ? { archived: true } : {}),
    ...(has("wip_limit") && typeof raw.wip_limit === "number" ? { wip_limit: raw.wip_limit } : {}),
    ...(has("points_value") ? { value: typeof raw.value === "number" ? raw.value : null } : {}),
    ...(Object.keys(limits).length > 0 ? { wip_limits: limits } : {}),
    ...(row.id === defaultId ? { default: true } : {}),
  };
}

/** The settings a create or update may pass, as tool arguments. */
export interface ValueSettings {
  /** Hex colour. */
  color?: string;
  /** Statuses: counts as closed. */
  closed?: boolean;
  /** Story statuses: archived (hidden from the Kanban board). */
  archived?: boolean;
  /** Story statuses: WIP limit (null: none). */
  wip_limit?: number | null;
  /** Points: the numeric value (null: "?"). */
  points_value?: number | null;
}

const TAIGA_FIELD: Readonly<Record<ValueOption, string>> = {
  color: "color",
  closed: "is_closed",
  archived: "is_archived",
  wip_limit: "wip_limit",
  points_value: "value",
};

/** The input fields of the settings (shared by create_value and update_value). */
export const settingFields = lazy(() => ({
  color: colorField().optional(),
  closed: z.boolean().optional().describe("Statuses: items in it count as closed"),
  archived: z.boolean().optional().describe("User story statuses: hidden from the Kanban board"),
  wip_limit: z.number().int().min(1).max(10_000).nullable().optional().describe(
    "User story statuses: Kanban WIP limit, null for none",
  ),
  points_value: z.number().min(0).max(1_000_000).nullable().optional().describe(
    'Points: the number it counts for, null for "?"',
  ),
}));

/**
 * Taiga's body for the settings given, once each applies to `list`; a setting that does not
 * (a colour for points, a WIP limit for a task status…) is refused, naming those that do.
 */
export function settingsBody(list: ValueListInfo, settings: ValueSettings): Raw {
  const body: Raw = {};
  for (const option of Object.keys(TAIGA_FIELD) as ValueOption[]) {
    const value = settings[option];
    if (value === undefined) continue;
    if (!list.options.includes(option)) {
      const valid = list.options.length > 0 ? list.options.join(", ") : "none besides the name";
      throw new InputError(
        `${list.name} values have no ${option}. Settings they have: ${valid}.`,
        { argument: option, valid: [...list.options] },
      );
    }
    body[TAIGA_FIELD[option]] = value;
  }
  return body;
}

/** One page (or all) of a list read whole, with the paging facts of `listOutput`. */
export function pageOf<T>(items: readonly T[], args: ListArgs): {
  items: T[];
  paging: { total: number; returned: number; page: number; has_more: boolean; next_page?: number };
} {
  if (args.all) {
    return {
      items: [...items],
      paging: { total: items.length, returned: items.length, page: 1, has_more: false },
    };
  }
  const start = (args.page - 1) * args.limit;
  const page = items.slice(start, start + args.limit);
  const more = start + args.limit < items.length;
  return {
    items: page,
    paging: {
      total: items.length,
      returned: page.length,
      page: args.page,
      has_more: more,
      ...(more ? { next_page: args.page + 1 } : {}),
    },
  };
}
