import assert from "node:assert/strict";
import { RateLimiter, Semaphore, sleep } from "../../src/taiga/throttle.ts";

Deno.test("RateLimiter: the N+1th start in a minute waits for the window to slide", async () => {
  let now = 0;
  const waits: number[] = [];
  const limiter = new RateLimiter(3, () => now, (ms) => {
    waits.push(ms);
    now += ms;
    return Promise.resolve();
  });
  for (let i = 0; i < 3; i++) await limiter.acquire();
  assert.deepEqual(waits, []);
  now = 10_000;
  await limiter.acquire();
  assert.deepEqual(waits, [50_001]);
});

Deno.test("RateLimiter: 0 disables the limit", async () => {
  const limiter = new RateLimiter(0, () => 0, () => Promise.reject(new Error("must not wait")));
  for (let i = 0; i < 1000; i++) await limiter.acquire();
});

Deno.test("Semaphore: caps holders and serves waiters in order; aborting a waiter frees its turn", async () => {
  const semaphore = new Semaphore(2);
  const releaseA = await semaphore.acquire();
  const releaseB = await semaphore.acquire();
  const order: string[] = [];
  const controller = new AbortController();
  const c = semaphore.acquire().then((release) => (order.push("c"), release));
  const aborted = semaphore.acquire(controller.signal).catch(() => order.push("aborted"));
  const d = semaphore.acquire().then((release) => (order.push("d"), release));
  controller.abort();
  await aborted;
  releaseA();
  releaseA(); // a second call is ignored
  const releaseC = await c;
  releaseB();
  const releaseD = await d;
  assert.deepEqual(order, ["aborted", "c", "d"]);
  releaseC();
  releaseD();
});

Deno.test("sleep: rejects when its signal aborts", async () => {
  const controller = new AbortController();
  const pending = sleep(10_000, controller.signal);
  controller.abort(new Error("stop"));
  await assert.rejects(pending, /stop/);
});
