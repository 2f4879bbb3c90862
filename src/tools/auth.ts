/**
 * Session and authentication tools (the Python bridge's names, working): log in by password,
 * token or cache; save, list and delete cached tokens; session status; log out.
 * @module
 */

import { z } from "zod";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { loginWithPassword, verifyToken } from "../sessions/auth.ts";
import { checkToken } from "../taiga/credentials.ts";
import { InputError } from "../taiga/errors.ts";
import { apiUrlFor, describeSession, hostField, sessionOutput } from "./auth_shared.ts";
import { tokenCacheTools } from "./token_cache_tools.ts";

const login = defineTool({
  name: "login",
  serverLogin: true,
  title: "Log in with username and password",
  description:
    'Start a session with a Taiga username (or email) and password, sent once and never stored. E.g. {"username":"jane","password":"…"}.',
  toolset: "session",
  readOnly: false,
  input: () => ({
    host: hostField(),
    username: z.string().trim().min(1).max(255),
    password: z.string().min(1).max(1024),
  }),
  output: () => sessionOutput(),
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
    const session = await ctx.openSession({ apiUrl, ...verified });
    return describeSession(ctx, session, "Logged in.");
  },
});

const loginWithToken = defineTool({
  name: "login_with_token",
  serverLogin: true,
  title: "Log in with a token",
  description:
    'Start a session from a Taiga token: an application token (token_type "Application") or a login JWT ("Bearer"). E.g. {"auth_token":"…","token_type":"Application"}.',
  toolset: "session",
  readOnly: false,
  input: () => ({
    host: hostField(),
    auth_token: z.string().trim().min(8).max(4096),
    token_type: z.enum(["Bearer", "Application"]).default("Bearer"),
  }),
  output: () => sessionOutput(),
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
    const session = await ctx.openSession({ apiUrl, ...verified });
    return describeSession(ctx, session, "Token accepted; logged in.");
  },
});

const sessionStatus = defineTool({
  name: "session_status",
  title: "Session status",
  description: "Who the session acts as, the host, token type and seconds left. E.g. {}.",
  toolset: "session",
  readOnly: true,
  input: () => ({}),
  output: () => ({ ...sessionOutput(), active: z.boolean() }),
  annotations: { openWorldHint: false },
  handler: async (_args, ctx) => {
    const session = await ctx.session();
    return { ...describeSession(ctx, session, "Session is active."), active: true };
  },
});

const logout = defineTool({
  name: "logout",
  serverLogin: true,
  title: "Log out",
  description: "End the session (cached tokens stay). E.g. {}.",
  toolset: "session",
  readOnly: false,
  input: () => ({}),
  output: () => ({ logged_out: z.boolean(), session_id: z.string(), message: z.string() }),
  annotations: { destructiveHint: false, idempotentHint: true, openWorldHint: false },
  handler: async (_args, ctx) => {
    const session = await ctx.session();
    if (session.carried) {
      throw new InputError(
        session.carried === "sealed"
          ? `This session id carries its own credentials, so no server can end it: it works until it expires (${
            new Date(session.expiresAt).toISOString()
          }). Discard it; log in again for a new one.`
          : "This identity comes from your X-Taiga-Token header: remove the header to stop using it.",
      );
    }
    if (session.owner === undefined && (ctx.owner !== undefined || ctx.stateless)) {
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
  ...tokenCacheTools,
  sessionStatus,
  logout,
];
