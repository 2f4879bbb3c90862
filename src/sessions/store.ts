/**
 * Sessions: an authenticated TaigaClient per login, with expiry, cleanup, and ownership so that a
 * session made by one MCP connection cannot be used from another.
 * @module
 */

import type { TaigaClient, TokenType } from "../taiga/client.ts";
import { TaigaError } from "../taiga/errors.ts";

/** Where a carried session's credentials come from (see {@link Session.carried}). */
export type CarriedBy = "sealed" | "header" | "oauth";

/** The Taiga user a session acts as. */
export interface SessionUser {
  /** Taiga user id. */
  id: number;
  /** Username. */
  username: string;
  /** Display name. */
  fullName?: string;
}

/** One logged-in session. */
export interface Session {
  /** Unguessable id (192 random bits, base64url). */
  readonly id: string;
  /** Normalised Taiga host key (token-cache key). */
  readonly host: string;
  /** API base URL. */
  readonly apiUrl: string;
  /** The authenticated client. */
  readonly client: TaigaClient;
  /** Who it acts as. */
  readonly user: SessionUser;
  /** Header scheme of its token. */
  readonly tokenType: TokenType;
  /** Epoch ms of creation. */
  readonly createdAt: number;
  /** Epoch ms after which it is gone. */
  readonly expiresAt: number;
  /** The MCP connection that made it; undefined for the server's start-up session (shared). */
  readonly owner?: string;
  /**
   * Set when the credentials come with each request instead of living here: in a sealed
   * session id, in the request's X-Taiga-Token header, or in the OAuth access token of a person
   * signed in to this server. Such a session cannot be ended here.
   */
  readonly carried?: CarriedBy;
}

/** What a new session needs. */
export type NewSession = Omit<Session, "id" | "createdAt" | "expiresAt">;

function newSessionId(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(24));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_");
}

/** Holds the live sessions of this process. */
export class SessionStore {
  readonly #sessions = new Map<string, Session>();
  readonly #expiryMs: number;
  /** How to log in, in the words of this server's transport. */
  readonly #loginHint: string;
  readonly #now: () => number;
  readonly #onRemove: (session: Session) => void;

  /**
   * Sessions live `expirySeconds`; `now` is injectable for tests; `onRemove` hears of every
   * session that ends, however it ends.
   */
  constructor(
    expirySeconds: number,
    now: () => number = Date.now,
    onRemove: (session: Session) => void = () => {},
    loginHint = "Log in again with login_with_token or login.",
  ) {
    this.#loginHint = loginHint;
    this.#expiryMs = expirySeconds * 1000;
    this.#now = now;
    this.#onRemove = onRemove;
  }

  #delete(session: Session): void {
    this.#sessions.delete(session.id);
    this.#onRemove(session);
  }

  /** Registers a new session and returns it. */
  create(fields: NewSession): Session {
    this.cleanup();
    const createdAt = this.#now();
    const session: Session = {
      ...fields,
      id: newSessionId(),
      createdAt,
      expiresAt: createdAt + this.#expiryMs,
    };
    this.#sessions.set(session.id, session);
    return session;
  }

  /** Drops expired sessions; returns how many went. */
  cleanup(): number {
    let removed = 0;
    for (const session of this.#sessions.values()) {
      if (session.expiresAt <= this.#now()) {
        this.#delete(session);
        removed++;
      }
    }
    return removed;
  }

  /** Seconds until `session` expires (0 when expired). */
  secondsLeft(session: Session): number {
    return Math.max(0, Math.floor((session.expiresAt - this.#now()) / 1000));
  }

  /** The session `id` as seen by `owner`, or a clear error. */
  get(id: string, owner?: string): Session {
    this.cleanup();
    const session = this.#sessions.get(id);
    if (!session || !visibleTo(session, owner)) {
      throw new TaigaError(
        "auth",
        `Unknown or expired session_id. ${this.#loginHint} Or omit session_id to use the default session.`,
      );
    }
    return session;
  }

  /** The session to use when none is named: the newest live one `owner` may use. */
  findDefault(owner?: string): Session | undefined {
    this.cleanup();
    let best: Session | undefined;
    for (const session of this.#sessions.values()) {
      if (!visibleTo(session, owner)) continue;
      if (!best || preferred(session, best)) best = session;
    }
    return best;
  }

  /** Ends a session; false when it did not exist for `owner`. */
  remove(id: string, owner?: string): boolean {
    const session = this.#sessions.get(id);
    if (!session || !visibleTo(session, owner)) return false;
    this.#delete(session);
    return true;
  }

  /** Ends every session made by `owner` (its MCP connection closed). */
  removeOwnedBy(owner: string): void {
    for (const session of this.#sessions.values()) {
      if (session.owner === owner) this.#delete(session);
    }
  }

  /** Number of live sessions. */
  get size(): number {
    this.cleanup();
    return this.#sessions.size;
  }
}

/** A connection's own sessions win over the shared one; among equals, the newest. */
function preferred(candidate: Session, current: Session): boolean {
  const own = (session: Session): number => session.owner === undefined ? 0 : 1;
  if (own(candidate) !== own(current)) return own(candidate) > own(current);
  return candidate.createdAt >= current.createdAt;
}

function visibleTo(session: Session, owner?: string): boolean {
  return session.owner === undefined || session.owner === owner;
}
