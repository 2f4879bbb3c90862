/**
 * Who a client is. A client_id is either the URL of its metadata document (fetched, cimd.ts) or
 * a registration made here (RFC 7591) — stateless: the client_id IS the registration, sealed,
 * so every replica knows every registered client without a database.
 * @module
 */

import { type ClientInfo, type DocumentFetcher, isDocumentClientId } from "./cimd.ts";
import { OAuthError } from "./errors.ts";
import { SCOPE } from "./issuer.ts";
import { redirectProblem } from "./redirects.ts";
import { type TokenBox, TTL } from "./tokens.ts";

/** Most redirect URIs one registration may list. */
const MAX_REDIRECTS = 10;
const GRANTS = new Set(["authorization_code", "refresh_token"]);

function metadataError(why: string): OAuthError {
  return new OAuthError("invalid_client_metadata", why);
}

function optionalText(record: Record<string, unknown>, key: string, max: number) {
  const value = record[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string" || value.length > max) {
    throw metadataError(`${key} must be a string of at most ${max} characters`);
  }
  return value.trim() || undefined;
}

function checkList(record: Record<string, unknown>, key: string, allowed: Set<string>): void {
  const value = record[key];
  if (value === undefined) return;
  if (!Array.isArray(value) || value.some((item) => !allowed.has(item))) {
    throw metadataError(`${key} may hold only ${[...allowed].join(", ")}`);
  }
}

/** Registers clients and resolves client_ids. */
export class ClientRegistry {
  readonly #box: TokenBox;
  readonly #documents: DocumentFetcher;
  readonly #now: () => number;

  /** Registrations sealed in `box`; document client_ids fetched by `documents`. */
  constructor(box: TokenBox, documents: DocumentFetcher, now: () => number = Date.now) {
    this.#box = box;
    this.#documents = documents;
    this.#now = now;
  }

  /**
   * Dynamic client registration: checks the metadata (public clients only: no secret is ever
   * issued) and answers the registration, its client_id sealed. Every client may refresh,
   * whatever `grant_types` said (older SDKs send none, which would mean "no refresh").
   */
  async register(body: unknown): Promise<Record<string, unknown>> {
    if (body === null || typeof body !== "object" || Array.isArray(body)) {
      throw metadataError("the body must be a JSON object of client metadata");
    }
    const record = body as Record<string, unknown>;
    const uris = record.redirect_uris;
    if (!Array.isArray(uris) || uris.length === 0 || uris.length > MAX_REDIRECTS) {
      throw new OAuthError(
        "invalid_redirect_uri",
        `redirect_uris must list 1 to ${MAX_REDIRECTS} URIs`,
      );
    }
    for (const uri of uris) {
      const problem = typeof uri === "string" ? redirectProblem(uri) : "is not a string";
      if (problem) throw new OAuthError("invalid_redirect_uri", `a redirect URI ${problem}`);
    }
    const method = record.token_endpoint_auth_method;
    if (method !== undefined && method !== "none") {
      throw metadataError(
        "only public clients are registered: token_endpoint_auth_method must be none (PKCE protects the code)",
      );
    }
    checkList(record, "grant_types", GRANTS);
    checkList(record, "response_types", new Set(["code"]));
    const name = optionalText(record, "client_name", 100);
    const clientUri = optionalText(record, "client_uri", 500);
    const issuedAt = Math.floor(this.#now() / 1000);
    const clientId = await this.#box.seal(
      "client",
      { n: name, r: uris as string[], u: clientUri, ia: issuedAt },
      TTL.client,
    );
    const appType = record.application_type;
    return {
      client_id: clientId,
      client_id_issued_at: issuedAt,
      ...(name ? { client_name: name } : {}),
      ...(clientUri ? { client_uri: clientUri } : {}),
      redirect_uris: uris,
      grant_types: ["authorization_code", "refresh_token"],
      response_types: ["code"],
      token_endpoint_auth_method: "none",
      scope: SCOPE,
      ...(appType === "native" || appType === "web" ? { application_type: appType } : {}),
    };
  }

  /** The client of `clientId`; an `invalid_client` OAuthError when there is none. */
  async resolve(clientId: string): Promise<ClientInfo> {
    if (isDocumentClientId(clientId)) return await this.#documents.get(clientId);
    const claims = await this.#box.open("client", clientId);
    if (!claims) {
      throw new OAuthError(
        "invalid_client",
        "unknown client_id: not registered here, or registered under a key this server no longer holds (register again)",
        401,
      );
    }
    return {
      id: clientId,
      name: claims.n ?? "An unnamed application",
      redirectUris: claims.r,
      kind: "registered",
    };
  }
}
