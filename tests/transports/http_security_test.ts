/**
 * Security defaults of the HTTP transport over real HTTP on 127.0.0.1: Host/Origin validation,
 * bearer token, refusing a non-loopback bind without a token, body size limit.
 */

import assert from "node:assert/strict";
import { ConfigError } from "../../src/config/parse.ts";
import { assertBindAllowed, isLoopbackHost } from "../../src/config/rules.ts";
import {
  initializeRequest,
  MCP_ACCEPT as ACCEPT,
  openRawSse,
  rawStatus,
  startHttpHarness,
} from "../helpers/http_harness.ts";

const INIT = initializeRequest("t");

async function status(url: string | URL, init: RequestInit = {}): Promise<Response> {
  const response = await fetch(url, init);
  await response.body?.cancel();
  return response;
}

Deno.test("a forged Host header gets 403; loopback and allowed hosts pass", async () => {
  const h = await startHttpHarness({ env: { MCP_ALLOWED_HOSTS: "mcp.example.com" } });
  try {
    const port = h.server.port;
    const get = (host: string) =>
      rawStatus(port, ["GET /mcp HTTP/1.1", `Host: ${host}`, "Accept: text/event-stream"]);
    assert.equal(await get(`evil.example:${port}`), 403);
    assert.equal(await get(`127.0.0.1.evil.example:${port}`), 403);
    // Past the Host check, a GET without a session id is a plain 400.
    assert.equal(await get(`localhost:${port}`), 400);
    assert.equal(await get(`127.0.0.1:${port}`), 400);
    assert.equal(await get(`[::1]:${port}`), 400);
    assert.equal(await get("mcp.example.com"), 400);
    const post = await rawStatus(port, [
      "POST /mcp HTTP/1.1",
      `Host: attacker.example:${port}`,
      "Content-Type: application/json",
      `Accept: ${ACCEPT}`,
    ], INIT);
    assert.equal(post, 403);
    assert.equal(h.server.sessionCount(), 0);
  } finally {
    await h.close();
  }
});

Deno.test("a forged Origin gets 403; loopback and allowed origins pass with CORS headers", async () => {
  const h = await startHttpHarness({ env: { MCP_ALLOWED_ORIGINS: "https://app.example" } });
  try {
    const init = (origin: string): RequestInit => ({
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: ACCEPT, Origin: origin },
      body: INIT,
    });
    assert.equal((await status(h.mcpUrl, init("https://evil.example"))).status, 403);
    assert.equal((await status(h.mcpUrl, init("null"))).status, 403);
    assert.equal(h.server.sessionCount(), 0);
    assert.equal((await status(h.mcpUrl, init("http://localhost:5173"))).status, 200);
    const allowed = await status(h.mcpUrl, init("https://app.example"));
    assert.equal(allowed.status, 200);
    assert.equal(allowed.headers.get("access-control-allow-origin"), "https://app.example");
    assert.match(allowed.headers.get("access-control-expose-headers") ?? "", /Mcp-Session-Id/);
    const preflight = await status(h.mcpUrl, {
      method: "OPTIONS",
      headers: { Origin: "https://app.example", "Access-Control-Request-Method": "POST" },
    });
    assert.equal(preflight.status, 204);
    assert.match(preflight.headers.get("access-control-allow-headers") ?? "", /Mcp-Session-Id/);
  } finally {
    await h.close();
  }
});

Deno.test("with MCP_HTTP_TOKEN every request needs the bearer token", async () => {
  const token = "test-only-http-token-5f2c9a";
  const h = await startHttpHarness({ env: { MCP_HTTP_TOKEN: token } });
  try {
    const post = (authorization?: string): RequestInit => ({
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: ACCEPT,
        ...(authorization ? { Authorization: authorization } : {}),
      },
      body: INIT,
    });
    const missing = await status(h.mcpUrl, post());
    assert.equal(missing.status, 401);
    assert.match(missing.headers.get("www-authenticate") ?? "", /^Bearer /);
    const wrong = await status(h.mcpUrl, post("Bearer not-the-token"));
    assert.equal(wrong.status, 401);
    assert.match(wrong.headers.get("www-authenticate") ?? "", /invalid_token/);
    assert.equal((await status(h.mcpUrl, post(`Basic ${btoa(`x:${token}`)}`))).status, 401);
    assert.equal((await status(`${h.server.url}/sse`)).status, 401);
    assert.equal(h.server.sessionCount(), 0);

    const c = await h.connect(token);
    assert.equal(((await c.ok("session_status")).user as { username: string }).username, "demo");
    const legacy = await h.connectLegacy(token);
    await legacy.ok("session_status");
    assert.equal((await status(`${h.server.url}/healthz`)).status, 200, "probes need no token");
    // No OAuth here: a client probing for its metadata learns so (404), not "sign in" (401).
    for (const path of ["oauth-protected-resource/mcp", "oauth-authorization-server"]) {
      assert.equal((await status(`${h.server.url}/.well-known/${path}`)).status, 404, path);
    }
    assert.ok(h.logLines.some((line) => line.includes("401")), "refusals are logged");
    assert.ok(!h.logLines.some((line) => line.includes(token)), "the token is never logged");
  } finally {
    await h.close();
  }
});

Deno.test("binding a non-loopback address without a token refuses to start", async () => {
  await assert.rejects(
    () => startHttpHarness({ env: { MCP_HOST: "0.0.0.0" } }),
    (error: unknown) => {
      assert.ok(error instanceof ConfigError);
      assert.match(error.message, /0\.0\.0\.0.*MCP_HTTP_TOKEN/);
      assert.doesNotMatch(error.message, /\n/);
      return true;
    },
  );
  assert.throws(() => assertBindAllowed({ host: "192.168.1.5" }), ConfigError);
  assertBindAllowed({ host: "192.168.1.5", token: "some-token" });
  for (const host of ["127.0.0.1", "127.1.2.3", "localhost", "::1", "[::1]"]) {
    assert.ok(isLoopbackHost(host), host);
  }
  for (const host of ["0.0.0.0", "::", "10.0.0.1", "localhost.evil.example"]) {
    assert.ok(!isLoopbackHost(host), host);
  }
});

Deno.test("a non-loopback bind with a token starts and serves", async () => {
  const h = await startHttpHarness({ env: { MCP_HOST: "0.0.0.0", MCP_HTTP_TOKEN: "tok-123456" } });
  try {
    assert.equal(h.server.url, `http://127.0.0.1:${h.server.port}`);
    assert.equal((await status(`${h.server.url}/healthz`)).status, 200);
    const c = await h.connect("tok-123456");
    await c.ok("session_status");
  } finally {
    await h.close();
  }
});

Deno.test("bodies over MCP_MAX_BODY_BYTES get 413, with or without Content-Length", async () => {
  const h = await startHttpHarness({ env: { MCP_MAX_BODY_BYTES: "2048" } });
  try {
    const padding = "x".repeat(4096);
    const big = JSON.stringify({ ...JSON.parse(INIT), pad: padding });
    const headers = { "Content-Type": "application/json", Accept: ACCEPT };
    const declared = await status(h.mcpUrl, { method: "POST", headers, body: big });
    assert.equal(declared.status, 413);
    const chunks = [big.slice(0, 1500), big.slice(1500)];
    const streamed = await status(h.mcpUrl, {
      method: "POST",
      headers,
      body: new ReadableStream({
        pull(controller) {
          const next = chunks.shift();
          if (next === undefined) controller.close();
          else controller.enqueue(new TextEncoder().encode(next));
        },
      }),
    });
    assert.equal(streamed.status, 413);
    assert.equal(h.server.sessionCount(), 0);
    assert.equal((await status(h.mcpUrl, { method: "POST", headers, body: INIT })).status, 200);

    // The legacy message endpoint has the same limit.
    const sse = await openRawSse(h.server.url);
    assert.match(sse.endpoint, /^\/messages\?sessionId=[A-Za-z0-9_-]{43}$/);
    const legacy = await status(`${h.server.url}${sse.endpoint}`, {
      method: "POST",
      headers,
      body: big,
    });
    assert.equal(legacy.status, 413);
    await sse.cancel();
  } finally {
    await h.close();
  }
});

Deno.test("a Host with an invalid port gets a clean 400 before the token check, and no ERROR line", async () => {
  const h = await startHttpHarness({ env: { MCP_HTTP_TOKEN: "tok-host-check-123" } });
  try {
    const port = h.server.port;
    for (const host of ["127.0.0.1:99999", "127.0.0.1:", "127.0.0.1:8000:1", "bad host", ""]) {
      const status = await rawStatus(port, ["POST /mcp HTTP/1.1", `Host: ${host}`], INIT);
      assert.equal(status, 400, `Host: ${host}`);
    }
    assert.equal(await rawStatus(port, ["GET /mcp HTTP/1.1"]), 400, "no Host at all");
    assert.equal(await rawStatus(port, ["GET /healthz HTTP/1.1", `Host: 127.0.0.1:${port}`]), 200);
    assert.ok(!h.logLines.some((line) => line.startsWith("ERROR")), h.logLines.join("\n"));
  } finally {
    await h.close();
  }
});
