/**
 * Over the HTTP transport the login tools' `host` may only name the configured Taiga or one in
 * MCP_ALLOWED_TAIGA_HOSTS: a client must not make the server call any address it likes. Over
 * stdio (the operator's own client) any host goes. A non-Taiga answer echoes no body.
 */

import assert from "node:assert/strict";
import { startTestSandbox } from "../../sandbox/testing.ts";
import { parseCli } from "../../src/cli/args.ts";
import { loadConfig } from "../../src/config/load.ts";
import { ConfigError } from "../../src/config/parse.ts";
import { errorFacts, startHarness } from "../helpers/harness.ts";

Deno.test("login host: over HTTP another Taiga is refused unless MCP_ALLOWED_TAIGA_HOSTS names it", async () => {
  const other = await startTestSandbox();
  try {
    const token = other.createApplicationToken("alice");
    const port = new URL(other.origin).port;
    const cases: Array<[Record<string, string>, boolean]> = [
      [{ TAIGA_TRANSPORT: "http" }, false],
      [{ TAIGA_TRANSPORT: "http", MCP_ALLOWED_TAIGA_HOSTS: "https://elsewhere.example" }, false],
      [{ TAIGA_TRANSPORT: "http", MCP_ALLOWED_TAIGA_HOSTS: `x.example, ${other.origin}/` }, true],
      [{ TAIGA_TRANSPORT: "http", MCP_ALLOWED_TAIGA_HOSTS: `127.0.0.1:${port}` }, true],
      [{ TAIGA_TRANSPORT: "stdio" }, true],
    ];
    for (const [env, allowed] of cases) {
      const h = await startHarness({ login: false, env, owner: "client-1" });
      try {
        other.resetRequestCount();
        const args = { host: other.apiUrl, auth_token: token, token_type: "Application" };
        const result = await h.call("login_with_token", args);
        const label = JSON.stringify(env);
        if (allowed) {
          assert.equal(result.isError, undefined, `${label}: ${JSON.stringify(result.content)}`);
          assert.equal(other.requestCount(), 1, label);
          continue;
        }
        const facts = errorFacts(result);
        assert.equal(facts.error_type, "input", label);
        assert.match(facts.message, /not allowed over HTTP.*MCP_ALLOWED_TAIGA_HOSTS/, label);
        assert.equal(other.requestCount(), 0, `${label}: nothing was sent`);
        const password = await h.call("login", {
          host: "http://169.254.169.254/latest",
          username: "demo",
          password: "demo123",
        });
        assert.equal(errorFacts(password).error_type, "input", label);
        // The configured Taiga, however spelled, is always allowed.
        const home = await h.call("login", {
          host: `${h.sandbox.apiUrl}/`,
          username: "demo",
          password: "demo123",
        });
        assert.equal(home.isError, undefined, JSON.stringify(home.content));
      } finally {
        await h.close();
      }
    }
  } finally {
    await other.close();
  }
});

Deno.test("login host: an allowed host that is not Taiga says so, with no body", async () => {
  const other = await startTestSandbox();
  try {
    const page = `<html><head><title>Router login</title></head><body>${"x".repeat(5000)}</body>`;
    other.faults.add({ kind: "respond", status: 200, body: page, times: 5 });
    const h = await startHarness({
      login: false,
      env: { TAIGA_TRANSPORT: "http", MCP_ALLOWED_TAIGA_HOSTS: other.origin },
    });
    try {
      const result = await h.call("login", {
        host: other.origin,
        username: "demo",
        password: "demo123",
      });
      const facts = errorFacts(result);
      assert.equal(facts.error_type, "server");
      assert.match(facts.message, /^No Taiga API at http:\/\/127\.0\.0\.1:\d+\/api\/v1 /);
      assert.match(facts.message, /"Router login"/);
      assert.ok(!JSON.stringify(result).includes("xxxxx") && !JSON.stringify(result).includes("<"));
      assert.equal(h.deps.sessions.size, 0);
    } finally {
      await h.close();
    }
  } finally {
    await other.close();
  }
});

Deno.test("login host: MCP_ALLOWED_TAIGA_HOSTS is a checked comma list of Taiga URLs or hosts", () => {
  const load = (value: string) =>
    loadConfig(
      parseCli([]),
      (name) => ({ MCP_ALLOWED_TAIGA_HOSTS: value, TAIGA_CACHE_DIR: "/tmp/none" })[name],
    );
  assert.deepEqual(
    load(" https://Taiga.Example.com/api/v1/ , taiga.internal:9000,HTTPS://taiga.example.com")
      .http.allowedTaigaHosts,
    ["https://taiga.example.com", "taiga.internal:9000"],
  );
  assert.deepEqual(load("").http.allowedTaigaHosts, []);
  for (const bad of ["ftp://x.example", "https://user:pw@x.example", "not a host", "x/y"]) {
    assert.throws(
      () => load(bad),
      (error) => error instanceof ConfigError && error.variable === "MCP_ALLOWED_TAIGA_HOSTS",
      bad,
    );
  }
  assert.throws(() => load("https://user:hunter2@x.example"), (error) => {
    assert.ok(!(error as Error).message.includes("hunter2"), (error as Error).message);
    return true;
  });
});
