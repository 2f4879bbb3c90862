/**
 * Failed sign-ins per username, per replica: after 10 failures in 10 minutes a username waits.
 * Every attempt reaches Taiga from this server's address, so without this one person guessing
 * passwords could also get the server's address throttled by Taiga for everyone. Per username,
 * not per client address: behind a proxy every person shares one address.
 * @module
 */

const LIMIT = 10;
const WINDOW_MS = 10 * 60_000;
const MAX_NAMES = 10_000;

/** Counts failed sign-ins. */
export class SignInThrottle {
  readonly #failures = new Map<string, number[]>();
  readonly #now: () => number;

  /** With clock `now` (epoch ms). */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  #recent(username: string): number[] {
    const since = this.#now() - WINDOW_MS;
    return (this.#failures.get(username.trim().toLowerCase()) ?? []).filter((at) => at > since);
  }

  /** Seconds `username` must wait before another attempt (0: it may try now). */
  waitSeconds(username: string): number {
    const recent = this.#recent(username);
    if (recent.length < LIMIT) return 0;
    return Math.ceil((recent[0] + WINDOW_MS - this.#now()) / 1000);
  }

  /** Records a failure of `username`. */
  failed(username: string): void {
    const key = username.trim().toLowerCase();
    const recent = this.#recent(username);
    // Delete first so the name moves to the end: the oldest names are the first to go.
    this.#failures.delete(key);
    this.#failures.set(key, [...recent, this.#now()]);
    while (this.#failures.size > MAX_NAMES) {
      this.#failures.delete(this.#failures.keys().next().value!);
    }
  }

  /** Forgets the failures of `username` (it signed in). */
  succeeded(username: string): void {
    this.#failures.delete(username.trim().toLowerCase());
  }
}
