/**
 * End-to-end tests of the HTTP transport: SDK clients over real HTTP on 127.0.0.1 → our server →
 * the sandbox Taiga. Sessions, streaming (progress, logs), isolation, DELETE, idle cleanup, the
 * legacy HTTP+SSE transport and /healthz.
 */

import { runAsCaller } from "../../src/mcp/caller.ts";
import { VERSION } from "../../src/version.ts";
import {
  initializeRequest,
  MCP_ACCEPT as ACCEPT,
  openRawSse,
  startHttpHarness,
} from "../helpers/http_harness.ts";
import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/types"
import { LoggingMessageNotificationSchema } from "@modelcontextprotocol/sdk/types.js";

/** Initializes a session with plain fetch (no lingering GET stream); returns its id. */
async function rawInitialize(url: URL): Promise<string> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: ACCEPT },
    body: initializeRequest("raw"),
  });
  assert.equal(response.status, 200);
  await response.text();
  const id = response.headers.get("mcp-session-id");
  assert.ok(id);
  return id;
}

/** Status of a tools/list POST in session `id`. */
async function listStatus(url: URL, id: string): Promise<number> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: ACCEPT, "Mcp-Session-Id": id },
    body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
  });
  await response.text();
  return response.status;
}

async function until(condition: () => boolean, what: string, timeoutMs = 2000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.test("GET /healthz answers 200 with status, version and uptime only", async () => {
  const h = await startHttpHarness();
  try {
    const response = await fetch(`${h.server.url}/healthz`);
    assert.equal(response.status, 200);
    assert.match(response.headers.get("content-type") ?? "", /application\/json/);
    const body = await response.json();
    assert.deepEqual(Object.keys(body).sort(), ["status", "uptime_seconds", "version"]);
    assert.equal(body.status, "ok");
    assert.equal(body.version, VERSION);
    assert.equal(typeof body.uptime_seconds, "number");
  } finally {
    await h.close();
  }
});

Deno.test("Streamable HTTP: initialize, tools/list and tool calls reach the sandbox", async () => {
  const h = await startHttpHarness();
  try {
    const c = await h.connect();
    assert.equal(c.client.getServerVersion()?.name, "taiga-mcp");
    const id = (c.transport as { sessionId?: string }).sessionId ?? "";
    assert.match(id, /^[A-Za-z0-9_-]{43}$/, "session id is 32 random bytes, base64url");
    const { tools } = await c.client.listTools();
    const names = tools.map((tool) => tool.name);
    for (const name of ["session_status", "login_with_token", "list_projects"]) {
      assert.ok(names.includes(name), `${name} listed`);
    }
    const status = await c.ok("session_status");
    assert.equal((status.user as { username: string }).username, "demo");
    const projects = await c.ok("list_projects");
    const slugs = (projects.projects as { slug: string }[]).map((project) => project.slug);
    assert.ok(slugs.includes("demo-demo-project"), `slugs: ${slugs}`);
    const token = h.app.sandbox!.createApplicationToken("alice");
    const login = await c.ok("login_with_token", { auth_token: token, token_type: "Application" });
    assert.equal((login.user as { username: string }).username, "alice");
    const mine = await c.ok("session_status", { session_id: login.session_id });
    assert.equal((mine.user as { username: string }).username, "alice");
  } finally {
    await h.close();
  }
});

Deno.test("Streamable HTTP streams progress notifications of a tool call", async () => {
  const h = await startHttpHarness();
  try {
    const c = await h.connect();
    const progress: { progress: number; total?: number }[] = [];
    const result = await c.client.callTool(
      { name: "list_projects", arguments: { all: true } },
      undefined,
      { onprogress: (event) => progress.push(event) },
    );
    assert.notEqual(result.isError, true);
    assert.ok(progress.length >= 1, "at least one progress notification");
    const last = progress[progress.length - 1];
    assert.equal(last.progress, last.total);
  } finally {
    await h.close();
  }
});

Deno.test("Streamable HTTP delivers a client's own log records at its setLevel, and no one else's", async () => {
  const h = await startHttpHarness();
  try {
    const c = await h.connect();
    const other = await h.connect();
    const received: unknown[] = [];
    const leaked: unknown[] = [];
    c.client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      received.push(notification.params.data);
    });
    other.client.setNotificationHandler(LoggingMessageNotificationSchema, (notification) => {
      leaked.push(notification.params.data);
    });
    await c.client.setLoggingLevel("warning");
    await other.client.setLoggingLevel("debug");
    const owner = (c.transport as { sessionId?: string }).sessionId;
    const seen = (marker: string) => received.some((data) => JSON.stringify(data).includes(marker));
    // The client opens its GET stream in the background: log (as work done for c) until it is there.
    for (let i = 0; i < 200 && !seen("marker-warning"); i++) {
      await runAsCaller(owner, () => {
        h.app.deps.log.info("marker-info");
        h.app.deps.log.warning("marker-warning");
        return Promise.resolve();
      });
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    h.app.deps.log.warning("marker-background");
    await new Promise((resolve) => setTimeout(resolve, 50));
    assert.ok(seen("marker-warning"), "warning delivered");
    assert.ok(!seen("marker-info"), "info filtered out by setLevel(warning)");
    assert.ok(!seen("marker-background"), "records made outside any request stay on stderr");
    assert.equal(leaked.length, 0, `another client saw: ${JSON.stringify(leaked)}`);
  } finally {
    await h.close();
  }
});

Deno.test("a Taiga session made by one MCP client is invisible to another", async () => {
  const h = await startHttpHarness();
  try {
    const a = await h.connect();
    const b = await h.connect();
    const token = h.app.sandbox!.createApplicationToken("bob");
    const login = await a.ok("login_with_token", { auth_token: token, token_type: "Application" });
    const text = await b.fails("session_status", { session_id: login.session_id });
    assert.match(text, /Unknown or expired session_id/);
    const own = await a.ok("session_status", { session_id: login.session_id });
    assert.equal((own.user as { username: string }).username, "bob");
  } finally {
    await h.close();
  }
});

Deno.test("DELETE ends the MCP session and the Taiga sessions it made", async () => {
  const h = await startHttpHarness();
  try {
    const c = await h.connect();
    const token = h.app.sandbox!.createApplicationToken("demo");
    const login = await c.ok("login_with_token", { auth_token: token, token_type: "Application" });
    const transport = c.transport as { sessionId?: string; terminateSession(): Promise<void> };
    const id = transport.sessionId!;
    assert.equal(h.server.sessionCount(), 1);
    await transport.terminateSession();
    assert.equal(h.server.sessionCount(), 0);
    assert.equal(await listStatus(h.mcpUrl, id), 404);
    assert.throws(() => h.app.deps.sessions.get(login.session_id as string, id), /Unknown/);
  } finally {
    await h.close();
  }
});

Deno.test("idle sessions are closed; a session with an open stream is kept", async () => {
  let now = 1_000_000;
  const h = await startHttpHarness({
    server: { now: () => now, sessionIdleMs: 60_000, sweepIntervalMs: 3_600_000 },
  });
  try {
    const idle = await rawInitialize(h.mcpUrl);
    const busy = await h.connect(); // holds its GET stream open
    await busy.ok("session_status");
    now += 59_000;
    assert.equal(await h.server.sweepIdleSessions(), 0, "not idle long enough yet");
    assert.equal(await listStatus(h.mcpUrl, idle), 200, "a request resets the idle clock");
    now += 60_000;
    assert.equal(await h.server.sweepIdleSessions(), 1);
    assert.equal(await listStatus(h.mcpUrl, idle), 404);
    await busy.ok("session_status");
  } finally {
    await h.close();
  }
});

Deno.test("the idle sweep runs on its own timer", async () => {
  let now = 1_000_000;
  const h = await startHttpHarness({
    server: { now: () => now, sessionIdleMs: 1000, sweepIntervalMs: 5 },
  });
  try {
    const id = await rawInitialize(h.mcpUrl);
    assert.equal(h.server.sessionCount(), 1);
    now += 1000;
    await until(() => h.server.sessionCount() === 0, "the sweep");
    assert.equal(await listStatus(h.mcpUrl, id), 404);
  } finally {
    await h.close();
  }
});

Deno.test("requests without a usable session id are refused", async () => {
  const h = await startHttpHarness();
  try {
    const missing = await fetch(h.mcpUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: ACCEPT },
      body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "tools/list" }),
    });
    assert.equal(missing.status, 400);
    await missing.body?.cancel();
    assert.equal(await listStatus(h.mcpUrl, "made-up-session-id"), 404);
    const put = await fetch(h.mcpUrl, { method: "PUT" });
    assert.equal(put.status, 405);
    await put.body?.cancel();
    const other = await fetch(`${h.server.url}/nope`);
    assert.equal(other.status, 404);
    await other.body?.cancel();
  } finally {
    await h.close();
  }
});

Deno.test("legacy HTTP+SSE client: initialize and tool calls on the same port", async () => {
  const h = await startHttpHarness();
  try {
    const c = await h.connectLegacy();
    assert.equal(c.client.getServerVersion()?.name, "taiga-mcp");
    const status = await c.ok("session_status");
    assert.equal((status.user as { username: string }).username, "demo");
    const projects = await c.ok("list_projects");
    assert.ok((projects.projects as unknown[]).length >= 1);
    assert.equal(h.server.sessionCount(), 1);
    await c.close();
    await until(() => h.server.sessionCount() === 0, "the legacy session to end");
    const stale = await fetch(`${h.server.url}/messages?sessionId=unknown`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
    });
    assert.equal(stale.status, 404);
    await stale.body?.cancel();
  } finally {
    await h.close();
  }
});

Deno.test("legacy SSE frames the endpoint and messages; /messages/?session_id= also works", async () => {
  const h = await startHttpHarness();
  try {
    const sse = await openRawSse(h.server.url);
    const match = /^\/messages\?sessionId=([A-Za-z0-9_-]{43})$/.exec(sse.endpoint);
    assert.ok(match, sse.endpoint);
    const post = await fetch(`${h.server.url}/messages/?session_id=${match[1]}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: initializeRequest("raw", 7, "2024-11-05"),
    });
    assert.equal(post.status, 202);
    await post.body?.cancel();
    const reply = await sse.nextResponse();
    assert.equal(reply.id, 7);
    const result = reply.result as { serverInfo: { name: string } };
    assert.equal(result.serverInfo.name, "taiga-mcp");
    const bad = await fetch(`${h.server.url}${sse.endpoint}`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ not: "json-rpc" }),
    });
    assert.equal(bad.status, 400);
    await bad.body?.cancel();
    await sse.cancel();
    await until(() => h.server.sessionCount() === 0, "the stream's session to end");
  } finally {
    await h.close();
  }
});
