import assert from "node:assert/strict";
import { startTestSandbox } from "../../sandbox/testing.ts";
import { TaigaClient } from "../../src/taiga/client.ts";
import { InputError, TaigaError } from "../../src/taiga/errors.ts";
import { fetchAll, fetchPage } from "../../src/taiga/pagination.ts";
import { createRequestPolicy, type RequestPolicy } from "../../src/taiga/policy.ts";

function policy(timeoutSeconds = 5): RequestPolicy {
  return {
    ...createRequestPolicy({
      requestTimeoutSeconds: timeoutSeconds,
      rateLimitPerMinute: 0,
      maxConnections: 10,
      maxKeepaliveConnections: 5,
    }),
    random: () => 0,
  };
}

async function login(apiUrl: string, p: RequestPolicy): Promise<TaigaClient> {
  const anon = new TaigaClient(apiUrl, p);
  const body = await anon.post<{ auth_token: string; refresh: string }>("auth", {
    type: "normal",
    username: "demo",
    password: "demo123",
  });
  return new TaigaClient(apiUrl, p, {
    token: body.auth_token,
    tokenType: "Bearer",
    refresh: body.refresh,
  });
}

async function expectError(
  promise: Promise<unknown>,
  type: string,
): Promise<TaigaError> {
  try {
    await promise;
  } catch (error) {
    const typed = type === "input" ? error instanceof InputError : error instanceof TaigaError;
    assert.ok(typed, `expected a ${type} error, got ${error}`);
    assert.equal((error as TaigaError).type, type, (error as Error).message);
    // An input error has no HTTP facts; the assertions that follow read Taiga errors only.
    return error as TaigaError;
  }
  throw new Error(`expected a ${type} error`);
}

Deno.test("client: 429 is retried after X-Throttle-Wait-Seconds", async () => {
  const sandbox = await startTestSandbox();
  const p = policy();
  try {
    const client = await login(sandbox.apiUrl, p);
    sandbox.faults.add({ kind: "throttle", waitSeconds: 1, match: /users\/me/ });
    sandbox.resetRequestCount();
    const started = performance.now();
    const me = await client.get<{ username: string }>("users/me");
    const elapsed = performance.now() - started;
    assert.equal(me.username, "demo");
    assert.ok(elapsed >= 1000, `waited only ${elapsed} ms`);
    assert.equal(sandbox.requestCount(), 2);
  } finally {
    p.httpClient?.close();
    await sandbox.close();
  }
});

Deno.test("client: a throttle wait longer than the timeout fails fast with the wait", async () => {
  const sandbox = await startTestSandbox();
  const p = policy(2);
  try {
    const client = await login(sandbox.apiUrl, p);
    sandbox.faults.add({ kind: "throttle", waitSeconds: 30, match: /users\/me/ });
    const started = performance.now();
    const error = await expectError(client.get("users/me"), "throttled");
    assert.equal(error.waitSeconds, 30);
    assert.match(error.message, /30 seconds/);
    assert.ok(performance.now() - started < 1000);
  } finally {
    p.httpClient?.close();
    await sandbox.close();
  }
});

Deno.test("client: 502/503 are retried for GET but never for POST", async () => {
  const sandbox = await startTestSandbox();
  const p = policy();
  try {
    const client = await login(sandbox.apiUrl, p);
    sandbox.faults.add({ kind: "status", status: 502, times: 2, match: /GET .*users\/me/ });
    const me = await client.get<{ username: string }>("users/me");
    assert.equal(me.username, "demo");
    sandbox.faults.add({ kind: "status", status: 503, match: /POST .*userstories/ });
    sandbox.resetRequestCount();
    const error = await expectError(
      client.post("userstories", { project: 1, subject: "x" }),
      "server",
    );
    assert.equal(error.status, 503);
    assert.equal(sandbox.requestCount(), 1);
  } finally {
    p.httpClient?.close();
    await sandbox.close();
  }
});

Deno.test("client: a dropped connection is retried for GET", async () => {
  const sandbox = await startTestSandbox();
  const p = policy();
  try {
    const client = await login(sandbox.apiUrl, p);
    sandbox.faults.add({ kind: "drop", match: /users\/me/ });
    const me = await client.get<{ username: string }>("users/me");
    assert.equal(me.username, "demo");
  } finally {
    p.httpClient?.close();
    await sandbox.close();
  }
});

Deno.test("client: a slow Taiga fails within REQUEST_TIMEOUT with a clear timeout error", async () => {
  const sandbox = await startTestSandbox();
  const p = policy(0.5);
  try {
    const client = await login(sandbox.apiUrl, p);
    sandbox.faults.add({ kind: "delay", ms: 1500, times: 5, match: /users\/me/ });
    const started = performance.now();
    const error = await expectError(client.get("users/me"), "timeout");
    const elapsed = performance.now() - started;
    assert.ok(elapsed < 900, `took ${elapsed} ms`);
    assert.match(error.message, /REQUEST_TIMEOUT/);
  } finally {
    p.httpClient?.close();
    await sandbox.close();
  }
});

Deno.test("client: unreachable Taiga gives a network error naming the host", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const p = policy(2);
  try {
    const client = new TaigaClient(`http://127.0.0.1:${port}/api/v1`, p);
    const started = performance.now();
    const error = await expectError(client.get("projects"), "network");
    assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.match(error.message, /TAIGA_API_URL/);
    assert.ok(performance.now() - started < 2000);
  } finally {
    p.httpClient?.close();
  }
});

Deno.test("client: 401 with a refresh token refreshes once, rotates and retries", async () => {
  const sandbox = await startTestSandbox();
  const p = policy();
  try {
    const anon = new TaigaClient(sandbox.apiUrl, p);
    const body = await anon.post<{ auth_token: string; refresh: string }>("auth", {
      type: "normal",
      username: "demo",
      password: "demo123",
    });
    const rotated: string[] = [];
    const client = new TaigaClient(
      sandbox.apiUrl,
      p,
      { token: body.auth_token, tokenType: "Bearer", refresh: body.refresh },
      (auth) => void rotated.push(auth.refresh ?? ""),
    );
    sandbox.expireAccessTokens();
    const me = await client.get<{ username: string }>("users/me");
    assert.equal(me.username, "demo");
    assert.equal(rotated.length, 1);
    assert.notEqual(client.auth?.token, body.auth_token);
    assert.notEqual(client.auth?.refresh, body.refresh);
    // The old refresh token is now denylisted: a client still holding it must log in again.
    const stale = new TaigaClient(sandbox.apiUrl, p, {
      token: body.auth_token,
      tokenType: "Bearer",
      refresh: body.refresh,
    });
    const error = await expectError(stale.get("users/me"), "auth");
    assert.match(error.message, /log in again/i);
  } finally {
    p.httpClient?.close();
    await sandbox.close();
  }
});

Deno.test("client: Application tokens use the Application scheme", async () => {
  const sandbox = await startTestSandbox();
  const p = policy();
  try {
    const token = sandbox.createApplicationToken("demo");
    const client = new TaigaClient(sandbox.apiUrl, p, { token, tokenType: "Application" });
    const me = await client.get<{ username: string }>("users/me");
    assert.equal(me.username, "demo");
    const wrong = new TaigaClient(sandbox.apiUrl, p, { token, tokenType: "Bearer" });
    await expectError(wrong.get("users/me"), "auth");
  } finally {
    p.httpClient?.close();
    await sandbox.close();
  }
});

Deno.test("client: Taiga's error bodies become typed errors with field details", async () => {
  const sandbox = await startTestSandbox();
  const p = policy();
  try {
    const client = await login(sandbox.apiUrl, p);
    const fields = await expectError(client.post("projects", { name: "" }), "validation");
    assert.ok(fields.details && "description" in fields.details, JSON.stringify(fields.details));
    const missing = await expectError(client.get("userstories/999999"), "not_found");
    assert.equal(missing.status, 404);
    const anon = new TaigaClient(sandbox.apiUrl, p);
    await expectError(anon.get("users/me"), "auth");
  } finally {
    p.httpClient?.close();
    await sandbox.close();
  }
});

Deno.test("pagination: pages carry totals; fetchAll walks 1000 at a time", async () => {
  const sandbox = await startTestSandbox();
  const p = policy();
  try {
    const client = await login(sandbox.apiUrl, p);
    const project = await client.post<{ id: number }>("projects", {
      name: "Paging",
      description: "many stories",
    });
    const subjects = Array.from({ length: 1203 }, (_, index) => `story ${index}`).join("\n");
    await client.post("userstories/bulk_create", {
      project_id: project.id,
      bulk_stories: subjects,
    });
    const page = await fetchPage(client, "userstories", { project: project.id }, {
      page: 2,
      pageSize: 500,
    });
    assert.equal(page.total, 1203);
    assert.equal(page.items.length, 500);
    assert.ok(page.hasNext);
    sandbox.resetRequestCount();
    const progress: number[] = [];
    const all = await fetchAll(client, "userstories", { project: project.id }, {
      maxItems: 10_000,
      onProgress: (done) => void progress.push(done),
    });
    assert.equal(all.items.length, 1203);
    assert.equal(all.truncated, false);
    assert.equal(sandbox.requestCount(), 2);
    assert.deepEqual(progress, [1000, 1203]);
    const capped = await fetchAll(client, "userstories", { project: project.id }, {
      maxItems: 1000,
    });
    assert.equal(capped.items.length, 1000);
    assert.equal(capped.truncated, true);
    await expectError(
      fetchPage(client, "userstories", { project: project.id }, { page: 99, pageSize: 100 }),
      "input",
    );
  } finally {
    p.httpClient?.close();
    await sandbox.close();
  }
});

Deno.test("client: our own rate limit never masquerades as a Taiga timeout", async () => {
  const sandbox = await startTestSandbox();
  const p: RequestPolicy = {
    ...createRequestPolicy({
      requestTimeoutSeconds: 1,
      rateLimitPerMinute: 2,
      maxConnections: 10,
      maxKeepaliveConnections: 5,
    }),
  };
  try {
    const client = new TaigaClient(sandbox.apiUrl, p);
    await client.get("projects");
    await client.get("projects");
    sandbox.resetRequestCount();
    const started = performance.now();
    const error = await expectError(client.get("projects"), "throttled");
    assert.match(error.message, /RATE_LIMIT_REQUESTS/);
    assert.doesNotMatch(error.message, /did not answer/);
    assert.ok(performance.now() - started < 200, "fails at once instead of waiting");
    assert.equal(sandbox.requestCount(), 0, "nothing was sent");
  } finally {
    p.httpClient?.close();
    await sandbox.close();
  }
});
