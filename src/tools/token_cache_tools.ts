/**
 * The operator's local token cache as tools (stdio only: over HTTP the clients are not the
 * operator): log in from it, save the session's token, delete and list cached tokens.
 * @module
 */

import { z } from "zod";
import { normaliseApiUrl } from "../config/load.ts";
import { maskToken } from "../log/redact.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { verifyToken } from "../sessions/auth.ts";
import { InputError, TaigaError } from "../taiga/errors.ts";
import { apiUrlFor, describeSession, hostField, sessionOutput } from "./auth_shared.ts";

const loginFromCache = defineTool({
  name: "login_from_cache",
  title: "Log in from the token cache",
  description:
    'Start a session from the token cached for a host (save_session_token or `taiga-mcp login`). E.g. {"host":"https://api.taiga.io"}.',
  toolset: "session",
  localOnly: true,
  readOnly: false,
  input: () => ({ host: hostField() }),
  output: () => sessionOutput(),
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
    return describeSession(ctx, session, `Logged in from the token cached for ${host}.`);
  },
});

const saveSessionToken = defineTool({
  name: "save_session_token",
  title: "Save the session's token to the cache",
  description:
    "Save the session's token in the local token cache (a 0600 file) for login_from_cache and later start-ups. E.g. {}.",
  toolset: "session",
  localOnly: true,
  readOnly: false,
  input: () => ({}),
  output: () => ({ saved: z.boolean(), host: z.string(), username: z.string(), path: z.string() }),
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
    'Remove a host\'s token from the local token cache (live sessions go on). E.g. {"host":"https://api.taiga.io"}.',
  toolset: "session",
  localOnly: true,
  readOnly: false,
  input: () => ({
    host: z.string().trim().min(1).max(500),
  }),
  output: () => ({ deleted: z.boolean(), host: z.string() }),
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
  description: "Hosts with a cached token: user, token type, when saved (tokens masked). E.g. {}.",
  toolset: "session",
  localOnly: true,
  readOnly: true,
  input: () => ({}),
  output: () => ({
    tokens: z.array(z.object({
      host: z.string(),
      username: z.string(),
      token_type: z.string(),
      token: z.string(),
      has_refresh: z.boolean(),
      saved_at: z.string(),
    })),
    path: z.string(),
  }),
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

/** The token-cache tools (offered to the stdio client only). */
export const tokenCacheTools: readonly AnyTool[] = [
  loginFromCache,
  saveSessionToken,
  deleteCachedToken,
  listCachedTokens,
];
