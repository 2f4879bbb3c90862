import assert from "node:assert/strict";
import { startTestSandbox } from "../../sandbox/testing.ts";
import { SessionManager } from "../../src/sessions/manager.ts";
import { startHarness } from "../helpers/harness.ts";

Deno.test("auth tools: password login, status, save, cache round trip, logout", async () => {
  const h = await startHarness({ login: false });
  try {
    const before = await h.fails("session_status");
    assert.match(before, /Not logged in/);
    const session = await h.ok("login", { username: "demo", password: "demo123" });
    assert.equal((session.user as { username: string }).username, "demo");
    assert.equal(session.token_type, "Bearer");
    assert.ok(typeof session.session_id === "string" && session.session_id.length >= 22);
    const status = await h.ok("session_status", { session_id: session.session_id });
    assert.equal(status.active, true);
    assert.match(String(status.message), /Call save_session_token to reuse it after a restart/);
    assert.ok((status.expires_in_seconds as number) > 28000);
    const projects = await h.ok("list_projects");
    assert.ok(
      (projects.projects as Array<{ slug: string }>).some((p) => p.slug === "demo-demo-project"),
    );

    const saved = await h.ok("save_session_token");
    assert.equal(saved.saved, true);
    const file = await Deno.stat(`${h.cacheDir}/tokens.json`);
    assert.equal(file.mode! & 0o777, 0o600);
    const listed = await h.ok("list_cached_tokens");
    const tokens = listed.tokens as Array<{ token: string; username: string }>;
    assert.equal(tokens.length, 1);
    assert.equal(tokens[0].username, "demo");
    assert.ok(
      !JSON.stringify(listed).includes(
        h.deps.sessions.get(session.session_id as string).client.auth!.token,
      ),
    );

    await h.ok("logout", { session_id: session.session_id });
    const gone = await h.fails("session_status", { session_id: session.session_id });
    assert.match(gone, /Unknown or expired session_id/);
    const fromCache = await h.ok("login_from_cache", { host: h.sandbox.apiUrl });
    assert.equal((fromCache.user as { username: string }).username, "demo");
    const deleted = await h.ok("delete_cached_token", { host: h.sandbox.origin });
    assert.equal(deleted.deleted, true);
    const none = await h.fails("login_from_cache", { host: h.sandbox.origin });
    assert.match(none, /No cached token/);
  } finally {
    await h.close();
  }
});

Deno.test("auth tools: a wrong password is a clear error and the password appears nowhere", async () => {
  const h = await startHarness({ login: false });
  try {
    const secret = "Wr0ng-Pa55word-XYZ";
    const result = await h.call("login", { username: "demo", password: secret });
    assert.equal(result.isError, true);
    const everything = JSON.stringify(result) + h.logLines.join("\n");
    assert.match(JSON.stringify(result), /wrong username or password/);
    assert.ok(!everything.includes(secret), "password leaked");
    assert.equal(h.deps.sessions.size, 0);
  } finally {
    await h.close();
  }
});

Deno.test("auth tools: Bearer and Application tokens are validated before a session exists", async () => {
  const h = await startHarness({ login: false });
  try {
    const app = h.sandbox.createApplicationToken("alice");
    const viaApp = await h.ok("login_with_token", { auth_token: app, token_type: "Application" });
    assert.equal((viaApp.user as { username: string }).username, "alice");
    assert.equal(viaApp.token_type, "Application");
    await h.ok("save_session_token");
    const cached = await h.deps.sessions.tokens.get(h.sandbox.origin);
    assert.equal(cached?.tokenType, "Application");

    const bad = await h.call("login_with_token", {
      auth_token: "not-a-real-token-123",
      token_type: "Bearer",
    });
    assert.equal(bad.isError, true);
    assert.match(JSON.stringify(bad.content), /rejected the Bearer token/);
    assert.ok(!JSON.stringify(bad).includes("not-a-real-token-123"));
    assert.equal(h.deps.sessions.size, 1);

    const response = await fetch(`${h.sandbox.apiUrl}/auth`, {
      method: "POST",
      headers: { "content-type": "application/json" },
      body: JSON.stringify({ type: "normal", username: "bob", password: "bob123" }),
    });
    const { auth_token } = await response.json();
    const viaBearer = await h.ok("login_with_token", { auth_token, token_type: "Bearer" });
    assert.equal((viaBearer.user as { username: string }).username, "bob");
  } finally {
    await h.close();
  }
});

Deno.test("auth tools: sessions expire and unknown ids are refused clearly", async () => {
  const h = await startHarness({ login: false, env: { SESSION_EXPIRY: "1" } });
  try {
    const session = await h.ok("login", { username: "demo", password: "demo123" });
    const unknown = await h.fails("session_status", { session_id: "no-such-session" });
    assert.match(unknown, /Unknown or expired session_id/);
    await new Promise((resolve) => setTimeout(resolve, 1100));
    const expired = await h.fails("list_projects", { session_id: session.session_id });
    assert.match(expired, /Unknown or expired session_id/);
    assert.equal(h.deps.sessions.size, 0);
  } finally {
    await h.close();
  }
});

Deno.test("auth tools: an expired access token is refreshed and the cache follows the rotation", async () => {
  const h = await startHarness({ login: false });
  try {
    await h.ok("login", { username: "demo", password: "demo123" });
    await h.ok("save_session_token");
    const first = await h.deps.sessions.tokens.get(h.sandbox.origin);
    h.sandbox.expireAccessTokens();
    const projects = await h.ok("list_projects");
    assert.ok((projects.total as number) >= 1);
    const second = await h.deps.sessions.tokens.get(h.sandbox.origin);
    assert.notEqual(second?.token, first?.token);
    assert.notEqual(second?.refresh, first?.refresh);
  } finally {
    await h.close();
  }
});

Deno.test("auth tools: the start-up session comes from TAIGA_AUTH_TOKEN, validated", async () => {
  const sandbox = await startTestSandbox();
  const token = sandbox.createApplicationToken("bob");
  const good = await startHarness({
    login: false,
    sharedSandbox: sandbox,
    env: { TAIGA_AUTH_TOKEN: token, TAIGA_TOKEN_TYPE: "Application" },
  });
  const bad = await startHarness({
    login: false,
    sharedSandbox: sandbox,
    env: { TAIGA_AUTH_TOKEN: "bogus-token-value", TAIGA_TOKEN_TYPE: "Application" },
  });
  try {
    const status = await good.ok("session_status");
    assert.equal((status.user as { username: string }).username, "bob");
    // It returns by itself after a restart: no advice to save it.
    assert.match(String(status.message), /start-up session, from TAIGA_AUTH_TOKEN/);
    assert.doesNotMatch(String(status.message), /save_session_token/);
    const refused = await bad.fails("session_status");
    assert.match(refused, /Not logged in/);
    assert.ok(!bad.logLines.join("\n").includes("bogus-token-value"));
  } finally {
    await good.close();
    await bad.close();
    await sandbox.close();
  }
});

Deno.test("auth tools: over a multi-client transport the local cache tools are hidden and the shared session stays", async () => {
  const h = await startHarness({ owner: "http-client-a" });
  try {
    const { tools } = await h.client.listTools();
    const names = tools.map((tool) => tool.name);
    for (
      const local of [
        "login_from_cache",
        "save_session_token",
        "delete_cached_token",
        "list_cached_tokens",
      ]
    ) {
      assert.ok(!names.includes(local), `${local} must not be offered to a remote client`);
    }
    assert.ok(names.includes("login_with_token"));
    const refused = await h.fails("logout");
    assert.match(refused, /shared start-up session/);
    assert.equal(h.deps.sessions.size, 1);
  } finally {
    await h.close();
  }
});

Deno.test("auth tools: over HTTP an unknown session_id names only the login tools HTTP clients have", async () => {
  const h = await startHarness({ owner: "http-client-b", env: { TAIGA_TRANSPORT: "http" } });
  try {
    const unknown = await h.fails("session_status", { session_id: "zzz" });
    assert.match(unknown, /Unknown or expired session_id\. Call login_with_token/);
    assert.doesNotMatch(unknown, /login_from_cache/);
  } finally {
    await h.close();
  }
});

Deno.test("auth tools: a cached token rotated while verifying at start-up is written back", async () => {
  const h = await startHarness({ login: false });
  try {
    await h.ok("login", { username: "demo", password: "demo123" });
    await h.ok("save_session_token");
    const saved = await h.deps.sessions.tokens.get(h.sandbox.origin);
    h.sandbox.expireAccessTokens();
    const restart = () => new SessionManager(h.deps.sessions.options);
    const first = await restart().startup();
    assert.equal(first?.user.username, "demo");
    let rotated = await h.deps.sessions.tokens.get(h.sandbox.origin);
    for (let i = 0; i < 50 && rotated?.token === saved?.token; i++) {
      await new Promise((resolve) => setTimeout(resolve, 10));
      rotated = await h.deps.sessions.tokens.get(h.sandbox.origin);
    }
    assert.notEqual(rotated?.refresh, saved?.refresh, "the spent refresh token was replaced");
    const second = await restart().startup();
    assert.equal(second?.user.username, "demo", "the next start-up still logs in");
  } finally {
    await h.close();
  }
});

Deno.test("cancellation: a client's cancel aborts the Taiga request in flight", async () => {
  const h = await startHarness();
  try {
    h.sandbox.faults.add({ kind: "delay", ms: 3000, match: /^GET \/api\/v1\/projects$/ });
    const controller = new AbortController();
    const call = h.client.callTool(
      { name: "list_projects", arguments: {} },
      undefined,
      { signal: controller.signal },
    );
    setTimeout(() => controller.abort(), 100);
    await assert.rejects(call);
    const started = performance.now();
    while (!h.logLines.some((line) => /list_projects failed.*was cancelled/.test(line))) {
      assert.ok(performance.now() - started < 2000, "the server never cancelled the request");
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
  } finally {
    await h.close();
  }
});
