/**
 * Client-side flow control for Taiga requests: a smooth per-minute rate limit (a token bucket
 * whose requests wait for their slot) and a cap on requests in flight, both honouring
 * cancellation.
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

/** Options of a {@link RateLimiter}; the clock and sleep are replaceable in tests. */
export interface RateLimiterOptions {
  /** Requests that may start at once before the spacing applies (default: `perMinute`). */
  burst?: number;
  /** The clock, epoch ms. */
  now?: () => number;
  /** How to wait. */
  sleep?: typeof sleep;
}

/**
 * A token bucket: up to `burst` requests start at once, after that one every `60 s / perMinute`.
 * A request waits for its slot, in arrival order; only a slot past its deadline fails it, at
 * once, without taking the slot.
 */
export class RateLimiter {
  readonly #perMinute: number;
  readonly #intervalMs: number;
  /** How far ahead of the clock slots may be handed out: the burst. */
  readonly #toleranceMs: number;
  readonly #now: () => number;
  readonly #sleep: typeof sleep;
  /** When the bucket would be full again if nothing else started ("theoretical arrival time"). */
  #full = -Infinity;

  /** `perMinute` ≤ 0 disables the limit. */
  constructor(perMinute: number, options: RateLimiterOptions = {}) {
    this.#perMinute = perMinute;
    this.#intervalMs = perMinute > 0 ? 60_000 / perMinute : 0;
    const burst = Math.max(1, Math.floor(options.burst ?? perMinute));
    this.#toleranceMs = (burst - 1) * this.#intervalMs;
    this.#now = options.now ?? Date.now;
    this.#sleep = options.sleep ?? sleep;
  }

  /**
   * Waits for this request's slot, then returns. With a `deadline` (epoch ms) a slot after it
   * throws {@link RateLimitWait} at once instead.
   */
  async acquire(signal?: AbortSignal, deadline?: number): Promise<void> {
    if (this.#perMinute <= 0) return;
    const now = this.#now();
    const start = Math.max(now, this.#full - this.#toleranceMs);
    if (deadline !== undefined && start >= deadline) {
      throw new RateLimitWait(start - now, this.#perMinute);
    }
    const taken = Math.max(this.#full, now) + this.#intervalMs;
    this.#full = taken;
    if (start <= now) return;
    try {
      await this.#sleep(start - now, signal);
    } catch (error) {
      // A cancelled wait gives its slot back when no later request has taken one since.
      if (this.#full === taken) this.#full -= this.#intervalMs;
      throw error;
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
