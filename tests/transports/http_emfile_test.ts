/**
 * The HTTP transport survives running out of file descriptors: the real server process, started
 * under `ulimit -n 128`, is flooded with 400 stalled connections from this process. It must log
 * the accept failures, keep running, and serve a well-behaved client during and after the flood.
 */

import assert from "node:assert/strict";
import { ENV_VARS } from "../../src/config/env.ts";
import { initializeRequest, MCP_ACCEPT } from "../helpers/http_harness.ts";

const MAIN = new URL("../../src/main.ts", import.meta.url).pathname;
const FD_LIMIT = 128;

interface Child {
  url: string;
  stderr(): string;
  exited(): boolean;
  stop(): Promise<Deno.CommandStatus>;
}

/** Starts `main.ts --transport http --sandbox` in a shell that lowered the descriptor limit. */
async function startLimited(cacheDir: string): Promise<Child> {
  const child = new Deno.Command("sh", {
    args: [
      "-c",
      `ulimit -n ${FD_LIMIT} && exec "$0" "$@"`,
      Deno.execPath(),
      "run",
      "--no-prompt",
      "--allow-net",
      `--allow-env=${ENV_VARS.join(",")}`,
      `--allow-read=${cacheDir}`,
      `--allow-write=${cacheDir}`,
      MAIN,
      "--transport",
      "http",
      "--sandbox",
      "--host",
      "127.0.0.1",
      "--port",
      "0",
    ],
    env: { TAIGA_CACHE_DIR: cacheDir, NO_COLOR: "1", LOG_LEVEL: "INFO" },
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let text = "";
  let exited = false;
  const status = child.status.then((status) => (exited = true, status));
  const reader = child.stderr.pipeThrough(new TextDecoderStream()).getReader();
  const drained = (async () => {
    for (;;) {
      const { value, done } = await reader.read().catch(() => ({ value: "", done: true }));
      if (done) return;
      text += value;
    }
  })();
  const deadline = Date.now() + 20_000;
  let url: string | undefined;
  while (!(url = /serving MCP over Streamable HTTP at (http:\/\/\S+)\/mcp/.exec(text)?.[1])) {
    if (exited || Date.now() > deadline) throw new Error(`the server did not start:\n${text}`);
    await new Promise((resolve) => setTimeout(resolve, 20));
  }
  return {
    url,
    stderr: () => text,
    exited: () => exited,
    stop: async () => {
      if (!exited) child.kill("SIGTERM");
      const result = await status;
      await drained;
      return result;
    },
  };
}

/** GET /healthz, retried for up to `ms`: the status of the first answer, or 0. */
async function health(base: string, ms: number): Promise<number> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    try {
      const response = await fetch(`${base}/healthz`, { signal: AbortSignal.timeout(1000) });
      await response.body?.cancel();
      return response.status;
    } catch {
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  return 0;
}

Deno.test({
  name: "out of file descriptors, the HTTP server logs, backs off and keeps serving",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const cacheDir = await Deno.makeTempDir({ prefix: "taiga-mcp-emfile-" });
    const server = await startLimited(cacheDir);
    const conns: Deno.TcpConn[] = [];
    try {
      const { hostname, port } = new URL(server.url);
      const head = new TextEncoder().encode(`POST /mcp HTTP/1.1\r\nHost: ${hostname}:${port}\r\n`);
      await Promise.all(Array.from({ length: 400 }, async () => {
        try {
          const conn = await Deno.connect({ hostname, port: Number(port) });
          conns.push(conn);
          await conn.write(head);
        } catch {
          // A connection refused or reset under the flood is fine.
        }
      }));
      const deadline = Date.now() + 10_000;
      while (!/HTTP accept failed/.test(server.stderr()) && Date.now() < deadline) {
        await new Promise((resolve) => setTimeout(resolve, 50));
      }
      assert.match(
        server.stderr(),
        /WARNING HTTP accept failed[^\n]*(Too many open files|os error 24)/,
      );
      assert.equal(await health(server.url, 8000), 200, "a probe is served during the flood");
      const init = await fetch(`${server.url}/mcp`, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: MCP_ACCEPT },
        body: initializeRequest("during-the-flood"),
      });
      assert.equal(init.status, 200);
      await init.body?.cancel();
      for (const conn of conns.splice(0)) conn.close();
      assert.equal(await health(server.url, 5000), 200, "served after the flood");
      assert.ok(!server.exited(), `the server exited:\n${server.stderr()}`);
      assert.doesNotMatch(server.stderr(), /ERROR/);
    } finally {
      for (const conn of conns) conn.close();
      const status = await server.stop();
      await Deno.remove(cacheDir, { recursive: true });
      assert.equal(status.code, 0, server.stderr());
    }
  },
});
