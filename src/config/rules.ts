/**
 * Rules across settings, checked while the configuration loads — before a sandbox, a session or
 * a listener starts.
 *
 * @module
 */

import { ConfigError } from "./parse.ts";

const LOOPBACK_NAMES = new Set(["localhost", "127.0.0.1", "::1", "[::1]"]);

/** Whether `host` (a name or IP literal, IPv6 with or without brackets) is a loopback address. */
export function isLoopbackHost(host: string): boolean {
  const name = host.trim().toLowerCase();
  if (LOOPBACK_NAMES.has(name) || name.endsWith(".localhost")) return true;
  return /^127(\.\d{1,3}){3}$/.test(name) || name === "0:0:0:0:0:0:0:1";
}

/** What the HTTP rules read (a part of HttpConfig). */
export interface HttpRuleInput {
  /** Address to bind. */
  host: string;
  /** MCP_HTTP_TOKEN. */
  token?: string;
  /** MCP_AUTH (absent: none). */
  auth?: "none" | "oauth";
  /** MCP_PUBLIC_URL. */
  publicUrl?: string;
  /** MCP_OAUTH_KEY keys. */
  sealKeys?: readonly string[];
  /** MCP_OAUTH_TAIGA_APP_ID. */
  oauthTaigaAppId?: string;
  /** MCP_OAUTH_TAIGA_FRONT_URL. */
  oauthTaigaFrontUrl?: string;
}

/**
 * Refuses a non-loopback bind without a bearer token: anyone who can reach the port could
 * otherwise act with the server's Taiga session. With `--auth oauth` every person signs in
 * instead, so any bind is allowed once the OAuth settings hold (see {@link assertOAuthReady}).
 * @throws {ConfigError} naming MCP_HTTP_TOKEN (or the OAuth setting at fault), one line.
 */
export function assertBindAllowed(http: HttpRuleInput): void {
  if (http.auth === "oauth") return assertOAuthReady("http", http);
  if (isLoopbackHost(http.host) || http.token) return;
  throw new ConfigError(
    "MCP_HTTP_TOKEN",
    `Refusing to serve MCP over HTTP on ${http.host}, which is not a loopback address, without a bearer token: set MCP_HTTP_TOKEN (clients then send it as an Authorization header) or bind to 127.0.0.1`,
  );
}

/**
 * The rules of `--auth oauth`: the HTTP transport only; a shared key (tokens are sealed with it,
 * and every replica must open what another issued); the public URL (the issuer, never derived
 * from a request's Host), https unless on loopback; no MCP_HTTP_TOKEN (each person's token
 * replaces it); Taiga's application sign-in needs both its id and the front-end URL.
 * @throws {ConfigError} naming the setting at fault, one line.
 */
export function assertOAuthReady(transport: string, http: HttpRuleInput): void {
  if (http.auth !== "oauth") return;
  const refuse = (variable: string, why: string): never => {
    throw new ConfigError(variable, `--auth oauth (MCP_AUTH=oauth) ${why}`);
  };
  if (transport !== "http") {
    refuse(
      "MCP_AUTH",
      "needs the HTTP transport (--transport http): over stdio there is no sign-in",
    );
  }
  if ((http.sealKeys ?? []).length === 0) {
    refuse(
      "MCP_OAUTH_KEY",
      "needs MCP_OAUTH_KEY: the tokens it issues are sealed with it, and every replica must hold the same key (e.g. `openssl rand -base64 32`)",
    );
  }
  if (!http.publicUrl) {
    refuse(
      "MCP_PUBLIC_URL",
      "needs MCP_PUBLIC_URL, the address clients reach the server at (e.g. https://mcp.example.com): it names the issuer of every token",
    );
  }
  const url = new URL(http.publicUrl!);
  if (url.protocol !== "https:" && !isLoopbackHost(url.hostname)) {
    refuse("MCP_PUBLIC_URL", "needs an https MCP_PUBLIC_URL (plain http is for loopback tests)");
  }
  if (http.token) {
    refuse(
      "MCP_HTTP_TOKEN",
      "replaces MCP_HTTP_TOKEN (each person's token is checked instead): unset one of them",
    );
  }
  if (Boolean(http.oauthTaigaAppId) !== Boolean(http.oauthTaigaFrontUrl)) {
    refuse(
      http.oauthTaigaAppId ? "MCP_OAUTH_TAIGA_FRONT_URL" : "MCP_OAUTH_TAIGA_APP_ID",
      "signs in through a Taiga Application only with both MCP_OAUTH_TAIGA_APP_ID and MCP_OAUTH_TAIGA_FRONT_URL",
    );
  }
}
