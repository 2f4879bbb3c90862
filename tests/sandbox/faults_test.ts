import assert from "node:assert/strict";
import {
  ConnectionDropped,
  createSandboxHandler,
  faultInterceptor,
  FaultQueue,
  SandboxState,
  seedDemoData,
} from "../../sandbox/testing.ts";
import { request, withBed } from "./helpers.ts";

Deno.test("throttle fault: 429, X-Throttle-Wait-Seconds, Taiga body, no Retry-After", async () => {
  await withBed(async ({ sandbox, call }) => {
    sandbox.faults.add({ kind: "throttle", waitSeconds: 2.2, times: 2 });
    for (let i = 0; i < 2; i++) {
      const r = await call("GET", "/users/me");
      assert.equal(r.status, 429);
      assert.equal(r.headers.get("x-throttle-wait-seconds"), "3");
      assert.equal(r.headers.get("retry-after"), null);
      assert.deepEqual(r.body, {
        _error_message: "Request was throttled.Expected available in 3 seconds.",
        _error_type: "taiga.base.exceptions.Throttled",
      });
    }
    assert.equal((await call("GET", "/users/me")).status, 200, "only `times` requests");
  });
});

Deno.test("status fault: a plain 5xx body, then normal answers", async () => {
  await withBed(async ({ sandbox, call }) => {
    sandbox.faults.add({ kind: "status", status: 503 });
    const r = await call("GET", "/projects");
    assert.equal(r.status, 503);
    assert.match(r.headers.get("content-type") ?? "", /text\/plain/);
    assert.match(r.text, /Service Unavailable/);
    assert.equal((await call("GET", "/projects")).status, 200);
  });
});

Deno.test("match: only requests whose 'METHOD /api/v1/path' match get the fault", async () => {
  await withBed(async ({ sandbox, call }) => {
    sandbox.faults.add({ kind: "status", status: 502, match: /^PATCH \/api\/v1\/userstories\// });
    assert.equal((await call("GET", "/userstories/1")).status, 200);
    const r = await call("PATCH", "/userstories/1", { subject: "x", version: 1 });
    assert.equal(r.status, 502);
    const again = await call("PATCH", "/userstories/1", { subject: "x", version: 1 });
    assert.equal(again.status, 200, "the faulted request did not reach the store");
  });
});

Deno.test("delay fault: answers normally after the delay", async () => {
  await withBed(async ({ sandbox, call }) => {
    sandbox.faults.add({ kind: "delay", ms: 150 });
    const t0 = performance.now();
    const r = await call("GET", "/users/me");
    const elapsed = performance.now() - t0;
    assert.equal(r.status, 200);
    assert.ok(elapsed >= 140, `took ${elapsed} ms`);
    const t1 = performance.now();
    await call("GET", "/users/me");
    assert.ok(performance.now() - t1 < 140, "next request is not delayed");
  });
});

Deno.test("drop fault: the client's fetch rejects with a network error", async () => {
  await withBed(async ({ sandbox, token }) => {
    sandbox.faults.add({ kind: "drop" });
    await assert.rejects(
      fetch(`${sandbox.apiUrl}/users/me`, { headers: { Authorization: `Bearer ${token}` } }),
      TypeError,
    );
    const r = await request(sandbox, "GET", "/users/me", undefined, {
      Authorization: `Bearer ${token}`,
    });
    assert.equal(r.status, 200, "the server keeps answering after a drop");
  });
});

Deno.test("clear() forgets queued faults", async () => {
  await withBed(async ({ sandbox, call }) => {
    sandbox.faults.add({ kind: "status", status: 500, times: 5 });
    sandbox.faults.clear();
    assert.equal((await call("GET", "/projects")).status, 200);
  });
});

Deno.test("requestCount counts every HTTP request, faulted or not; reset works", async () => {
  await withBed(async ({ sandbox, call }) => {
    sandbox.resetRequestCount();
    assert.equal(sandbox.requestCount(), 0);
    await call("GET", "/projects");
    await call("GET", "/nope/");
    sandbox.faults.add({ kind: "status", status: 504 });
    await call("GET", "/projects");
    assert.equal(sandbox.requestCount(), 3);
    sandbox.resetRequestCount();
    assert.equal(sandbox.requestCount(), 0);
  });
});

Deno.test("the in-process handler answers without a server; drop rejects", async () => {
  const state = new SandboxState();
  await seedDemoData(state);
  const faults = new FaultQueue();
  const intercept = faultInterceptor(faults);
  let count = 0;
  const handler = createSandboxHandler(state, {
    intercept: (req, next) => {
      count += 1;
      return intercept(req, next);
    },
  });
  const res = await handler(
    new Request("http://sandbox.local/api/v1/auth", {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ type: "normal", username: "bob", password: "bob123" }),
    }),
  );
  assert.equal(res.status, 200);
  assert.equal((await res.json()).username, "bob");
  faults.add({ kind: "drop" });
  await assert.rejects(
    handler(new Request("http://sandbox.local/api/v1/projects")),
    ConnectionDropped,
  );
  assert.equal(count, 2);
});
