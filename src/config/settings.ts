/**
 * THE table of settings: for each one its environment variables, flag, parser, default and help
 * line. `Config`, the `--allow-env` list, `--help` and the start task's permissions all come
 * from here (a test checks the start task and the docs against it).
 *
 * @module
 */

import { LOG_LEVELS, type LogLevel } from "../log/logger.ts";
import type { TokenType } from "../taiga/client.ts";
import {
  parseBoolean,
  parseChoice,
  parseHttpHost,
  parseKeys,
  parseList,
  parsePort,
  parsePositiveInteger,
  parsePositiveSeconds,
  parseSecret,
  parseTaigaHosts,
  parseToolsets,
  type SettingSpec,
  type SettingsTable,
  text,
  withDefault,
} from "./parse.ts";
import { OAUTH_SETTINGS, type OAuthSettings } from "./oauth_settings.ts";

export type { SettingSpec, SettingsTable } from "./parse.ts";

/** The MCP transport to serve. */
export type Transport = "stdio" | "http";

/** Settings of the whole process. */
export interface CoreSettings {
  /** Taiga URL as given (normalised in {@link Config}). */
  apiUrlInput: string;
  /** Token from `TAIGA_AUTH_TOKEN`, if any. */
  authToken: string | undefined;
  /** Scheme used with the token. */
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
  /** Log file as given; a relative path is resolved inside the cache dir. */
  logFileInput: string | undefined;
  /** Enabled toolsets, lower-case; `["default"]` unless set. `all` enables everything. */
  toolsets: string[];
  /** Hide every tool that writes. */
  readOnly: boolean;
  /** The token-cache directory as given (`TAIGA_CACHE_DIR`); else the platform's. */
  cacheDirInput: string | undefined;
}

/** Settings of the HTTP transport (the OAuth ones in oauth_settings.ts). */
export interface HttpConfig extends OAuthSettings {
  /** Interface to bind, default `127.0.0.1`. */
  host: string;
  /** Port to listen on, default 8000; 0 picks a free port. */
  port: number;
  /** Bearer token clients must send (`MCP_HTTP_TOKEN`); none when unset. */
  token: string | undefined;
  /** Accepted `Host` header values (`MCP_ALLOWED_HOSTS`); empty means loopback only. */
  allowedHosts: string[];
  /** Accepted `Origin` header values (`MCP_ALLOWED_ORIGINS`); empty means loopback only. */
  allowedOrigins: string[];
  /** Largest accepted request body in bytes, default 1 MiB. */
  maxBodyBytes: number;
  /** Seconds after which an idle MCP session is closed, default 1800. */
  sessionIdleSeconds: number;
  /** Keys that seal session ids and tokens (`MCP_OAUTH_KEY`): the first seals, all open. */
  sealKeys: string[];
  /**
   * Taiga locations the login tools' `host` may name besides TAIGA_API_URL
   * (`MCP_ALLOWED_TAIGA_HOSTS`): normalised Taiga URLs (`https://taiga.example.com`) or bare
   * `host[:port]` names. Empty: TAIGA_API_URL only.
   */
  allowedTaigaHosts: string[];
}

/** Every process-wide setting. */
export const CORE_SETTINGS: SettingsTable<CoreSettings> = {
  apiUrlInput: {
    env: ["TAIGA_API_URL"],
    flag: "api-url",
    flagValue: "URL",
    help: "Taiga URL, with or without /api/v1",
    shownDefault: "http://localhost:9000",
    parse: (raw) => raw?.value ?? "http://localhost:9000",
  },
  authToken: {
    env: ["TAIGA_AUTH_TOKEN"],
    help: "token of the default session",
    shownDefault: "(none)",
    secret: true,
    parse: parseSecret,
  },
  tokenType: {
    env: ["TAIGA_TOKEN_TYPE"],
    flag: "token-type",
    flagValue: "TYPE",
    help: "Bearer (login JWT) or Application",
    shownDefault: "Bearer",
    parse: withDefault<TokenType>("Bearer", (s) => parseChoice(s, ["Bearer", "Application"])),
  },
  sessionExpirySeconds: {
    env: ["SESSION_EXPIRY"],
    help: "seconds a session lives",
    shownDefault: "28800",
    parse: withDefault(28800, (s) => parsePositiveInteger(s, "seconds")),
  },
  transport: {
    env: ["TAIGA_TRANSPORT"],
    flag: "transport",
    flagValue: "stdio|http",
    help: 'MCP transport; "sse" is an alias of "http"',
    shownDefault: "stdio",
    parse: withDefault<Transport>(
      "stdio",
      (s) => parseChoice(s, ["stdio", "http"], { sse: "http", "streamable-http": "http" }),
    ),
  },
  requestTimeoutSeconds: {
    env: ["REQUEST_TIMEOUT"],
    help: "seconds per Taiga request, retries included",
    shownDefault: "30",
    parse: withDefault(30, parsePositiveSeconds),
  },
  maxConnections: {
    env: ["MAX_CONNECTIONS"],
    help: "Taiga requests in flight at once",
    shownDefault: "10",
    parse: withDefault(10, (s) => parsePositiveInteger(s)),
  },
  maxKeepaliveConnections: {
    env: ["MAX_KEEPALIVE_CONNECTIONS"],
    help: "idle keep-alive connections kept to Taiga",
    shownDefault: "5",
    parse: withDefault(5, (s) => parsePositiveInteger(s)),
  },
  rateLimitPerMinute: {
    env: ["RATE_LIMIT_REQUESTS"],
    help: "Taiga requests per minute (our own limit)",
    shownDefault: "100",
    parse: withDefault(100, (s) => parsePositiveInteger(s, "requests per minute")),
  },
  logLevel: {
    env: ["LOG_LEVEL"],
    flag: "log-level",
    flagValue: "LEVEL",
    help: "DEBUG, INFO, WARNING or ERROR",
    shownDefault: "INFO",
    parse: withDefault<LogLevel>(
      "INFO",
      (s) => parseChoice(s, LOG_LEVELS, { warn: "WARNING", critical: "ERROR" }),
    ),
  },
  logFileInput: {
    env: ["LOG_FILE"],
    flag: "log-file",
    flagValue: "PATH",
    help: "log file; relative = in the cache dir",
    shownDefault: "(off)",
    parse: text,
  },
  toolsets: {
    env: ["TAIGA_TOOLSETS"],
    flag: "toolsets",
    flagValue: "LIST",
    help: 'comma-separated toolsets, or "all"',
    shownDefault: "default",
    parse: withDefault(["default"], parseToolsets),
  },
  readOnly: {
    env: ["TAIGA_READ_ONLY"],
    flag: "read-only",
    help: "hide every tool that writes",
    shownDefault: "false",
    parse: withDefault(false, parseBoolean),
  },
  cacheDirInput: {
    env: ["TAIGA_CACHE_DIR"],
    help: "token cache directory",
    shownDefault: "platform cache dir",
    parse: text,
  },
};

/** Every setting of the HTTP transport. */
export const HTTP_SETTINGS: SettingsTable<HttpConfig> = {
  host: {
    env: ["MCP_HOST", "FASTMCP_HOST"],
    flag: "host",
    flagValue: "ADDRESS",
    help: "HTTP address to bind",
    shownDefault: "127.0.0.1",
    parse: withDefault("127.0.0.1", parseHttpHost),
  },
  port: {
    env: ["MCP_PORT", "FASTMCP_PORT"],
    flag: "port",
    flagValue: "N",
    help: "HTTP port (0 = any free port)",
    shownDefault: "8000",
    parse: withDefault(8000, parsePort),
  },
  token: {
    env: ["MCP_HTTP_TOKEN"],
    help: "HTTP token clients must send (off loopback)",
    shownDefault: "(none)",
    secret: true,
    parse: parseSecret,
  },
  allowedHosts: {
    env: ["MCP_ALLOWED_HOSTS"],
    help: "HTTP: allowed Host headers, comma list",
    shownDefault: "loopback",
    parse: (raw) => parseList(raw?.value.toLowerCase() ?? ""),
  },
  allowedOrigins: {
    env: ["MCP_ALLOWED_ORIGINS"],
    help: "HTTP: allowed Origin headers, comma list",
    shownDefault: "loopback",
    parse: (raw) => parseList(raw?.value ?? "").map((origin) => origin.replace(/\/+$/, "")),
  },
  maxBodyBytes: {
    env: ["MCP_MAX_BODY_BYTES"],
    help: "HTTP: largest request body, bytes",
    shownDefault: "1048576",
    parse: withDefault(1024 * 1024, (s) => parsePositiveInteger(s, "bytes")),
  },
  sessionIdleSeconds: {
    env: ["MCP_SESSION_IDLE_SECONDS"],
    help: "HTTP: idle MCP session timeout, seconds",
    shownDefault: "1800",
    parse: withDefault(1800, (s) => parsePositiveInteger(s, "seconds")),
  },
  sealKeys: {
    env: ["MCP_OAUTH_KEY"],
    help: "HTTP: key(s) sealing session ids, comma list",
    shownDefault: "(random)",
    secret: true,
    parse: parseKeys,
  },
  allowedTaigaHosts: {
    env: ["MCP_ALLOWED_TAIGA_HOSTS"],
    help: "HTTP: other Taiga URLs/hosts login may use",
    shownDefault: "TAIGA_API_URL only",
    parse: parseTaigaHosts,
  },
  ...OAUTH_SETTINGS,
};

/** Variables read to find the platform cache dir (see cache_dir.ts) and by the runtime. */
export const PLATFORM_ENV_VARS: readonly string[] = [
  "XDG_CACHE_HOME",
  "HOME",
  "LOCALAPPDATA",
  "USERPROFILE",
  "NO_COLOR",
];

/** Every spec of both tables, in table order. */
export function allSettings(): Array<SettingSpec<unknown>> {
  return [...Object.values(CORE_SETTINGS), ...Object.values(HTTP_SETTINGS)];
}
