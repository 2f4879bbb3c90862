/**
 * Wires one running taiga-mcp: logger, shared dependencies (sessions, token cache, metadata),
 * the catalog, the optional in-process sandbox Taiga, and the start-up session.
 * @module
 */

import type { Sandbox, SandboxOptions } from "../sandbox/mod.ts";
import { CATALOG } from "./catalog.ts";
import { type Config, normaliseApiUrl } from "./config/load.ts";
import { Logger } from "./log/logger.ts";
import { createDeps, type ServerDeps } from "./mcp/deps.ts";
import type { Catalog } from "./mcp/server.ts";
import { loginWithPassword } from "./sessions/auth.ts";
import { ensureCacheDir } from "./sessions/cache_dir.ts";
import { TokenCache } from "./sessions/token_cache.ts";

/** A wired application. */
export interface App<S extends Sandbox = Sandbox> {
  /** Dependencies for MCP servers. */
  deps: ServerDeps;
  /** What every server offers. */
  catalog: Catalog;
  /** The sandbox Taiga, in --sandbox mode. */
  sandbox?: S;
  /** Stops background work and the sandbox. */
  close(): Promise<void>;
}

/** Options of {@link createApp}. */
export interface AppOptions<S extends Sandbox> {
  /** Logger to use (default: one built from the configuration). */
  logger?: Logger;
  /** Starts the sandbox in --sandbox mode (default: the shipped one; tests pass theirs). */
  startSandbox?: (options: SandboxOptions) => Promise<S>;
}

/** Builds the application for `config`; in sandbox mode starts the sandbox and logs in as demo. */
export async function createApp<S extends Sandbox = Sandbox>(
  config: Config,
  options: AppOptions<S> = {},
): Promise<App<S>> {
  if (config.logFile?.startsWith(config.cacheDir)) await ensureCacheDir(config.cacheDir);
  const log = options.logger ?? new Logger({ level: config.logLevel, file: config.logFile });
  let sandbox: S | undefined;
  let effective = config;
  if (config.sandbox) {
    // Loaded only in sandbox mode: a real deployment never pays for it at start-up.
    const start = options.startSandbox ??
      ((await import("../sandbox/mod.ts")).startSandbox as (o: SandboxOptions) => Promise<S>);
    sandbox = await start({ hostname: "127.0.0.1", port: 0 });
    effective = { ...config, ...normaliseApiUrl(sandbox.apiUrl), authToken: undefined };
  }
  const deps = createDeps(effective, log);
  if (sandbox) {
    // The sandbox is a throwaway Taiga on a random port: its tokens must never reach the real
    // cache (save_session_token would leave a dead http://127.0.0.1:<port> entry there).
    const memory = new TokenCache(effective.cacheDir, { inMemory: true });
    (deps.sessions as { tokens: TokenCache }).tokens = memory;
    (deps.sessions.options as { tokens: TokenCache }).tokens = memory;
    const { username, password } = sandbox.user;
    const login = await loginWithPassword(effective.apiUrl, deps.policy, username, password);
    deps.sessions.open({ apiUrl: effective.apiUrl, ...login });
    log.info(
      `sandbox Taiga running at ${sandbox.apiUrl} (in memory, demo data only); the default session is logged in as "${username}" (password "${password}"); token-cache tools keep tokens in memory only`,
    );
  } else {
    deps.sessions.warmUp();
  }
  return {
    deps,
    catalog: CATALOG,
    sandbox,
    close: async () => {
      deps.close();
      await sandbox?.close();
      log.close();
    },
  };
}
