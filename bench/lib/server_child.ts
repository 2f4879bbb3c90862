/**
 * Our server as a child process of a benchmark, wired exactly as `src/main.ts` serves it
 * (configuration from the command line, the environment and .env; createApp; the stdio or HTTP
 * transport), plus the memory probe of memory_probe.ts, whose reports add the metadata-cache
 * entries, the Taiga sessions and the live MCP sessions (HTTP). Over HTTP it writes
 * `@@listening <url>` on stderr once it listens, and stops when its stdin closes.
 *
 * Run: `deno run <server flags> [--v8-flags=--expose-gc] bench/lib/server_child.ts [taiga-mcp args]`.
 * @module
 */

import { parseCli } from "../../src/cli/args.ts";
import { readDotEnv } from "../../src/config/dotenv.ts";
import { readEnv } from "../../src/config/env.ts";
import { loadConfig } from "../../src/config/load.ts";
import { createApp } from "../../src/app.ts";
import { type HttpServerHandle, startHttpServer } from "../../src/transports/http.ts";
import { serveStdio } from "../../src/transports/stdio.ts";
import { LISTENING_MARKER } from "./children.ts";
import { installMemoryProbe } from "./memory_probe.ts";

const config = loadConfig(parseCli(Deno.args), readEnv, readDotEnv());
const app = await createApp(config);
let http: HttpServerHandle | undefined;
installMemoryProbe(() => ({
  metadataEntries: app.deps.metadata.size,
  taigaSessions: app.deps.sessions.size,
  mcpSessions: http?.sessionCount() ?? 0,
}));
if (config.transport === "http") {
  http = await startHttpServer(app.deps, app.catalog);
  Deno.stderr.writeSync(new TextEncoder().encode(`${LISTENING_MARKER}${http.url}\n`));
  const buffer = new Uint8Array(1024);
  while ((await Deno.stdin.read(buffer)) !== null) {
    // Serving until stdin closes.
  }
  await http.close();
} else {
  await serveStdio(app.deps, app.catalog);
}
await app.close();
Deno.exit(0);
