/**
 * Building blocks for configuration: the {@link ConfigError} type, the `.env`
 * reader and parser, and the zod-backed parsers that turn one raw string into
 * a typed setting with a one-line error naming its source.
 *
 * @module
 */

import { z } from "zod";

/**
 * A configuration or usage problem. The message is a single line naming the
 * variable (or flag) and what is wrong with it, fit to show a user as-is.
 */
export class ConfigError extends Error {
  /** The environment variable or command-line flag at fault, e.g. `REQUEST_TIMEOUT` or `--port`. */
  readonly variable: string;

  /** Creates the error; line breaks in `message` are flattened so it stays one line. */
  constructor(variable: string, message: string) {
    super(message.replace(/\s*[\r\n]+\s*/g, " "));
    this.name = "ConfigError";
    this.variable = variable;
  }
}

/** Quotes a user-supplied value for an error message: escaped, one line, at most 60 characters. */
export function quoteValue(raw: string): string {
  const shown = raw.length > 60 ? `${raw.slice(0, 57)}...` : raw;
  return JSON.stringify(shown);
}

/** A raw setting and where it came from (a variable name or a `--flag`). */
export interface RawSetting {
  /** The value as written by the user. */
  value: string;
  /** Where the value came from, used in error messages. */
  source: string;
}

const positiveInteger = z.string().trim().regex(/^\+?\d+$/).transform(Number).pipe(
  z.number().int().positive().max(Number.MAX_SAFE_INTEGER),
);
const positiveNumber = z.string().trim().regex(/^\+?(\d+\.?\d*|\.\d+)$/).transform(Number).pipe(
  z.number().positive().finite(),
);
const portNumber = z.string().trim().regex(/^\d+$/).transform(Number).pipe(
  z.number().int().min(0).max(65535),
);
const booleanWord = z.string().trim().toLowerCase().pipe(
  z.enum(["true", "false", "1", "0", "yes", "no", "on", "off"]),
);

function invalid(setting: RawSetting, problem: string): ConfigError {
  return new ConfigError(
    setting.source,
    `Invalid ${setting.source} ${quoteValue(setting.value)}: ${problem}`,
  );
}

/** Parses a positive integer (`1`, `30`); anything else is a {@link ConfigError}. */
export function parsePositiveInteger(setting: RawSetting, unit = ""): number {
  const parsed = positiveInteger.safeParse(setting.value);
  if (parsed.success) return parsed.data;
  throw invalid(setting, `must be a positive integer${unit ? ` number of ${unit}` : ""}`);
}

/** Parses a positive, possibly fractional, number of seconds (`30`, `2.5`). */
export function parsePositiveSeconds(setting: RawSetting): number {
  const parsed = positiveNumber.safeParse(setting.value);
  if (parsed.success) return parsed.data;
  throw invalid(setting, "must be a positive number of seconds");
}

/** Parses a TCP port, 0 to 65535 (0 lets the system pick a free port). */
export function parsePort(setting: RawSetting): number {
  const parsed = portNumber.safeParse(setting.value);
  if (parsed.success) return parsed.data;
  throw invalid(setting, "must be a port number from 0 to 65535 (0 picks a free port)");
}

/** Parses `true`/`false`/`1`/`0` (also `yes`/`no`/`on`/`off`), case-insensitive. */
export function parseBoolean(setting: RawSetting): boolean {
  const parsed = booleanWord.safeParse(setting.value);
  if (!parsed.success) throw invalid(setting, "must be true or false (or 1 or 0)");
  return ["true", "1", "yes", "on"].includes(parsed.data);
}

/**
 * Parses one of a fixed set of words, case-insensitively. `aliases` maps extra
 * accepted spellings (lower-case) to a canonical value.
 */
export function parseChoice<T extends string>(
  setting: RawSetting,
  choices: readonly T[],
  aliases: Readonly<Record<string, T>> = {},
): T {
  const word = setting.value.trim().toLowerCase();
  const found = choices.find((choice) => choice.toLowerCase() === word) ?? aliases[word];
  if (found !== undefined) return found;
  throw invalid(setting, `must be one of ${choices.join(", ")}`);
}

/** Splits a comma-separated list, trimming items and dropping empty ones. */
export function parseList(value: string): string[] {
  return value.split(",").map((item) => item.trim()).filter((item) => item !== "");
}

const DOTENV_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const DOUBLE_QUOTE_ESCAPES: Readonly<Record<string, string>> = {
  n: "\n",
  r: "\r",
  t: "\t",
  '"': '"',
  "\\": "\\",
  $: "$",
};

/** Reads a double-quoted value starting after the opening quote; returns the value and the end index. */
function readDoubleQuoted(text: string, start: number): { value: string; end: number } | undefined {
  let value = "";
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (char === '"') return { value, end: i + 1 };
    if (char === "\\" && i + 1 < text.length) {
      const next = text[i + 1];
      value += DOUBLE_QUOTE_ESCAPES[next] ?? `\\${next}`;
      i++;
    } else {
      value += char;
    }
  }
  return undefined;
}

/**
 * Parses `.env` text: `KEY=VALUE` lines, an optional `export ` prefix, `#`
 * comments (whole-line, or after whitespace in an unquoted value), single
 * quotes (literal) and double quotes (with `\n`, `\t`, `\"`, `\\` escapes, may
 * span lines). Malformed lines are skipped; a later key overrides an earlier one.
 */
export function parseDotEnv(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const src = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  let pos = 0;
  while (pos < src.length) {
    let lineEnd = src.indexOf("\n", pos);
    if (lineEnd === -1) lineEnd = src.length;
    const line = src.slice(pos, lineEnd);
    let next = lineEnd + 1;
    const match = /^\s*(?:export\s+)?([^=\s#]+)\s*=\s*/.exec(line);
    if (match && DOTENV_KEY.test(match[1])) {
      const valueStart = pos + match[0].length;
      const first = src[valueStart];
      let value: string | undefined;
      if (first === '"') {
        const quoted = readDoubleQuoted(src, valueStart + 1);
        if (quoted) {
          value = quoted.value;
          const after = src.indexOf("\n", quoted.end);
          next = after === -1 ? src.length : after + 1;
        }
      } else if (first === "'") {
        const close = line.indexOf("'", match[0].length + 1);
        if (close !== -1) value = line.slice(match[0].length + 1, close);
      } else {
        value = line.slice(match[0].length).replace(/(^|\s+)#.*$/, "").trim();
      }
      if (value !== undefined) result[match[1]] = value;
    }
    pos = next;
  }
  return result;
}

/**
 * Reads `.env` (default: `./.env` in the working directory). Returns
 * `undefined` when the file is missing, is a directory, or read access to it
 * was not granted (never prompts); other I/O errors are thrown.
 */
export function readDotEnv(path = ".env"): string | undefined {
  // Asking first keeps Deno from prompting on a terminal when read access was not granted.
  if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") return undefined;
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    if (
      error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.NotCapable ||
      error instanceof Deno.errors.PermissionDenied ||
      error instanceof Deno.errors.IsADirectory
    ) {
      return undefined;
    }
    throw error;
  }
}
