/**
 * Starts the real server process on the HTTP transport (port 0) with the shipped permission
 * flags and finds its URL in the start-up line it logs — for tests that need separate processes
 * (replicas behind a load balancer).
 * @module
 */

import { ENV_VARS } from "../../src/config/env.ts";

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;

/** A running server process. */
export interface HttpProcess {
  /** e.g. `http://127.0.0.1:41234/mcp`. */
  mcpUrl: URL;
  /** What it wrote to stderr so far. */
  stderr(): string;
  /** Stops it (SIGTERM) and waits for it to exit. */
  close(): Promise<void>;
}

/** Starts `src/main.ts --transport http --port 0` with `env` (plus a private cache dir). */
export async function startHttpProcess(env: Record<string, string>): Promise<HttpProcess> {
  const cacheDir = await Deno.makeTempDir({ prefix: "taiga-mcp-replica-" });
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--no-prompt",
      "--allow-net",
      `--allow-env=${ENV_VARS.join(",")}`,
      `--allow-read=${cacheDir}`,
      `--allow-write=${cacheDir}`,
      MAIN,
      "--transport",
      "http",
      "--host",
      "127.0.0.1",
      "--port",
      "0",
    ],
    env: { TAIGA_CACHE_DIR: cacheDir, NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let text = "";
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  const started = (async () => {
    for (;;) {
      const { value, done } = await reader.read();
      if (done) throw new Error(`the server exited before it listened:\n${text}`);
      text += value;
      const url = /serving MCP over Streamable HTTP at (http:\/\/\S+\/mcp)/.exec(text)?.[1];
      if (url) return new URL(url);
    }
  })();
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`no start-up line in 20 s:\n${text}`)), 20_000);
  });
  const mcpUrl = await Promise.race([started, timeout]).finally(() => clearTimeout(timer));
  // Keep draining stderr so the child never blocks on a full pipe.
  const drain = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: "", done: true }));
      if (done) return;
      text += value;
    }
  })();
  return {
    mcpUrl,
    stderr: () => text,
    close: async () => {
      try {
        child.kill("SIGTERM");
      } catch {
        // Already gone.
      }
      await child.status;
      await drain;
      await Deno.remove(cacheDir, { recursive: true });
    },
  };
}
