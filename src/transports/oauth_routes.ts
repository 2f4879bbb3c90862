/**
 * The routes of `--auth oauth` on the HTTP transport: the two metadata documents (and their
 * OpenID-configuration and root variants), `/authorize`, `/token`, `/register`, `/revoke`,
 * Taiga's callback, and the door of `/mcp`. The legacy `/sse` transport is not offered: its
 * messages carry no request a token could be checked on.
 * @module
 */

import type { HttpConfig } from "../config/settings.ts";
import type { ServerDeps } from "../mcp/deps.ts";
import type { DocumentFetchOptions } from "../oauth/cimd.ts";
import { OAUTH_PATHS, RESOURCE_PATH, resourceMetadata, serverMetadata } from "../oauth/issuer.ts";
import { OAuthServer } from "../oauth/server.ts";
import { jsonRpcError } from "./http_security.ts";
import { McpGate } from "./oauth_gate.ts";
import { oauthErrorResponse, oauthJson, readForm, readJson } from "./oauth_http.ts";
import { handleAuthorize, handleTaigaCallback, type SignInContext } from "./oauth_signin.ts";

/** What the HTTP transport gets from {@link createOAuthRoutes}. */
export interface OAuthRoutes {
  /** The HTTP settings its guard should use: the public host and origin accepted too. */
  readonly guardSettings: HttpConfig;
  /** The authorization server (tests reach its parts). */
  readonly server: OAuthServer;
  /**
   * Serves `req` when it is an OAuth route or `/mcp` (then `next`, the MCP handler, runs as the
   * person of a verified token, `authInfo` in hand); anything else goes to `next` unchanged.
   */
  serve(
    req: Request,
    path: string,
    next: (authInfo?: object) => Promise<Response>,
  ): Promise<Response>;
}

/** Test knobs. */
export interface OAuthRouteOptions {
  /** How client metadata documents are fetched. */
  documents?: Omit<DocumentFetchOptions, "allowPrivate" | "now">;
  /** Clock, epoch ms. */
  now?: () => number;
}

const METADATA_HEADERS = {
  "Access-Control-Allow-Origin": "*",
  "Cache-Control": "public, max-age=300",
};
const NOT_WITH_OAUTH = new Set(["/sse", "/messages", "/messages/"]);

function metadata(req: Request, body: Record<string, unknown>): Response {
  if (req.method !== "GET" && req.method !== "HEAD") {
    return new Response(null, { status: 405, headers: { Allow: "GET" } });
  }
  return new Response(req.method === "HEAD" ? null : JSON.stringify(body), {
    headers: { "Content-Type": "application/json", ...METADATA_HEADERS },
  });
}

function postOnly(req: Request, work: () => Promise<Response>): Promise<Response> {
  if (req.method !== "POST") {
    return Promise.resolve(new Response(null, { status: 405, headers: { Allow: "POST" } }));
  }
  return work().catch(oauthErrorResponse);
}

/** A public client may name itself in a Basic header (no secret is ever issued or checked). */
function withBasicClient(req: Request, form: URLSearchParams): URLSearchParams {
  const basic = /^Basic\s+([A-Za-z0-9+/=]+)$/i.exec(req.headers.get("authorization") ?? "");
  if (basic && !form.has("client_id")) {
    try {
      form.set("client_id", decodeURIComponent(atob(basic[1]).split(":")[0]));
    } catch {
      // Not Basic credentials after all: the body's client_id (none) decides.
    }
  }
  return form;
}

/** The OAuth routes of the server `deps` describe (`--auth oauth`). */
export function createOAuthRoutes(deps: ServerDeps, options: OAuthRouteOptions = {}): OAuthRoutes {
  const { config, log } = deps;
  const server = new OAuthServer({
    http: config.http,
    apiUrl: config.apiUrl,
    policy: deps.policy,
    log,
    documents: options.documents,
    now: options.now,
  });
  const { endpoints } = server;
  const signIn: SignInContext = {
    server,
    readOnly: config.readOnly,
    taigaHost: new URL(config.apiUrl).host,
  };
  const gate = new McpGate(endpoints, server.access);
  const prm = resourceMetadata(endpoints);
  const asm = serverMetadata(endpoints);
  const publicUrl = new URL(endpoints.issuer);
  log.info(
    `OAuth: each person signs in at ${endpoints.authorization} (issuer ${endpoints.issuer}${
      server.taigaApp ? ", Taiga Application sign-in offered" : ", password sign-in"
    })`,
  );
  const routes = new Map<string, (req: Request) => Promise<Response>>([
    [OAUTH_PATHS.resourceMetadata, (req) => Promise.resolve(metadata(req, prm))],
    [
      `${OAUTH_PATHS.resourceMetadata}${RESOURCE_PATH}`,
      (req) => Promise.resolve(metadata(req, prm)),
    ],
    [OAUTH_PATHS.serverMetadata, (req) => Promise.resolve(metadata(req, asm))],
    [OAUTH_PATHS.openidConfiguration, (req) => Promise.resolve(metadata(req, asm))],
    [OAUTH_PATHS.authorize, (req) => handleAuthorize(req, signIn)],
    [OAUTH_PATHS.token, (req) =>
      postOnly(req, async () => {
        const form = withBasicClient(req, await readForm(req));
        return oauthJson(await server.tokens.exchange(form));
      })],
    [
      OAUTH_PATHS.register,
      (req) =>
        postOnly(
          req,
          async () => oauthJson(await server.clients.register(await readJson(req)), 201),
        ),
    ],
    [OAUTH_PATHS.revoke, (req) =>
      postOnly(req, async () => {
        await server.tokens.revoke(withBasicClient(req, await readForm(req)));
        return oauthJson({});
      })],
  ]);
  if (server.taigaApp) {
    routes.set(OAUTH_PATHS.taigaCallback, (req) => handleTaigaCallback(req, signIn));
  }
  return {
    server,
    guardSettings: {
      ...config.http,
      allowedHosts: [...config.http.allowedHosts, publicUrl.hostname],
      allowedOrigins: [...config.http.allowedOrigins, publicUrl.origin],
    },
    serve: async (req, path, next) => {
      const route = routes.get(path);
      if (route) {
        const response = await route(req);
        log.debug(`OAuth ${req.method} ${path} → ${response.status}`);
        return response;
      }
      if (path === RESOURCE_PATH) return await gate.serve(req, next);
      if (NOT_WITH_OAUTH.has(path)) {
        return jsonRpcError(
          404,
          -32000,
          "Not Found: with --auth oauth MCP is served at /mcp only (the legacy /sse transport cannot carry a sign-in)",
        );
      }
      return await next();
    },
  };
}
