/**
 * JWT-shaped tokens like taiga-back's (HS256; claims `token_type`, `exp`, `jti`, `user_id`),
 * signed with a key made per sandbox, so tokens of one sandbox never work on another.
 *
 * @module
 */

import type { SandboxState } from "./state.ts";

/** Claims of a sandbox token. */
export interface TokenClaims {
  token_type: "access" | "refresh";
  exp: number;
  iat: number;
  jti: string;
  user_id: number;
}

/** Default lifetimes of taiga-back `settings/common.py`. */
export const ACCESS_TTL_SECONDS = 24 * 3600;
/** Refresh token lifetime (8 days). */
export const REFRESH_TTL_SECONDS = 8 * 24 * 3600;

const encoder = new TextEncoder();

function b64url(bytes: Uint8Array): string {
  let bin = "";
  for (const b of bytes) bin += String.fromCharCode(b);
  return btoa(bin).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
}

function fromB64url(text: string): Uint8Array<ArrayBuffer> {
  const b64 = text.replace(/-/g, "+").replace(/_/g, "/") + "===".slice((text.length + 3) % 4);
  const bin = atob(b64);
  return Uint8Array.from(bin, (c) => c.charCodeAt(0));
}

/** Random hex id (uuid4 hex, as taiga-back's `jti`). */
export function randomHex(bytes = 16): string {
  const buf = crypto.getRandomValues(new Uint8Array(bytes));
  return [...buf].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** Signs and verifies tokens with one HMAC key. */
export class TokenSigner {
  private constructor(private readonly key: CryptoKey) {}

  /** A signer with a fresh random key. */
  static async create(): Promise<TokenSigner> {
    const key = await crypto.subtle.generateKey({ name: "HMAC", hash: "SHA-256" }, false, [
      "sign",
      "verify",
    ]);
    return new TokenSigner(key as CryptoKey);
  }

  /** Encodes and signs `claims`. */
  async sign(claims: TokenClaims): Promise<string> {
    const header = b64url(encoder.encode(JSON.stringify({ alg: "HS256", typ: "JWT" })));
    const payload = b64url(encoder.encode(JSON.stringify(claims)));
    const input = `${header}.${payload}`;
    const sig = await crypto.subtle.sign("HMAC", this.key, encoder.encode(input));
    return `${input}.${b64url(new Uint8Array(sig))}`;
  }

  /** The claims of a well-formed token with a valid signature, else null (expiry not checked). */
  async verify(token: string): Promise<TokenClaims | null> {
    const parts = token.split(".");
    if (parts.length !== 3) return null;
    try {
      const ok = await crypto.subtle.verify(
        "HMAC",
        this.key,
        fromB64url(parts[2]),
        encoder.encode(`${parts[0]}.${parts[1]}`),
      );
      if (!ok) return null;
      const claims = JSON.parse(new TextDecoder().decode(fromB64url(parts[1])));
      if (typeof claims?.user_id !== "number" || typeof claims?.exp !== "number") return null;
      return claims as TokenClaims;
    } catch {
      return null;
    }
  }
}

/** Issues access and refresh tokens and enforces expiry, rotation and revocation. */
export class TokenService {
  private readonly signerReady: Promise<TokenSigner>;

  /** Uses a fresh signing key, the store's clock and sets, and the given access lifetime. */
  constructor(
    private readonly state: SandboxState,
    private readonly accessTtlSeconds = ACCESS_TTL_SECONDS,
  ) {
    this.signerReady = TokenSigner.create();
  }

  private get signer(): Promise<TokenSigner> {
    return this.signerReady;
  }

  /** A new access + refresh pair for a user. */
  async issuePair(userId: number): Promise<{ auth_token: string; refresh: string }> {
    const now = Math.floor(this.state.clock() / 1000);
    const accessJti = randomHex();
    this.state.liveAccessJtis.add(accessJti);
    const signer = await this.signer;
    const auth_token = await signer.sign({
      token_type: "access",
      exp: now + this.accessTtlSeconds,
      iat: now,
      jti: accessJti,
      user_id: userId,
    });
    const refresh = await signer.sign({
      token_type: "refresh",
      exp: now + REFRESH_TTL_SECONDS,
      iat: now,
      jti: randomHex(),
      user_id: userId,
    });
    return { auth_token, refresh };
  }

  /** The user id of a valid, unexpired, unrevoked access token, else null. */
  async checkAccess(token: string): Promise<number | null> {
    const claims = await (await this.signer).verify(token);
    if (!claims || claims.token_type !== "access") return null;
    if (claims.exp <= this.state.clock() / 1000) return null;
    if (!this.state.liveAccessJtis.has(claims.jti)) return null;
    return claims.user_id;
  }

  /** Rotates a refresh token: denylists it and returns a new pair, or null if invalid. */
  async rotate(refresh: string): Promise<{ auth_token: string; refresh: string } | null> {
    const claims = await (await this.signer).verify(refresh);
    if (!claims || claims.token_type !== "refresh") return null;
    if (claims.exp <= this.state.clock() / 1000) return null;
    if (this.state.deniedRefreshJtis.has(claims.jti)) return null;
    if (!this.state.users.get(claims.user_id)?.is_active) return null;
    this.state.deniedRefreshJtis.add(claims.jti);
    return await this.issuePair(claims.user_id);
  }

  /** Invalidates every access token issued so far; refresh tokens stay valid. */
  expireAccessTokens(): void {
    this.state.liveAccessJtis.clear();
  }
}
