/**
 * Sessions whose credentials come with every request instead of living in the server: a sealed
 * session id (issued by `login` over stateless HTTP, opened by any replica holding the key) or a
 * Taiga token in a request header. A process keeps a bounded number of them briefly, so a busy
 * client costs one unsealing (or one `/users/me`) per few minutes, not per call.
 * @module
 */

import { type TaigaAuth, TaigaClient, type TokenType } from "../taiga/client.ts";
import type { RequestPolicy } from "../taiga/policy.ts";
import { TaigaError } from "../taiga/errors.ts";
import { parseApiUrl } from "../taiga/url.ts";
import { verifyToken } from "./auth.ts";
import type { Sealer } from "./sealed.ts";
import type { CarriedBy, Session, SessionUser } from "./store.ts";

/** What a sealed session id carries (short keys: the id travels with every call). */
interface CarriedLogin {
  a: string;
  t: string;
  k: TokenType;
  u: SessionUser;
  /** Expiry, epoch ms. */
  x: number;
}

/** What carried sessions need from their manager. */
export interface CarriedOptions {
  /** Seals and opens session ids. */
  sealer: Sealer;
  /** Limits shared by every Taiga client. */
  policy: RequestPolicy;
  /** Seconds a sealed session id stays valid. */
  expirySeconds: number;
  /** How to log in, for the error of an id that does not open. */
  loginHint: string;
  /** Clock, injectable for tests. */
  now?: () => number;
}

/** Sessions a process keeps at once. */
const KEPT = 500;
/** How long a process reuses one before opening (or checking) it again. */
const REUSE_MS = 5 * 60_000;

async function digest(text: string): Promise<string> {
  const bytes = new Uint8Array(
    await crypto.subtle.digest("SHA-256", new TextEncoder().encode(text)),
  );
  return Array.from(bytes.slice(0, 16), (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/** The carried sessions of one process. */
export class CarriedSessions {
  readonly #options: CarriedOptions;
  readonly #ended: (session: Session) => void;
  /** Most recent last; each kept until `until` (epoch ms). */
  readonly #kept = new Map<string, { session: Session; until: number }>();

  /** `ended` hears of every session let go (so per-session caches go with it). */
  constructor(options: CarriedOptions, ended: (session: Session) => void) {
    this.#options = options;
    this.#ended = ended;
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  /**
   * Seals a login into a session id. Taiga's refresh token stays out: using it would spend it
   * for every copy of the id, so the session lasts as long as its access token.
   */
  async seal(fields: { apiUrl: string; auth: TaigaAuth; user: SessionUser }): Promise<Session> {
    const auth: TaigaAuth = { token: fields.auth.token, tokenType: fields.auth.tokenType };
    const expiresAt = this.#now() + this.#options.expirySeconds * 1000;
    const id = await this.#options.sealer.seal<CarriedLogin>(
      "session",
      { a: fields.apiUrl, t: auth.token, k: auth.tokenType, u: fields.user, x: expiresAt },
      this.#options.expirySeconds,
    );
    return this.#keep(id, "sealed", fields.apiUrl, auth, fields.user, expiresAt);
  }

  /** The session of a sealed id, or a clear error when it does not open here. */
  async open(id: string): Promise<Session> {
    const known = this.#fresh(id);
    if (known) return known;
    const login = await this.#options.sealer.open<CarriedLogin>("session", id);
    if (!login) {
      throw new TaigaError(
        "auth",
        `This session_id is not valid here: it expired, or it was issued by a server with another key (MCP_OAUTH_KEY). ${this.#options.loginHint}`,
      );
    }
    const auth: TaigaAuth = { token: login.t, tokenType: login.k };
    return this.#keep(id, "sealed", login.a, auth, login.u, login.x);
  }

  /**
   * The session of a token a request carries (`by`: its X-Taiga-Token header, or the OAuth
   * access token of a signed-in person), checked with Taiga when not seen lately.
   */
  async fromCredential(
    apiUrl: string,
    auth: TaigaAuth,
    by: "header" | "oauth" = "header",
  ): Promise<Session> {
    const key = `${by}:${await digest(`${apiUrl} ${auth.tokenType} ${auth.token}`)}`;
    const known = this.#fresh(key);
    if (known) return known;
    const login = await verifyToken(apiUrl, this.#options.policy, {
      token: auth.token,
      tokenType: auth.tokenType,
    });
    // Taiga decides how long the token lives; this process checks it again now and then.
    return this.#keep(key, by, apiUrl, login.auth, login.user, this.#now() + REUSE_MS);
  }

  #fresh(id: string): Session | undefined {
    const known = this.#kept.get(id);
    return known && known.until > this.#now() ? known.session : undefined;
  }

  #keep(
    id: string,
    carried: CarriedBy,
    apiUrl: string,
    auth: TaigaAuth,
    user: SessionUser,
    expiresAt: number,
  ): Session {
    const createdAt = this.#now();
    const session: Session = {
      id,
      host: parseApiUrl(apiUrl).host,
      apiUrl,
      client: new TaigaClient(apiUrl, this.#options.policy, auth),
      user,
      tokenType: auth.tokenType,
      createdAt,
      expiresAt,
      carried,
    };
    this.#kept.delete(id);
    this.#kept.set(id, { session, until: Math.min(expiresAt, createdAt + REUSE_MS) });
    while (this.#kept.size > KEPT) {
      const [oldest, gone] = this.#kept.entries().next().value!;
      this.#kept.delete(oldest);
      this.#ended(gone.session);
    }
    return session;
  }
}
