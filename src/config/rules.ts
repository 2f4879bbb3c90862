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

/**
 * Refuses a non-loopback bind without a bearer token: anyone who can reach the port could
 * otherwise act with the server's Taiga session.
 * @throws {ConfigError} naming MCP_HTTP_TOKEN, with a one-line message.
 */
export function assertBindAllowed(http: { host: string; token?: string }): void {
  if (isLoopbackHost(http.host) || http.token) return;
  throw new ConfigError(
    "MCP_HTTP_TOKEN",
    `Refusing to serve MCP over HTTP on ${http.host}, which is not a loopback address, without a bearer token: set MCP_HTTP_TOKEN (clients then send it as an Authorization header) or bind to 127.0.0.1`,
  );
}
