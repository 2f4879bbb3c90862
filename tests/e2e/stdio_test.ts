import assert from "node:assert/strict";
import { startTestSandbox } from "../../sandbox/testing.ts";
import { ENV_VARS } from "../../src/config/env.ts";
import { spawnStdio, type StdioProcess } from "../helpers/stdio_process.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const manifest = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
const START_TASK: string = manifest.tasks.start;

/** Runs the README's start command (`deno task start`) with extra arguments. */
function startServer(env: Record<string, string>, args: string[] = []): StdioProcess {
  return spawnStdio("deno", ["task", "-q", "start", ...args], { NO_COLOR: "1", ...env }, ROOT);
}

function text(result: Record<string, unknown>): string {
  return (result.content as Array<{ text: string }>).map((part) => part.text).join("\n");
}

function assertProtocolOnly(lines: string[]): void {
  for (const line of lines) {
    if (line.trim() === "") continue;
    const message = JSON.parse(line);
    assert.equal(message.jsonrpc, "2.0", `non-protocol line on stdout: ${line}`);
  }
}

Deno.test("e2e: the start task grants only net, the env list and the cache dir", () => {
  assert.doesNotMatch(START_TASK, /(^|\s)(-A|--allow-all|--allow-run|--allow-ffi|--allow-sys)\b/);
  const envFlags = [...START_TASK.matchAll(/--allow-env=([A-Z_,]+)/g)].map((m) => m[1]);
  assert.deepEqual(envFlags.at(-1)!.split(","), [...ENV_VARS]);
  const reads = [...START_TASK.matchAll(/--allow-read=(\S+)/g)].map((m) => m[1]);
  const writes = [...START_TASK.matchAll(/--allow-write=(\S+)/g)].map((m) => m[1]);
  assert.deepEqual(reads.at(-1), ".env,$TAIGA_MCP_CACHE");
  assert.deepEqual(writes, ["$TAIGA_MCP_CACHE"]);
  assert.match(START_TASK, /src\/main\.ts$/);
});

Deno.test("e2e: --sandbox over stdio — initialize, tools, a call; stdout is protocol only", async () => {
  const cacheDir = await Deno.makeTempDir();
  const server = startServer({ TAIGA_CACHE_DIR: cacheDir, LOG_LEVEL: "DEBUG" }, ["--sandbox"]);
  try {
    const init = await server.initialize();
    assert.equal((init.serverInfo as { name: string }).name, "taiga-mcp");
    assert.match(String(init.instructions), /login_with_token/);
    const list = await server.request("tools/list");
    const names = (list.result as { tools: Array<{ name: string }> }).tools.map((t) => t.name);
    for (const name of ["login", "login_with_token", "session_status", "list_projects"]) {
      assert.ok(names.includes(name), `${name} missing`);
    }
    const status = await server.callTool("session_status");
    assert.equal(status.isError, undefined, text(status));
    assert.match(text(status), /"username":"demo"/);
    const projects = await server.callTool("list_projects");
    assert.match(text(projects), /demo-demo-project/);
    await server.request("logging/setLevel", { level: "debug" });
    await server.callTool("get_project", { project: "demo-demo-project" });
  } finally {
    const code = await server.close();
    await Deno.remove(cacheDir, { recursive: true });
    assert.equal(code, 0, server.stderr());
  }
  assert.match(server.stderr(), /sandbox Taiga running at http:\/\/127\.0\.0\.1:\d+/);
  assert.match(server.stderr(), /demo123/);
  assertProtocolOnly(server.stdoutLines);
  assert.ok(server.stdoutLines.some((line) => line.includes("notifications/message")));
});

Deno.test("e2e: a cached token survives a restart (mode 0600) and logs the next process in", async () => {
  const sandbox = await startTestSandbox();
  const cacheDir = `${await Deno.makeTempDir()}/nested/taiga-mcp`;
  const env = { TAIGA_API_URL: sandbox.origin, TAIGA_CACHE_DIR: cacheDir };
  const password = "demo123";
  const first = startServer(env);
  try {
    await first.initialize();
    const login = await first.callTool("login", { username: "demo", password });
    assert.equal(login.isError, undefined, text(login));
    const saved = await first.callTool("save_session_token");
    assert.equal(saved.isError, undefined, text(saved));
  } finally {
    assert.equal(await first.close(), 0, first.stderr());
  }
  assert.ok(!first.stderr().includes(password));
  assert.equal((await Deno.stat(`${cacheDir}/tokens.json`)).mode! & 0o777, 0o600);
  assert.equal((await Deno.stat(cacheDir)).mode! & 0o777, 0o700);

  const second = startServer(env);
  try {
    await second.initialize();
    const status = await second.callTool("session_status");
    assert.equal(status.isError, undefined, text(status));
    assert.match(text(status), /"username":"demo"/);
    const fromCache = await second.callTool("login_from_cache");
    assert.equal(fromCache.isError, undefined, text(fromCache));
  } finally {
    assert.equal(await second.close(), 0, second.stderr());
    await sandbox.close();
  }
  assertProtocolOnly([...first.stdoutLines, ...second.stdoutLines]);
});

Deno.test("e2e: an unreachable or silent Taiga fails within REQUEST_TIMEOUT; the server stays up", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const silentPort = (listener.addr as Deno.NetAddr).port;
  const held: Deno.Conn[] = [];
  const accepting = (async () => {
    for await (const conn of listener) held.push(conn);
  })();
  const cacheDir = await Deno.makeTempDir();
  const server = startServer({
    TAIGA_API_URL: `http://127.0.0.1:${silentPort}`,
    TAIGA_CACHE_DIR: cacheDir,
    REQUEST_TIMEOUT: "1",
  });
  try {
    await server.initialize();
    const started = performance.now();
    const result = await server.callTool("login", { username: "demo", password: "x" });
    const elapsed = performance.now() - started;
    assert.equal(result.isError, true);
    assert.match(text(result), /did not answer .* within 1 s/);
    assert.ok(elapsed < 2500, `took ${elapsed} ms`);
    const again = await server.callTool("list_cached_tokens");
    assert.equal(again.isError, undefined);
  } finally {
    assert.equal(await server.close(), 0, server.stderr());
    listener.close();
    await accepting.catch(() => undefined);
    held.forEach((conn) => conn.close());
    await Deno.remove(cacheDir, { recursive: true });
  }
});

Deno.test("e2e: an invalid setting stops start-up with one line naming it and exit code 2", async () => {
  const output = await new Deno.Command("deno", {
    args: ["task", "-q", "start"],
    cwd: ROOT,
    env: { REQUEST_TIMEOUT: "abc", NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(output.code, 2);
  const stderr = new TextDecoder().decode(output.stderr).trim();
  assert.equal(stderr.split("\n").length, 1, stderr);
  assert.match(stderr, /REQUEST_TIMEOUT/);
  assert.equal(new TextDecoder().decode(output.stdout), "");
});
