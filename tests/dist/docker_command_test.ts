/**
 * The container's command, run for real: CMD, ENV and HEALTHCHECK are parsed out of the
 * Dockerfile and executed here, so the image and this test cannot drift apart. Only three
 * values change, because a test cannot use the container's: the port (a free one instead of
 * 8000), the cache directory (a temporary one instead of the volume, in ENV and in the
 * permission flags alike) and TAIGA_API_URL (the sandbox Taiga).
 */

import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { startTestSandbox } from "../../sandbox/testing.ts";
import { ENV_VARS } from "../../src/config/env.ts";
import { TokenCache } from "../../src/sessions/token_cache.ts";
import { readDockerfile } from "./dockerfile.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const SPEC = await readDockerfile(ROOT);
const HTTP_TOKEN = "not-a-real-token-for-tests-only";

function flagValue(args: string[], flag: string): string | undefined {
  return args.find((arg) => arg.startsWith(`${flag}=`))?.slice(flag.length + 1);
}

Deno.test("docker: the image is pinned, non-root and serves HTTP with a cache volume", async () => {
  const pinned = (await Deno.readTextFile(`${ROOT}.dvmrc`)).trim();
  assert.equal(SPEC.from, `denoland/deno:${pinned}`);
  assert.ok(SPEC.user !== undefined && !/^(root|0)(:|$)/.test(SPEC.user), `USER ${SPEC.user}`);
  assert.equal(SPEC.env.TAIGA_TRANSPORT, "http");
  assert.equal(SPEC.env.MCP_HOST, "0.0.0.0");
  assert.deepEqual(SPEC.exposed, [SPEC.env.MCP_PORT]);
  assert.deepEqual(SPEC.volumes, [SPEC.env.TAIGA_CACHE_DIR]);
  assert.equal(SPEC.entrypoint, undefined, "keep the base image's tini entrypoint");
  assert.ok(SPEC.healthcheck?.join(" ").includes("/healthz"));
});

Deno.test("docker: CMD grants only network, the env list and the cache volume", () => {
  const cmd = SPEC.cmd;
  assert.deepEqual(cmd.slice(0, 2), ["deno", "run"]);
  assert.equal(cmd.at(-1), "src/main.ts");
  assert.deepEqual(flagValue(cmd, "--allow-env")?.split(","), [...ENV_VARS]);
  assert.equal(flagValue(cmd, "--allow-read"), SPEC.env.TAIGA_CACHE_DIR);
  assert.equal(flagValue(cmd, "--allow-write"), SPEC.env.TAIGA_CACHE_DIR);
  assert.ok(cmd.includes("--allow-net"));
  assert.ok(cmd.includes("--cached-only"), "dependencies come from the image, never fetched");
  const grants = cmd.filter((arg) => arg.startsWith("--allow-")).map((arg) => arg.split("=")[0]);
  assert.deepEqual(grants.sort(), ["--allow-env", "--allow-net", "--allow-read", "--allow-write"]);
  assert.ok(!cmd.includes("-A"));
});

Deno.test("docker: docker-compose.yml restates the image's settings and publishes on loopback", async () => {
  const compose = await Deno.readTextFile(`${ROOT}docker-compose.yml`);
  for (const name of ["TAIGA_TRANSPORT", "MCP_HOST", "MCP_PORT", "TAIGA_CACHE_DIR"]) {
    const match = new RegExp(`^\\s+${name}: "?([^"\\s]+)"?$`, "m").exec(compose);
    assert.equal(match?.[1], SPEC.env[name], name);
  }
  assert.match(compose, /MCP_HTTP_TOKEN: \$\{MCP_HTTP_TOKEN:\?/, "compose requires the token");
  assert.ok(compose.includes(`:${SPEC.env.TAIGA_CACHE_DIR}\n`), "the cache volume is mounted");
  assert.ok(compose.includes(`"127.0.0.1:${SPEC.env.MCP_PORT}:${SPEC.env.MCP_PORT}"`));
});

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const { port } = listener.addr as Deno.NetAddr;
  listener.close();
  return port;
}

/** The container's CMD with the cache path swapped for `cache`, and `deno` for this deno. */
function hostCommand(cache: string): string[] {
  return SPEC.cmd.map((arg, i) => {
    if (i === 0 && arg === "deno") return Deno.execPath();
    return arg.replaceAll(SPEC.env.TAIGA_CACHE_DIR, cache);
  });
}

/** The variables Deno itself needs to find its cache (the container has DENO_DIR set too). */
function denoEnv(): Record<string, string> {
  const env: Record<string, string> = {};
  for (const name of ["DENO_DIR", "HOME", "XDG_CACHE_HOME", "PATH"]) {
    const value = Deno.env.get(name);
    if (value !== undefined) env[name] = value;
  }
  return env;
}

/** A running container command. */
interface Running {
  child: Deno.ChildProcess;
  url: string;
  env: Record<string, string>;
  logs: () => string;
  /** Resolves once stderr and stdout are drained; yields what was written to stdout. */
  drained: Promise<string>;
  health: Response;
}

async function waitHealthy(url: string, child: Deno.ChildProcess): Promise<Response | undefined> {
  let exited = false;
  child.status.then(() => exited = true);
  const deadline = Date.now() + 15_000;
  while (Date.now() < deadline && !exited) {
    try {
      const response = await fetch(`${url}/healthz`, {
        headers: { authorization: `Bearer ${HTTP_TOKEN}` },
      });
      if (response.ok) return response;
      await response.body?.cancel();
    } catch {
      // not listening yet
    }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  return undefined;
}

/**
 * Spawns the container command on a free port and waits for /healthz. The port is picked before
 * the server binds it, so a parallel test may take it first: that (and only that) is retried.
 */
async function startContainerCommand(cache: string, apiUrl: string): Promise<Running> {
  const [command, ...args] = hostCommand(cache);
  for (let attempt = 1;; attempt++) {
    const port = freePort();
    const env = {
      ...denoEnv(),
      ...SPEC.env,
      TAIGA_CACHE_DIR: cache,
      MCP_PORT: String(port),
      MCP_HTTP_TOKEN: HTTP_TOKEN,
      TAIGA_API_URL: apiUrl,
    };
    const child = new Deno.Command(command, {
      args,
      cwd: ROOT,
      env,
      clearEnv: true,
      stdin: "null",
      stdout: "piped",
      stderr: "piped",
    }).spawn();
    let logs = "";
    const decoder = new TextDecoder();
    const stdout = new Response(child.stdout).text();
    const drained = (async () => {
      for await (const chunk of child.stderr) logs += decoder.decode(chunk, { stream: true });
      return await stdout;
    })();
    const url = `http://127.0.0.1:${port}`;
    const health = await waitHealthy(url, child);
    if (health) return { child, url, env, logs: () => logs, drained, health };
    try {
      child.kill("SIGKILL");
    } catch { /* already exited */ }
    await child.status;
    await drained;
    if (attempt < 3 && /port is in use/.test(logs)) continue;
    throw new Error(`the container command did not become healthy:\n${logs}`);
  }
}

Deno.test("docker: the exact container command serves MCP with a token and a healthcheck", async () => {
  const sandbox = await startTestSandbox({ hostname: "127.0.0.1", port: 0 });
  const cache = await Deno.makeTempDir({ prefix: "taiga-mcp-docker-" });
  let running: Running | undefined;
  let client: Client | undefined;
  try {
    // The operator's token in the cache volume, with its access token already expired: start-up
    // must read it, refresh it and write the rotated pair back — read and write of the volume.
    const login = await (await fetch(`${sandbox.apiUrl}/auth`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "normal", username: "demo", password: "demo123" }),
    })).json() as { id: number; username: string; auth_token: string; refresh: string };
    await new TokenCache(cache).put({
      host: sandbox.origin,
      token: login.auth_token,
      tokenType: "Bearer",
      refresh: login.refresh,
      user: { id: login.id, username: login.username },
      savedAt: new Date().toISOString(),
    });
    sandbox.expireAccessTokens();
    running = await startContainerCommand(cache, sandbox.apiUrl);
    const { child, url, env, logs } = running;
    const body = await running.health.json() as { status: string; version: string };
    assert.equal(body.status, "ok");
    assert.ok(!JSON.stringify(body).includes(HTTP_TOKEN));

    const denied = await fetch(`${url}/mcp`, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: "application/json, text/event-stream",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "ping" }),
    });
    await denied.body?.cancel();
    assert.equal(denied.status, 401);
    assert.match(denied.headers.get("www-authenticate") ?? "", /^Bearer/i);

    client = new Client({ name: "docker-command-test", version: "0" });
    await client.connect(
      new StreamableHTTPClientTransport(new URL(`${url}/mcp`), {
        requestInit: { headers: { authorization: `Bearer ${HTTP_TOKEN}` } },
      }),
    );
    assert.equal(client.getServerVersion()?.name, "taiga-mcp");
    const { tools } = await client.listTools();
    assert.ok(tools.some((tool) => tool.name === "login"));
    assert.ok(
      !tools.some((tool) => tool.name === "save_session_token"),
      "the operator's token cache is not offered to HTTP clients",
    );
    const status = await client.callTool({ name: "session_status", arguments: {} });
    assert.notEqual(status.isError, true, JSON.stringify(status.content));
    assert.match(JSON.stringify(status.structuredContent), /"username":"demo"/);
    const rotated = await new TokenCache(cache).get(sandbox.origin);
    assert.notEqual(
      rotated?.refresh,
      login.refresh,
      "the rotated tokens were written to the volume",
    );
    await client.close();
    client = undefined;

    const [probe, ...probeArgs] = SPEC.healthcheck as string[];
    assert.equal(probe, "deno");
    const healthcheck = await new Deno.Command(Deno.execPath(), {
      args: probeArgs,
      env: { ...denoEnv(), ...env },
      clearEnv: true,
      stdout: "null",
      stderr: "piped",
    }).output();
    assert.equal(healthcheck.code, 0, new TextDecoder().decode(healthcheck.stderr));

    child.kill("SIGTERM");
    const { code } = await child.status;
    const stdout = await running.drained;
    assert.equal(code, 0, `docker stop (SIGTERM) should exit cleanly:\n${logs()}`);
    assert.ok(!logs().includes(HTTP_TOKEN), "the HTTP token must never be logged");
    assert.equal(stdout, "", "HTTP mode writes nothing to stdout");
  } finally {
    await client?.close().catch(() => undefined);
    if (running) {
      try {
        running.child.kill("SIGKILL");
      } catch { /* already exited */ }
      await running.child.status;
      await running.drained;
    }
    await sandbox.close();
    await Deno.remove(cache, { recursive: true });
  }
});
