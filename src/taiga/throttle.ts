/**
 * Client-side flow control for Taiga requests: a per-minute rate limit and a cap on requests in
 * flight, both honouring cancellation.
 * @module
 */

/** Sleeps `ms`, rejecting early with the signal's reason when it aborts. */
export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(signal?.reason);
    };
    const timer = setTimeout(() => {
      signal?.removeEventListener("abort", onAbort);
      resolve();
    }, Math.max(0, ms));
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}

/** Thrown when our own rate limit would make a request wait past its deadline. */
export class RateLimitWait extends Error {
  /** How long the request would have had to wait (ms). */
  readonly waitMs: number;
  /** The configured requests per minute. */
  readonly perMinute: number;

  /** Describes a wait of `waitMs` under a limit of `perMinute`. */
  constructor(waitMs: number, perMinute: number) {
    super(`rate limit of ${perMinute} requests per minute reached`);
    this.name = "RateLimitWait";
    this.waitMs = waitMs;
    this.perMinute = perMinute;
  }
}

/** A sliding one-minute window: at most `perMinute` requests may start in any 60 s. */
export class RateLimiter {
  readonly #perMinute: number;
  readonly #starts: number[] = [];
  readonly #now: () => number;
  readonly #sleep: typeof sleep;

  /** `perMinute` ≤ 0 disables the limit. */
  constructor(perMinute: number, now: () => number = Date.now, sleeper: typeof sleep = sleep) {
    this.#perMinute = perMinute;
    this.#now = now;
    this.#sleep = sleeper;
  }

  /**
   * Waits until one more request may start, then records it. With a `deadline` (epoch ms) it
   * throws {@link RateLimitWait} at once instead of waiting past it.
   */
  async acquire(signal?: AbortSignal, deadline?: number): Promise<void> {
    if (this.#perMinute <= 0) return;
    while (true) {
      const now = this.#now();
      while (this.#starts.length > 0 && now - this.#starts[0] >= 60_000) this.#starts.shift();
      if (this.#starts.length < this.#perMinute) {
        this.#starts.push(now);
        return;
      }
      const waitMs = 60_000 - (now - this.#starts[0]) + 1;
      if (deadline !== undefined && now + waitMs > deadline) {
        throw new RateLimitWait(waitMs, this.#perMinute);
      }
      await this.#sleep(waitMs, signal);
    }
  }
}

/** Caps how many requests are in flight at once; waiters are served first come, first served. */
export class Semaphore {
  #free: number;
  readonly #waiters: Array<() => void> = [];

  /** Allows `size` holders at a time. */
  constructor(size: number) {
    this.#free = Math.max(1, size);
  }

  /** Waits for a place; the returned function gives it back (call it exactly once). */
  async acquire(signal?: AbortSignal): Promise<() => void> {
    if (this.#free > 0) {
      this.#free--;
      return this.#releaser();
    }
    await new Promise<void>((resolve, reject) => {
      const grant = (): void => {
        signal?.removeEventListener("abort", onAbort);
        resolve();
      };
      const onAbort = (): void => {
        const index = this.#waiters.indexOf(grant);
        if (index >= 0) this.#waiters.splice(index, 1);
        reject(signal?.reason);
      };
      if (signal?.aborted) return reject(signal.reason);
      signal?.addEventListener("abort", onAbort, { once: true });
      this.#waiters.push(grant);
    });
    return this.#releaser();
  }

  #releaser(): () => void {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#waiters.shift();
      if (next) next();
      else this.#free++;
    };
  }
}
