/**
 * What Taiga answered, checked at the client boundary: a success must be Taiga's JSON (or one of
 * the few answers Taiga really sends empty), so HTML from a proxy or a wrong TAIGA_API_URL, an
 * empty body or malformed JSON is a clear "server" {@link TaigaError} — never taken for an empty
 * item, an empty list or a session. No message ever holds more than a short prefix of a body
 * that is not JSON (an HTML page's title at most, never its markup).
 * @module
 */

import { TaigaError } from "./errors.ts";

/** A response body, classified. */
export type Body =
  | { kind: "json"; value: unknown }
  | { kind: "empty" }
  | { kind: "html"; title?: string }
  | { kind: "text"; contentType: string; preview: string }
  | { kind: "malformed" };

const PREVIEW_CHARS = 60;
const JSON_TYPE = /^application\/(?:[\w.+-]*\+)?json\b/;

/** Actions Taiga answers with 200 and an empty body (recorded from Taiga 6.10). */
const EMPTY_200_ACTIONS = new Set([
  "watch",
  "unwatch",
  "upvote",
  "downvote",
  "like",
  "unlike",
  "create_tag",
  "edit_tag",
  "delete_tag",
  "mix_tags",
  "delete_comment",
  "edit_comment",
  "undelete_comment",
]);

/** One line of at most {@link PREVIEW_CHARS} printable characters. */
function preview(text: string): string {
  const head = text.slice(0, PREVIEW_CHARS * 4).replace(/[\s\p{Cc}]+/gu, " ").trim();
  return head.length > PREVIEW_CHARS ? `${head.slice(0, PREVIEW_CHARS)}…` : head;
}

function htmlTitle(text: string): string | undefined {
  const title = /<title[^>]*>([^<]*)</i.exec(text.slice(0, 4096))?.[1];
  const shown = title === undefined ? "" : preview(title);
  return shown === "" ? undefined : shown;
}

/** Classifies a body by its content type and text. */
export function readBody(headers: Headers, text: string): Body {
  const type = (headers.get("content-type") ?? "").trim().toLowerCase();
  if (text.trim() === "") return { kind: "empty" };
  const looksHtml = /^\s*</.test(text);
  if (type.includes("html") || (looksHtml && !JSON_TYPE.test(type))) {
    return { kind: "html", title: htmlTitle(text) };
  }
  if (type === "" || JSON_TYPE.test(type)) {
    try {
      return { kind: "json", value: JSON.parse(text) };
    } catch {
      if (looksHtml) return { kind: "html", title: htmlTitle(text) };
      if (type !== "") return { kind: "malformed" };
      return { kind: "text", contentType: "text", preview: preview(text) };
    }
  }
  return { kind: "text", contentType: type.split(";")[0], preview: preview(text) };
}

/** A body that is not JSON, described in a few words (e.g. `HTML ("Not Found")`). */
export function describeBody(body: Body): string {
  switch (body.kind) {
    case "json":
      return "JSON";
    case "empty":
      return "an empty body";
    case "html":
      return body.title ? `HTML ("${body.title}")` : "HTML";
    case "malformed":
      return "malformed JSON";
    case "text":
      return `${body.contentType}${body.preview ? ` ("${body.preview}")` : ""}`;
  }
}

/**
 * The error for an answer that is not Taiga's, from `apiUrl` to `what` (e.g. `GET /users/me`):
 * it names the API URL and what came back, and says to check TAIGA_API_URL.
 */
export function notTaigaError(
  apiUrl: string,
  what: string,
  answered: string,
  status?: number,
): TaigaError {
  return new TaigaError(
    "server",
    `No Taiga API at ${apiUrl} (${what} answered ${answered}${
      status ? `, HTTP ${status}` : ""
    }, not Taiga's JSON) — check TAIGA_API_URL or the host you gave.`,
    { status, details: { answer: answered } },
  );
}

/** Whether an empty 2xx body is what Taiga sends for `method path`. */
function emptyIsTaigas(method: string, path: string, status: number): boolean {
  if (status === 204) return true;
  const action = path.slice(path.lastIndexOf("/") + 1);
  return status === 200 && method === "POST" && EMPTY_200_ACTIONS.has(action);
}

/**
 * The data of a 2xx answer: Taiga's JSON, or null where Taiga really answers empty (204s and the
 * empty-200 actions such as `watch`). Anything else throws {@link notTaigaError}; a 201 must
 * carry the created object.
 */
export function successData(
  body: Body,
  request: { apiUrl: string; method: string; path: string; what: string; status: number },
): unknown {
  const { apiUrl, method, path, what, status } = request;
  if (body.kind === "empty" && emptyIsTaigas(method, path, status)) return null;
  if (body.kind !== "json") throw notTaigaError(apiUrl, what, describeBody(body));
  if (status === 201 && !isRecord(body.value)) {
    throw notTaigaError(apiUrl, what, "a 201 without the created object");
  }
  return body.value;
}

/**
 * Whether a 404, 405 or 501 means "no Taiga here" rather than one of Taiga's errors: Taiga
 * answers those with an empty body or JSON carrying `_error_message` (or DRF's `detail`); HTML,
 * other text or any other JSON comes from something else at that URL.
 */
export function isForeignError(body: Body, status: number): boolean {
  if (status !== 404 && status !== 405 && status !== 501) return false;
  if (body.kind === "empty") return false;
  if (body.kind !== "json") return true;
  return !(isRecord(body.value) && ("_error_message" in body.value || "detail" in body.value));
}

/** Whether `value` is a JSON object (not null, not an array). */
export function isRecord(value: unknown): value is Record<string, unknown> {
  return value !== null && typeof value === "object" && !Array.isArray(value);
}

/** `value` as a list, or the error saying Taiga's answer to `what` was not one. */
export function expectList<T>(value: unknown, apiUrl: string, what: string): T[] {
  if (Array.isArray(value)) return value as T[];
  throw notTaigaError(apiUrl, what, `${shapeOf(value)} where a list was expected`);
}

/** A short word for a JSON value's shape: "an object", "a string", "null"... */
export function shapeOf(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "a list";
  return typeof value === "object" ? "an object" : `a ${typeof value}`;
}
