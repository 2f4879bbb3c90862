import assert from "node:assert/strict";
import { RateLimiter, RateLimitWait, Semaphore, sleep } from "../../src/taiga/throttle.ts";

interface FakeTime {
  now: () => number;
  /** The limiter's sleep: recorded in `waits`. */
  sleep: typeof sleep;
  /** Lets `ms` pass (not recorded). */
  pass: (ms: number, signal?: AbortSignal) => Promise<void>;
  waits: number[];
}

/**
 * A fake clock: sleeps end in order of their end time, one per macrotask, so the code that
 * waited runs (and reads the clock) before the next one wakes — as with real timers.
 */
function fakeTime(): FakeTime {
  let now = 0;
  const waits: number[] = [];
  const timers: Array<{ end: number; wake: () => void }> = [];
  let driving = false;
  const drive = (): void => {
    timers.sort((a, b) => a.end - b.end);
    const next = timers.shift();
    if (!next) {
      driving = false;
      return;
    }
    now = Math.max(now, next.end);
    next.wake();
    setTimeout(drive, 0);
  };
  const pass = (ms: number, signal?: AbortSignal): Promise<void> =>
    new Promise((wake, fail) => {
      if (signal?.aborted) return fail(signal.reason);
      const timer = { end: now + ms, wake };
      timers.push(timer);
      signal?.addEventListener("abort", () => {
        timers.splice(timers.indexOf(timer), 1);
        fail(signal.reason);
      }, { once: true });
      if (!driving) {
        driving = true;
        setTimeout(drive, 0);
      }
    });
  return {
    now: () => now,
    waits,
    pass,
    sleep: (ms, signal) => {
      waits.push(ms);
      return pass(ms, signal);
    },
  };
}

Deno.test("RateLimiter: a burst starts at once, then requests are spread evenly", async () => {
  const time = fakeTime();
  const limiter = new RateLimiter(60, { burst: 3, now: time.now, sleep: time.sleep });
  for (let i = 0; i < 3; i++) await limiter.acquire();
  assert.deepEqual(time.waits, []);
  const starts: number[] = [];
  for (let i = 0; i < 3; i++) {
    await limiter.acquire();
    starts.push(time.now());
  }
  // One a second at 60 per minute, never a minute-long stall.
  assert.deepEqual(starts, [1000, 2000, 3000]);
});

Deno.test("RateLimiter: 40 quick calls at 30 per minute all start within the default 30 s deadline", async () => {
  const time = fakeTime();
  const limiter = new RateLimiter(30, { now: time.now, sleep: time.sleep });
  const deadline = time.now() + 30_000;
  const started: number[] = [];
  const calls = Array.from(
    { length: 40 },
    () => limiter.acquire(undefined, deadline).then(() => started.push(time.now())),
  );
  const results = await Promise.allSettled(calls);
  const answered = results.filter((result) => result.status === "fulfilled").length;
  assert.equal(answered, 40);
  assert.equal(started.filter((at) => at === 0).length, 30, "a minute's allowance at once");
  assert.ok(Math.max(...started) <= 20_000, `last started at ${Math.max(...started)} ms`);
  // After the burst: one every 2 s, evenly.
  const later = started.filter((at) => at > 0).sort((a, b) => a - b);
  assert.deepEqual(later, Array.from({ length: 10 }, (_, i) => (i + 1) * 2000));
});

Deno.test("RateLimiter: the default 100/min never slows a person-paced agent", async () => {
  const time = fakeTime();
  const limiter = new RateLimiter(100, { now: time.now, sleep: time.sleep });
  // A 60-request report, then ten minutes of a tool call with 8 requests every 6 s (80/min).
  for (let i = 0; i < 60; i++) await limiter.acquire(undefined, time.now() + 30_000);
  for (let call = 0; call < 100; call++) {
    await time.pass(6000);
    for (let i = 0; i < 8; i++) await limiter.acquire(undefined, time.now() + 30_000);
  }
  assert.equal(time.now(), 600_000);
  assert.deepEqual(time.waits, [], "no request ever waited");
});

Deno.test("RateLimiter: a slot past the deadline fails at once and is not taken", async () => {
  const time = fakeTime();
  const limiter = new RateLimiter(2, { now: time.now, sleep: time.sleep });
  await limiter.acquire();
  await limiter.acquire();
  await assert.rejects(
    limiter.acquire(undefined, time.now() + 1000),
    (error) => error instanceof RateLimitWait && error.waitMs === 30_000 && error.perMinute === 2,
  );
  assert.deepEqual(time.waits, [], "it did not wait");
  // The refused call took no slot: the next one gets the first free slot, 30 s on.
  await limiter.acquire(undefined, time.now() + 60_000);
  assert.equal(time.now(), 30_000);
});

Deno.test("RateLimiter: a cancelled wait gives its slot back", async () => {
  const time = fakeTime();
  const limiter = new RateLimiter(60, { burst: 1, now: time.now, sleep: time.sleep });
  await limiter.acquire();
  const controller = new AbortController();
  const waiting = limiter.acquire(controller.signal);
  controller.abort(new Error("stop"));
  await assert.rejects(waiting, /stop/);
  await limiter.acquire();
  assert.equal(time.now(), 1000, "the next request takes the freed slot, not the one after");
});

Deno.test("RateLimiter: 0 disables the limit", async () => {
  const limiter = new RateLimiter(0, {
    now: () => 0,
    sleep: () => Promise.reject(new Error("must not wait")),
  });
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
