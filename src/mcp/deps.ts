/**
 * The dependencies every tool, resource and prompt of one process shares, and the one function
 * that wires them — used by the app and the tests alike.
 * @module
 */

import type { Config } from "../config/load.ts";
import { MetadataCache } from "../domain/metadata_cache.ts";
import type { Logger } from "../log/logger.ts";
import { SessionManager } from "../sessions/manager.ts";
import { Sealer } from "../sessions/sealed.ts";
import { TokenCache } from "../sessions/token_cache.ts";
import { createRequestPolicy, type RequestPolicy } from "../taiga/policy.ts";
import { CompletionCache } from "./completion_cache.ts";

/** Shared by every MCP server of one process. */
export interface ServerDeps {
  /** Effective configuration. */
  readonly config: Config;
  /** Logger (stderr, file, MCP notifications). */
  readonly log: Logger;
  /** Limits and timeouts for every Taiga request. */
  readonly policy: RequestPolicy;
  /** Taiga sessions, the token cache and the start-up session. */
  readonly sessions: SessionManager;
  /** Project metadata per session, for names. */
  readonly metadata: MetadataCache;
  /** Completion candidates per session, kept briefly. */
  readonly completions: CompletionCache;
  /** Stops background work (the session sweep) and closes the HTTP client pool. */
  close(): void;
}

/** How a person logs in, in the words of each transport (HTTP clients have no token-cache tools). */
function loginHint(config: Config): string {
  if (config.transport === "http" && config.http.auth === "oauth") {
    return "Sign in to this server again from your MCP client (OAuth); session_status shows who you act as.";
  }
  return config.transport === "stdio"
    ? "Call login_with_token (recommended: an application token), login_from_cache, or login first; set TAIGA_AUTH_TOKEN to log in at start-up."
    : "Call login_with_token (recommended: an application token) or login first; the operator can set TAIGA_AUTH_TOKEN to give every client a start-up session.";
}

/** Wires the shared dependencies of `config`; sessions end on their own (expiry sweep). */
export function createDeps(config: Config, log: Logger): ServerDeps {
  const policy = createRequestPolicy(config, log);
  const metadata = new MetadataCache();
  const completions = new CompletionCache();
  const sessions = new SessionManager({
    apiUrl: config.apiUrl,
    host: config.host,
    authToken: config.authToken,
    tokenType: config.tokenType,
    expirySeconds: config.sessionExpirySeconds,
    policy,
    tokens: new TokenCache(config.cacheDir, { onWarning: (message) => log.warning(message) }),
    log,
    loginHint: loginHint(config),
    sealer: new Sealer(config.http.sealKeys),
  });
  sessions.onRemoved((session) => {
    metadata.forget(session.id);
    completions.forget(session.id);
  });
  const sweep = setInterval(() => sessions.cleanup(), 60_000);
  Deno.unrefTimer(sweep);
  return {
    config,
    log,
    policy,
    sessions,
    metadata,
    completions,
    close: () => {
      clearInterval(sweep);
      policy.httpClient?.close();
    },
  };
}
