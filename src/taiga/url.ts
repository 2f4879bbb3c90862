/**
 * Taiga URLs: the API base normalised from what people write (`https://api.taiga.io`,
 * `…/api/v1/`, trailing slashes), and request URLs built without the trailing slash Taiga
 * answers with an HTML 404.
 * @module
 */

import { InputError } from "./errors.ts";

/** A normalised Taiga location. */
export interface TaigaUrl {
  /** API base, always ending in `/api/v1`, e.g. `https://api.taiga.io/api/v1`. */
  apiUrl: string;
  /** Host key (token-cache key), e.g. `https://api.taiga.io`. */
  host: string;
}

/**
 * Normalises a Taiga URL given with or without `/api/v1`, with trailing slashes or surrounding
 * whitespace. Throws an {@link InputError} whose message is the problem alone (e.g. "must start
 * with http:// or https://"); `details.showValue` is false when the value must not be quoted
 * (it holds a password).
 */
export function parseApiUrl(input: string): TaigaUrl {
  const trimmed = input.trim();
  const fail = (problem: string, showValue = true): InputError =>
    new InputError(problem, { showValue });
  let url: URL;
  try {
    url = new URL(trimmed);
  } catch {
    const hint = trimmed !== "" && !trimmed.includes("://") ? ` (e.g. https://${trimmed})` : "";
    throw fail(`must be an http:// or https:// URL${hint}`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:") {
    throw fail("must start with http:// or https://");
  }
  if (url.username !== "" || url.password !== "") {
    throw fail("must not contain a user name or password", false);
  }
  if (url.search !== "" || url.hash !== "") throw fail("must not contain a query or fragment");
  const path = url.pathname.replace(/\/{2,}/g, "/").replace(/\/+$/, "")
    .replace(/\/api(\/v1)?$/i, "");
  const host = `${url.protocol}//${url.host}${path}`;
  return { apiUrl: `${host}/api/v1`, host };
}

/** A value accepted in a query string; arrays become comma lists, null becomes `null`. */
export type QueryValue = string | number | boolean | null | undefined | Array<string | number>;

/** Builds `<apiUrl>/<path>?<query>`; paths never get a trailing slash (Taiga 404s on those). */
export function buildUrl(apiUrl: string, path: string, query?: Record<string, QueryValue>): URL {
  const clean = path.replace(/^\/+/, "").replace(/\/+$/, "");
  const url = new URL(`${apiUrl}/${clean}`);
  for (const [key, value] of Object.entries(query ?? {})) {
    if (value === undefined) continue;
    const text = value === null ? "null" : Array.isArray(value) ? value.join(",") : String(value);
    url.searchParams.set(key, text);
  }
  return url;
}

/**
 * Whether `apiUrl` is the home Taiga (`config.host`, a {@link TaigaUrl.host} key) or on the
 * allow-list: entries with `://` are host keys (`https://taiga.example.com`), others
 * `host[:port]` names matched against the URL's host (its port only when not the default).
 */
export function isAllowedTaiga(
  apiUrl: string,
  config: { host: string; http: { allowedTaigaHosts: readonly string[] } },
): boolean {
  const key = parseApiUrl(apiUrl).host;
  const netloc = new URL(apiUrl).host;
  return key === config.host ||
    config.http.allowedTaigaHosts.some((entry) =>
      entry.includes("://") ? entry === key : entry === netloc
    );
}
