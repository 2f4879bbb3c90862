/**
 * What registration needs to build one request's context from what the SDK hands a handler:
 * who is served (connection and era), progress, the caller's own Taiga token header, the answer
 * to an earlier confirmation, and the caller to attribute log records to.
 * @module
 */

import { currentPerson, personOfAuthInfo } from "../oauth/person.ts";
import type { TaigaAuth } from "../taiga/client.ts";
import { runAsCaller } from "./caller.ts";
import type { RequestParts } from "./context.ts";
import type { ServerDeps } from "./deps.ts";
import { inputResponse, type ServerContext } from "./sdk.ts";

/** Who a server instance serves: its connection (2025 sessions) and its era. */
export interface Audience {
  /** The MCP connection (2025 HTTP session id); undefined for stdio and stateless requests. */
  owner?: string;
  /** `modern` for 2026-07-28 requests (stateless), `legacy` for `initialize`-era connections. */
  era: "legacy" | "modern";
}

/** Where a confirmation's answer comes back in `inputResponses`. */
export const CONFIRM_KEY = "confirm";

/** The header an HTTP client may send its own Taiga token in: `Bearer <jwt>` or `Application <token>`. */
export const TAIGA_TOKEN_HEADER = "x-taiga-token";

function credentialOf(req: Request | undefined): TaigaAuth | undefined {
  const value = req?.headers.get(TAIGA_TOKEN_HEADER)?.trim();
  if (!value) return undefined;
  const match = /^(Bearer|Application)\s+(\S+)$/i.exec(value);
  if (!match) return { token: value, tokenType: "Bearer" };
  const tokenType = match[1].toLowerCase() === "application" ? "Application" : "Bearer";
  return { token: match[2], tokenType };
}

/** The parts of one request's context. */
export function partsOf(
  ctx: ServerContext | undefined,
  audience: Audience,
  deps: ServerDeps,
): RequestParts {
  const progressToken = ctx?.mcpReq._meta?.progressToken as string | number | undefined;
  // A person signed in with OAuth: the transport verified the token and passes the person as
  // the SDK's authInfo, or runs the request in their context (completions have no ctx).
  const person = personOfAuthInfo(ctx?.http?.authInfo) ?? currentPerson();
  const answer = inputResponse(ctx?.mcpReq.inputResponses, CONFIRM_KEY);
  return {
    confirmation: answer.kind !== "elicit"
      ? undefined
      : answer.action === "accept" && answer.content?.confirm === true
      ? "accepted"
      : "declined",
    signal: ctx?.mcpReq.signal ?? new AbortController().signal,
    stateless: audience.era === "modern" && deps.config.transport === "http",
    credential: person ? person.taiga : credentialOf(ctx?.http?.req),
    signedIn: person !== undefined,
    progressToken,
    sendProgress: progressToken === undefined || !ctx
      ? undefined
      : (progress) =>
        ctx.mcpReq.notify({
          method: "notifications/progress",
          params: { progressToken, ...progress },
        }),
  };
}

/**
 * Runs `work` as the caller of this request: a 2025 connection is known by its owner (its log
 * records reach it through the server's sink); a stateless request gets its own log channel.
 */
export function asCaller<T>(
  audience: Audience,
  ctx: ServerContext | undefined,
  work: () => Promise<T>,
): Promise<T> {
  const log = audience.era === "modern" && ctx
    ? (level: "debug" | "info" | "warning" | "error", data: unknown) =>
      void ctx.mcpReq.log(level, data, "taiga-mcp").catch(() => undefined)
    : undefined;
  return runAsCaller(audience.owner, work, log);
}
