/**
 * Everything the authorization server hands out is a sealed token (sessions/sealed.ts: AES-GCM
 * with the operator's key, a purpose per kind, an expiry, key rotation) — no server state, so
 * any replica opens what another issued. This file names the kinds, what each carries (short
 * keys: tokens travel in URLs and headers) and how long each lives.
 * @module
 */

import type { Sealer } from "../sessions/sealed.ts";

/** Who signed in: Taiga user id, username, display name. */
export interface Person {
  /** Taiga user id. */
  i: number;
  /** Username. */
  u: string;
  /** Display name. */
  n?: string;
}

/** What a client asked for at the authorization endpoint (the sign-in form's `req` field). */
export interface AuthRequest {
  /** client_id. */
  c: string;
  /** redirect_uri, exactly as sent. */
  r: string;
  /** state, echoed back unchanged. */
  s?: string;
  /** PKCE S256 code_challenge. */
  cc: string;
  /** The resource (canonical). */
  res: string;
  /** Granted scope. */
  sc: string;
}

/** Taiga credentials by kind: login JWTs (access and/or refresh) or an application token. */
export type TaigaJwt = { k: "jwt"; a?: string; r?: string };
/** A Taiga application token (never expires in Taiga). */
export type TaigaApp = { k: "app"; a: string };
/** A Taiga application sign-in not yet redeemed: its auth_code and the state we sent. */
export type TaigaAppCode = { k: "appcode"; c: string; s: string };

/** An authorization code: the request, who signed in, what to redeem at Taiga. */
export interface CodeClaims extends AuthRequest {
  /** Issuer. */
  iss: string;
  /** The person (password sign-in; the application flow learns it at the exchange). */
  p?: Person;
  /** Taiga's refresh token (spent at the exchange) or its application auth_code. */
  tg: TaigaJwt | TaigaAppCode;
  /** Random id (the per-replica replay set). */
  j: string;
  /** When the person signed in, epoch seconds. */
  t: number;
}

/** What access and refresh tokens both carry: issuer, audience, client, scope, person. */
interface GrantClaims {
  /** Issuer. */
  iss: string;
  /** Audience: the resource. */
  aud: string;
  /** Client reference (see {@link clientRef}). */
  c: string;
  /** Scope. */
  sc: string;
  /** The person. */
  p: Person;
}

/** An access token: audience, client, person and Taiga access credential — never a refresh token. */
export interface AccessClaims extends GrantClaims {
  /** Taiga access JWT or application token. */
  tg: TaigaJwt | TaigaApp;
  /** Expiry, epoch seconds. */
  x: number;
}

/** A refresh token: like the access token, with Taiga's refresh token (or application token). */
export interface RefreshClaims extends GrantClaims {
  /** Taiga refresh JWT, or the application token. */
  tg: TaigaJwt | TaigaApp;
  /** When the person signed in, epoch seconds (caps the application flow's chain). */
  t: number;
}

/** A client registered dynamically (RFC 7591): its client_id is this, sealed. */
export interface ClientClaims {
  /** client_name (self-declared). */
  n?: string;
  /** redirect_uris. */
  r: string[];
  /** client_uri. */
  u?: string;
  /** Issued at, epoch seconds. */
  ia: number;
}

/** The CSRF token of a sign-in form: the browser's nonce (also in a cookie), bound to `req`. */
export interface CsrfClaims {
  /** Nonce, equal to the cookie's. */
  n: string;
  /** Hash of the form's `req` token. */
  h: string;
}

/** The cookie of a Taiga application sign-in under way: the request and the state sent to Taiga. */
export interface PendingClaims {
  /** The client's request. */
  q: AuthRequest;
  /** The random state given to Taiga, which Taiga checks again at the exchange. */
  ts: string;
}

interface Kinds {
  client: ClientClaims;
  request: AuthRequest;
  csrf: CsrfClaims;
  pending: PendingClaims;
  code: CodeClaims;
  access: AccessClaims;
  refresh: RefreshClaims;
}

/** A kind of token. */
export type TokenKind = keyof Kinds;

/** Lifetimes, seconds. */
export const TTL = {
  /** A sign-in form (and its CSRF token, and the pending cookie). */
  request: 600,
  /** An authorization code: redeemed at once by a client. */
  code: 60,
  /** A registered client: as long as the key that sealed it is listed. */
  client: 10 * 365 * 86400,
  /** Refresh token of a password sign-in, at most (Taiga's own refresh token may end sooner). */
  refreshJwt: 30 * 86400,
  /** Refresh token of the application flow: sliding... */
  refreshApp: 30 * 86400,
  /** ...and never past this after the sign-in. */
  refreshAppAbsolute: 90 * 86400,
} as const;

/** Longest token opened (a sealed token of ours is well under this). */
const MAX_TOKEN_CHARS = 8192;

/** Seals and opens the authorization server's tokens, each kind under its own purpose. */
export class TokenBox {
  readonly #sealer: Sealer;

  /** Tokens sealed with `sealer`'s keys. */
  constructor(sealer: Sealer) {
    this.#sealer = sealer;
  }

  /** Seals `claims` as a `kind` token valid `ttlSeconds`. */
  seal<K extends TokenKind>(kind: K, claims: Kinds[K], ttlSeconds: number): Promise<string> {
    return this.#sealer.seal(`oauth-${kind}`, claims, Math.max(1, Math.floor(ttlSeconds)));
  }

  /** The claims of a `kind` token of ours, unaltered and unexpired; else undefined. */
  open<K extends TokenKind>(kind: K, token: string): Promise<Kinds[K] | undefined> {
    if (token.length > MAX_TOKEN_CHARS) return Promise.resolve(undefined);
    return this.#sealer.open<Kinds[K]>(`oauth-${kind}`, token);
  }
}

const encoder = new TextEncoder();

/** base64url without padding. */
export function base64url(bytes: Uint8Array): string {
  let text = "";
  for (const byte of bytes) text += String.fromCharCode(byte);
  return btoa(text).replaceAll("+", "-").replaceAll("/", "_").replace(/=+$/, "");
}

/** `bytes` random bytes, base64url. */
export function randomToken(bytes = 16): string {
  return base64url(crypto.getRandomValues(new Uint8Array(bytes)));
}

/** SHA-256 of `text`, base64url. */
export async function sha256(text: string): Promise<string> {
  return base64url(new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text))));
}

/**
 * What tokens record of a client: a metadata-document URL as it is (short, meaningful), a
 * registered client's long sealed id as a hash.
 */
export async function clientRef(clientId: string): Promise<string> {
  return clientId.startsWith("https://") && clientId.length <= 200
    ? clientId
    : `dcr:${(await sha256(clientId)).slice(0, 22)}`;
}
