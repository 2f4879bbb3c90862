/**
 * A small leveled logger that writes one line per record to stderr (never stdout, which carries
 * the MCP protocol) and optionally appends to a file; every record is redacted first.
 *
 * @module
 */

import { dirname } from "node:path";
import { redact, redactValue } from "./redact.ts";

/** Logger levels, least to most severe. */
export type LogLevel = "DEBUG" | "INFO" | "WARNING" | "ERROR";

/** Every level, least severe first. */
export const LOG_LEVELS: readonly LogLevel[] = ["DEBUG", "INFO", "WARNING", "ERROR"];

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
