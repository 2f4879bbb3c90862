/**
 * The dependencies every tool shares, and how a tool finds its session: the one named by
 * `session_id`, else the caller's default, else the start-up session (re-created on demand).
 * @module
 */

import type { Config } from "../config.ts";
import type { Logger } from "../log.ts";
import { type RequestPolicy, type TaigaAuth, TaigaClient } from "../taiga/client.ts";
import { TaigaError } from "../taiga/errors.ts";
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
}

/**
 * Creates a session whose client keeps the token cache in step when Taiga rotates the tokens
 * (a denylisted refresh token left in the cache would break the next start-up).
 */
export function openSession(deps: ServerDeps, fields: OpenSession): Session {
  const { host } = normaliseApiUrl(fields.apiUrl);
  const previous = fields.auth.token;
  let lastToken = previous;
  const client = new TaigaClient(fields.apiUrl, deps.policy, fields.auth, async (auth) => {
    const cached = await deps.tokens.get(host).catch(() => undefined);
    if (cached && cached.token === lastToken) {
      await deps.tokens.put({ ...cached, token: auth.token, refresh: auth.refresh });
    }
    lastToken = auth.token;
  });
  return deps.sessions.create({
    host,
    apiUrl: fields.apiUrl,
    client,
    user: fields.user,
    tokenType: fields.auth.tokenType,
    owner: fields.owner,
  });
}

/**
 * Creates the shared start-up session from TAIGA_AUTH_TOKEN, else from the token cache entry for
 * TAIGA_API_URL. Returns undefined (and logs why) when neither gives credentials Taiga accepts.
 */
export async function startupSession(deps: ServerDeps): Promise<Session | undefined> {
  const { config, log } = deps;
  let auth: TaigaAuth | undefined;
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
    source = "the token cache";
  }
  try {
    const login = await verifyToken(config.apiUrl, deps.policy, auth);
    const session = openSession(deps, { apiUrl: config.apiUrl, ...login });
    log.info(`default session ready for ${login.user.username} at ${config.host} (from ${source})`);
    return session;
  } catch (error) {
    const reason = `credentials from ${source} were not accepted (${
      error instanceof Error ? error.message : error
    })`;
    startupFailure.set(deps, reason);
    log.warning(`no default session: ${reason}`);
    return undefined;
  }
}

const startupFailure = new WeakMap<ServerDeps, string>();

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
    "auth",
    (why ? `Not logged in to Taiga: the start-up ${why}. ` : "Not logged in to Taiga. ") +
      "Call login_with_token (recommended: an application token), login_from_cache, or login first; set TAIGA_AUTH_TOKEN to log in at start-up.",
  );
}
