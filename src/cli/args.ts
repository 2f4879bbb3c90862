/**
 * Command-line parsing: subcommands, flags and the `--help` text.
 *
 * @module
 */

import { parseArgs } from "node:util";
import { flagKey } from "../config/load.ts";
import { ConfigError } from "../config/parse.ts";
import {
  allSettings,
  CORE_SETTINGS,
  HTTP_SETTINGS,
  PLATFORM_ENV_VARS,
} from "../config/settings.ts";

/** The subcommands; `serve` is the default when none is given. */
export type Command = "serve" | "login" | "app-token" | "logout" | "tokens";

/** Parsed command line. Flag values are raw strings; `loadConfig` validates them. */
export type CliArgs = {
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
  /** `--api-url URL`, also the host for `login`, `app-token` and `logout`. */
  apiUrl?: string;
  /** `login` / `app-token` `--username NAME`. */
  username?: string;
  /** `app-token --application ID`: the id of the Application a Taiga admin registered. */
  application?: string;
  /** `app-token --print`: also write the token to stdout. */
  print?: boolean;
  /** `--token-type Bearer|Application`. */
  tokenType?: string;
};

const COMMANDS: readonly Command[] = ["serve", "login", "app-token", "logout", "tokens"];

/** Flags that are not settings: what to run, and how. */
const OWN_FLAGS = {
  "sandbox": { type: "boolean" },
  "version": { type: "boolean" },
  "help": { type: "boolean", short: "h" },
  "username": { type: "string" },
  "application": { type: "string" },
  "print": { type: "boolean" },
} as const;

type FlagOption = { type: "string" | "boolean"; short?: string };

/** Every flag: the settings table's, then the program's own. */
const OPTIONS: Record<string, FlagOption> = {
  ...Object.fromEntries(
    allSettings().filter((spec) => spec.flag !== undefined).map((
      spec,
    ) => [spec.flag!, { type: spec.flagValue === undefined ? "boolean" : "string" }]),
  ),
  ...OWN_FLAGS,
};

/** Flags that only make sense when serving; anything else rejects them. */
const SERVE_ONLY: readonly string[] = [
  ...allSettings().map((spec) => spec.flag).filter((flag): flag is string =>
    flag !== undefined && !["api-url", "log-level", "log-file"].includes(flag)
  ),
  "sandbox",
];
/** Flags allowed only with some subcommands. */
const COMMAND_ONLY: Readonly<Record<string, readonly Command[]>> = {
  username: ["login", "app-token"],
  application: ["app-token"],
  print: ["app-token"],
};

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
  // `deno task start -- --sandbox` hands the separator on: the flags after it are still ours.
  const args = argv[0] === "--" ? argv.slice(1) : argv;
  let parsed;
  try {
    parsed = parseArgs({ args, options: OPTIONS, strict: true, allowPositionals: true });
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
    const only = COMMAND_ONLY[name] ?? (SERVE_ONLY.includes(name) ? ["serve"] : undefined);
    if (only !== undefined && !only.includes(command)) {
      throw new ConfigError(
        `--${name}`,
        `Flag --${name} cannot be used with "${command}"; it belongs to ${
          only.map((c) => `"${c}"`).join(" and ")
        }`,
      );
    }
  }

  const flags = Object.fromEntries(
    Object.keys(OPTIONS).map((name) => [flagKey(name), (values as Record<string, unknown>)[name]]),
  );
  return {
    ...flags,
    command,
    sandbox: values.sandbox === true,
    version: values.version === true,
    help: values.help === true,
    readOnly: values["read-only"] === true,
    print: values.print === true,
  } as CliArgs;
}

function column(left: string, right: string, width: number): string {
  return `${left.padEnd(width)} ${right}`.trimEnd();
}

function flagLines(): string[] {
  const settings = allSettings().filter((spec) => spec.flag !== undefined).map((spec) =>
    column(
      `  --${spec.flag}${spec.flagValue ? ` ${spec.flagValue}` : ""}`,
      `${spec.help} [${spec.env[0]}]`,
      26,
    )
  );
  return [
    ...settings,
    column("  --sandbox", "serve against an in-memory sandbox Taiga", 26),
    column("  --username NAME", 'user name or email for "login" and "app-token"', 26),
    column("  --application ID", 'the Application\'s id for "app-token"', 26),
    column("  --print", '"app-token": also write the token to stdout', 26),
    column("  --version", "print the version and exit", 26),
    column("  -h, --help", "print this help and exit", 26),
  ];
}

function envLines(): string[] {
  const lines: string[] = [];
  for (const spec of [...Object.values(CORE_SETTINGS), ...Object.values(HTTP_SETTINGS)]) {
    const [name, ...aliases] = spec.env;
    lines.push(column(`  ${name}`, column(spec.help, spec.shownDefault, 46), 28));
    if (aliases.length > 0) lines.push(`${" ".repeat(29)}(alias: ${aliases.join(", ")})`);
  }
  return lines;
}

function wrap(text: string, width: number, indent: string): string[] {
  const lines: string[] = [];
  let line = indent;
  for (const word of text.split(" ")) {
    if (line.length + word.length + 1 > width && line.trim() !== "") {
      lines.push(line.trimEnd());
      line = indent;
    }
    line += `${word} `;
  }
  lines.push(line.trimEnd());
  return lines;
}

/** The `--help` text: usage, subcommands, flags, environment variables and examples. */
export const HELP_TEXT: string = [
  "taiga-mcp: a Model Context Protocol server for Taiga",
  "",
  "USAGE",
  "  taiga-mcp [serve] [flags]            serve MCP (stdio by default)",
  "  taiga-mcp login [--api-url URL] [--username NAME]",
  "                                       log in with a password and cache the token",
  "  taiga-mcp app-token --application ID [--api-url URL] [--username NAME] [--print]",
  "                                       get an application token (needs an Application",
  "                                       registered by a Taiga admin) and cache it",
  "  taiga-mcp logout [--api-url URL]     forget the cached token of a host",
  "  taiga-mcp tokens                     list cached tokens (masked)",
  "",
  "FLAGS",
  ...flagLines(),
  "",
  "ENVIRONMENT (flags win over variables, variables over ./.env)",
  ...envLines(),
  "",
  ...wrap(
    `The platform cache dir is $${
      PLATFORM_ENV_VARS[0]
    }, else ~/.cache (Linux), ~/Library/Caches (macOS) or %LOCALAPPDATA% (Windows; falls back to %USERPROFILE%\\AppData\\Local).`,
    96,
    "  ",
  ),
  "",
  ...wrap(
    "Where this says taiga-mcp, write the command of your form: `deno task start` from a checkout (e.g. `deno task start login`), `deno run <flags>` and the JSR package @taiga/mcp, the path of a binary, or `docker run ...` (see docs/user-guide/install.md).",
    96,
    "  ",
  ),
  "",
  "EXAMPLES",
  "  taiga-mcp login --api-url https://api.taiga.io",
  "  taiga-mcp app-token --api-url https://taiga.example.com --application 5f1c...",
  "  TAIGA_API_URL=https://api.taiga.io taiga-mcp --toolsets all",
  "  taiga-mcp --transport http --port 8000 --read-only",
  "  taiga-mcp --sandbox --log-level DEBUG",
  "  taiga-mcp logout --api-url https://api.taiga.io",
  "",
].join("\n");
