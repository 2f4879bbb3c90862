/**
 * The person an MCP request acts for, once its access token was verified: checked here
 * (issuer, audience, expiry — the sealing covers integrity and key), then carried to the tools
 * two ways: as the SDK's `authInfo` (its `extra` holds the person) where the transport passes
 * one, and in an async context around the request for code the SDK calls without a context
 * (completions). Nothing in a request can set either: only a verified token does.
 * @module
 */

import { AsyncLocalStorage } from "node:async_hooks";
import type { TaigaAuth } from "../taiga/client.ts";
import type { Endpoints } from "./issuer.ts";
import type { TokenBox } from "./tokens.ts";

/** A verified access: who, through which client, with which Taiga credential. */
export interface PersonAccess {
  /** The client (its metadata URL, or a hash of its registration). */
  clientId: string;
  /** Granted scopes. */
  scopes: string[];
  /** Expiry of the access token, epoch seconds. */
  expiresAt: number;
  /** The resource the token is for. */
  resource: string;
  /** The Taiga user. */
  user: { id: number; username: string; fullName?: string };
  /** Taiga credential to act with (never a refresh token: tool calls must not refresh). */
  taiga: TaigaAuth;
}

/** The key of the person in `authInfo.extra`. */
const EXTRA_KEY = "taigaPerson";

/** Opens access tokens for one server. */
export class AccessVerifier {
  readonly #endpoints: Endpoints;
  readonly #box: TokenBox;

  /** Tokens of the server at `endpoints`, sealed in `box`. */
  constructor(endpoints: Endpoints, box: TokenBox) {
    this.#endpoints = endpoints;
    this.#box = box;
  }

  /**
   * The access of `token`, or undefined when it is not a valid access token of this server for
   * this resource: altered, expired, sealed with a key not listed, of another kind, or for
   * another issuer or audience.
   */
  async verify(token: string): Promise<PersonAccess | undefined> {
    const claims = await this.#box.open("access", token);
    if (!claims) return undefined;
    if (claims.iss !== this.#endpoints.issuer || claims.aud !== this.#endpoints.resource) {
      return undefined;
    }
    return {
      clientId: claims.c,
      scopes: claims.sc.split(" "),
      expiresAt: claims.x,
      resource: claims.aud,
      user: {
        id: claims.p.i,
        username: claims.p.u,
        ...(claims.p.n ? { fullName: claims.p.n } : {}),
      },
      taiga: { token: claims.tg.a!, tokenType: claims.tg.k === "app" ? "Application" : "Bearer" },
    };
  }
}

/** The SDK's `authInfo` for a verified access (the person in `extra`). */
export function authInfoOf(token: string, access: PersonAccess): {
  token: string;
  clientId: string;
  scopes: string[];
  expiresAt: number;
  resource: URL;
  extra: Record<string, unknown>;
} {
  return {
    token,
    clientId: access.clientId,
    scopes: access.scopes,
    expiresAt: access.expiresAt,
    resource: new URL(access.resource),
    extra: { [EXTRA_KEY]: access },
  };
}

/** The person in an `authInfo` built by {@link authInfoOf}, if any. */
export function personOfAuthInfo(
  authInfo: { extra?: Record<string, unknown> } | undefined,
): PersonAccess | undefined {
  const person = authInfo?.extra?.[EXTRA_KEY] as PersonAccess | undefined;
  return person && typeof person.taiga?.token === "string" ? person : undefined;
}

const current = new AsyncLocalStorage<PersonAccess>();

/** Runs `work` (an MCP request's handling) as `access`'s person. */
export function runAsPerson<T>(access: PersonAccess, work: () => T): T {
  return current.run(access, work);
}

/** The person the current request acts for, if it was verified. */
export function currentPerson(): PersonAccess | undefined {
  return current.getStore();
}
