/**
 * The one request-context type: what a tool, resource or prompt handler gets besides its
 * arguments, and how it is built for one MCP request.
 * @module
 */

import type { MetadataCache } from "../domain/metadata_cache.ts";
import type { WorkContext } from "../domain/names.ts";
import type { Session } from "../sessions/store.ts";
import type { ServerDeps } from "./deps.ts";

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
}

/** The parts of one MCP request a context is built from. */
export interface RequestParts {
  /** Cancellation of the request. */
  signal: AbortSignal;
  /** The client's progress token, if it sent one. */
  progressToken?: string | number;
  /** Sends a progress notification for this request. */
  sendProgress?(progress: { progress: number; total?: number; message?: string }): Promise<void>;
}

/** Builds the context of one request on connection `owner`; `sessionId` is the call's default. */
export function createContext(
  deps: ServerDeps,
  parts: RequestParts,
  owner: string | undefined,
  sessionId?: string,
): RequestContext {
  return {
    deps,
    owner,
    metadata: deps.metadata,
    signal: parts.signal,
    session: (explicit?: string) => deps.sessions.resolve(explicit ?? sessionId, owner),
    progress: async (done, total, message) => {
      if (parts.progressToken === undefined || !parts.sendProgress) return;
      await parts.sendProgress({ progress: done, total, message }).catch(() => undefined);
    },
  };
}
