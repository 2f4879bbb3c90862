/**
 * Building blocks for configuration: the {@link ConfigError} type and the parsers that
 * turn one raw string into a typed setting with a one-line error naming its source.
 *
 * @module
 */

import { InputError } from "../taiga/errors.ts";
import { parseApiUrl } from "../taiga/url.ts";

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

/** How one setting is read (the settings table, settings.ts, holds one per setting). */
export interface SettingSpec<T> {
  /** Environment variables, first one set wins (later ones are aliases). */
  env: readonly string[];
  /** Command-line flag without dashes, if any. */
  flag?: string;
  /** The flag's value placeholder in --help (none: a boolean flag). */
  flagValue?: string;
  /** One line for --help and the docs. */
  help: string;
  /** The default as shown to people. */
  shownDefault: string;
  /** Holds a secret: never echoed in errors. */
  secret?: boolean;
  /** Turns the raw value (undefined: unset) into the typed value. */
  parse(raw: RawSetting | undefined): T;
}

/** A table of specs for every field of `T`. */
export type SettingsTable<T> = { readonly [K in keyof T]: SettingSpec<T[K]> };

// Plain checks, not zod: config is read before anything else, including `--help`.
function integerIn(text: string, min: number, max: number): number | undefined {
  const trimmed = text.trim();
  if (!/^\+?\d+$/.test(trimmed)) return undefined;
  const value = Number(trimmed);
  return Number.isSafeInteger(value) && value >= min && value <= max ? value : undefined;
}

const BOOLEAN_WORDS = ["true", "false", "1", "0", "yes", "no", "on", "off"];

function invalid(setting: RawSetting, problem: string): ConfigError {
  return new ConfigError(
    setting.source,
    `Invalid ${setting.source} ${quoteValue(setting.value)}: ${problem}`,
  );
}

/** Parses a positive integer (`1`, `30`); anything else is a {@link ConfigError}. */
export function parsePositiveInteger(setting: RawSetting, unit = ""): number {
  const parsed = integerIn(setting.value, 1, Number.MAX_SAFE_INTEGER);
  if (parsed !== undefined) return parsed;
  throw invalid(setting, `must be a positive integer${unit ? ` number of ${unit}` : ""}`);
}

/** Parses a positive, possibly fractional, number of seconds (`30`, `2.5`). */
export function parsePositiveSeconds(setting: RawSetting): number {
  const trimmed = setting.value.trim();
  const parsed = /^\+?(\d+\.?\d*|\.\d+)$/.test(trimmed) ? Number(trimmed) : NaN;
  if (Number.isFinite(parsed) && parsed > 0) return parsed;
  throw invalid(setting, "must be a positive number of seconds");
}

/** Parses a TCP port, 0 to 65535 (0 lets the system pick a free port). */
export function parsePort(setting: RawSetting): number {
  const parsed = /^\s*\d+\s*$/.test(setting.value) ? integerIn(setting.value, 0, 65535) : undefined;
  if (parsed !== undefined) return parsed;
  throw invalid(setting, "must be a port number from 0 to 65535 (0 picks a free port)");
}

/** Parses `true`/`false`/`1`/`0` (also `yes`/`no`/`on`/`off`), case-insensitive. */
export function parseBoolean(setting: RawSetting): boolean {
  const word = setting.value.trim().toLowerCase();
  if (!BOOLEAN_WORDS.includes(word)) throw invalid(setting, "must be true or false (or 1 or 0)");
  return ["true", "1", "yes", "on"].includes(word);
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

/** A parser that gives `fallback` when the setting is unset. */
export function withDefault<T>(
  fallback: T,
  parse: (raw: RawSetting) => T,
): (raw: RawSetting | undefined) => T {
  return (raw) => raw === undefined ? fallback : parse(raw);
}

/** A token: trimmed, refused (without echoing it) when it holds spaces or control characters. */
export function parseSecret(raw: RawSetting | undefined): string | undefined {
  if (raw === undefined) return undefined;
  const token = raw.value.trim();
  if (/[^\x21-\x7e]/.test(token)) {
    // The value is a secret: the message must not quote it.
    throw new ConfigError(
      raw.source,
      `Invalid ${raw.source}: must be the token alone, in plain ASCII letters, digits and punctuation: no spaces, control characters, accented letters or symbols such as €, and no "Bearer "/"Application " prefix`,
    );
  }
  return token;
}

/** Toolset names: single words. */
const TOOLSET_NAME = /^[a-z][a-z0-9_-]*$/;

/** A comma list of toolset names, lower-case, without duplicates. */
export function parseToolsets(raw: RawSetting): string[] {
  const names = [...new Set(parseList(raw.value.toLowerCase()))];
  const bad = names.find((name) => !TOOLSET_NAME.test(name));
  if (bad !== undefined) {
    throw new ConfigError(
      raw.source,
      `Invalid ${raw.source} ${
        quoteValue(raw.value)
      }: toolset names are single words such as default, all or projects, separated by commas`,
    );
  }
  return names.length > 0 ? names : ["default"];
}

/** A host name or IP address to bind (brackets around IPv6 allowed). */
export function parseHttpHost(raw: RawSetting): string {
  const host = raw.value.trim().replace(/^\[(.*)\]$/, "$1");
  if (host === "" || /[\s/@]/.test(host)) {
    throw new ConfigError(
      raw.source,
      `Invalid ${raw.source} ${
        quoteValue(raw.value)
      }: must be a host name or IP address such as 127.0.0.1`,
    );
  }
  return host;
}

/** Free text, trimmed; blank means unset. */
export function text(raw: RawSetting | undefined): string | undefined {
  const value = raw?.value.trim();
  return value === undefined || value === "" ? undefined : value;
}

/**
 * Secret keys, comma-separated (the first is current, the others still open what they sealed):
 * each at least 32 characters, never echoed.
 */
export function parseKeys(raw: RawSetting | undefined): string[] {
  if (raw === undefined) return [];
  const keys = parseList(raw.value);
  if (keys.some((key) => key.length < 32 || /[\s\p{Cc}]/u.test(key))) {
    throw new ConfigError(
      raw.source,
      `Invalid ${raw.source}: each key must be at least 32 characters without spaces (e.g. the output of \`openssl rand -base64 32\`); separate old keys kept for rotation with commas`,
    );
  }
  return keys;
}

const HOST_PORT =
  /^(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9-]*[a-z0-9])?)*|\[[0-9a-f:.]+\])(?::\d{1,5})?$/;

/**
 * Taiga locations a login tool may name (`MCP_ALLOWED_TAIGA_HOSTS`): a comma list of Taiga URLs
 * (normalised like TAIGA_API_URL, e.g. `https://taiga.example.com`) or bare `host[:port]` names
 * (lower-cased; any scheme, that port or the default one).
 */
export function parseTaigaHosts(raw: RawSetting | undefined): string[] {
  const entries = parseList(raw?.value ?? "");
  return [
    ...new Set(entries.map((entry) => {
      if (entry.includes("://")) {
        try {
          return parseApiUrl(entry).host;
        } catch (error) {
          const problem = error instanceof InputError ? error.message : String(error);
          throw new ConfigError(raw!.source, `Invalid ${raw!.source} entry: ${problem}`);
        }
      }
      const host = entry.toLowerCase();
      if (HOST_PORT.test(host)) return host;
      throw new ConfigError(
        raw!.source,
        `Invalid ${raw!.source} entry ${
          quoteValue(entry)
        }: give Taiga URLs (https://taiga.example.com) or host names (taiga.example.com:9000), separated by commas`,
      );
    })),
  ];
}

/**
 * An http(s) URL without credentials, query or fragment, as its origin (lower-case scheme and
 * host, no default port, no trailing slash); blank means unset. With `originOnly`, a path is
 * refused too: the server's public URL is an OAuth issuer, which clients compare byte for byte.
 */
export function parseOriginUrl(
  raw: RawSetting | undefined,
  originOnly: boolean,
): string | undefined {
  const value = text(raw);
  if (value === undefined) return undefined;
  let url: URL | undefined;
  try {
    url = new URL(value);
  } catch {
    url = undefined;
  }
  const path = url?.pathname.replace(/\/+$/, "") ?? "";
  const problem = !url || (url.protocol !== "https:" && url.protocol !== "http:")
    ? "must be an http(s) URL such as https://mcp.example.com"
    : url.username || url.password || url.search || url.hash
    ? "must not carry credentials, a query or a fragment"
    : originOnly && path !== ""
    ? "must be an origin without a path, such as https://mcp.example.com"
    : undefined;
  if (problem) throw invalid(raw!, problem);
  return originOnly ? url!.origin : `${url!.origin}${path}`;
}
