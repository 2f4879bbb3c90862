/**
 * Command-line parsing: subcommands, flags and the `--help` text.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { ConfigError } from "./config_env.ts";

/** The subcommands; `serve` is the default when none is given. */
export type Command = "serve" | "login" | "logout" | "tokens";

/** Parsed command line. Flag values are raw strings; `loadConfig` validates them. */
export interface CliArgs {
  /** The subcommand (first positional argument), `serve` by default. */
  command: Command;
  /** `--transport stdio|http` (`sse` is an alias of `http`). */
  transport?: string;
  /** `--log-level DEBUG|INFO|WARNING|ERROR`. */
  logLevel?: string;
  /** `--log-file PATH`. */
  logFile?: string;
  /** `--sandbox`: serve against the in-memory sandbox Taiga. */
  sandbox: boolean;
  /** `--version`. */
  version: boolean;
  /** `--help` / `-h`. */
  help: boolean;
  /** `--toolsets a,b,c`. */
  toolsets?: string;
  /** `--read-only`. */
  readOnly: boolean;
  /** `--host ADDRESS` for the HTTP transport. */
  host?: string;
  /** `--port N` for the HTTP transport. */
  port?: string;
  /** `--api-url URL`, also the host for `login` and `logout`. */
  apiUrl?: string;
  /** `login --username NAME`. */
  username?: string;
  /** `--token-type Bearer|Application`. */
  tokenType?: string;
}

const COMMANDS: readonly Command[] = ["serve", "login", "logout", "tokens"];

const OPTIONS = {
  "transport": { type: "string" },
  "log-level": { type: "string" },
  "log-file": { type: "string" },
  "sandbox": { type: "boolean" },
  "version": { type: "boolean" },
  "help": { type: "boolean", short: "h" },
  "toolsets": { type: "string" },
  "read-only": { type: "boolean" },
  "host": { type: "string" },
  "port": { type: "string" },
  "api-url": { type: "string" },
  "username": { type: "string" },
  "token-type": { type: "string" },
} as const;

/** Flags that only make sense when serving; anything else rejects them. */
const SERVE_ONLY = ["transport", "sandbox", "toolsets", "read-only", "host", "port", "token-type"];
/** Flags allowed only with one subcommand. */
const COMMAND_ONLY: Readonly<Record<string, Command>> = { username: "login" };

/** Turns node's parseArgs errors into one-line {@link ConfigError}s naming the flag. */
function usageError(error: unknown): ConfigError {
  const message = error instanceof Error ? error.message : String(error);
  const code = (error as { code?: string }).code;
  const flag = /'(-[^' ]+)/.exec(message)?.[1] ?? "arguments";
  if (code === "ERR_PARSE_ARGS_UNKNOWN_OPTION") {
    return new ConfigError(flag, `Unknown flag ${flag} (see --help)`);
  }
  if (/does not take an argument/.test(message)) {
    return new ConfigError(flag, `Flag ${flag} takes no value`);
  }
  if (/argument missing|ambiguous/.test(message)) {
    return new ConfigError(
      flag,
      `Flag ${flag} needs a value, e.g. ${flag}=VALUE (use ${flag}=-x for a value starting with "-")`,
    );
  }
  return new ConfigError(flag, `Invalid command line: ${message}`);
}

/**
 * Parses the command line (without the program name), strictly: unknown
 * flags, missing values, extra arguments or a flag used with the wrong
 * subcommand throw a {@link ConfigError} whose `variable` is the flag.
 */
export function parseCli(argv: string[]): CliArgs {
  let parsed;
  try {
    parsed = parseArgs({ args: argv, options: OPTIONS, strict: true, allowPositionals: true });
  } catch (error) {
    throw usageError(error);
  }
  const { values, positionals } = parsed;

  const [word, ...extra] = positionals;
  let command: Command = "serve";
  if (word !== undefined) {
    const found = COMMANDS.find((name) => name === word.toLowerCase());
    if (found === undefined) {
      throw new ConfigError(
        "command",
        `Unknown command ${JSON.stringify(word)}: use ${COMMANDS.join(", ")} (see --help)`,
      );
    }
    command = found;
  }
  if (extra.length > 0) {
    throw new ConfigError(
      "command",
      `Unexpected argument ${JSON.stringify(extra[0])} after "${command}" (see --help)`,
    );
  }
  for (const name of Object.keys(values)) {
    const only = COMMAND_ONLY[name] ?? (SERVE_ONLY.includes(name) ? "serve" : undefined);
    if (only !== undefined && only !== command) {
      throw new ConfigError(
        `--${name}`,
        `Flag --${name} cannot be used with "${command}"; it belongs to "${only}"`,
      );
    }
  }

  return {
    command,
    transport: values.transport,
    logLevel: values["log-level"],
    logFile: values["log-file"],
    sandbox: values.sandbox ?? false,
    version: values.version ?? false,
    help: values.help ?? false,
    toolsets: values.toolsets,
    readOnly: values["read-only"] ?? false,
    host: values.host,
    port: values.port,
    apiUrl: values["api-url"],
    username: values.username,
    tokenType: values["token-type"],
  };
}

/** The `--help` text: usage, subcommands, flags, environment variables and examples. */
export const HELP_TEXT: string = `taiga-mcp: a Model Context Protocol server for Taiga

USAGE
  taiga-mcp [serve] [flags]            serve MCP (stdio by default)
  taiga-mcp login [--api-url URL] [--username NAME]
                                       log in with a password and cache the token
  taiga-mcp logout [--api-url URL]     forget the cached token of a host
  taiga-mcp tokens                     list cached tokens (masked)

FLAGS
  --transport stdio|http   MCP transport; "sse" is an alias of "http"   [TAIGA_TRANSPORT]
  --host ADDRESS           HTTP bind address (default 127.0.0.1)        [MCP_HOST]
  --port N                 HTTP port (default 8000, 0 = any free port)  [MCP_PORT]
  --api-url URL            Taiga URL, with or without /api/v1           [TAIGA_API_URL]
  --token-type TYPE        Bearer (default) or Application              [TAIGA_TOKEN_TYPE]
  --toolsets LIST          comma-separated toolsets, or "all"           [TAIGA_TOOLSETS]
  --read-only              hide every tool that writes                  [TAIGA_READ_ONLY]
  --sandbox                serve against an in-memory sandbox Taiga
  --log-level LEVEL        DEBUG, INFO, WARNING or ERROR                [LOG_LEVEL]
  --log-file PATH          also append logs to PATH                     [LOG_FILE]
  --username NAME          user name or email for "login"
  --version                print the version and exit
  -h, --help               print this help and exit

ENVIRONMENT (flags win over variables, variables over ./.env)
  TAIGA_API_URL              Taiga URL                          http://localhost:9000
  TAIGA_AUTH_TOKEN           token to start a default session   (none)
  TAIGA_TOKEN_TYPE           Bearer or Application              Bearer
  SESSION_EXPIRY             session lifetime, seconds          28800
  TAIGA_TRANSPORT            stdio or http                      stdio
  REQUEST_TIMEOUT            Taiga request timeout, seconds     30
  MAX_CONNECTIONS            concurrent requests to Taiga       10
  MAX_KEEPALIVE_CONNECTIONS  idle connections kept open         5
  RATE_LIMIT_REQUESTS        Taiga requests per minute          100
  LOG_LEVEL                  DEBUG, INFO, WARNING, ERROR        INFO
  LOG_FILE                   log file; relative = in cache dir  (off)
  TAIGA_TOOLSETS             comma-separated toolsets           default
  TAIGA_READ_ONLY            true/false/1/0                     false
  TAIGA_CACHE_DIR            token cache directory              platform cache dir/taiga-mcp
  MCP_HOST, MCP_PORT         HTTP bind address and port         127.0.0.1, 8000
                             (FASTMCP_HOST, FASTMCP_PORT are aliases)
  MCP_HTTP_TOKEN             token HTTP clients must send       (none)
  MCP_ALLOWED_HOSTS          allowed Host headers, comma list   (transport default)
  MCP_ALLOWED_ORIGINS        allowed Origin headers, comma list (transport default)
  MCP_MAX_BODY_BYTES         largest HTTP request body          1048576
  MCP_SESSION_IDLE_SECONDS   idle HTTP session timeout          1800

  The platform cache dir is $XDG_CACHE_HOME, else ~/.cache (Linux),
  ~/Library/Caches (macOS) or %LOCALAPPDATA% (Windows; falls back to
  %USERPROFILE%\\AppData\\Local).

EXAMPLES
  taiga-mcp login --api-url https://api.taiga.io
  TAIGA_API_URL=https://api.taiga.io taiga-mcp --toolsets all
  taiga-mcp --transport http --port 8000 --read-only
  taiga-mcp --sandbox --log-level DEBUG
  taiga-mcp logout --api-url https://api.taiga.io
`;
