/**
 * Wires one running taiga-mcp: logger, request policy, sessions, token cache, the optional
 * in-process sandbox Taiga, and the start-up session.
 * @module
 */

import { type Config, normaliseApiUrl } from "./config.ts";
import { Logger } from "./log.ts";
import type { ServerDeps } from "./mcp/deps.ts";
import { openSession, resolveSession } from "./mcp/deps.ts";
import { loginWithPassword } from "./sessions/auth.ts";
import { SessionStore } from "./sessions/store.ts";
import { TokenCache } from "./sessions/token_cache.ts";
import { ensureCacheDir } from "./sessions/cache_dir.ts";
import { createRequestPolicy } from "./taiga/client.ts";
import type { Sandbox } from "./sandbox/mod.ts";
import { MetadataCache } from "./mcp/metadata.ts";

/** The demo account of the sandbox Taiga (it holds no real data). */
export const SANDBOX_USER = { username: "demo", password: "demo123" } as const;

/** A wired application. */
export interface App {
  /** Dependencies for MCP servers. */
  deps: ServerDeps;
  /** The sandbox Taiga, in --sandbox mode. */
  sandbox?: Sandbox;
  /** Stops background work and the sandbox. */
  close(): Promise<void>;
}

/** Builds the application for `config`; in sandbox mode starts the sandbox and logs in as demo. */
export async function createApp(config: Config, logger?: Logger): Promise<App> {
  if (config.logFile?.startsWith(config.cacheDir)) await ensureCacheDir(config.cacheDir);
  const log = logger ?? new Logger({ level: config.logLevel, file: config.logFile });
  let sandbox: Sandbox | undefined;
  let effective = config;
  if (config.sandbox) {
    // Loaded only in sandbox mode: a real deployment never pays for it at start-up.
    const { startSandbox } = await import("./sandbox/mod.ts");
    sandbox = await startSandbox({ hostname: "127.0.0.1", port: 0 });
    effective = { ...config, ...normaliseApiUrl(sandbox.apiUrl), authToken: undefined };
  }
  const policy = createRequestPolicy(effective, log);
  const deps: ServerDeps = {
    config: effective,
    log,
    policy,
    sessions: new SessionStore(effective.sessionExpirySeconds),
    metadata: new MetadataCache(),
    tokens: new TokenCache(effective.cacheDir, { onWarning: (message) => log.warning(message) }),
  };
  if (sandbox) {
    const login = await loginWithPassword(
      effective.apiUrl,
      policy,
      SANDBOX_USER.username,
      SANDBOX_USER.password,
    );
    openSession(deps, { apiUrl: effective.apiUrl, ...login });
    log.info(
      `sandbox Taiga running at ${sandbox.apiUrl} (in memory, demo data only); the default session is logged in as "${SANDBOX_USER.username}" (password "${SANDBOX_USER.password}")`,
    );
  } else {
    // Warm the start-up session in the background so the first tool call is fast.
    resolveSession(deps, undefined).catch(() => undefined);
  }
  const cleanup = setInterval(() => deps.sessions.cleanup(), 60_000);
  Deno.unrefTimer(cleanup);
  return {
    deps,
    sandbox,
    close: async () => {
      clearInterval(cleanup);
      policy.httpClient?.close();
      await sandbox?.close();
      log.close();
    },
  };
}
