/**
 * The one request-context type: what a tool, resource or prompt handler gets besides its
 * arguments, and how it is built for one MCP request.
 * @module
 */

import type { MetadataCache } from "../domain/metadata_cache.ts";
import type { WorkContext } from "../domain/names.ts";
import type { VerifiedLogin } from "../sessions/auth.ts";
import type { Session } from "../sessions/store.ts";
import type { TaigaAuth } from "../taiga/client.ts";
import { TaigaError } from "../taiga/errors.ts";
import type { ServerDeps } from "./deps.ts";

/**
 * A content block a tool adds to its result beside the JSON: an image the client shows, or a
 * link to a resource it can read (a file too big to inline).
 */
export type AttachedContent =
  | { type: "image"; data: string; mimeType: string }
  | {
    type: "resource_link";
    uri: string;
    name: string;
    mimeType?: string;
    size?: number;
    description?: string;
  };

/** What a handler gets besides its arguments. */
export interface RequestContext extends WorkContext {
  /** Shared server dependencies. */
  readonly deps: ServerDeps;
  /** Project metadata per session (also `deps.metadata`). */
  readonly metadata: MetadataCache;
  /** Aborts when the client cancels the request. */
  readonly signal: AbortSignal;
  /** The MCP connection calling (HTTP session id); undefined for the stdio client. */
  readonly owner?: string;
  /** The session named by `session_id`, or the default one; throws a clear auth error. */
  session(sessionId?: string): Promise<Session>;
  /** Reports progress when the client asked for it (progressToken); otherwise does nothing. */
  progress(done: number, total?: number, message?: string): Promise<void>;
  /**
   * True for a stateless request (2026-07-28 over HTTP): nothing may be kept for it between
   * requests, so a login's session travels in its (sealed) session id.
   */
  readonly stateless: boolean;
  /** Starts a session for credentials Taiga accepted (kept here, or carried in its id). */
  openSession(login: VerifiedLogin & { apiUrl: string }): Promise<Session>;
  /**
   * Asks the person to confirm `question` before something that cannot be undone, unless the
   * call said `confirm: true`. Resolves when confirmed; otherwise the call ends here (the client
   * is asked, or told to pass `confirm: true`, or the person declined) — nothing was changed.
   * Call it before the first write: a confirmed call runs the handler again from the start.
   */
  confirm(question: string, confirmed?: boolean): Promise<void>;
  /** Adds a content block to a tool's result (not repeated in its structured output). */
  attach(block: AttachedContent): void;
  /** The blocks attached so far, in order (registration sends them). */
  readonly attached: readonly AttachedContent[];
}

/**
 * Thrown by {@link RequestContext.confirm} to end a call that needs the person's answer first;
 * registration turns it into the protocol's question (or an error saying what to pass).
 */
export class NeedsConfirmation extends Error {
  /** What will be lost, asked of the person. */
  readonly question: string;

  /** For `question`. */
  constructor(question: string) {
    super(question);
    this.name = "NeedsConfirmation";
    this.question = question;
  }
}

/** The parts of one MCP request a context is built from. */
export interface RequestParts {
  /** Cancellation of the request. */
  signal: AbortSignal;
  /** The client's progress token, if it sent one. */
  progressToken?: string | number;
  /** Sends a progress notification for this request. */
  sendProgress?(progress: { progress: number; total?: number; message?: string }): Promise<void>;
  /** The request is stateless (see {@link RequestContext.stateless}). */
  stateless?: boolean;
  /** A Taiga credential the request carries (HTTP header), acting as its default session. */
  credential?: TaigaAuth;
  /** The credential is a person's, from an OAuth access token the transport verified. */
  signedIn?: boolean;
  /** The person's answer to a confirmation asked in an earlier round of this call, if any. */
  confirmation?: "accepted" | "declined";
}

/** Whether every person must sign in with OAuth (`--auth oauth` over HTTP). */
function oauthOnly(deps: ServerDeps): boolean {
  return deps.config.transport === "http" && deps.config.http.auth === "oauth";
}

/**
 * The session of a request under `--auth oauth`: the signed-in person's (checked with Taiga now
 * and then, never refreshed here: the refresh token is theirs, spent only by our token endpoint),
 * or one they named — but never the operator's start-up session, which is not theirs.
 */
async function personSession(
  deps: ServerDeps,
  parts: RequestParts,
  id: string | undefined,
  owner: string | undefined,
): Promise<Session> {
  if (!parts.signedIn || !parts.credential) {
    throw new TaigaError(
      "auth",
      "Not signed in: this server acts only for people signed in with OAuth. Reconnect your client to sign in.",
    );
  }
  if (id === undefined) return await deps.sessions.fromCredential(parts.credential, "oauth");
  const named = await deps.sessions.resolve(id, owner);
  if (named.owner === undefined && named.carried === undefined) {
    throw new TaigaError(
      "auth",
      "That session_id is the server's own session, which signed-in people cannot use. Leave session_id out to act as yourself.",
    );
  }
  return named;
}

/** Builds the context of one request on connection `owner`; `sessionId` is the call's default. */
export function createContext(
  deps: ServerDeps,
  parts: RequestParts,
  owner: string | undefined,
  sessionId?: string,
): RequestContext {
  const attached: AttachedContent[] = [];
  return {
    deps,
    owner,
    attached,
    attach: (block) => {
      attached.push(block);
    },
    metadata: deps.metadata,
    signal: parts.signal,
    stateless: parts.stateless === true,
    session: (explicit?: string) => {
      const id = explicit ?? sessionId;
      if (oauthOnly(deps)) return personSession(deps, parts, id, owner);
      if (id === undefined && parts.credential) {
        return deps.sessions.fromCredential(parts.credential);
      }
      return deps.sessions.resolve(id, owner);
    },
    openSession: (login) =>
      parts.stateless
        ? deps.sessions.openCarried(login)
        : Promise.resolve(deps.sessions.open({ ...login, owner })),
    confirm: (question, confirmed) => {
      if (confirmed === true || parts.confirmation === "accepted") return Promise.resolve();
      if (parts.confirmation === "declined") {
        return Promise.reject(
          new TaigaError("cancelled", `Nothing was changed: the person declined. (${question})`),
        );
      }
      return Promise.reject(new NeedsConfirmation(question));
    },
    progress: async (done, total, message) => {
      if (parts.progressToken === undefined || !parts.sendProgress) return;
      await parts.sendProgress({ progress: done, total, message }).catch(() => undefined);
    },
  };
}
