/**
 * The dependencies every tool shares, and how a tool finds its session: the one named by
 * `session_id`, else the caller's default, else the start-up session (re-created on demand).
 * @module
 */

import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { type RequestPolicy, type TaigaAuth, TaigaClient } from "../taiga/client.ts";
import { TaigaError, type TaigaErrorType } from "../taiga/errors.ts";
import type { Session, SessionStore, SessionUser } from "../sessions/store.ts";
import type { TokenCache } from "../sessions/token_cache.ts";
import { verifyToken } from "../sessions/auth.ts";
import { normaliseApiUrl } from "../config.ts";
import type { MetadataCache } from "./metadata.ts";

/** Shared by every tool of one server process. */
export interface ServerDeps {
  /** Effective configuration. */
  config: Config;
  /** Logger (stderr, file, MCP notifications). */
  log: Logger;
  /** Live sessions. */
  sessions: SessionStore;
  /** The on-disk token cache. */
  tokens: TokenCache;
  /** Limits and timeouts for every Taiga request. */
  policy: RequestPolicy;
  /** Project metadata for name resolution, per session, short TTL. */
  metadata: MetadataCache;
}

/** What opens a session. */
export interface OpenSession {
  /** API base URL. */
  apiUrl: string;
  /** Accepted credentials. */
  auth: TaigaAuth;
  /** Whose they are. */
  user: SessionUser;
  /** MCP connection that owns it (undefined: shared start-up session). */
  owner?: string;
  /** The token the token cache held when these credentials were loaded from it. */
  cachedToken?: string;
}

/**
 * Creates a session whose client keeps the token cache in step when Taiga rotates the tokens
 * (a denylisted refresh token left in the cache would break the next start-up). Every write is a
 * compare-and-swap on the token the cache is known to hold, so a newer login is never undone.
 */
export function openSession(deps: ServerDeps, fields: OpenSession): Session {
  const { host } = normaliseApiUrl(fields.apiUrl);
  let lastToken = fields.cachedToken ?? fields.auth.token;
  const write = async (auth: TaigaAuth): Promise<void> => {
    if (auth.token === lastToken) return;
    await deps.tokens.rotate(host, lastToken, auth).catch((error) =>
      deps.log.warning(`could not update the token cache: ${describe(error)}`)
    );
    lastToken = auth.token;
  };
  // One write at a time, in order: each compare-and-swap needs the token the previous one wrote.
  let writes = Promise.resolve();
  const persist = (auth: TaigaAuth): Promise<void> => (writes = writes.then(() => write(auth)));
  // Verifying a cached token may already have rotated it.
  if (fields.cachedToken !== undefined) void persist(fields.auth);
  const client = new TaigaClient(fields.apiUrl, deps.policy, fields.auth, persist);
  return deps.sessions.create({
    host,
    apiUrl: fields.apiUrl,
    client,
    user: fields.user,
    tokenType: fields.auth.tokenType,
    owner: fields.owner,
  });
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Creates the shared start-up session from TAIGA_AUTH_TOKEN, else from the token cache entry for
 * TAIGA_API_URL. Returns undefined (and logs why) when neither gives credentials Taiga accepts.
 */
export async function startupSession(deps: ServerDeps): Promise<Session | undefined> {
  const { config, log } = deps;
  let auth: TaigaAuth | undefined;
  let cachedToken: string | undefined;
  let source = "TAIGA_AUTH_TOKEN";
  if (config.authToken) {
    auth = { token: config.authToken, tokenType: config.tokenType };
  } else {
    const cached = await deps.tokens.get(config.host).catch((error) => {
      log.warning(`token cache unreadable: ${error instanceof Error ? error.message : error}`);
      return undefined;
    });
    if (!cached) return undefined;
    auth = { token: cached.token, tokenType: cached.tokenType, refresh: cached.refresh };
    cachedToken = cached.token;
    source = "the token cache";
  }
  try {
    const login = await verifyToken(config.apiUrl, deps.policy, auth);
    const session = openSession(deps, { apiUrl: config.apiUrl, ...login, cachedToken });
    log.info(`default session ready for ${login.user.username} at ${config.host} (from ${source})`);
    return session;
  } catch (error) {
    const unreachable = error instanceof TaigaError && error.type !== "auth";
    const reason = unreachable
      ? `check of the credentials from ${source} failed: ${describe(error)}`
      : `credentials from ${source} were not accepted (${describe(error)})`;
    startupFailure.set(deps, { reason, type: unreachable ? error.type : "auth" });
    log.warning(`no default session: ${reason}`);
    return undefined;
  }
}

const startupFailure = new WeakMap<ServerDeps, { reason: string; type: TaigaErrorType }>();

const startupInFlight = new WeakMap<ServerDeps, Promise<Session | undefined>>();

/** Finds the session a tool call should use, or throws a clear "log in first" error. */
export async function resolveSession(
  deps: ServerDeps,
  sessionId: string | undefined,
  owner?: string,
): Promise<Session> {
  if (sessionId) return deps.sessions.get(sessionId, owner);
  const existing = deps.sessions.findDefault(owner);
  if (existing) return existing;
  let pending = startupInFlight.get(deps);
  if (!pending) {
    pending = startupSession(deps).finally(() => startupInFlight.delete(deps));
    startupInFlight.set(deps, pending);
  }
  const created = await pending;
  if (created) return created;
  const why = startupFailure.get(deps);
  throw new TaigaError(
    why?.type ?? "auth",
    (why ? `Not logged in to Taiga: the start-up ${why.reason}. ` : "Not logged in to Taiga. ") +
      "Call login_with_token (recommended: an application token), login_from_cache, or login first; set TAIGA_AUTH_TOKEN to log in at start-up.",
  );
}
