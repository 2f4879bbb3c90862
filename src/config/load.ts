/**
 * One typed {@link Config}, built from the settings table: command-line flags, then environment
 * variables, then `./.env`, then defaults (first one set wins). Rules across settings are
 * checked here, before anything starts.
 *
 * @module
 */

import { posix, win32 } from "node:path";
import { InputError } from "../taiga/errors.ts";
import { parseApiUrl, type TaigaUrl } from "../taiga/url.ts";
import { cacheDir } from "./cache_dir.ts";
import { parseDotEnv } from "./dotenv.ts";
import type { EnvReader } from "./env.ts";
import { ConfigError, quoteValue, type RawSetting } from "./parse.ts";
import { assertBindAllowed, assertOAuthReady } from "./rules.ts";
import {
  CORE_SETTINGS,
  type CoreSettings,
  HTTP_SETTINGS,
  type HttpConfig,
  type SettingsTable,
} from "./settings.ts";

/** The complete, validated configuration of one taiga-mcp process. */
export interface Config
  extends Omit<CoreSettings, "apiUrlInput" | "logFileInput" | "cacheDirInput" | "authToken"> {
  /** Normalised API base, always ending in `/api/v1`, no trailing slash. */
  apiUrl: string;
  /** Normalised host key for the token cache, e.g. `https://api.taiga.io`. */
  host: string;
  /** Token from `TAIGA_AUTH_TOKEN`, if any. */
  authToken?: string;
  /** Log file path, inside {@link Config.cacheDir} when given as a relative path. */
  logFile?: string;
  /** The token-cache directory. */
  cacheDir: string;
  /** Serve against the in-memory sandbox Taiga instead of a real server. */
  sandbox: boolean;
  /** HTTP transport settings. */
  http: HttpConfig;
}

/** Flag values as parsed from the command line, by camel-cased flag name (`apiUrl`, `readOnly`). */
export type FlagValues = { readonly [name: string]: string | boolean | undefined };

/** The camel-cased key of a flag: `api-url` → `apiUrl`. */
export function flagKey(flag: string): string {
  return flag.replace(/-([a-z])/g, (_m, letter: string) => letter.toUpperCase());
}

/**
 * Normalises a Taiga URL given with or without `/api/v1`, with trailing slashes or surrounding
 * whitespace.
 *
 * @example `normaliseApiUrl("https://API.taiga.io/api/v1/")` gives
 * `{ apiUrl: "https://api.taiga.io/api/v1", host: "https://api.taiga.io" }`.
 * @throws {ConfigError} (naming `variable`) for anything but an http(s) URL without
 * credentials, query or fragment.
 */
export function normaliseApiUrl(input: string, variable = "TAIGA_API_URL"): TaigaUrl {
  try {
    return parseApiUrl(input);
  } catch (error) {
    if (!(error instanceof InputError)) throw error;
    const shown = error.details?.showValue === false ? "" : ` ${quoteValue(input.trim())}`;
    throw new ConfigError(variable, `Invalid ${variable}${shown}: ${error.message}`);
  }
}

/** Where `.env` is read from, as error messages name it. */
export const DOTENV_SHOWN = "./.env";

/** A value found for a setting, and whether it came from `.env`. */
type Found = RawSetting & { fromDotEnv?: boolean };

/**
 * Runs `parse` on `raw`; an error about a value that came from `.env` says so
 * ("Invalid REQUEST_TIMEOUT in ./.env ..."), since the person may not know the file is read.
 */
function fromSource<T>(raw: Found | undefined, parse: (raw: Found | undefined) => T): T {
  try {
    return parse(raw);
  } catch (error) {
    if (!(error instanceof ConfigError) || !raw?.fromDotEnv) throw error;
    const said = error.message.replace(raw.source, `${raw.source} in ${DOTENV_SHOWN}`);
    throw new ConfigError(error.variable, said);
  }
}

/** Looks settings up flag-first, then in the environment, then in `.env`. */
class Sources {
  readonly #env: EnvReader;
  readonly #dotEnv: Record<string, string>;

  constructor(env: EnvReader, dotEnv: Record<string, string>) {
    this.#env = env;
    this.#dotEnv = dotEnv;
  }

  /** The first set value among the flag and the variables; blank variables count as unset. */
  get(flag: { name: string; value: unknown } | undefined, vars: readonly string[]):
    | Found
    | undefined {
    if (flag !== undefined && flag.value !== undefined && flag.value !== false) {
      return { value: String(flag.value), source: flag.name };
    }
    for (const name of vars) {
      const value = this.#env(name);
      if (value !== undefined && value.trim() !== "") return { value, source: name };
    }
    for (const name of vars) {
      const value = this.#dotEnv[name];
      if (value !== undefined && value.trim() !== "") {
        return { value, source: name, fromDotEnv: true };
      }
    }
    return undefined;
  }

  /** A lookup over the environment then `.env`, for code that takes an {@link EnvReader}. */
  reader(): EnvReader {
    return (name) => this.get(undefined, [name])?.value;
  }
}

function readTable<T>(table: SettingsTable<T>, src: Sources, flags: FlagValues): T {
  const values: Partial<T> = {};
  for (const key of Object.keys(table) as Array<keyof T>) {
    const spec = table[key];
    const flag = spec.flag === undefined
      ? undefined
      : { name: `--${spec.flag}`, value: flags[flagKey(spec.flag)] };
    values[key] = fromSource(src.get(flag, spec.env), (raw) => spec.parse(raw));
  }
  return values as T;
}

function logFlag(flags: FlagValues): { name: string; value: unknown } {
  return { name: "--log-file", value: flags.logFile };
}

function logFilePath(file: string | undefined, dir: string, platform: string): string | undefined {
  if (file === undefined) return undefined;
  const path = platform === "windows" ? win32 : posix;
  return path.isAbsolute(file) ? file : path.join(dir, file);
}

/** Whether this process may write `path` (its Deno permissions; never prompts). */
export function mayWrite(path: string): boolean {
  return Deno.permissions.querySync({ name: "write", path }).state === "granted";
}

/**
 * Refuses a log file this process may not write, saying what each way of running allows:
 * `deno task start` and the container write only the token-cache directory, `deno run` what its
 * `--allow-write` names, the binary anywhere.
 */
function checkLogFile(
  file: string | undefined,
  raw: Found | undefined,
  dir: string,
  canWrite: (path: string) => boolean,
): void {
  if (file === undefined || raw === undefined || canWrite(file)) return;
  const where = `Invalid ${raw.fromDotEnv ? `${raw.source} in ${DOTENV_SHOWN}` : raw.source} ${
    quoteValue(file)
  }: this process may not write there`;
  if (!canWrite(dir)) {
    throw new ConfigError(
      raw.source,
      `${where}, nor in its token-cache directory ${dir}. \`deno task start\` writes only in the platform cache directory, so a TAIGA_CACHE_DIR needs the \`deno run\` form with --allow-read=${dir} --allow-write=${dir} (or leave TAIGA_CACHE_DIR unset).`,
    );
  }
  const example = raw.source.startsWith("--")
    ? "--log-file taiga-mcp.log"
    : "LOG_FILE=taiga-mcp.log";
  throw new ConfigError(
    raw.source,
    `${where}: \`deno task start\` and the container write only in the token-cache directory ${dir}. Give a file name alone (${example}) and it lands there; with \`deno run\`, add --allow-write=${file}; the binary may write anywhere.`,
  );
}

/**
 * Builds the configuration. Precedence: `flags`, then `env`, then the variables in `dotEnvText`
 * (the content of `./.env`, see `readDotEnv`), then the defaults of the settings table.
 * `platform` only affects path rules (cache dir, log file); `canWrite` says whether the process
 * may write a path (default: its Deno permissions), so a log file it could not open is refused.
 *
 * @throws {ConfigError} naming the first invalid variable or flag, or a rule across settings
 * that does not hold (e.g. a non-loopback HTTP bind without MCP_HTTP_TOKEN).
 */
export function loadConfig(
  flags: FlagValues,
  env: EnvReader,
  dotEnvText?: string,
  platform: typeof Deno.build.os = Deno.build.os,
  canWrite: (path: string) => boolean = mayWrite,
): Config {
  const src = new Sources(env, parseDotEnv(dotEnvText ?? ""));
  const core = readTable(CORE_SETTINGS, src, flags);
  const http = readTable(HTTP_SETTINGS, src, flags);
  const apiSource = src.get({ name: "--api-url", value: flags.apiUrl }, ["TAIGA_API_URL"]);
  const { apiUrl, host } = fromSource(
    apiSource,
    (raw) => normaliseApiUrl(core.apiUrlInput, raw?.source),
  );
  const dir = core.cacheDirInput ?? cacheDir(src.reader(), platform);
  const { apiUrlInput: _url, logFileInput, cacheDirInput: _dir, authToken, ...rest } = core;
  const config: Config = {
    ...rest,
    apiUrl,
    host,
    authToken,
    logFile: logFilePath(logFileInput, dir, platform),
    cacheDir: dir,
    sandbox: flags.sandbox === true,
    readOnly: core.readOnly,
    http,
  };
  checkLogFile(config.logFile, src.get(logFlag(flags), ["LOG_FILE"]), dir, canWrite);
  // The bind rule is about serving: `login` in the container (MCP_HOST=0.0.0.0) needs no token.
  const serving = flags.command === undefined || flags.command === "serve";
  if (serving && config.transport === "http") assertBindAllowed(config.http);
  // OAuth is a sign-in over HTTP: asking for it on stdio is refused before anything starts.
  if (serving) assertOAuthReady(config.transport, config.http);
  return config;
}
