/**
 * What the login tools share: the `host` argument (checked against the configured Taiga over
 * HTTP), the session answer, and the next step in the words of the client's transport.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import { normaliseApiUrl } from "../config/load.ts";
import type { RequestContext } from "../mcp/context.ts";
import type { ServerDeps } from "../mcp/deps.ts";
import type { Session } from "../sessions/store.ts";
import { InputError, shortValue } from "../taiga/errors.ts";
import { isAllowedTaiga } from "../taiga/url.ts";

/** The `host` argument of the login tools. */
export const hostField: () => z.ZodOptional<z.ZodString> = lazy(() =>
  z.string().trim().min(1).max(500).optional()
    .describe(
      "Taiga URL (default: the configured one)",
    )
);

/** What a login tool answers. */
export const sessionOutput: () => {
  session_id: z.ZodString;
  user: z.ZodObject<{
    id: z.ZodNumber;
    username: z.ZodString;
    full_name: z.ZodOptional<z.ZodString>;
  }>;
  host: z.ZodString;
  token_type: z.ZodEnum<{ Bearer: "Bearer"; Application: "Application" }>;
  expires_in_seconds: z.ZodNumber;
  message: z.ZodString;
} = lazy(() => ({
  session_id: z.string(),
  user: z.object({ id: z.number(), username: z.string(), full_name: z.string().optional() }),
  host: z.string(),
  token_type: z.enum(["Bearer", "Application"]),
  expires_in_seconds: z.number(),
  message: z.string(),
}));

/**
 * The API URL a login tool should use: the configured one, or `host` — which over HTTP must be
 * the configured Taiga or on the operator's allow-list, so a client cannot send the server anywhere.
 */
export function apiUrlFor(deps: ServerDeps, host: string | undefined): string {
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

/** How to go on from a new or current session, in the words of this client's transport. */
function nextStep(ctx: RequestContext, session: Session): string {
  if (session.carried === "sealed") {
    return " Pass this session_id with every call: it carries your Taiga credentials (keep it secret) and works on any replica of this server until it expires.";
  }
  if (session.carried === "header") return " (from your X-Taiga-Token header)";
  if (session.carried === "oauth") return " (you are signed in to this server with OAuth)";
  const source = ctx.deps.sessions.startupSource(session);
  if (source) {
    return ` It is the server's start-up session, from ${source}: it comes back by itself after a restart.`;
  }
  return ctx.deps.config.transport === "stdio" && session.owner === undefined &&
      !ctx.deps.config.sandbox
    ? " Call save_session_token to reuse it after a restart."
    : "";
}

/** A session as a login or status tool shows it. */
export function describeSession(
  ctx: RequestContext,
  session: Session,
  message: string,
): z.infer<z.ZodObject<ReturnType<typeof sessionOutput>>> {
  const deps = ctx.deps;
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
    message: `${message}${nextStep(ctx, session)}`,
  };
}
