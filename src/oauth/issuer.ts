/**
 * Where everything of the authorization server lives, derived once from MCP_PUBLIC_URL (never
 * from a request's Host, which would let a request rename the issuer), and the two metadata
 * documents clients discover it by: protected-resource metadata (RFC 9728) and
 * authorization-server metadata (RFC 8414). The issuer is the same string everywhere — in
 * both documents and in every `iss` — because clients compare it byte for byte.
 * @module
 */

/** The one scope: acting as the person in Taiga (no finer split yet). */
export const SCOPE = "taiga";

/** Paths served, relative to the public origin. */
export const OAUTH_PATHS = {
  authorize: "/authorize",
  token: "/token",
  register: "/register",
  revoke: "/revoke",
  taigaCallback: "/oauth/taiga/callback",
  resourceMetadata: "/.well-known/oauth-protected-resource",
  serverMetadata: "/.well-known/oauth-authorization-server",
  openidConfiguration: "/.well-known/openid-configuration",
} as const;

/** The resource's path: the MCP endpoint. */
export const RESOURCE_PATH = "/mcp";

/** Absolute URLs of the issuer, the protected resource and every endpoint. */
export interface Endpoints {
  /** The issuer: the public origin, no trailing slash (e.g. `https://mcp.example.com`). */
  readonly issuer: string;
  /** The protected resource, the `aud` of every access token: `<issuer>/mcp`. */
  readonly resource: string;
  /** Where the resource's metadata is (path-inserted form, RFC 9728 §3.1). */
  readonly resourceMetadata: string;
  /** Authorization endpoint. */
  readonly authorization: string;
  /** Token endpoint. */
  readonly token: string;
  /** Dynamic client registration endpoint (RFC 7591). */
  readonly registration: string;
  /** Revocation endpoint (RFC 7009). */
  readonly revocation: string;
  /** Where Taiga's application sign-in comes back to (the Application's `next_url`). */
  readonly taigaCallback: string;
}

/** The endpoints of the server whose public origin is `publicUrl`. */
export function endpointsOf(publicUrl: string): Endpoints {
  const issuer = new URL(publicUrl).origin;
  return {
    issuer,
    resource: `${issuer}${RESOURCE_PATH}`,
    resourceMetadata: `${issuer}${OAUTH_PATHS.resourceMetadata}${RESOURCE_PATH}`,
    authorization: `${issuer}${OAUTH_PATHS.authorize}`,
    token: `${issuer}${OAUTH_PATHS.token}`,
    registration: `${issuer}${OAUTH_PATHS.register}`,
    revocation: `${issuer}${OAUTH_PATHS.revoke}`,
    taigaCallback: `${issuer}${OAUTH_PATHS.taigaCallback}`,
  };
}

/**
 * A resource indicator in canonical form (RFC 8707; MCP's canonical server URI): lower-case
 * scheme and host (the URL parser does it), no fragment, no trailing slash; undefined when it
 * is not an absolute URL. Clients differ on the trailing slash, so both forms compare equal.
 */
export function canonicalResource(value: string): string | undefined {
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    return undefined;
  }
  url.hash = "";
  return url.href.replace(/\/$/, "");
}

/** The protected-resource metadata (RFC 9728) of `/mcp`. */
export function resourceMetadata(endpoints: Endpoints): Record<string, unknown> {
  return {
    resource: endpoints.resource,
    authorization_servers: [endpoints.issuer],
    scopes_supported: [SCOPE],
    bearer_methods_supported: ["header"],
    resource_name: "taiga-mcp",
  };
}

/**
 * The authorization-server metadata (RFC 8414), also served at the OpenID configuration path
 * that clients try next: the same document, not an OpenID provider (no ID tokens, no JWKS).
 * No `offline_access` anywhere: refresh tokens are always issued (the 2026-07-28 guidance).
 */
export function serverMetadata(endpoints: Endpoints): Record<string, unknown> {
  return {
    issuer: endpoints.issuer,
    authorization_endpoint: endpoints.authorization,
    token_endpoint: endpoints.token,
    registration_endpoint: endpoints.registration,
    revocation_endpoint: endpoints.revocation,
    response_types_supported: ["code"],
    response_modes_supported: ["query"],
    grant_types_supported: ["authorization_code", "refresh_token"],
    code_challenge_methods_supported: ["S256"],
    token_endpoint_auth_methods_supported: ["none"],
    revocation_endpoint_auth_methods_supported: ["none"],
    scopes_supported: [SCOPE],
    client_id_metadata_document_supported: true,
    authorization_response_iss_parameter_supported: true,
  };
}
