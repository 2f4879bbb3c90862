/**
 * The token endpoint's two grants and revocation. A code or refresh token is redeemed at Taiga
 * each time — Taiga rotates and denylists what it was given, so a second use fails on every
 * replica — and each success mints a short access token (Taiga's access credential only) and a
 * new refresh token (Taiga's refresh token, or the application token): rotation every time.
 * @module
 */

import { OAuthError } from "./errors.ts";
import { canonicalResource, type Endpoints } from "./issuer.ts";
import { verifierMatches } from "./pkce.ts";
import { jwtExpiry, TaigaRefused, type TaigaUpstream } from "./upstream.ts";
import {
  clientRef,
  type CodeClaims,
  type Person,
  type RefreshClaims,
  type TaigaApp,
  type TokenBox,
  TTL,
} from "./tokens.ts";

/** A successful token response (RFC 6749 §5.1). */
export interface TokenResponse {
  /** The access token. */
  access_token: string;
  /** Always Bearer. */
  token_type: "Bearer";
  /** Seconds the access token lives. */
  expires_in: number;
  /** The new refresh token (always issued, always rotated). */
  refresh_token: string;
  /** The granted scope. */
  scope: string;
}

/** What a new pair of tokens is made of. */
interface Minted {
  person: Person;
  client: string;
  scope: string;
  authTime: number;
  taiga: { k: "jwt"; access: string; refresh: string } | TaigaApp;
}

/** Codes redeemed on this replica, kept until they expire (Taiga refuses them everywhere). */
const SEEN_MAX = 10_000;

function required(form: URLSearchParams, name: string): string {
  const values = form.getAll(name);
  if (values.length !== 1 || values[0] === "") {
    throw new OAuthError("invalid_request", `${name} is required, once`);
  }
  return values[0];
}

function invalidGrant(why: string): OAuthError {
  return new OAuthError("invalid_grant", why);
}

/** Issues and revokes tokens. */
export class TokenIssuer {
  readonly #endpoints: Endpoints;
  readonly #box: TokenBox;
  readonly #taiga: TaigaUpstream;
  readonly #accessTtl: number;
  readonly #now: () => number;
  readonly #seen = new Map<string, number>();

  /** For `endpoints`, sealing with `box`, redeeming at `taiga`; access tokens live `accessTtl` s. */
  constructor(
    endpoints: Endpoints,
    box: TokenBox,
    taiga: TaigaUpstream,
    accessTtl: number,
    now: () => number = Date.now,
  ) {
    this.#endpoints = endpoints;
    this.#box = box;
    this.#taiga = taiga;
    this.#accessTtl = accessTtl;
    this.#now = now;
  }

  #seconds(): number {
    return Math.floor(this.#now() / 1000);
  }

  /** Answers a token request (form fields; `client_id` from the body or a Basic header). */
  async exchange(form: URLSearchParams): Promise<TokenResponse> {
    const grant = form.get("grant_type");
    if (grant === "authorization_code") return await this.#redeemCode(form);
    if (grant === "refresh_token") return await this.#refresh(form);
    throw new OAuthError(
      "unsupported_grant_type",
      "grant_type must be authorization_code or refresh_token",
    );
  }

  #checkResource(form: URLSearchParams, bound: string): void {
    const resources = form.getAll("resource");
    if (resources.some((value) => canonicalResource(value) !== bound) || resources.length > 1) {
      throw new OAuthError("invalid_target", `the token can only be for ${bound}`);
    }
  }

  async #redeemCode(form: URLSearchParams): Promise<TokenResponse> {
    const code = await this.#box.open("code", required(form, "code"));
    const clientId = required(form, "client_id");
    const verifier = form.get("code_verifier");
    if (!code || code.iss !== this.#endpoints.issuer || code.c !== clientId) {
      throw invalidGrant("the code is invalid, expired, or was issued to another client");
    }
    const redirect = form.get("redirect_uri");
    if (redirect !== null && redirect !== code.r) {
      throw invalidGrant("redirect_uri differs from the authorization request's");
    }
    if (!verifier || !(await verifierMatches(verifier, code.cc))) {
      throw invalidGrant("code_verifier is missing or does not match the code_challenge");
    }
    this.#checkResource(form, code.res);
    this.#remember(code);
    const taiga = await this.#upstream(() => this.#redeemAtTaiga(code)).catch((error) => {
      // Taiga was not reached: the code is still good, so the client may try again.
      if (error instanceof OAuthError && error.code === "temporarily_unavailable") {
        this.#seen.delete(code.j);
      }
      throw error;
    });
    return await this.#mint({
      person: taiga.person,
      client: await clientRef(clientId),
      scope: code.sc,
      authTime: code.t,
      taiga: taiga.credential,
    });
  }

  /** A code is redeemed once per replica here; Taiga makes it once everywhere. */
  #remember(code: CodeClaims): void {
    const now = this.#now();
    for (const [id, until] of this.#seen) if (until <= now) this.#seen.delete(id);
    if (this.#seen.has(code.j)) throw invalidGrant("the code was used already");
    this.#seen.set(code.j, now + TTL.code * 1000);
    while (this.#seen.size > SEEN_MAX) this.#seen.delete(this.#seen.keys().next().value!);
  }

  async #redeemAtTaiga(code: CodeClaims): Promise<{ person: Person; credential: Minted["taiga"] }> {
    if (code.tg.k === "appcode") {
      const token = await this.#taiga.redeemAppCode(code.tg.c, code.tg.s);
      const person = await this.#taiga.whoIs({ token, tokenType: "Application" });
      return { person, credential: { k: "app", a: token } };
    }
    if (!code.tg.r || !code.p) throw invalidGrant("the code carries no sign-in");
    const pair = await this.#taiga.refresh(code.tg.r);
    return { person: code.p, credential: { k: "jwt", ...pair } };
  }

  async #refresh(form: URLSearchParams): Promise<TokenResponse> {
    const claims = await this.#box.open("refresh", required(form, "refresh_token"));
    const client = await clientRef(required(form, "client_id"));
    if (!claims || claims.iss !== this.#endpoints.issuer || claims.c !== client) {
      throw invalidGrant("the refresh token is invalid, expired, or was issued to another client");
    }
    this.#checkResource(form, claims.aud);
    const renewed = await this.#upstream(() => this.#renewAtTaiga(claims));
    return await this.#mint({
      person: renewed.person,
      client,
      scope: claims.sc,
      authTime: claims.t,
      taiga: renewed.credential,
    });
  }

  async #renewAtTaiga(
    claims: RefreshClaims,
  ): Promise<{ person: Person; credential: Minted["taiga"] }> {
    if (claims.tg.k === "app") {
      // The application token never changes; asking who it is notices a revoked one.
      const person = await this.#taiga.whoIs({ token: claims.tg.a, tokenType: "Application" });
      return { person, credential: claims.tg };
    }
    if (!claims.tg.r) throw invalidGrant("the refresh token carries no Taiga refresh token");
    const pair = await this.#taiga.refresh(claims.tg.r);
    return { person: claims.p, credential: { k: "jwt", ...pair } };
  }

  /** Runs a Taiga call: a refusal is `invalid_grant`, an outage `temporarily_unavailable`. */
  async #upstream<T>(call: () => Promise<T>): Promise<T> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof OAuthError) throw error;
      if (error instanceof TaigaRefused) throw invalidGrant(`${error.message} Sign in again.`);
      throw new OAuthError(
        "temporarily_unavailable",
        "Taiga could not be reached; try again shortly",
        503,
      );
    }
  }

  async #mint(fields: Minted): Promise<TokenResponse> {
    const now = this.#seconds();
    const endpoints = this.#endpoints;
    const jwt = fields.taiga.k === "jwt" ? fields.taiga : undefined;
    // An access token never outlives Taiga's access token inside it (a minute's margin).
    const taigaAccessEnd = jwt ? (jwtExpiry(jwt.access) ?? Infinity) - 60 : Infinity;
    const accessEnd = Math.min(now + this.#accessTtl, Math.max(now + 30, taigaAccessEnd));
    const refreshEnd = jwt
      ? Math.min(jwtExpiry(jwt.refresh) ?? now + TTL.refreshJwt, fields.authTime + TTL.refreshJwt)
      : Math.min(now + TTL.refreshApp, fields.authTime + TTL.refreshAppAbsolute);
    if (refreshEnd <= now) throw invalidGrant("the sign-in is too old; sign in again");
    const common = { iss: endpoints.issuer, aud: endpoints.resource, c: fields.client };
    const access = await this.#box.seal("access", {
      ...common,
      sc: fields.scope,
      p: fields.person,
      tg: jwt ? { k: "jwt", a: jwt.access } : fields.taiga,
      x: accessEnd,
    }, accessEnd - now);
    const refresh = await this.#box.seal("refresh", {
      ...common,
      sc: fields.scope,
      p: fields.person,
      tg: jwt ? { k: "jwt", r: jwt.refresh } : fields.taiga,
      t: fields.authTime,
    }, refreshEnd - now);
    return {
      access_token: access,
      token_type: "Bearer",
      expires_in: accessEnd - now,
      refresh_token: refresh,
      scope: fields.scope,
    };
  }

  /**
   * Revocation (RFC 7009), always answered 200. A refresh token of a password sign-in is spent
   * at Taiga (its refresh token rotated and the result dropped), which ends its chain: this and
   * every older refresh token stop working. Access tokens cannot be recalled without state:
   * they simply expire (MCP_OAUTH_ACCESS_TTL). An application token is left alone — deleting it
   * in Taiga would sign the person out of every client.
   */
  async revoke(form: URLSearchParams): Promise<void> {
    const token = required(form, "token");
    const claims = await this.#box.open("refresh", token);
    if (!claims || claims.iss !== this.#endpoints.issuer) return;
    const clientId = form.get("client_id");
    if (clientId !== null && (await clientRef(clientId)) !== claims.c) return;
    if (claims.tg.k === "jwt" && claims.tg.r) {
      await this.#taiga.refresh(claims.tg.r).catch(() => undefined);
    }
  }
}
