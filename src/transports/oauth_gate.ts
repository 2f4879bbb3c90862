/**
 * The protected resource's door (`/mcp` under `--auth oauth`): a request without a valid access
 * token gets 401 and the `WWW-Authenticate` challenge pointing at the resource metadata (RFC
 * 9728 §5.1) — never the operator's identity. A valid one runs as its person. A 2025-era MCP
 * session belongs to the person who opened it: another person's token on it gets 403.
 * @module
 */

import type { Endpoints } from "../oauth/issuer.ts";
import { SCOPE } from "../oauth/issuer.ts";
import { type AccessVerifier, authInfoOf, runAsPerson } from "../oauth/person.ts";
import { jsonRpcError } from "./http_security.ts";

/** Sessions remembered per process (their owners); the oldest go first. */
const MAX_SESSIONS = 10_000;

/** Checks bearer tokens on `/mcp` and runs requests as their person. */
export class McpGate {
  readonly #endpoints: Endpoints;
  readonly #access: AccessVerifier;
  /** Mcp-Session-Id → the Taiga user id who opened it. */
  readonly #owners = new Map<string, number>();

  /** For the resource at `endpoints`, tokens checked by `access`. */
  constructor(endpoints: Endpoints, access: AccessVerifier) {
    this.#endpoints = endpoints;
    this.#access = access;
  }

  /** The 401 answer: with `error` when a token was sent but is not valid (RFC 6750 §3). */
  challenge(invalid: boolean): Response {
    const params = [
      ...(invalid
        ? ['error="invalid_token"', 'error_description="The access token is invalid or expired"']
        : []),
      `resource_metadata="${this.#endpoints.resourceMetadata}"`,
      `scope="${SCOPE}"`,
    ];
    return jsonRpcError(
      401,
      -32000,
      invalid
        ? "Unauthorized: the access token is invalid or expired; sign in again"
        : "Unauthorized: sign in (OAuth) to use this server",
      { "WWW-Authenticate": `Bearer ${params.join(", ")}` },
    );
  }

  /** Serves `/mcp`: `next` runs only with a verified person, inside their context. */
  async serve(req: Request, next: (authInfo: object) => Promise<Response>): Promise<Response> {
    const header = req.headers.get("authorization");
    const token = header === null ? undefined : /^Bearer +([!-~]+) *$/i.exec(header)?.[1];
    if (!token) return this.challenge(header !== null);
    const access = await this.#access.verify(token);
    if (!access) return this.challenge(true);
    const sessionId = req.headers.get("mcp-session-id");
    const owner = sessionId === null ? undefined : this.#owners.get(sessionId);
    if (owner !== undefined && owner !== access.user.id) {
      return jsonRpcError(403, -32000, "Forbidden: this MCP session belongs to another person");
    }
    const response = await runAsPerson(access, () => next(authInfoOf(token, access)));
    const opened = response.headers.get("mcp-session-id");
    if (sessionId === null && opened !== null) {
      this.#owners.set(opened, access.user.id);
      while (this.#owners.size > MAX_SESSIONS) {
        this.#owners.delete(this.#owners.keys().next().value!);
      }
    }
    return response;
  }
}
