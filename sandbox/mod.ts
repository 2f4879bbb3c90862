/**
 * The sandbox Taiga: an in-memory server speaking the real Taiga 6.10 HTTP API (`/api/v1/...`),
 * seeded with demo data only, for `taiga-mcp --sandbox`. This is the entry that ships; the
 * test-only surface (faults, request counters, raw state, token expiry) is in `testing.ts`.
 *
 * ```ts
 * const sandbox = await startSandbox();
 * const res = await fetch(`${sandbox.apiUrl}/auth`, {
 *   method: "POST",
 *   headers: { "Content-Type": "application/json" },
 *   body: JSON.stringify({ type: "normal", ...SANDBOX_USER }),
 * });
 * await sandbox.close();
 * ```
 *
 * The seed is described in `seed.ts`; its external Application's id is
 * {@link SANDBOX_APPLICATION_ID} (for `taiga-mcp app-token --application <id>`).
 *
 * @module
 */

import { seedDemoData } from "./seed.ts";
import { createSandboxHandler, type HandlerOptions } from "./server.ts";
import { SandboxState } from "./state.ts";
import { serve } from "./transport.ts";

export { SANDBOX_APPLICATION_ID } from "./seed.ts";

/** The demo account `--sandbox` logs in as (fixed and public: the sandbox holds no real data). */
export const SANDBOX_USER = { username: "demo", password: "demo123" } as const;

/** Options of {@link startSandbox}. */
export interface SandboxOptions {
  /** Port to listen on (default 0: any free port). */
  port?: number;
  /** Interface to listen on (default 127.0.0.1). */
  hostname?: string;
  /** Default true: demo users and the demo project (see `seed.ts`). */
  seed?: boolean;
  /** Lifetime of access tokens (default 24 h, as taiga-back's settings). */
  accessTokenTtlSeconds?: number;
}

/** A running sandbox. */
export interface Sandbox {
  /** e.g. "http://127.0.0.1:41234". */
  readonly origin: string;
  /** origin + "/api/v1". */
  readonly apiUrl: string;
  /** The demo account to log in as ({@link SANDBOX_USER}). */
  readonly user: typeof SANDBOX_USER;
  /** Stops the server. */
  close(): Promise<void>;
}

/** What the testing entry adds when it starts a sandbox through {@link startServing}. */
export interface ServeHooks {
  /** Wraps every request (fault injection). */
  intercept?: HandlerOptions["intercept"];
  /** When it returns true, the answer closes its connection (`Connection: close`). */
  closeAfter?: () => boolean;
}

/** A sandbox with its store and handler, as the testing entry needs them. */
export interface Serving extends Sandbox {
  /** The in-memory store. */
  readonly state: SandboxState;
  /** The request handler (its token service). */
  readonly handler: ReturnType<typeof createSandboxHandler>;
  /** Closes the keep-alive connections that are idle now. */
  closeIdle(): void;
}

/** Starts a sandbox with optional hooks; shared by {@link startSandbox} and the testing entry. */
export async function startServing(
  options: SandboxOptions = {},
  hooks: ServeHooks = {},
): Promise<Serving> {
  const state = new SandboxState();
  if (options.seed ?? true) await seedDemoData(state);
  const handler = createSandboxHandler(state, {
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
    intercept: hooks.intercept,
  });
  const served = await serve(handler, {
    port: options.port,
    hostname: options.hostname,
    closeAfter: hooks.closeAfter,
  });
  return {
    origin: served.origin,
    apiUrl: `${served.origin}/api/v1`,
    user: SANDBOX_USER,
    state,
    handler,
    closeIdle: () => served.closeIdle(),
    close: () => served.close(),
  };
}

/** Starts a sandbox Taiga on loopback (port 0 by default) and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const { origin, apiUrl, user, close } = await startServing(options);
  return { origin, apiUrl, user, close };
}
