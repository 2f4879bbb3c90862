/**
 * The authorization endpoint's rules (OAuth 2.1 §4.1 with PKCE S256, RFC 8707, RFC 9207): an
 * unknown client or an unregistered redirect URI gets an error page and never a redirect (that
 * would make us an open redirector); every other problem goes back to the client as an error
 * redirect; a good request becomes a sealed pending request that the sign-in form carries.
 * Every redirect to the client carries `iss`.
 * @module
 */

import type { ClientInfo } from "./cimd.ts";
import type { ClientRegistry } from "./clients.ts";
import { OAuthError, type OAuthErrorCode } from "./errors.ts";
import { canonicalResource, type Endpoints, SCOPE } from "./issuer.ts";
import { isS256Challenge } from "./pkce.ts";
import { redirectMatches } from "./redirects.ts";
import {
  type AuthRequest,
  type CodeClaims,
  type Person,
  randomToken,
  type TaigaAppCode,
  type TaigaJwt,
  type TokenBox,
  TTL,
} from "./tokens.ts";

/** What to do with an authorization request. */
export type AuthorizeOutcome =
  | { kind: "error-page"; message: string }
  | { kind: "redirect"; location: string }
  | { kind: "sign-in"; client: ClientInfo; request: AuthRequest; requestToken: string };

/** Longest `state` echoed back. */
const MAX_STATE = 2048;
const SINGLE = ["client_id", "redirect_uri", "response_type", "code_challenge", "state", "scope"];

/** Applies the endpoint's rules and issues codes. */
export class Authorizer {
  readonly #endpoints: Endpoints;
  readonly #clients: ClientRegistry;
  readonly #box: TokenBox;
  readonly #now: () => number;

  /** For the server at `endpoints`. */
  constructor(
    endpoints: Endpoints,
    clients: ClientRegistry,
    box: TokenBox,
    now: () => number = Date.now,
  ) {
    this.#endpoints = endpoints;
    this.#clients = clients;
    this.#box = box;
    this.#now = now;
  }

  /** Checks an authorization request (the query of `GET /authorize`). */
  async start(params: URLSearchParams): Promise<AuthorizeOutcome> {
    const clientId = params.get("client_id");
    if (!clientId || params.getAll("client_id").length > 1) {
      return { kind: "error-page", message: "The request names no client (client_id)." };
    }
    let client: ClientInfo;
    try {
      client = await this.#clients.resolve(clientId);
    } catch (error) {
      const why = error instanceof OAuthError ? error.message : "it could not be checked";
      return { kind: "error-page", message: `The application is not known here: ${why}.` };
    }
    const given = params.get("redirect_uri") ?? undefined;
    const redirect = given ?? (client.redirectUris.length === 1 ? client.redirectUris[0] : "");
    if (!redirect || !redirectMatches(client.redirectUris, redirect)) {
      return {
        kind: "error-page",
        message: given
          ? "The application asked to send you to an address it has not registered, so this sign-in stops here."
          : "The application did not say where to send you back (redirect_uri).",
      };
    }
    const state = params.get("state") ?? undefined;
    const fail = (code: OAuthErrorCode, why: string): AuthorizeOutcome => ({
      kind: "redirect",
      location: this.errorRedirect({ r: redirect, s: state }, code, why),
    });
    if (SINGLE.some((name) => params.getAll(name).length > 1)) {
      return fail("invalid_request", "a parameter was sent more than once");
    }
    if (state !== undefined && state.length > MAX_STATE) {
      return fail("invalid_request", `state is longer than ${MAX_STATE} characters`);
    }
    if (params.get("response_type") !== "code") {
      return fail("unsupported_response_type", "only response_type=code is supported");
    }
    const challenge = params.get("code_challenge") ?? "";
    if (params.get("code_challenge_method") !== "S256" || !isS256Challenge(challenge)) {
      return fail("invalid_request", "PKCE is required: code_challenge with method S256");
    }
    const resources = params.getAll("resource");
    if (
      resources.length > 1 ||
      resources.some((value) => canonicalResource(value) !== this.#endpoints.resource)
    ) {
      return fail("invalid_target", `the only resource here is ${this.#endpoints.resource}`);
    }
    // One scope exists; whatever else a client asks for is not granted (the token says so).
    const request: AuthRequest = {
      c: clientId,
      r: redirect,
      ...(state !== undefined ? { s: state } : {}),
      cc: challenge,
      res: this.#endpoints.resource,
      sc: SCOPE,
    };
    const requestToken = await this.#box.seal("request", request, TTL.request);
    return { kind: "sign-in", client, request, requestToken };
  }

  /** The pending request a sign-in form carries, if it is ours and still valid. */
  openRequest(token: string): Promise<AuthRequest | undefined> {
    return this.#box.open("request", token);
  }

  /** The client of a pending request (its name and hosts for the page). */
  client(request: AuthRequest): Promise<ClientInfo> {
    return this.#clients.resolve(request.c);
  }

  /** The redirect that answers `request` with an error (state and iss included). */
  errorRedirect(
    request: Pick<AuthRequest, "r" | "s">,
    code: OAuthErrorCode,
    description: string,
  ): string {
    return this.#redirect(request, { error: code, error_description: description });
  }

  /**
   * Issues the code of a completed sign-in and the redirect carrying it. The code holds what to
   * redeem at Taiga — its refresh token, or its application auth_code — so Taiga's single-use
   * rules make a replayed code fail on every replica.
   */
  async codeRedirect(
    request: AuthRequest,
    taiga: TaigaJwt | TaigaAppCode,
    person?: Person,
  ): Promise<string> {
    const claims: CodeClaims = {
      ...request,
      iss: this.#endpoints.issuer,
      ...(person ? { p: person } : {}),
      tg: taiga,
      j: randomToken(12),
      t: Math.floor(this.#now() / 1000),
    };
    const code = await this.#box.seal("code", claims, TTL.code);
    return this.#redirect(request, { code });
  }

  #redirect(request: Pick<AuthRequest, "r" | "s">, fields: Record<string, string>): string {
    const url = new URL(request.r);
    for (const [name, value] of Object.entries(fields)) url.searchParams.set(name, value);
    if (request.s !== undefined) url.searchParams.set("state", request.s);
    url.searchParams.set("iss", this.#endpoints.issuer);
    return url.href;
  }
}
