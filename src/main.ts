/**
 * taiga-mcp entry point: parse the command line, build the configuration, then serve MCP over the
 * configured transport or run a subcommand (login, logout, tokens).
 *
 * Run from JSR (package @taiga/mcp) or a checkout with `--allow-net --allow-env=<list>
 * --allow-read=<cache dir>,.env --allow-write=<cache dir>`; see docs/user-guide/install.md.
 * @module
 */

import { HELP_TEXT, parseCli } from "./cli.ts";
import { type Config, ConfigError, loadConfig, readDotEnv } from "./config.ts";
import { readEnv } from "./permissions.ts";
import { VERSION } from "./version.ts";
import { createApp } from "./app.ts";
import { runSubcommand } from "./commands.ts";
import { TaigaError } from "./taiga/errors.ts";
import { selectTools } from "./mcp/toolsets.ts";

const encoder = new TextEncoder();

function say(text: string): void {
  Deno.stderr.writeSync(encoder.encode(`${text}\n`));
}

async function serve(config: Config): Promise<void> {
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
      await serveHttp(app.deps);
    } else {
      // Loaded here, not at the top: --help, --version and the subcommands skip the MCP SDK.
      const { serveStdio } = await import("./transports/stdio.ts");
      await serveStdio(app.deps);
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
    if (args.command !== "serve") return await runSubcommand(args, config);
    await serve(config);
    return 0;
  } catch (error) {
    if (error instanceof ConfigError || (error instanceof TaigaError && error.type === "input")) {
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
