/**
 * taiga-mcp entry point: parse the command line, build the configuration, then serve MCP over the
 * configured transport or run a subcommand (login, logout, tokens).
 *
 * Run from JSR (package @taiga/mcp) or a checkout with `--allow-net --allow-env=<list>
 * --allow-read=<cache dir>,.env --allow-write=<cache dir>`; see docs/user-guide/install.md.
 * @module
 */

import { HELP_TEXT, parseCli } from "./cli/args.ts";
import { readDotEnv } from "./config/dotenv.ts";
import { readEnv } from "./config/env.ts";
import { type Config, loadConfig } from "./config/load.ts";
import { ConfigError } from "./config/parse.ts";
import { selectTools } from "./mcp/toolsets.ts";
import { InputError } from "./taiga/errors.ts";
import { VERSION } from "./version.ts";

const encoder = new TextEncoder();

function say(text: string): void {
  Deno.stderr.writeSync(encoder.encode(`${text}\n`));
}

/** Whether this process may read and write the token-cache directory. */
function cacheAllowed(dir: string): boolean {
  return ["read", "write"].every((name) =>
    Deno.permissions.querySync({ name: name as "read" | "write", path: dir }).state === "granted"
  );
}

async function serve(config: Config): Promise<void> {
  if (!config.sandbox && !cacheAllowed(config.cacheDir)) {
    say(
      `taiga-mcp: warning: the token cache ${config.cacheDir} is not allowed by this process's permissions, so cached logins are off. Grant --allow-read=${config.cacheDir} --allow-write=${config.cacheDir}, or (with deno task start) leave TAIGA_CACHE_DIR unset.`,
    );
  }
  // Loaded here, not at the top: --help, --version and the subcommands skip the MCP SDK.
  const { createApp } = await import("./app.ts");
  const app = await createApp(config);
  const stop = async (): Promise<void> => {
    await app.close();
    Deno.exit(0);
  };
  Deno.addSignalListener("SIGINT", stop);
  if (Deno.build.os !== "windows") Deno.addSignalListener("SIGTERM", stop);
  try {
    if (config.transport === "http") {
      const { serveHttp } = await import("./transports/http.ts");
      await serveHttp(app.deps, app.catalog);
    } else {
      const { serveStdio } = await import("./transports/stdio.ts");
      if (Deno.stdin.isTerminal()) {
        say(
          "taiga-mcp is waiting for an MCP client on stdin/stdout: an MCP client starts it itself. Add this command to your client's configuration, or try it with the MCP Inspector (README.md and docs/user-guide/install.md show both). Ctrl+C stops it.",
        );
      }
      await serveStdio(app.deps, app.catalog);
    }
  } finally {
    await app.close();
  }
}

/** Runs taiga-mcp with `argv`; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  try {
    const args = parseCli(argv);
    if (args.help) {
      Deno.stdout.writeSync(encoder.encode(HELP_TEXT));
      return 0;
    }
    if (args.version) {
      Deno.stdout.writeSync(encoder.encode(`taiga-mcp ${VERSION}\n`));
      return 0;
    }
    const config = loadConfig(args, readEnv, readDotEnv());
    selectTools([], config.toolsets, config.readOnly);
    if (args.command !== "serve") {
      // Loaded only for a subcommand: serving skips the CLI's prompts and login code.
      const { runSubcommand } = await import("./cli/commands.ts");
      return await runSubcommand(args, config);
    }
    await serve(config);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || error instanceof InputError) {
      say(`taiga-mcp: ${error.message}`);
      return 2;
    }
    say(`taiga-mcp: ${error instanceof Error ? error.message : String(error)}`);
    return 1;
  }
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
