/**
 * Completion candidates per session, kept briefly (a client asks again on every keystroke) and
 * dropped with the session.
 * @module
 */

/** How long completion candidates are reused. */
export const COMPLETION_TTL_MS = 15_000;

/** Most candidate lists kept per session. */
const LISTS_PER_SESSION = 50;

interface Entry {
  at: number;
  values: Promise<string[]>;
}

/** Candidate lists per session and question, kept briefly and dropped with the session. */
export class CompletionCache {
  readonly #sessions = new Map<string, Map<string, Entry>>();

  /** The candidates for `key` in `sessionId`, loaded at most once per TTL. */
  async get(sessionId: string, key: string, load: () => Promise<string[]>): Promise<string[]> {
    const now = Date.now();
    let entries = this.#sessions.get(sessionId);
    if (!entries) this.#sessions.set(sessionId, entries = new Map());
    const hit = entries.get(key);
    if (hit && now - hit.at < COMPLETION_TTL_MS) return await hit.values;
    entries.delete(key);
    while (entries.size >= LISTS_PER_SESSION) entries.delete(entries.keys().next().value!);
    const values = load();
    entries.set(key, { at: now, values });
    try {
      return await values;
    } catch (error) {
      entries.delete(key);
      throw error;
    }
  }

  /** Forgets a session's candidates (it ended). */
  forget(sessionId: string): void {
    this.#sessions.delete(sessionId);
  }
}
