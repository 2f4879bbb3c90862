/**
 * The list arguments every list tool shares (`limit`, `page`, `all`) and the code that turns them
 * into Taiga page requests, with totals and a way to the next page — never a silent cut.
 * @module
 */

import { z } from "zod";
import type { QueryValue, TaigaClient } from "../taiga/client.ts";
import { fetchAll, fetchPage } from "../taiga/pagination.ts";
import type { ToolContext } from "./tool.ts";

/** Most items `all: true` returns before it stops and says so. */
export const ALL_ITEMS_CAP = 10_000;

/** Input fields for paging. */
export const listInput = {
  limit: z.number().int().min(1).max(1000).default(50).describe(
    "Items per page (1-1000, default 50)",
  ),
  page: z.number().int().min(1).default(1).describe("1-based page number (default 1)"),
  all: z.boolean().default(false).describe(
    `Return every item, walking pages of 1000 (up to ${ALL_ITEMS_CAP}); ignores limit/page`,
  ),
};

/** Output fields describing the page returned. */
export const listOutput = {
  total: z.number().describe("Items matching, across all pages"),
  returned: z.number(),
  page: z.number(),
  has_more: z.boolean(),
  next_page: z.number().optional().describe("Pass as `page` to get the next items"),
  truncated: z.boolean().optional().describe("True when `all` hit the cap"),
};

/** Paging arguments after validation. */
export interface ListArgs {
  /** Page size. */
  limit: number;
  /** Page number. */
  page: number;
  /** Walk every page. */
  all: boolean;
}

/** A page (or everything) of raw Taiga items plus the paging facts for the output. */
export interface Listed<T> {
  /** Raw items. */
  items: T[];
  /** Paging facts for the tool output. */
  paging: {
    total: number;
    returned: number;
    page: number;
    has_more: boolean;
    next_page?: number;
    truncated?: boolean;
  };
}

/** Fetches what the paging arguments ask for, reporting progress when walking every page. */
export async function listItems<T>(
  client: TaigaClient,
  path: string,
  query: Record<string, QueryValue>,
  args: ListArgs,
  ctx: ToolContext,
): Promise<Listed<T>> {
  if (args.all) {
    const result = await fetchAll<T>(client, path, query, {
      maxItems: ALL_ITEMS_CAP,
      signal: ctx.signal,
      onProgress: (done, total) => ctx.progress(done, total, `fetched ${done} of ${total}`),
    });
    return {
      items: result.items,
      paging: {
        total: result.total,
        returned: result.items.length,
        page: 1,
        has_more: result.truncated,
        ...(result.truncated ? { truncated: true } : {}),
      },
    };
  }
  const page = await fetchPage<T>(client, path, query, {
    page: args.page,
    pageSize: args.limit,
    signal: ctx.signal,
  });
  return {
    items: page.items,
    paging: {
      total: page.total,
      returned: page.items.length,
      page: page.page,
      has_more: page.hasNext,
      ...(page.hasNext ? { next_page: page.page + 1 } : {}),
    },
  };
}
