/**
 * How the contract tests compare a sandbox reply with a recorded taiga-back answer: the
 * status, the headers that matter and the set of keys of the body (recursively for objects;
 * the first element for arrays).
 *
 * @module
 */

import assert from "node:assert/strict";
import type { Reply } from "./helpers.ts";

/** A recorded request/response pair. */
export interface Sample {
  request: {
    method: string;
    path: string;
    body?: unknown;
    multipart_files?: Record<string, { filename: string; content_type: string; size: number }>;
  };
  status: number;
  headers: Record<string, string>;
  body: unknown;
}

/**
 * Keys whose values are dicts keyed by data (role ids, tag names, user ids): only their
 * being an object is compared, not their keys.
 */
export const MAP_LIKE = new Set([
  "points",
  "tags_colors",
  "users",
  "attributes_values",
  "total_points",
]);
const MAP_LIKE_SUFFIX = "_per_role";

/** Headers compared by value (others listed in a sample must merely be present). */
const VALUE_HEADERS = [
  "x-paginated",
  "x-paginated-by",
  "x-pagination-current",
  "x-pagination-count",
  "www-authenticate",
  "taiga-info-total-opened-milestones",
  "taiga-info-total-closed-milestones",
  "taiga-info-userstories-without-swimlane",
  "taiga-info-order-updated",
];
const PAGINATION = ["x-paginated", "x-paginated-by", "x-pagination-current", "x-pagination-count"];

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}

/**
 * Differences in key structure between the recorded body and the sandbox's. `mapLike` adds
 * keys (or `"$"` for the body itself) whose objects are keyed by data, not by field names.
 */
export function keyDiff(
  recorded: unknown,
  actual: unknown,
  path = "$",
  mapLike: ReadonlySet<string> = new Set(),
): string[] {
  const last = path.split(".").pop()!.replace("[]", "");
  if (isObject(recorded) && isObject(actual)) {
    if (MAP_LIKE.has(last) || last.endsWith(MAP_LIKE_SUFFIX) || mapLike.has(last)) return [];
    const problems: string[] = [];
    for (const k of Object.keys(recorded)) {
      if (!(k in actual)) problems.push(`${path}.${k}: missing`);
    }
    for (const k of Object.keys(actual)) {
      if (!(k in recorded)) problems.push(`${path}.${k}: not in the recording`);
    }
    for (const k of Object.keys(recorded)) {
      if (k in actual) {
        problems.push(...keyDiff(recorded[k], actual[k], `${path}.${k}`, mapLike));
      }
    }
    return problems;
  }
  if (Array.isArray(recorded) && Array.isArray(actual)) {
    if (recorded.length && !actual.length) return [`${path}: empty, the recording has items`];
    if (!recorded.length && actual.length) return [`${path}: has items, the recording is empty`];
    return recorded.length ? keyDiff(recorded[0], actual[0], `${path}[]`, mapLike) : [];
  }
  const container = (v: unknown) => typeof v === "object" && v !== null;
  if (container(recorded) !== container(actual) && !MAP_LIKE.has(last) && !mapLike.has(last)) {
    return [
      `${path}: recorded ${JSON.stringify(recorded)?.slice(0, 40)}, got ${
        JSON.stringify(actual)?.slice(0, 40)
      }`,
    ];
  }
  return [];
}

/**
 * Checks the recorded headers against a reply: present (content type without parameters),
 * pagination links pointing at the same page, the listed headers by value unless `differ`
 * gives a reason; no pagination or WWW-Authenticate header the recording lacks; no body
 * when the recording had no content type.
 */
export function compareHeaders(
  name: string,
  sample: Sample,
  reply: Reply,
  expectedNext: (page: string) => string,
  differ: Record<string, string> = {},
): void {
  const recorded = new Map(Object.entries(sample.headers).map(([k, v]) => [k.toLowerCase(), v]));
  for (const [key, value] of recorded) {
    const got = reply.headers.get(key);
    if (got === null && key in differ) continue;
    assert.notEqual(got, null, `${name}: header ${key} missing`);
    if (key === "content-type") {
      assert.equal(got!.split(";")[0], value.split(";")[0], `${name}: content-type`);
    } else if (key === "x-pagination-next" || key === "x-pagination-prev") {
      const page = new URL(value).searchParams.get("page")!;
      assert.equal(got, expectedNext(page), `${name}: ${key}`);
    } else if (VALUE_HEADERS.includes(key) && !(key in differ)) {
      assert.equal(got, value, `${name}: header ${key}`);
    }
  }
  for (const key of [...PAGINATION, "x-pagination-next", "x-pagination-prev", "www-authenticate"]) {
    if (!recorded.has(key)) {
      assert.equal(reply.headers.get(key), null, `${name}: unexpected ${key}`);
    }
  }
  if (!recorded.has("content-type")) {
    assert.equal(reply.text, "", `${name}: recorded without a body`);
  }
}
