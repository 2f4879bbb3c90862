/**
 * Pagination over Taiga's `x-pagination-*` headers: one page at a time, or every page with
 * `page_size` 1000, capped, with progress reports. Nothing is ever silently truncated.
 * @module
 */

import { expectList } from "./answers.ts";
import type { TaigaClient } from "./client.ts";
import { InputError, TaigaError } from "./errors.ts";
import type { QueryValue } from "./url.ts";

/** Taiga's largest page (MAX_PAGINATE_BY). */
export const MAX_PAGE_SIZE = 1000;

/** One page of a list. */
export interface Page<T> {
  /** The items on this page. */
  items: T[];
  /** Total items across all pages (`x-pagination-count`). */
  total: number;
  /** 1-based page number. */
  page: number;
  /** Page size used. */
  pageSize: number;
  /** Whether a further page exists. */
  hasNext: boolean;
}

/** Options for {@link fetchPage}. */
export interface PageOptions {
  /** 1-based page number. */
  page: number;
  /** Items per page (1..1000). */
  pageSize: number;
  /** Cancellation. */
  signal?: AbortSignal;
}

/** Fetches one page of `path` with `query`. */
export async function fetchPage<T>(
  client: TaigaClient,
  path: string,
  query: Record<string, QueryValue>,
  options: PageOptions,
): Promise<Page<T>> {
  const pageSize = Math.min(Math.max(1, Math.trunc(options.pageSize)), MAX_PAGE_SIZE);
  try {
    const response = await client.request<unknown>("GET", path, {
      query: { ...query, page: options.page, page_size: pageSize },
      signal: options.signal,
    });
    // Anything but a list is not Taiga's answer: never reported as an empty list.
    const items = expectList<T>(response.data, client.apiUrl, `GET /${path}`);
    const headers = response.headers;
    if (headers.get("x-paginated") !== "true") {
      return { items, total: items.length, page: 1, pageSize: items.length, hasNext: false };
    }
    const total = Number(headers.get("x-pagination-count") ?? items.length);
    const hasNext = headers.has("x-pagination-next") ||
      options.page * pageSize < total;
    return { items, total, page: options.page, pageSize, hasNext };
  } catch (error) {
    if (error instanceof TaigaError && error.type === "not_found" && options.page > 1) {
      throw new InputError(
        `Page ${options.page} is past the last page of this list. Start again from page 1.`,
        { argument: "page" },
      );
    }
    throw error;
  }
}

/** Progress callback: items fetched so far and the total. */
export type ProgressReport = (done: number, total: number) => void | Promise<void>;

/** Options for {@link fetchAll}. */
export interface AllOptions {
  /** Stop after this many items (the result then says `truncated`). */
  maxItems: number;
  /** Called after each page. */
  onProgress?: ProgressReport;
  /** Cancellation. */
  signal?: AbortSignal;
}

/** Every item of a list, in as few requests as Taiga allows. */
export interface AllResult<T> {
  /** The items fetched. */
  items: T[];
  /** Total items Taiga has. */
  total: number;
  /** True when `maxItems` stopped the walk before the end. */
  truncated: boolean;
  /** Requests made. */
  requests: number;
}

/** Walks every page with `page_size` 1000 until the end or `maxItems`. */
export async function fetchAll<T>(
  client: TaigaClient,
  path: string,
  query: Record<string, QueryValue>,
  options: AllOptions,
): Promise<AllResult<T>> {
  const items: T[] = [];
  let total = 0;
  let requests = 0;
  for (let page = 1;; page++) {
    const result = await fetchPage<T>(client, path, query, {
      page,
      pageSize: MAX_PAGE_SIZE,
      signal: options.signal,
    });
    requests++;
    total = result.total;
    items.push(...result.items);
    await options.onProgress?.(Math.min(items.length, total), total);
    if (items.length >= options.maxItems) {
      const truncated = items.length > options.maxItems || result.hasNext;
      return { items: items.slice(0, options.maxItems), total, truncated, requests };
    }
    if (!result.hasNext || result.items.length === 0) {
      return { items, total, truncated: false, requests };
    }
  }
}
