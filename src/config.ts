/**
 * One typed {@link Config}, built from command-line flags, then environment
 * variables, then `./.env`, then defaults (first one set wins).
 *
 * @module
 */

import { posix, win32 } from "node:path";
import type { CliArgs } from "./cli.ts";
import {
  ConfigError,
  parseBoolean,
  parseChoice,
  parseDotEnv,
  parseList,
  parsePort,
  parsePositiveInteger,
  parsePositiveSeconds,
  quoteValue,
  type RawSetting,
} from "./config_env.ts";
import type { EnvReader } from "./permissions.ts";
import { cacheDir } from "./sessions/cache_dir.ts";

export { ConfigError, parseDotEnv, readDotEnv } from "./config_env.ts";

/** How the Taiga token is sent: `Authorization: Bearer <jwt>` or `Authorization: Application <token>`. */
export type TokenType = "Bearer" | "Application";

/** Logger levels, least to most severe. */
export type LogLevel = "DEBUG" | "INFO" | "WARNING" | "ERROR";

/** The MCP transport to serve. */
export type Transport = "stdio" | "http";

/** Settings of the Streamable HTTP transport. */
export interface HttpConfig {
  /** Interface to bind, default `127.0.0.1`. */
  host: string;
  /** Port to listen on, default 8000; 0 picks a free port. */
  port: number;
  /** Bearer token clients must send (`MCP_HTTP_TOKEN`); none when unset. */
  token?: string;
  /** Accepted `Host` header values (`MCP_ALLOWED_HOSTS`); empty means the transport's default. */
  allowedHosts: string[];
  /** Accepted `Origin` header values (`MCP_ALLOWED_ORIGINS`); empty means the transport's default. */
  allowedOrigins: string[];
  /** Largest accepted request body in bytes, default 1 MiB. */
  maxBodyBytes: number;
  /** Seconds after which an idle MCP session is closed, default 1800. */
  sessionIdleSeconds: number;
}

/** The complete, validated configuration of one taiga-mcp process. */
export interface Config {
  /** Normalised API base, always ending in `/api/v1`, no trailing slash. */
  apiUrl: string;
  /** Normalised host key for the token cache, e.g. `https://api.taiga.io`. */
  host: string;
  /** Token from `TAIGA_AUTH_TOKEN`, if any. */
  authToken?: string;
  /** Scheme used with {@link Config.authToken}. */
  tokenType: TokenType;
  /** Lifetime of a session in seconds. */
  sessionExpirySeconds: number;
  /** Transport to serve (`sse` is accepted as an alias of `http`). */
  transport: Transport;
  /** Timeout of one Taiga request in seconds (may be fractional). */
  requestTimeoutSeconds: number;
  /** Cap on concurrent connections to Taiga. */
  maxConnections: number;
  /** Cap on idle keep-alive connections to Taiga. */
  maxKeepaliveConnections: number;
  /** Client-side cap on Taiga requests per minute. */
  rateLimitPerMinute: number;
  /** Minimum level that is logged. */
  logLevel: LogLevel;
  /** Log file path; a relative `LOG_FILE` is resolved inside {@link Config.cacheDir}. */
  logFile?: string;
  /** Serve against the in-memory sandbox Taiga instead of a real server. */
  sandbox: boolean;
  /** Enabled toolsets, lower-case; `["default"]` unless set. `all` enables everything. */
  toolsets: string[];
  /** Hide every tool that writes. */
  readOnly: boolean;
  /** The token-cache directory. */
  cacheDir: string;
  /** HTTP transport settings. */
  http: HttpConfig;
}

/** Default values of every setting that has one. */
export const DEFAULTS: Readonly<
  & Pick<
    Config,
    | "apiUrl"
    | "tokenType"
    | "sessionExpirySeconds"
    | "transport"
    | "requestTimeoutSeconds"
    | "maxConnections"
    | "maxKeepaliveConnections"
    | "rateLimitPerMinute"
    | "logLevel"
  >
  & Pick<HttpConfig, "maxBodyBytes" | "sessionIdleSeconds">
  & { toolsets: readonly string[]; httpHost: string; httpPort: number }
> = Object.freeze({
  apiUrl: "http://localhost:9000",
  tokenType: "Bearer",
  sessionExpirySeconds: 28800,
  transport: "stdio",
  requestTimeoutSeconds: 30,
  maxConnections: 10,
  maxKeepaliveConnections: 5,
  rateLimitPerMinute: 100,
  logLevel: "INFO",
  toolsets: Object.freeze(["default"]),
  httpHost: "127.0.0.1",
  httpPort: 8000,
  maxBodyBytes: 1024 * 1024,
  sessionIdleSeconds: 1800,
});

const LOG_LEVELS: readonly LogLevel[] = ["DEBUG", "INFO", "WARNING", "ERROR"];
const TOOLSET_NAME = /^[a-z][a-z0-9_-]*$/;

/**
 * Normalises a Taiga URL given with or without `/api/v1`, with trailing
 * slashes or surrounding whitespace.
 *
 * @example `normaliseApiUrl("https://API.taiga.io/api/v1/")` gives
 * `{ apiUrl: "https://api.taiga.io/api/v1", host: "https://api.taiga.io" }`.
 * @throws {ConfigError} (naming `variable`) for anything but an http(s) URL
 * without credentials, query or fragment.
 */
export function normaliseApiUrl(
  input: string,
  variable = "TAIGA_API_URL",
): { apiUrl: string; host: string } {
  const trimmed = input.trim();
  const fail = (problem: string, showValue = true): ConfigError =>
    new ConfigError(
      variable,
      `Invalid ${variable}${showValue ? ` ${quoteValue(trimmed)}` : ""}: ${problem}`,
    );
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

/** Looks settings up flag-first, then in the environment, then in `.env`. */
class Sources {
  readonly #env: EnvReader;
  readonly #dotEnv: Record<string, string>;

  constructor(env: EnvReader, dotEnv: Record<string, string>) {
    this.#env = env;
    this.#dotEnv = dotEnv;
  }

  /** The first set value among the flag and the variables; blank variables count as unset. */
  get(flag: { name: string; value: string | undefined } | undefined, ...vars: string[]):
    | RawSetting
    | undefined {
    if (flag?.value !== undefined) return { value: flag.value, source: flag.name };
    for (const lookup of [this.#env, (name: string) => this.#dotEnv[name]]) {
      for (const name of vars) {
        const value = lookup(name);
        if (value !== undefined && value.trim() !== "") return { value, source: name };
      }
    }
    return undefined;
  }

  /** A lookup over the environment then `.env`, for code that takes an {@link EnvReader}. */
  reader(): EnvReader {
    return (name) => this.get(undefined, name)?.value;
  }
}

function parseAuthToken(setting: RawSetting | undefined): string | undefined {
  if (setting === undefined) return undefined;
  const token = setting.value.trim();
  if (/\s/.test(token)) {
    // The value is a secret: the message must not quote it.
    throw new ConfigError(
      setting.source,
      `Invalid ${setting.source}: must be the token alone, without spaces or a "Bearer "/"Application " prefix`,
    );
  }
  return token;
}

function parseToolsets(setting: RawSetting | undefined): string[] {
  if (setting === undefined) return [...DEFAULTS.toolsets];
  const names = [...new Set(parseList(setting.value.toLowerCase()))];
  const bad = names.find((name) => !TOOLSET_NAME.test(name));
  if (bad !== undefined) {
    throw new ConfigError(
      setting.source,
      `Invalid ${setting.source} ${
        quoteValue(setting.value)
      }: toolset names are single words such as default, all or projects, separated by commas`,
    );
  }
  return names.length > 0 ? names : [...DEFAULTS.toolsets];
}

function parseHttpHost(setting: RawSetting | undefined): string {
  if (setting === undefined) return DEFAULTS.httpHost;
  const host = setting.value.trim().replace(/^\[(.*)\]$/, "$1");
  if (host === "" || /[\s/@]/.test(host)) {
    throw new ConfigError(
      setting.source,
      `Invalid ${setting.source} ${
        quoteValue(setting.value)
      }: must be a host name or IP address such as 127.0.0.1`,
    );
  }
  return host;
}

function parseLogFile(
  setting: RawSetting | undefined,
  dir: string,
  platform: typeof Deno.build.os,
): string | undefined {
  const file = setting?.value.trim();
  if (file === undefined || file === "") return undefined;
  const path = platform === "windows" ? win32 : posix;
  return path.isAbsolute(file) ? file : path.join(dir, file);
}

/**
 * Builds the configuration. Precedence: flags in `args`, then `env`, then the
 * variables in `dotEnvText` (the content of `./.env`, see `readDotEnv`), then
 * {@link DEFAULTS}. `platform` only affects path rules (cache dir, log file).
 *
 * @throws {ConfigError} naming the first invalid variable or flag.
 */
export function loadConfig(
  args: CliArgs,
  env: EnvReader,
  dotEnvText?: string,
  platform: typeof Deno.build.os = Deno.build.os,
): Config {
  const src = new Sources(env, parseDotEnv(dotEnvText ?? ""));
  const flag = (name: string, value: string | undefined) => ({ name, value });

  const apiSetting = src.get(flag("--api-url", args.apiUrl), "TAIGA_API_URL");
  const { apiUrl, host } = apiSetting === undefined
    ? normaliseApiUrl(DEFAULTS.apiUrl)
    : normaliseApiUrl(apiSetting.value, apiSetting.source);

  const pick = <T>(setting: RawSetting | undefined, parse: (s: RawSetting) => T, fallback: T): T =>
    setting === undefined ? fallback : parse(setting);

  const tokenType = pick(
    src.get(flag("--token-type", args.tokenType), "TAIGA_TOKEN_TYPE"),
    (s) => parseChoice<TokenType>(s, ["Bearer", "Application"]),
    DEFAULTS.tokenType,
  );
  const transport = pick(
    src.get(flag("--transport", args.transport), "TAIGA_TRANSPORT"),
    (s) => parseChoice<Transport>(s, ["stdio", "http"], { sse: "http", "streamable-http": "http" }),
    DEFAULTS.transport,
  );
  const logLevel = pick(
    src.get(flag("--log-level", args.logLevel), "LOG_LEVEL"),
    (s) => parseChoice<LogLevel>(s, LOG_LEVELS, { warn: "WARNING", critical: "ERROR" }),
    DEFAULTS.logLevel,
  );
  const readOnly = args.readOnly ||
    pick(src.get(undefined, "TAIGA_READ_ONLY"), parseBoolean, false);
  const dir = cacheDir(src.reader(), platform);

  return {
    apiUrl,
    host,
    authToken: parseAuthToken(src.get(undefined, "TAIGA_AUTH_TOKEN")),
    tokenType,
    sessionExpirySeconds: pick(
      src.get(undefined, "SESSION_EXPIRY"),
      (s) => parsePositiveInteger(s, "seconds"),
      DEFAULTS.sessionExpirySeconds,
    ),
    transport,
    requestTimeoutSeconds: pick(
      src.get(undefined, "REQUEST_TIMEOUT"),
      parsePositiveSeconds,
      DEFAULTS.requestTimeoutSeconds,
    ),
    maxConnections: pick(
      src.get(undefined, "MAX_CONNECTIONS"),
      (s) => parsePositiveInteger(s),
      DEFAULTS.maxConnections,
    ),
    maxKeepaliveConnections: pick(
      src.get(undefined, "MAX_KEEPALIVE_CONNECTIONS"),
      (s) => parsePositiveInteger(s),
      DEFAULTS.maxKeepaliveConnections,
    ),
    rateLimitPerMinute: pick(
      src.get(undefined, "RATE_LIMIT_REQUESTS"),
      (s) => parsePositiveInteger(s, "requests per minute"),
      DEFAULTS.rateLimitPerMinute,
    ),
    logLevel,
    logFile: parseLogFile(src.get(flag("--log-file", args.logFile), "LOG_FILE"), dir, platform),
    sandbox: args.sandbox,
    toolsets: parseToolsets(src.get(flag("--toolsets", args.toolsets), "TAIGA_TOOLSETS")),
    readOnly,
    cacheDir: dir,
    http: {
      host: parseHttpHost(src.get(flag("--host", args.host), "MCP_HOST", "FASTMCP_HOST")),
      port: pick(
        src.get(flag("--port", args.port), "MCP_PORT", "FASTMCP_PORT"),
        parsePort,
        DEFAULTS.httpPort,
      ),
      token: parseAuthToken(src.get(undefined, "MCP_HTTP_TOKEN")),
      allowedHosts: parseList(src.get(undefined, "MCP_ALLOWED_HOSTS")?.value.toLowerCase() ?? ""),
      allowedOrigins: parseList(src.get(undefined, "MCP_ALLOWED_ORIGINS")?.value ?? "")
        .map((origin) => origin.replace(/\/+$/, "")),
      maxBodyBytes: pick(
        src.get(undefined, "MCP_MAX_BODY_BYTES"),
        (s) => parsePositiveInteger(s, "bytes"),
        DEFAULTS.maxBodyBytes,
      ),
      sessionIdleSeconds: pick(
        src.get(undefined, "MCP_SESSION_IDLE_SECONDS"),
        (s) => parsePositiveInteger(s, "seconds"),
        DEFAULTS.sessionIdleSeconds,
      ),
    },
  };
}
