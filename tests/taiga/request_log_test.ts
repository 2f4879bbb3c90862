/**
 * At LOG_LEVEL=DEBUG every Taiga request is one log line: method, path (never the query),
 * status, milliseconds and retries — never a token. And the smooth rate limit in real time:
 * requests over the burst wait their turn, evenly spaced, and are all answered.
 */

import assert from "node:assert/strict";
import { startTestSandbox } from "../../sandbox/testing.ts";
import { Logger, type LogRecord } from "../../src/log/logger.ts";
import { TaigaClient } from "../../src/taiga/client.ts";
import { RateLimiter } from "../../src/taiga/throttle.ts";
import { demoClient, expectError, testPolicy } from "./support.ts";

Deno.test("request log: one DEBUG line per request with method, path, status, ms and retries, no secrets", async () => {
  const sandbox = await startTestSandbox();
  const logger = new Logger({ level: "DEBUG", stderr: false });
  const records: LogRecord[] = [];
  logger.addSink((record) => records.push(record));
  const policy = testPolicy(5, logger);
  try {
    const client = await demoClient(sandbox.apiUrl, policy);
    const token = client.auth!.token;
    await client.get("userstories", { project: 1, q: "password=hunter2", token: "t0ps3cret" });
    sandbox.faults.add({ kind: "status", status: 502, times: 2, match: /users\/me/ });
    await client.get("users/me");
    await expectError(client.get("userstories/999999"), "not_found");
    const lines = records.filter((record) => record.message.startsWith("Taiga "));
    assert.deepEqual(
      lines.map((record) => ({ ...record.data, ms: typeof record.data?.ms })),
      [
        { method: "POST", path: "/auth", status: 200, ms: "number", retries: 0 },
        { method: "GET", path: "/userstories", status: 200, ms: "number", retries: 0 },
        { method: "GET", path: "/users/me", status: 200, ms: "number", retries: 2 },
        { method: "GET", path: "/userstories/999999", status: 404, ms: "number", retries: 0 },
      ],
    );
    assert.equal(lines[1].message, "Taiga GET /userstories → 200");
    const all = JSON.stringify(records);
    for (const secret of [token, "hunter2", "t0ps3cret", "demo123"]) {
      assert.ok(!all.includes(secret), `${secret} leaked: ${all}`);
    }
    // Nothing at INFO: the lines are DEBUG only.
    assert.ok(lines.every((record) => record.level === "DEBUG"));
  } finally {
    logger.close();
    policy.httpClient?.close();
    await sandbox.close();
  }
});

Deno.test("rate limit (real time): past the burst, requests wait their turn evenly and all are answered", async () => {
  const sandbox = await startTestSandbox();
  // 600 a minute is one every 100 ms; a burst of 5, then 20 more take about 2 s.
  const policy = { ...testPolicy(5), rateLimiter: new RateLimiter(600, { burst: 5 }) };
  try {
    const client = new TaigaClient(sandbox.apiUrl, policy);
    sandbox.resetRequestCount();
    const started = performance.now();
    const answeredAt: number[] = [];
    const calls = Array.from(
      { length: 25 },
      () =>
        client.get<unknown[]>("projects").then((projects) => {
          answeredAt.push(performance.now() - started);
          return projects;
        }),
    );
    const results = await Promise.allSettled(calls);
    const elapsed = performance.now() - started;
    assert.equal(results.filter((result) => result.status === "fulfilled").length, 25);
    assert.equal(sandbox.requestCount(), 25);
    // At least the spacing; the upper bound leaves room for a loaded machine.
    assert.ok(elapsed >= 1900 && elapsed < 5000, `took ${Math.round(elapsed)} ms`);
    answeredAt.sort((a, b) => a - b);
    assert.ok(answeredAt[4] < 500, `the burst waited: ${answeredAt.map(Math.round)}`);
    // Evenly spread: every 5 answers past the burst take about half a second.
    for (let i = 10; i < 25; i += 5) {
      const gap = answeredAt[i] - answeredAt[i - 5];
      assert.ok(gap > 400 && gap < 1200, `gap ${Math.round(gap)} ms at ${i}`);
    }
  } finally {
    policy.httpClient?.close();
    await sandbox.close();
  }
});
