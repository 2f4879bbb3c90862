/**
 * What the authorization server asks Taiga: a password sign-in (the password is sent once and
 * kept nowhere), a refresh (Taiga rotates and denylists the refresh token it was given — which
 * is what makes codes and refresh tokens single-use without state here), the redemption of an
 * application sign-in's auth_code (Taiga clears it: single use again), and who a token is.
 * @module
 */

import { loginWithPassword, verifyToken } from "../sessions/auth.ts";
import type { TaigaAuth } from "../taiga/client.ts";
import { TaigaClient } from "../taiga/client.ts";
import { TaigaError } from "../taiga/errors.ts";
import type { RequestPolicy } from "../taiga/policy.ts";
import type { Person } from "./tokens.ts";

/** Taiga said no (wrong password, a spent or expired token, an unknown auth_code). */
export class TaigaRefused extends Error {
  /** Why, in words fit for a person (never a credential). */
  constructor(message: string) {
    super(message);
    this.name = "TaigaRefused";
  }
}

/** A refusal when Taiga answered 400, 401, 403 or 404; anything else is rethrown (unavailable). */
function refusedOr(error: unknown, why: string): never {
  if (error instanceof TaigaError && [400, 401, 403, 404].includes(error.status ?? 0)) {
    throw new TaigaRefused(why);
  }
  throw error;
}

/** The `exp` of a JWT (epoch seconds), read without checking it (Taiga does that); else undefined. */
export function jwtExpiry(token: string): number | undefined {
  const payload = token.split(".")[1];
  if (!payload) return undefined;
  try {
    const json = atob(payload.replaceAll("-", "+").replaceAll("_", "/"));
    const exp = JSON.parse(json).exp;
    return typeof exp === "number" ? exp : undefined;
  } catch {
    return undefined;
  }
}

function personOf(user: { id: number; username: string; fullName?: string }): Person {
  return { i: user.id, u: user.username, ...(user.fullName ? { n: user.fullName } : {}) };
}

/** Taiga's answers the authorization server needs. */
export class TaigaUpstream {
  readonly #apiUrl: string;
  readonly #policy: RequestPolicy;
  readonly #appId?: string;
  readonly #onNoRotation: () => void;
  #rotationMissing = false;

  /**
   * For the Taiga at `apiUrl`, sharing `policy`; `appId` for the application sign-in;
   * `onNoRotation` hears (once) that Taiga refreshed without rotating its refresh token.
   */
  constructor(
    apiUrl: string,
    policy: RequestPolicy,
    appId?: string,
    onNoRotation: () => void = () => {},
  ) {
    this.#apiUrl = apiUrl;
    this.#policy = policy;
    this.#appId = appId;
    this.#onNoRotation = onNoRotation;
  }

  /** Signs in by password; the person and Taiga's refresh token (the access token is dropped). */
  async signIn(username: string, password: string): Promise<{ person: Person; refresh: string }> {
    let login;
    try {
      login = await loginWithPassword(this.#apiUrl, this.#policy, username, password);
    } catch (error) {
      if (error instanceof TaigaError && error.type === "auth") {
        throw new TaigaRefused("Wrong username or password, or the account is not active.");
      }
      throw error;
    }
    if (!login.auth.refresh) {
      // Without a refresh token nothing could renew the access, nor make the code single-use.
      throw new TaigaError("server", "Taiga signed in without a refresh token (Taiga 6+ needed)");
    }
    return { person: personOf(login.user), refresh: login.auth.refresh };
  }

  /** Spends `refresh` at Taiga for a new access and refresh token. */
  async refresh(refresh: string): Promise<{ access: string; refresh: string }> {
    let data: Record<string, unknown>;
    try {
      ({ data } = await new TaigaClient(this.#apiUrl, this.#policy).request<
        Record<string, unknown>
      >("POST", "auth/refresh", { body: { refresh }, auth: false }));
    } catch (error) {
      refusedOr(error, "Taiga refused the refresh token: spent, expired or revoked.");
    }
    const access = data?.auth_token;
    if (typeof access !== "string" || /[\s\p{Cc}]/u.test(access)) {
      throw new TaigaError("server", "Taiga's refresh answer held no auth_token");
    }
    const next = data.refresh;
    if (typeof next === "string" && next !== "") return { access, refresh: next };
    // A Taiga that does not rotate keeps the old refresh token valid: codes and refresh tokens
    // are then single-use per replica only. The operator should know.
    if (!this.#rotationMissing) this.#onNoRotation();
    this.#rotationMissing = true;
    return { access, refresh };
  }

  /** Redeems an application sign-in's auth_code (with the state we sent) for its token. */
  async redeemAppCode(authCode: string, state: string): Promise<string> {
    let data: Record<string, unknown>;
    try {
      ({ data } = await new TaigaClient(this.#apiUrl, this.#policy).request<
        Record<string, unknown>
      >("POST", "application-tokens/validate", {
        body: { application: this.#appId, auth_code: authCode, state },
        auth: false,
      }));
    } catch (error) {
      refusedOr(error, "Taiga refused the application sign-in: used already, or expired.");
    }
    const token = data?.token;
    if (typeof token !== "string" || token === "" || /[\s\p{Cc}]/u.test(token)) {
      throw new TaigaError("server", "Taiga's application-token answer held no token");
    }
    return token;
  }

  /** Who `auth` belongs to (`/users/me`): also how a revoked or deactivated account shows. */
  async whoIs(auth: TaigaAuth): Promise<Person> {
    try {
      return personOf((await verifyToken(this.#apiUrl, this.#policy, auth)).user);
    } catch (error) {
      if (error instanceof TaigaError && error.type === "auth") {
        throw new TaigaRefused("Taiga no longer accepts this sign-in (revoked or deactivated).");
      }
      throw error;
    }
  }
}
