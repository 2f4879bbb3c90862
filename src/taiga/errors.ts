/**
 * The two kinds of failure a caller can meet, kept apart: {@link InputError} (a person's or
 * model's input is wrong — nothing to retry, fix the argument) and {@link TaigaError} (Taiga
 * refused or failed, typed from the bodies Taiga really sends: `_error_message`, field-error
 * dicts, plain `version` dicts, `detail`/`code`). Also the not-found helpers reads use.
 * @module
 */

/** A wrong argument: what was given, why it cannot work, and (where known) the valid values. */
export class InputError extends Error {
  /** Always "input": the `error_type` callers see. */
  readonly type = "input" as const;
  /** Structured detail: the argument at fault, the valid values... */
  readonly details?: Record<string, unknown>;

  /** Creates the error; `message` says what to do instead. */
  constructor(message: string, details?: Record<string, unknown>) {
    super(message);
    this.name = "InputError";
    this.details = details;
  }
}

/**
 * A name (status, person, sprint, points...) that matches nothing in the project's metadata.
 * Metadata is cached briefly, so this one error is worth one retry with fresh metadata.
 */
export class UnknownNameError extends InputError {
  /** The names that would have matched. */
  readonly valid: readonly string[];

  /** The error for an unknown `what` named `value`, listing every valid name. */
  constructor(what: string, value: unknown, valid: readonly string[]) {
    const list = valid.length > 0 ? valid.join(", ") : "(none defined in this project)";
    // `what` is the kind of name, not the argument: several arguments take sprints or people.
    super(`Unknown ${what} "${shortValue(value)}". Valid ${what} names: ${list}.`, {
      what,
      unknown: shortValue(value),
      valid: [...valid],
    });
    this.name = "UnknownNameError";
    this.valid = valid;
  }
}

/** The most of a bad value an error message repeats. */
export const ECHO_LIMIT = 80;

/** A value as an error message may quote it: a string, cut to {@link ECHO_LIMIT} characters. */
export function shortValue(value: unknown): string {
  const text = String(value);
  const shown = text.length > ECHO_LIMIT
    ? `${text.slice(0, ECHO_LIMIT)}… (${text.length} chars)`
    : text;
  // Control characters are shown escaped: an echoed value never breaks a message's line.
  let escaped = "";
  for (const char of shown) {
    const code = char.charCodeAt(0);
    escaped += code === 0x7f ? "\\u007f" : code < 0x20 ? JSON.stringify(char).slice(1, -1) : char;
  }
  return escaped;
}

/** What kind of failure an error is; the MCP layer reports it as `error_type`. */
export type TaigaErrorType =
  | "auth"
  | "permission"
  | "not_found"
  | "conflict"
  | "validation"
  | "throttled"
  | "network"
  | "timeout"
  | "cancelled"
  | "server";

/** Options that describe one failure. */
export interface TaigaErrorInit {
  /** HTTP status Taiga answered with, when it answered. */
  status?: number;
  /** Field errors or other structured detail from Taiga's body. */
  details?: Record<string, unknown>;
  /** Seconds Taiga asked us to wait (429). */
  waitSeconds?: number;
  /** The underlying error, for logs. */
  cause?: unknown;
}

/** An error that says what went wrong with Taiga and what to do next. */
export class TaigaError extends Error {
  /** The category, stable for programs. */
  readonly type: TaigaErrorType;
  /** HTTP status, when Taiga answered. */
  readonly status?: number;
  /** Structured detail such as field errors. */
  readonly details?: Record<string, unknown>;
  /** Seconds to wait before trying again (throttling). */
  readonly waitSeconds?: number;

  /** Creates an error of `type` with a message written for the person or model reading it. */
  constructor(type: TaigaErrorType, message: string, init: TaigaErrorInit = {}) {
    super(message, init.cause === undefined ? undefined : { cause: init.cause });
    this.name = "TaigaError";
    this.type = type;
    this.status = init.status;
    this.details = init.details;
    this.waitSeconds = init.waitSeconds;
  }
}

const SAID_LIMIT = 300;

/** Turns Taiga's error body (any of its shapes) into one readable sentence of at most 300 characters. */
export function describeTaigaBody(body: unknown): string | undefined {
  const said = describeAny(body);
  return said !== undefined && said.length > SAID_LIMIT ? `${said.slice(0, SAID_LIMIT)}…` : said;
}

function describeAny(body: unknown): string | undefined {
  if (typeof body === "string") return body.trim() === "" ? undefined : body;
  if (Array.isArray(body)) return body.map(String).join("; ");
  if (body === null || typeof body !== "object") return undefined;
  const record = body as Record<string, unknown>;
  if (typeof record._error_message === "string") return record._error_message;
  if (typeof record.detail === "string") return record.detail;
  const parts: string[] = [];
  for (const [field, value] of Object.entries(record)) {
    if (field.startsWith("_") || field === "code" || field === "messages") continue;
    const text = Array.isArray(value) ? value.map(plain).join(" ") : plain(value);
    parts.push(field === "non_field_errors" ? text : `${field}: ${text}`);
  }
  return parts.length > 0 ? parts.join("; ") : undefined;
}

/** A value of an error body as words: objects as JSON, never "[object Object]". */
function plain(value: unknown): string {
  return value !== null && typeof value === "object" ? JSON.stringify(value) : String(value);
}

function fieldDetails(body: unknown): Record<string, unknown> | undefined {
  if (body === null || typeof body !== "object" || Array.isArray(body)) return undefined;
  const entries = Object.entries(body as Record<string, unknown>).filter(([key]) =>
    !key.startsWith("_")
  );
  return entries.length > 0 ? Object.fromEntries(entries) : undefined;
}

function isVersionConflict(body: unknown): boolean {
  if (body === null || typeof body !== "object") return false;
  const version = (body as Record<string, unknown>).version;
  return typeof version === "string" && version.includes("doesn't match");
}

/** Builds the typed error for a non-2xx Taiga answer to `method path`. */
export function errorFromResponse(
  status: number,
  body: unknown,
  headers: Headers,
  what: string,
): TaigaError {
  const said = describeTaigaBody(body);
  const init = { status, details: fieldDetails(body) };
  switch (true) {
    case status === 401:
      return new TaigaError(
        "auth",
        `Taiga refused the credentials for ${what}: ${
          said ?? "not authenticated"
        }. Log in again (or, signed in to this server with OAuth, sign in again).`,
        init,
      );
    case status === 403:
      return new TaigaError(
        "permission",
        `Taiga says you may not do ${what}: ${
          said ?? "permission denied"
        }. Check your role in the project.`,
        init,
      );
    case status === 404:
      return new TaigaError(
        "not_found",
        `Not found: ${what} (${said ?? "no such object"}). Check the id, ref or slug.`,
        init,
      );
    case status === 429: {
      const wait = Number(headers.get("x-throttle-wait-seconds") ?? "");
      const waitSeconds = Number.isFinite(wait) && wait > 0 ? wait : undefined;
      return new TaigaError(
        "throttled",
        `Taiga is throttling requests (${what}); try again in ${waitSeconds ?? "a few"} seconds.`,
        { ...init, waitSeconds },
      );
    }
    case status === 400 && isVersionConflict(body):
      return new TaigaError(
        "conflict",
        `The item changed since the version you sent (${what}). Read it again and retry with the current version.`,
        init,
      );
    case status === 400 || status === 405 || status === 409 || status === 413:
      return new TaigaError(
        "validation",
        `Taiga rejected ${what}: ${said ?? `HTTP ${status}`}.`,
        init,
      );
    case status === 451:
      return new TaigaError(
        "permission",
        `The project is blocked (${what}): ${said ?? "blocked element"}.`,
        init,
      );
    default:
      return new TaigaError(
        "server",
        `Taiga failed on ${what} with HTTP ${status}${
          said ? `: ${said}` : ""
        }. Try again later; if it persists, check the Taiga server.`,
        init,
      );
  }
}

/**
 * Runs `read`; when Taiga answers not found, throws a "not_found" TaigaError (status 404) with
 * `message`, which says what was looked for and how to find it. Any other failure passes through.
 */
export async function readOrNotFound<T>(read: () => Promise<T>, message: string): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof TaigaError && error.type === "not_found") {
      throw new TaigaError("not_found", message, { status: 404 });
    }
    throw error;
  }
}

/** The not-found message for `what` (e.g. "sprint with id 7"), naming the list tool that finds it. */
export function noSuchMessage(what: string, listTool: string): string {
  return `There is no ${what} (it may have been deleted, or you cannot see it). Use ${listTool} to find it.`;
}
