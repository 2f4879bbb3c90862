import assert from "node:assert/strict";
import { startTestSandbox } from "../../sandbox/testing.ts";
import { START_TASK_CACHE_DIRS } from "../../src/config/cache_dir.ts";
import { ENV_VARS } from "../../src/config/env.ts";
import { StdioClientTransport } from "@modelcontextprotocol/client/stdio";
import { modernClient } from "../helpers/clients.ts";
import { spawnStdio, type StdioProcess } from "../helpers/stdio_process.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const manifest = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`));
const START_TASK: string = manifest.tasks.start;

/** Deno's own cache, kept when a test points XDG_CACHE_HOME elsewhere (Deno caches there too). */
const DENO_DIR: string = JSON.parse(
  new TextDecoder().decode(
    (await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdin: "null" }).output())
      .stdout,
  ),
).denoDir;

/** Runs the README's start command (`deno task start`) with extra arguments. */
function startServer(env: Record<string, string>, args: string[] = []): StdioProcess {
  return spawnStdio(
    "deno",
    ["task", "-q", "start", ...args],
    { NO_COLOR: "1", DENO_DIR, ...env },
    ROOT,
  );
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

Deno.test("e2e: the start task is one process granting only net, the env list and the cache dir", () => {
  assert.doesNotMatch(START_TASK, /(^|\s)(-A|--allow-all|--allow-run|--allow-ffi|--allow-sys)\b/);
  assert.equal(START_TASK.match(/\bdeno run\b/g)?.length, 1, "one Deno process");
  assert.doesNotMatch(START_TASK, /\$\(/, "no command substitution (a second process)");
  const envFlags = [...START_TASK.matchAll(/--allow-env=([A-Z_,]+)/g)].map((m) => m[1]);
  assert.deepEqual(envFlags.at(-1)!.split(","), [...ENV_VARS]);
  // Quoted, so a cache path with spaces stays one argument.
  const reads = [...START_TASK.matchAll(/"--allow-read=([^"]+)"/g)].map((m) => m[1]);
  const writes = [...START_TASK.matchAll(/"--allow-write=([^"]+)"/g)].map((m) => m[1]);
  assert.deepEqual(reads, [[".env", ...START_TASK_CACHE_DIRS].join(",")]);
  assert.deepEqual(writes, [START_TASK_CACHE_DIRS.join(",")]);
  assert.match(START_TASK, /src\/main\.ts$/);
});

Deno.test("e2e: --sandbox over stdio — initialize, tools, a call; stdout is protocol only", async () => {
  const cacheDir = await Deno.makeTempDir();
  const server = startServer({ XDG_CACHE_HOME: cacheDir, LOG_LEVEL: "DEBUG" }, ["--sandbox"]);
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
  const cacheHome = `${await Deno.makeTempDir()}/nested`;
  const cacheDir = `${cacheHome}/taiga-mcp`;
  const env = { TAIGA_API_URL: sandbox.origin, XDG_CACHE_HOME: cacheHome };
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
    XDG_CACHE_HOME: cacheDir,
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

Deno.test("e2e: a 2026-07-28 client over stdio — discover, tools, calls, a resource", async () => {
  const home = await Deno.makeTempDir();
  const client = modernClient("e2e-2026");
  const transport = new StdioClientTransport({
    command: "deno",
    args: ["task", "-q", "start", "--", "--sandbox"],
    cwd: ROOT,
    env: { NO_COLOR: "1", DENO_DIR, XDG_CACHE_HOME: home, HOME: home, PATH: Deno.env.get("PATH")! },
    stderr: "pipe",
  });
  try {
    await client.connect(transport);
    assert.equal(client.getProtocolEra(), "modern");
    const tools = await client.listTools();
    assert.ok(tools.tools.some((tool) => tool.name === "get_user_story"));
    const status = await client.callTool({ name: "session_status", arguments: {} });
    assert.match(JSON.stringify(status.structuredContent), /"username":"demo"/);
    const story = await client.callTool({
      name: "get_user_story",
      arguments: { project: "demo-demo-project", item: "#3" },
    });
    assert.notEqual(story.isError, true, JSON.stringify(story.content));
    const read = await client.readResource({ uri: "taiga://projects/demo-demo-project" });
    assert.match(JSON.stringify(read.contents), /Demo Project/);
  } finally {
    await client.close();
    await Deno.remove(home, { recursive: true });
  }
});
