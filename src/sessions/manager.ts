/**
 * The one owner of Taiga sessions: the store, the token cache, the shared start-up session and
 * keeping the cache in step when Taiga rotates tokens. Whoever keeps per-session state (the
 * metadata cache) hears when a session ends through {@link SessionManager.onRemoved}.
 * @module
 */

import { type TaigaAuth, TaigaClient, type TokenType } from "../taiga/client.ts";
import { TaigaError, type TaigaErrorType } from "../taiga/errors.ts";
import type { RequestPolicy } from "../taiga/policy.ts";
import { parseApiUrl } from "../taiga/url.ts";
import { verifyToken } from "./auth.ts";
import { CarriedSessions } from "./carried.ts";
import { Sealer } from "./sealed.ts";
import { type Session, SessionStore, type SessionUser } from "./store.ts";
import type { TokenCache } from "./token_cache.ts";

/** What the manager reports to. */
export interface SessionLog {
  /** Normal events (the start-up session is ready). */
  info(message: string, data?: Record<string, unknown>): void;
  /** Handled problems (a token cache write failed, the start-up token was refused). */
  warning(message: string, data?: Record<string, unknown>): void;
}

/** What a {@link SessionManager} needs. */
export interface SessionManagerOptions {
  /** The configured Taiga API base (start-up session). */
  apiUrl: string;
  /** Its host key in the token cache. */
  host: string;
  /** TAIGA_AUTH_TOKEN, if set: the start-up session's credentials. */
  authToken?: string;
  /** Scheme of {@link SessionManagerOptions.authToken}. */
  tokenType: TokenType;
  /** Seconds a session lives. */
  expirySeconds: number;
  /** Limits shared by every Taiga client. */
  policy: RequestPolicy;
  /** The on-disk token cache. */
  tokens: TokenCache;
  /** Where events go. */
  log: SessionLog;
  /** How a person logs in, appended to "Not logged in" (names only what the client has). */
  loginHint: string;
  /** Seals session ids that carry their credentials (stateless HTTP). */
  sealer: Sealer;
  /** Clock, injectable for tests. */
  now?: () => number;
}

/** What opens a session. */
export interface OpenSession {
  /** API base URL. */
  apiUrl: string;
  /** Accepted credentials. */
  auth: TaigaAuth;
  /** Whose they are. */
  user: SessionUser;
  /** MCP connection that owns it (undefined: shared start-up session). */
  owner?: string;
  /** The token the token cache held when these credentials were loaded from it. */
  cachedToken?: string;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** Sessions of one process. */
export class SessionManager {
  /** The options it was built with (a second manager over the same cache: a restart). */
  readonly options: SessionManagerOptions;
  /** The on-disk token cache. */
  readonly tokens: TokenCache;
  readonly #store: SessionStore;
  readonly #removed = new Set<(session: Session) => void>();
  #startup?: Promise<Session | undefined>;
  #startupFailure?: { reason: string; type: TaigaErrorType };
  /** Where the start-up sessions came from, by session (they end like any other). */
  readonly #startupSources = new WeakMap<Session, string>();
  /** Sessions whose credentials come with each request. */
  readonly #carried: CarriedSessions;

  /** A manager with no session yet. */
  constructor(options: SessionManagerOptions) {
    this.options = options;
    this.tokens = options.tokens;
    const ended = (session: Session): void => {
      for (const hook of this.#removed) hook(session);
    };
    this.#store = new SessionStore(options.expirySeconds, options.now, ended, options.loginHint);
    this.#carried = new CarriedSessions(options, ended);
  }

  /** Calls `hook` for every session that ends (expired, logged out, its connection closed). */
  onRemoved(hook: (session: Session) => void): () => void {
    this.#removed.add(hook);
    return () => this.#removed.delete(hook);
  }

  /**
   * Creates a session whose client keeps the token cache in step when Taiga rotates the tokens
   * (a denylisted refresh token left in the cache would break the next start-up). Every write is
   * a compare-and-swap on the token the cache is known to hold, so a newer login is never undone.
   */
  open(fields: OpenSession): Session {
    const { host } = parseApiUrl(fields.apiUrl);
    let lastToken = fields.cachedToken ?? fields.auth.token;
    const write = async (auth: TaigaAuth): Promise<void> => {
      if (auth.token === lastToken) return;
      await this.tokens.rotate(host, lastToken, auth).catch((error) =>
        this.options.log.warning(`could not update the token cache: ${describe(error)}`)
      );
      lastToken = auth.token;
    };
    // One write at a time, in order: each compare-and-swap needs the token the previous wrote.
    let writes = Promise.resolve();
    const persist = (auth: TaigaAuth): Promise<void> => (writes = writes.then(() => write(auth)));
    // Verifying a cached token may already have rotated it.
    if (fields.cachedToken !== undefined) void persist(fields.auth);
    const client = new TaigaClient(fields.apiUrl, this.options.policy, fields.auth, persist);
    return this.#store.create({
      host,
      apiUrl: fields.apiUrl,
      client,
      user: fields.user,
      tokenType: fields.auth.tokenType,
      owner: fields.owner,
    });
  }

  /**
   * Creates the shared start-up session from TAIGA_AUTH_TOKEN, else from the token cache entry
   * of the configured host. Undefined (and logged why) when neither gives accepted credentials.
   */
  async startup(): Promise<Session | undefined> {
    const { options } = this;
    let auth: TaigaAuth | undefined;
    let cachedToken: string | undefined;
    let source = "TAIGA_AUTH_TOKEN";
    if (options.authToken) {
      auth = { token: options.authToken, tokenType: options.tokenType };
    } else {
      const cached = await this.tokens.get(options.host).catch((error) => {
        options.log.warning(`token cache unreadable: ${describe(error)}`);
        return undefined;
      });
      if (!cached) return undefined;
      auth = { token: cached.token, tokenType: cached.tokenType, refresh: cached.refresh };
      cachedToken = cached.token;
      source = "the token cache";
    }
    try {
      const login = await verifyToken(options.apiUrl, options.policy, auth);
      const session = this.open({ apiUrl: options.apiUrl, ...login, cachedToken });
      this.#startupSources.set(session, source);
      options.log.info(
        `default session ready for ${login.user.username} at ${options.host} (from ${source})`,
      );
      return session;
    } catch (error) {
      const unreachable = error instanceof TaigaError && error.type !== "auth";
      // The reason is quoted inside a sentence: no trailing stop of its own.
      const why = describe(error).trim().replace(/[.\s]+$/, "");
      const reason = unreachable
        ? `check of the credentials from ${source} failed: ${why}`
        : `credentials from ${source} were not accepted: ${why}`;
      this.#startupFailure = { reason, type: unreachable ? error.type : "auth" };
      options.log.warning(`no default session: ${reason}`);
      return undefined;
    }
  }

  /** "TAIGA_AUTH_TOKEN" or "the token cache" for the start-up session, else undefined. */
  startupSource(session: Session): string | undefined {
    return this.#startupSources.get(session);
  }

  /** Starts the start-up session in the background, so the first tool call is fast. */
  warmUp(): void {
    this.resolve(undefined).catch(() => undefined);
  }

  /**
   * The session a call should use: the one named by `sessionId`, else `owner`'s newest, else the
   * start-up session (created on demand, once). Throws a clear "log in first" error.
   */
  async resolve(sessionId: string | undefined, owner?: string): Promise<Session> {
    if (sessionId && Sealer.looksSealed(sessionId)) return await this.#carried.open(sessionId);
    if (sessionId) return this.#store.get(sessionId, owner);
    const existing = this.#store.findDefault(owner);
    if (existing) return existing;
    this.#startup ??= this.startup().finally(() => {
      this.#startup = undefined;
    });
    const created = await this.#startup;
    if (created) return created;
    const why = this.#startupFailure;
    throw new TaigaError(
      why?.type ?? "auth",
      `${
        why ? `Not logged in to Taiga: the start-up ${why.reason}.` : "Not logged in to Taiga."
      } ${this.options.loginHint}`,
    );
  }

  /**
   * A session whose id carries its credentials, sealed with the operator's key: any process
   * holding the key serves it, none stores it (see carried.ts).
   */
  openCarried(fields: Omit<OpenSession, "owner" | "cachedToken">): Promise<Session> {
    return this.#carried.seal(fields);
  }

  /**
   * The session of a credential a request carries (an HTTP header): checked with Taiga once,
   * then reused for a while by this process.
   */
  fromCredential(auth: TaigaAuth, by: "header" | "oauth" = "header"): Promise<Session> {
    return this.#carried.fromCredential(this.options.apiUrl, auth, by);
  }

  /** The session `id` as `owner` may see it, or a clear error. */
  get(id: string, owner?: string): Session {
    return this.#store.get(id, owner);
  }

  /** The newest live session `owner` may use, if any. */
  findDefault(owner?: string): Session | undefined {
    return this.#store.findDefault(owner);
  }

  /** Ends a session; false when it did not exist for `owner`. */
  remove(id: string, owner?: string): boolean {
    return this.#store.remove(id, owner);
  }

  /** Ends every session made by `owner` (its MCP connection closed). */
  removeOwnedBy(owner: string): void {
    this.#store.removeOwnedBy(owner);
  }

  /** Seconds until `session` expires (0 when expired). */
  secondsLeft(session: Session): number {
    return this.#store.secondsLeft(session);
  }

  /** Drops expired sessions; returns how many went. */
  cleanup(): number {
    return this.#store.cleanup();
  }

  /** Number of live sessions. */
  get size(): number {
    return this.#store.size;
  }
}
