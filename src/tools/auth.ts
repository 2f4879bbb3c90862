/**
 * Session and authentication tools (the Python bridge's names, working): log in by password,
 * token or cache; save, list and delete cached tokens; session status; log out.
 * @module
 */

import { z } from "zod";
import { normaliseApiUrl } from "../config/load.ts";
import { maskToken } from "../log/redact.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { ServerDeps } from "../mcp/deps.ts";
import { loginWithPassword, verifyToken } from "../sessions/auth.ts";
import type { Session } from "../sessions/store.ts";
import { checkToken } from "../taiga/credentials.ts";
import { InputError, shortValue, TaigaError } from "../taiga/errors.ts";
import { isAllowedTaiga } from "../taiga/url.ts";

const hostField = z.string().trim().min(1).max(500).optional().describe(
  "Taiga URL, e.g. https://api.taiga.io or http://localhost:9000 (with or without /api/v1). Default: TAIGA_API_URL.",
);

const sessionOutput = {
  session_id: z.string(),
  user: z.object({ id: z.number(), username: z.string(), full_name: z.string().optional() }),
  host: z.string(),
  token_type: z.enum(["Bearer", "Application"]),
  expires_in_seconds: z.number(),
  message: z.string(),
};

function apiUrlFor(deps: ServerDeps, host: string | undefined): string {
  if (!host) return deps.config.apiUrl;
  let apiUrl: string;
  try {
    apiUrl = normaliseApiUrl(host).apiUrl;
  } catch (error) {
    throw new InputError(
      `host "${host}" is not a usable Taiga URL: ${error instanceof Error ? error.message : error}`,
    );
  }
  // Over HTTP the callers are not the operator: `host` must not send the server anywhere.
  const config = deps.config;
  if (config.transport !== "http" || isAllowedTaiga(apiUrl, config)) return apiUrl;
  const where = `${config.host} or a Taiga in the operator's MCP_ALLOWED_TAIGA_HOSTS`;
  const problem = `is not allowed over HTTP: login goes to ${where}. Leave host out.`;
  throw new InputError(`host "${shortValue(host)}" ${problem}`, { argument: "host" });
}

function describeSession(deps: ServerDeps, session: Session, message: string) {
  return {
    session_id: session.id,
    user: {
      id: session.user.id,
      username: session.user.username,
      ...(session.user.fullName ? { full_name: session.user.fullName } : {}),
    },
    host: session.host,
    token_type: session.tokenType,
    expires_in_seconds: deps.sessions.secondsLeft(session),
    message,
  };
}

const login = defineTool({
  name: "login",
  title: "Log in with username and password",
  description:
    'Log in to Taiga with a username (or email) and password and start a session. Prefer login_with_token with an application token; the password is sent once to Taiga and never stored. Example: {"username":"jane","password":"…"}.',
  toolset: "session",
  readOnly: false,
  input: {
    host: hostField,
    username: z.string().trim().min(1).max(255).describe("Taiga username or email"),
    password: z.string().min(1).max(1024).describe("Taiga password (never stored or logged)"),
  },
  output: sessionOutput,
  annotations: { idempotentHint: false, destructiveHint: false },
  handler: async (args, ctx) => {
    const apiUrl = apiUrlFor(ctx.deps, args.host);
    const verified = await loginWithPassword(
      apiUrl,
      ctx.deps.policy,
      args.username,
      args.password,
      ctx.signal,
    );
    const session = ctx.deps.sessions.open({ apiUrl, ...verified, owner: ctx.owner });
    return describeSession(
      ctx.deps,
      session,
      "Logged in. This session is now the default; call save_session_token to reuse it after a restart.",
    );
  },
});

const loginWithToken = defineTool({
  name: "login_with_token",
  title: "Log in with a token",
  description:
    'Start a session from an existing Taiga token, checked with /users/me first. Use token_type "Application" for an application token (recommended: it never expires) or "Bearer" for a login JWT. Example: {"auth_token":"…","token_type":"Application"}.',
  toolset: "session",
  readOnly: false,
  input: {
    host: hostField,
    auth_token: z.string().trim().min(8).max(4096).describe("The token"),
    token_type: z.enum(["Bearer", "Application"]).default("Bearer").describe(
      "Bearer (login JWT) or Application (application token)",
    ),
  },
  output: sessionOutput,
  annotations: { idempotentHint: false, destructiveHint: false },
  handler: async (args, ctx) => {
    checkToken(args.auth_token, "auth_token");
    const apiUrl = apiUrlFor(ctx.deps, args.host);
    const verified = await verifyToken(
      apiUrl,
      ctx.deps.policy,
      { token: args.auth_token, tokenType: args.token_type },
      ctx.signal,
    );
    const session = ctx.deps.sessions.open({ apiUrl, ...verified, owner: ctx.owner });
    return describeSession(ctx.deps, session, "Token accepted; logged in.");
  },
});

const loginFromCache = defineTool({
  name: "login_from_cache",
  title: "Log in from the token cache",
  description:
    'Start a session from the token saved earlier for a host (save_session_token or the `taiga-mcp login` command), checked with Taiga first. Example: {"host":"https://api.taiga.io"}.',
  toolset: "session",
  localOnly: true,
  readOnly: false,
  input: { host: hostField },
  output: sessionOutput,
  annotations: { idempotentHint: false, destructiveHint: false },
  handler: async (args, ctx) => {
    const apiUrl = apiUrlFor(ctx.deps, args.host);
    const { host } = normaliseApiUrl(apiUrl);
    const cached = await ctx.deps.sessions.tokens.get(host);
    if (!cached) {
      throw new TaigaError(
        "not_found",
        `No cached token for ${host}. Log in with login or login_with_token, then call save_session_token (or run \`taiga-mcp login\`).`,
      );
    }
    const verified = await verifyToken(apiUrl, ctx.deps.policy, {
      token: cached.token,
      tokenType: cached.tokenType,
      refresh: cached.refresh,
    }, ctx.signal);
    const session = ctx.deps.sessions.open({
      apiUrl,
      ...verified,
      owner: ctx.owner,
      cachedToken: cached.token,
    });
    return describeSession(ctx.deps, session, `Logged in from the token cached for ${host}.`);
  },
});

const saveSessionToken = defineTool({
  name: "save_session_token",
  title: "Save the session's token to the cache",
  description:
    "Save the token of a session (default: the current one) in the local token cache (a 0600 file) so login_from_cache and future start-ups can use it. Example: {}.",
  toolset: "session",
  localOnly: true,
  readOnly: false,
  input: {},
  output: { saved: z.boolean(), host: z.string(), username: z.string(), path: z.string() },
  annotations: { idempotentHint: true, destructiveHint: false, openWorldHint: false },
  handler: async (_args, ctx) => {
    const session = await ctx.session();
    const auth = session.client.auth;
    if (!auth) throw new InputError("This session has no token to save.");
    await ctx.deps.sessions.tokens.put({
      host: session.host,
      token: auth.token,
      tokenType: auth.tokenType,
      refresh: auth.refresh,
      user: session.user,
      savedAt: new Date().toISOString(),
    });
    return {
      saved: true,
      host: session.host,
      username: session.user.username,
      path: ctx.deps.sessions.tokens.path,
    };
  },
});

const deleteCachedToken = defineTool({
  name: "delete_cached_token",
  title: "Delete a cached token",
  description:
    'Remove the cached token for a host from the local token cache. Live sessions are not affected. Example: {"host":"https://api.taiga.io"}.',
  toolset: "session",
  localOnly: true,
  readOnly: false,
  input: {
    host: z.string().trim().min(1).max(500).describe("Taiga URL whose cached token to delete"),
  },
  output: { deleted: z.boolean(), host: z.string() },
  annotations: { destructiveHint: true, idempotentHint: true, openWorldHint: false },
  handler: async (args, ctx) => {
    const { host } = normaliseApiUrl(apiUrlFor(ctx.deps, args.host));
    const deleted = await ctx.deps.sessions.tokens.delete(host);
    return { deleted, host };
  },
});

const listCachedTokens = defineTool({
  name: "list_cached_tokens",
  title: "List cached tokens",
  description:
    "List the hosts with a cached token: user, token type and when it was saved. Token values are masked. Example: {}.",
  toolset: "session",
  localOnly: true,
  readOnly: true,
  input: {},
  output: {
    tokens: z.array(z.object({
      host: z.string(),
      username: z.string(),
      token_type: z.string(),
      token: z.string(),
      has_refresh: z.boolean(),
      saved_at: z.string(),
    })),
    path: z.string(),
  },
  annotations: { openWorldHint: false },
  handler: async (_args, ctx) => {
    const entries = await ctx.deps.sessions.tokens.list();
    return {
      tokens: entries.map((entry) => ({
        host: entry.host,
        username: entry.user.username,
        token_type: entry.tokenType,
        token: maskToken(entry.token),
        has_refresh: Boolean(entry.refresh),
        saved_at: entry.savedAt,
      })),
      path: ctx.deps.sessions.tokens.path,
    };
  },
});

const sessionStatus = defineTool({
  name: "session_status",
  title: "Session status",
  description:
    "Show who a session (default: the current one) is logged in as, the host, token type and seconds until it expires. Example: {}.",
  toolset: "session",
  readOnly: true,
  input: {},
  output: { ...sessionOutput, active: z.boolean() },
  annotations: { openWorldHint: false },
  handler: async (_args, ctx) => {
    const session = await ctx.session();
    return { ...describeSession(ctx.deps, session, "Session is active."), active: true };
  },
});

const logout = defineTool({
  name: "logout",
  title: "Log out",
  description:
    "End a session (default: the current one). Cached tokens stay; use delete_cached_token to remove one. Example: {}.",
  toolset: "session",
  readOnly: false,
  input: {},
  output: { logged_out: z.boolean(), session_id: z.string(), message: z.string() },
  annotations: { destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (_args, ctx) => {
    const session = await ctx.session();
    if (session.owner === undefined && ctx.owner !== undefined) {
      throw new InputError(
        "This is the server's shared start-up session; a client connection cannot end it. Log in with login_with_token to get a session of your own.",
      );
    }
    ctx.deps.sessions.remove(session.id, ctx.owner);
    return { logged_out: true, session_id: session.id, message: "Session ended." };
  },
});

/** The session and authentication tools. */
export const authTools: readonly AnyTool[] = [
  login,
  loginWithToken,
  loginFromCache,
  saveSessionToken,
  deleteCachedToken,
  listCachedTokens,
  sessionStatus,
  logout,
];
