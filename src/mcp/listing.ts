/**
 * The code that turns the list arguments (`limit`, `page`, `all`, see args.ts) into Taiga page
 * requests, with totals and a way to the next page — never a silent cut.
 * @module
 */

import type { TaigaClient } from "../taiga/client.ts";
import { fetchAll, fetchPage } from "../taiga/pagination.ts";
import type { QueryValue } from "../taiga/url.ts";
import { ALL_ITEMS_CAP } from "./args.ts";
import type { RequestContext } from "./context.ts";

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
  ctx: RequestContext,
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
