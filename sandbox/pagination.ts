/**
 * Taiga's list pagination (taiga-back `taiga/base/api/pagination.py`): a bare JSON array,
 * `page` 1-based (or `last`), `page_size` default 30 capped at 1000 (bad values → 30),
 * `x-paginated*` / `x-pagination-*` headers, absolute `X-Pagination-Next/Prev` links with
 * `page` replaced in place, 404 past the end, `x-disable-pagination` (any value) turns it
 * off, `x-lazy-pagination` drops the count.
 *
 * @module
 */

import { type Ctx, HttpError, json } from "./http.ts";

/** Default page size (`PAGINATE_BY`). */
export const PAGINATE_BY = 30;
/** Page size cap (`MAX_PAGINATE_BY`). */
export const MAX_PAGINATE_BY = 1000;

const BAD_PAGE = "Page is not 'last', nor can it be converted to an int.";

/** The page size a request asks for. */
export function pageSizeOf(query: URLSearchParams): number {
  const raw = query.get("page_size");
  if (raw === null || !/^\s*[+-]?\d+\s*$/.test(raw)) return PAGINATE_BY;
  const n = parseInt(raw, 10);
  if (n <= 0) return PAGINATE_BY;
  return Math.min(n, MAX_PAGINATE_BY);
}

/** Serialises `items` as a (possibly paginated) Taiga list response. */
export function paginated<T>(
  ctx: Ctx,
  items: readonly T[],
  serialize: (item: T) => unknown,
  extraHeaders: Record<string, string> = {},
): Response {
  if (ctx.req.headers.has("x-disable-pagination")) {
    return json(items.map(serialize), 200, extraHeaders);
  }
  const lazy = ctx.req.headers.has("x-lazy-pagination");
  const size = pageSizeOf(ctx.query);
  const count = items.length;
  const numPages = Math.max(1, Math.ceil(count / size));
  const rawPage = ctx.query.get("page") ?? "1";
  let page: number;
  if (/^\s*[+-]?\d+\s*$/.test(rawPage)) page = parseInt(rawPage, 10);
  else if (rawPage === "last") page = numPages;
  else throw new HttpError(404, { _error_message: BAD_PAGE });
  if (page < 1 || page > numPages) {
    // Django's EmptyPage is an InvalidPage too: taiga-back answers it with the same message.
    throw new HttpError(404, { _error_message: BAD_PAGE });
  }
  const slice = items.slice((page - 1) * size, page * size);
  const headers: Record<string, string> = {
    ...extraHeaders,
    "x-paginated": "true",
    "x-paginated-by": String(size),
    "x-pagination-current": String(page),
  };
  if (!lazy) headers["x-pagination-count"] = String(count);
  if (page < numPages) headers["X-Pagination-Next"] = withPage(ctx.url, page + 1);
  if (page > 1) headers["X-Pagination-Prev"] = withPage(ctx.url, page - 1);
  return json(slice.map(serialize), 200, headers);
}

function withPage(url: URL, page: number): string {
  const next = new URL(url.href);
  next.searchParams.set("page", String(page));
  return next.href;
}
