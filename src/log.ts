/**
 * A small leveled logger that writes one line per record to stderr (never
 * stdout, which carries the MCP protocol) and optionally appends to a file,
 * plus the redaction helpers every log line and error message goes through.
 *
 * @module
 */

import { dirname } from "node:path";
import type { LogLevel } from "./config.ts";

export type { LogLevel } from "./config.ts";

/** One log entry, already redacted when handed to a {@link LogSink}. */
export interface LogRecord {
  /** Severity. */
  level: LogLevel;
  /** Redacted message. */
  message: string;
  /** When the record was made. */
  time: Date;
  /** Redacted structured details. */
  data?: Record<string, unknown>;
}

/** Receives every record that passes the logger's level (e.g. to forward as MCP log notifications). */
export type LogSink = (record: LogRecord) => void;

/** Text that replaces a secret. */
export const REDACTED = "[redacted]";

const SECRET_KEYS = new Set([
  "password",
  "passwd",
  "pwd",
  "token",
  "authtoken",
  "accesstoken",
  "refresh",
  "refreshtoken",
  "authorization",
  "proxyauthorization",
  "secret",
  "clientsecret",
  "apikey",
  "cookie",
  "setcookie",
  "authcode",
]);

/** Whether a key names a secret: password/token/auth_token/refresh/authorization/secret and kin. */
function isSecretKey(key: string): boolean {
  const flat = key.toLowerCase().replace(/[^a-z0-9]/g, "");
  return SECRET_KEYS.has(flat) || /(password|passwd|token|secret)$/.test(flat);
}

const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const DOTTED_TOKEN = /\b[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\b/g;
// "Bearer" and "Application" are ordinary words too ("Bearer for a login JWT", "Bearer realm="):
// mask only credential-looking values (a digit in them, or 20+ token characters).
const CREDENTIAL = String
  .raw`([A-Za-z0-9._~+/=-]*\d[A-Za-z0-9._~+/=-]*|[A-Za-z0-9._~+/=-]{20,})(?=$|[\s"',;])`;
const BEARER = new RegExp(String.raw`\b(Bearer)(\s+)` + CREDENTIAL, "g");
const APPLICATION = new RegExp(String.raw`\b(Application)(\s+)` + CREDENTIAL, "g");
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/@:]+):[^\s/@]+@/gi;
const KEY_VALUE =
  /(["']?)([A-Za-z][A-Za-z0-9_.-]*)\1(\s*[:=]\s*)((?:Bearer|Application|Basic|Token)\s+[^\s"',;&]+|"(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'|[^\s"',;&)}\]]+)/g;

/**
 * Masks secrets in free text: JWTs (`xxx.yyy.zzz` base64url), `Bearer <x>`,
 * `Application <x>`, and the values of secret-named keys (password, token,
 * auth_token, refresh, authorization, secret, ...) in JSON-ish, `key=value` or
 * `key: value` text, and passwords in URLs (`https://user:pw@host`).
 */
export function redact(text: string): string {
  return text
    .replace(URL_PASSWORD, `$1:${REDACTED}@`)
    .replace(KEY_VALUE, (whole, quote: string, key: string, sep: string, value: string) => {
      if (!isSecretKey(key) || /^(null|true|false|""|'')$/.test(value)) return whole;
      const masked = value.startsWith('"') ? `"${REDACTED}"` : REDACTED;
      return `${quote}${key}${quote}${sep}${masked}`;
    })
    .replace(JWT, REDACTED)
    .replace(DOTTED_TOKEN, REDACTED)
    .replace(BEARER, (_whole, scheme: string, space: string) => `${scheme}${space}${REDACTED}`)
    .replace(
      APPLICATION,
      (_whole, scheme: string, space: string) => `${scheme}${space}${REDACTED}`,
    );
}

const MAX_DEPTH = 8;

function redactInner(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === "string") return redact(value);
  if (typeof value === "function") return `[function ${value.name || "anonymous"}]`;
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return new Date(value.getTime());
  if (seen.has(value)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[nested too deep]";
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactInner(item, depth + 1, seen));
    if (value instanceof Error) {
      return { name: value.name, message: redact(value.message) };
    }
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[key] = isSecretKey(key) && item !== null && item !== undefined && item !== ""
        ? REDACTED
        : redactInner(item, depth + 1, seen);
    }
    return copy;
  } finally {
    seen.delete(value);
  }
}

/**
 * Deep-copies `value` with the values of secret-named keys replaced by
 * `[redacted]` and every string passed through {@link redact}. Errors become
 * `{ name, message }`; cycles become `"[circular]"`.
 */
export function redactValue(value: unknown): unknown {
  return redactInner(value, 0, new WeakSet());
}

/**
 * Describes a token without revealing it, e.g. `eyJh…(redacted, 187 chars)`.
 * At most 4 characters are shown, and none for tokens under 16 characters.
 */
export function maskToken(token: string): string {
  if (token.length === 0) return "(empty)";
  const shown = token.length >= 16 ? `${token.slice(0, 4)}…` : "";
  return `${shown}(redacted, ${token.length} chars)`;
}

const LEVEL_ORDER: Readonly<Record<LogLevel, number>> = {
  DEBUG: 10,
  INFO: 20,
  WARNING: 30,
  ERROR: 40,
};

/** Options of a {@link Logger}. */
export interface LoggerOptions {
  /** Minimum level that is logged. */
  level: LogLevel;
  /** File to append to (created with mode 0600); logging goes on without it if it cannot be opened. */
  file?: string;
  /** Write to stderr (default true). */
  stderr?: boolean;
}

const encoder = new TextEncoder();

function writeAll(target: { writeSync(p: Uint8Array): number }, bytes: Uint8Array): void {
  let offset = 0;
  while (offset < bytes.length) offset += target.writeSync(bytes.subarray(offset));
}

function jsonReplacer(_key: string, value: unknown): unknown {
  return typeof value === "bigint" ? value.toString() : value;
}

/** Formats a record as `2026-11-25T06:34:00Z INFO message {json}` (no line break). */
export function formatRecord(record: LogRecord): string {
  const time = record.time.toISOString().replace(/\.\d{3}Z$/, "Z");
  const message = record.message.replace(/\r?\n/g, "\\n").replace(/\r/g, "\\r");
  const data = record.data === undefined || Object.keys(record.data).length === 0
    ? ""
    : ` ${JSON.stringify(record.data, jsonReplacer)}`;
  return `${time} ${record.level} ${message}${data}`;
}

/**
 * Leveled logger. Records below the level are dropped; the rest are redacted,
 * written to stderr (unless disabled), appended to the log file (if any) and
 * handed to each sink.
 */
export class Logger {
  #level: LogLevel;
  readonly #stderr: boolean;
  #file: Deno.FsFile | undefined;
  readonly #filePath: string | undefined;
  readonly #sinks = new Set<LogSink>();

  /** Creates the logger and opens the log file, if one is given. */
  constructor(opts: LoggerOptions) {
    this.#level = opts.level;
    this.#stderr = opts.stderr ?? true;
    this.#filePath = opts.file;
    if (opts.file !== undefined) this.#file = this.#openFile(opts.file);
  }

  /** The current minimum level. */
  get level(): LogLevel {
    return this.#level;
  }

  /** Changes the minimum level. */
  setLevel(level: LogLevel): void {
    this.#level = level;
  }

  /** Whether a record at `level` would be logged. */
  enabled(level: LogLevel): boolean {
    return LEVEL_ORDER[level] >= LEVEL_ORDER[this.#level];
  }

  /** Logs at DEBUG. */
  debug(message: string, data?: Record<string, unknown>): void {
    this.log("DEBUG", message, data);
  }

  /** Logs at INFO. */
  info(message: string, data?: Record<string, unknown>): void {
    this.log("INFO", message, data);
  }

  /** Logs at WARNING. */
  warning(message: string, data?: Record<string, unknown>): void {
    this.log("WARNING", message, data);
  }

  /** Logs at ERROR. */
  error(message: string, data?: Record<string, unknown>): void {
    this.log("ERROR", message, data);
  }

  /** Logs one record at `level`, redacted. */
  log(level: LogLevel, message: string, data?: Record<string, unknown>): void {
    if (!this.enabled(level)) return;
    const record: LogRecord = { level, message: redact(message), time: new Date() };
    if (data !== undefined) record.data = redactValue(data) as Record<string, unknown>;
    const line = encoder.encode(`${formatRecord(record)}\n`);
    if (this.#stderr) this.#writeStderr(line);
    this.#writeFile(line);
    for (const sink of this.#sinks) {
      try {
        sink(record);
      } catch (error) {
        this.#sinks.delete(sink);
        const warning = this.#internalLine(`A log sink failed and was removed: ${describe(error)}`);
        if (this.#stderr) this.#writeStderr(warning);
        this.#writeFile(warning);
      }
    }
  }

  /** Adds a sink that receives every logged record; returns a function that removes it. */
  addSink(sink: LogSink): () => void {
    this.#sinks.add(sink);
    return () => {
      this.#sinks.delete(sink);
    };
  }

  /** Closes the log file; later records still go to stderr and sinks. */
  close(): void {
    const file = this.#file;
    this.#file = undefined;
    try {
      file?.close();
    } catch {
      // Already closed: nothing left to release.
    }
  }

  #openFile(path: string): Deno.FsFile | undefined {
    try {
      Deno.mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
      return Deno.openSync(path, { append: true, create: true, mode: 0o600 });
    } catch (error) {
      this.#warnStderr(`Cannot open log file ${path}: ${describe(error)}; logging to stderr only`);
      return undefined;
    }
  }

  #writeFile(line: Uint8Array): void {
    if (this.#file === undefined) return;
    try {
      writeAll(this.#file, line);
    } catch (error) {
      this.close();
      this.#warnStderr(
        `Cannot write log file ${this.#filePath}: ${describe(error)}; logging to stderr only`,
      );
    }
  }

  #writeStderr(line: Uint8Array): void {
    try {
      writeAll(Deno.stderr, line);
    } catch {
      // stderr is gone (closed pipe): there is nowhere left to report it.
    }
  }

  #internalLine(message: string): Uint8Array {
    const record: LogRecord = { level: "WARNING", message: redact(message), time: new Date() };
    return encoder.encode(`${formatRecord(record)}\n`);
  }

  /** Reports a problem with the log file on stderr, even when stderr logging is off. */
  #warnStderr(message: string): void {
    this.#writeStderr(this.#internalLine(message));
  }
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
