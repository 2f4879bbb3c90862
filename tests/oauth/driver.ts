/**
 * A browser made of fetch calls, for the OAuth tests: registers clients, builds authorization
 * URLs with PKCE, fills and posts the sign-in form (keeping cookies like a browser), exchanges
 * codes, and picks a free port for a server whose public URL must be known before it starts.
 * @module
 */

import { base64url } from "../../src/oauth/tokens.ts";

/** A free loopback port (listened on and released). */
export function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** A PKCE verifier and its S256 challenge. */
export async function pkce(): Promise<{ verifier: string; challenge: string }> {
  const verifier = base64url(crypto.getRandomValues(new Uint8Array(32)));
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(verifier));
  return { verifier, challenge: base64url(new Uint8Array(digest)) };
}

/** Registers a client (RFC 7591) and returns its client_id. */
export async function register(
  issuer: string,
  redirectUris: string[],
  name = "Test client",
): Promise<string> {
  const response = await fetch(`${issuer}/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ client_name: name, redirect_uris: redirectUris }),
  });
  const body = await response.json();
  if (response.status !== 201) {
    throw new Error(`register: ${response.status} ${JSON.stringify(body)}`);
  }
  return body.client_id;
}

/** What an authorization request names. */
export interface AuthorizeParams {
  clientId: string;
  redirectUri: string;
  challenge: string;
  state?: string;
  resource?: string;
  extra?: Record<string, string>;
}

/** The authorization URL of `params` at `issuer`. */
export function authorizeUrl(issuer: string, params: AuthorizeParams): URL {
  const url = new URL(`${issuer}/authorize`);
  url.searchParams.set("response_type", "code");
  url.searchParams.set("client_id", params.clientId);
  url.searchParams.set("redirect_uri", params.redirectUri);
  url.searchParams.set("code_challenge", params.challenge);
  url.searchParams.set("code_challenge_method", "S256");
  url.searchParams.set("state", params.state ?? "state-123");
  if (params.resource) url.searchParams.set("resource", params.resource);
  for (const [name, value] of Object.entries(params.extra ?? {})) {
    url.searchParams.set(name, value);
  }
  return url;
}

/** The hidden fields of a sign-in page. */
export function formFields(html: string): { req: string; csrf: string } {
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];
  const req = field("req");
  const csrf = field("csrf");
  if (!req || !csrf) throw new Error(`no sign-in form in:\n${html.slice(0, 500)}`);
  return { req, csrf };
}

/** A cookie-keeping fetch that never follows redirects. */
export class FetchBrowser {
  readonly cookies = new Map<string, string>();

  /** Fetches `url` with the cookies kept so far, keeping the ones set. */
  async fetch(url: string | URL, init: RequestInit = {}): Promise<Response> {
    const headers = new Headers(init.headers);
    if (this.cookies.size > 0) {
      headers.set("Cookie", [...this.cookies].map(([k, v]) => `${k}=${v}`).join("; "));
    }
    const response = await fetch(url, { ...init, headers, redirect: "manual" });
    for (const line of response.headers.getSetCookie()) {
      const [pair, ...attributes] = line.split(";");
      const [name, ...value] = pair.split("=");
      const gone = attributes.some((a) => a.trim().toLowerCase() === "max-age=0");
      if (gone) this.cookies.delete(name.trim());
      else this.cookies.set(name.trim(), value.join("="));
    }
    return response;
  }

  /** Opens the sign-in page of `url`; its HTML and hidden fields. */
  async open(url: URL): Promise<{ status: number; html: string; req: string; csrf: string }> {
    const response = await this.fetch(url);
    const html = await response.text();
    if (response.status !== 200) throw new Error(`authorize page: ${response.status}\n${html}`);
    return { status: response.status, html, ...formFields(html) };
  }

  /** Posts the sign-in form of a page opened at `issuer`. */
  post(issuer: string, fields: Record<string, string>, origin?: string): Promise<Response> {
    return this.fetch(`${issuer}/authorize`, {
      method: "POST",
      headers: {
        "Content-Type": "application/x-www-form-urlencoded",
        ...(origin ? { Origin: origin } : {}),
      },
      body: new URLSearchParams(fields),
    });
  }

  /** Signs in through the form; the redirect to the client (its Location as a URL). */
  async signIn(url: URL, username: string, password: string): Promise<URL> {
    const page = await this.open(url);
    const response = await this.post(url.origin, {
      req: page.req,
      csrf: page.csrf,
      username,
      password,
      action: "signin",
    });
    await response.body?.cancel();
    const location = response.headers.get("location");
    if (response.status !== 303 || !location) {
      throw new Error(`sign-in answered ${response.status}`);
    }
    return new URL(location);
  }
}

/** Posts a form to the token (or revocation) endpoint. */
export function postForm(url: string, fields: Record<string, string>): Promise<Response> {
  return fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/x-www-form-urlencoded" },
    body: new URLSearchParams(fields),
  });
}

/** Tokens of a full sign-in of `username` for a new client at `issuer`. */
export async function signInTokens(
  issuer: string,
  username: string,
  password: string,
): Promise<{ access_token: string; refresh_token: string; expires_in: number; clientId: string }> {
  const redirectUri = "http://127.0.0.1:9/callback";
  const clientId = await register(issuer, [redirectUri]);
  const { verifier, challenge } = await pkce();
  const back = await new FetchBrowser().signIn(
    authorizeUrl(issuer, { clientId, redirectUri, challenge, resource: `${issuer}/mcp` }),
    username,
    password,
  );
  const response = await postForm(`${issuer}/token`, {
    grant_type: "authorization_code",
    code: back.searchParams.get("code")!,
    code_verifier: verifier,
    redirect_uri: redirectUri,
    client_id: clientId,
    resource: `${issuer}/mcp`,
  });
  const body = await response.json();
  if (response.status !== 200) throw new Error(`token: ${response.status} ${JSON.stringify(body)}`);
  return { ...body, clientId };
}
