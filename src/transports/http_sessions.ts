/**
 * The MCP sessions of the HTTP transport (Streamable HTTP and legacy HTTP+SSE alike): unguessable
 * ids, activity tracking (a session with a request or stream still open is never idle), the idle
 * sweep, room for newcomers (at the cap the least recently used idle session is closed, and idle
 * sessions go sooner when the registry is nearly full), and closing everything at shutdown. What
 * a session's responses hold for a client that does not read them is counted (http_backlog.ts).
 * @module
 */

import { type BacklogBudget, meteredBody } from "./http_backlog.ts";

/** One MCP session served over HTTP. */
export interface HttpSession {
  /** The session id (Mcp-Session-Id, or the legacy `sessionId` query parameter). */
  readonly id: string;
  /** Which transport serves it. */
  readonly kind: "streamable" | "sse";
  /** Ends the session: closes its transport (which removes it from the registry). */
  close(): Promise<void>;
}

interface Activity {
  session: HttpSession;
  lastSeen: number;
  open: number;
}

/** Options of an {@link HttpSessionRegistry}. */
export interface RegistryOptions {
  /** A session with nothing open for this long is closed by {@link HttpSessionRegistry.sweep}. */
  idleMs: number;
  /** Most sessions at once. */
  maxSessions: number;
  /** Clock (epoch ms), injectable for tests. */
  now: () => number;
  /** Counts what responses hold for unread clients; none: not counted. */
  budget?: BacklogBudget;
  /** Told about each idle session closed to make room. */
  onEvict?: (session: HttpSession) => void;
}

/**
 * From this share of `maxSessions` on, sessions idle for {@link PRESSURE_IDLE_MS} are swept too:
 * an idle session costs ~0.6 MB, and a nearly full registry should not keep them for half an hour.
 */
const PRESSURE_SHARE = 0.75;
const PRESSURE_IDLE_MS = 60_000;

const owners = new WeakMap<Response, string>();

/** The id of the session a response belongs to (see {@link HttpSessionRegistry.run}). */
export function responseOwner(response: Response): string | undefined {
  return owners.get(response);
}

/** A new session id: 32 random bytes (256 bits), base64url without padding. */
export function newSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(32));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** Live HTTP MCP sessions by id. */
export class HttpSessionRegistry {
  readonly #sessions = new Map<string, Activity>();
  readonly #options: RegistryOptions;

  /** Creates an empty registry. */
  constructor(options: RegistryOptions) {
    this.#options = options;
  }

  /** Number of live sessions. */
  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Whether another session may be opened: yes below the cap; at the cap, the least recently
   * used idle session (no stream open, no request in flight) is closed to make room, and only
   * when every session is busy is the answer no.
   */
  async makeRoom(): Promise<boolean> {
    while (this.#sessions.size >= this.#options.maxSessions) {
      let oldest: Activity | undefined;
      for (const activity of this.#sessions.values()) {
        if (activity.open === 0 && (!oldest || activity.lastSeen < oldest.lastSeen)) {
          oldest = activity;
        }
      }
      if (!oldest) return false;
      this.#sessions.delete(oldest.session.id);
      this.#options.onEvict?.(oldest.session);
      await oldest.session.close().catch(() => undefined);
    }
    return true;
  }

  /** Closes session `id` if it is live (e.g. a client dropped for not reading its answers). */
  async close(id: string): Promise<boolean> {
    const activity = this.#sessions.get(id);
    if (!activity) return false;
    this.#sessions.delete(id);
    await activity.session.close().catch(() => undefined);
    return true;
  }

  /** Registers a session. */
  add(session: HttpSession): void {
    this.#sessions.set(session.id, { session, lastSeen: this.#options.now(), open: 0 });
  }

  /** The session `id` of `kind`, if live. */
  get<T extends HttpSession>(id: string, kind: HttpSession["kind"]): T | undefined {
    const found = this.#sessions.get(id)?.session;
    return found?.kind === kind ? found as T : undefined;
  }

  /** Forgets a session (its transport closed). */
  delete(id: string): void {
    this.#sessions.delete(id);
  }

  /**
   * Runs `serve` as activity of `session`: the session counts as busy until the response (and
   * its body stream, e.g. an SSE stream) has ended. The response is marked as the session's
   * ({@link responseOwner}) and its body, read ahead, counted against the session.
   */
  async run(session: HttpSession, serve: () => Promise<Response>): Promise<Response> {
    const activity = this.#sessions.get(session.id);
    if (!activity) return await serve();
    activity.open++;
    let ended = false;
    const end = (): void => {
      if (ended) return;
      ended = true;
      activity.open--;
      activity.lastSeen = this.#options.now();
    };
    let response: Response;
    try {
      response = await serve();
    } catch (error) {
      end();
      throw error;
    }
    const owned = onBodyEnd(response, end, session.id, this.#options.budget);
    owners.set(owned, session.id);
    return owned;
  }

  /**
   * Closes every session idle for `idleMs` or longer — or for {@link PRESSURE_IDLE_MS} when the
   * registry is at least {@link PRESSURE_SHARE} full; resolves to how many were closed.
   */
  async sweep(): Promise<number> {
    const now = this.#options.now();
    const { idleMs, maxSessions } = this.#options;
    const limit = this.#sessions.size >= maxSessions * PRESSURE_SHARE
      ? Math.min(idleMs, PRESSURE_IDLE_MS)
      : idleMs;
    const idle = [...this.#sessions.values()].filter((activity) =>
      activity.open === 0 && now - activity.lastSeen >= limit
    );
    for (const activity of idle) this.#sessions.delete(activity.session.id);
    await Promise.all(idle.map((activity) => activity.session.close().catch(() => undefined)));
    return idle.length;
  }

  /** Closes every session. */
  async closeAll(): Promise<void> {
    const all = [...this.#sessions.values()].map((activity) => activity.session);
    this.#sessions.clear();
    await Promise.all(all.map((session) => session.close().catch(() => undefined)));
  }
}

/**
 * Returns `response` with its body read ahead and counted against client `owner` by `budget`
 * (when given), and `onEnd` run once it finishes, fails or is cancelled.
 */
function onBodyEnd(
  response: Response,
  onEnd: () => void,
  owner: string,
  budget: BacklogBudget | undefined,
): Response {
  if (response.body === null) {
    onEnd();
    return response;
  }
  const meter = (drop: () => void) =>
    budget?.meter(owner, drop) ?? { add: () => true, remove: () => {}, close: () => {} };
  return new Response(meteredBody(response.body, meter, onEnd), {
    status: response.status,
    statusText: response.statusText,
    headers: response.headers,
  });
}
