/**
 * The sandbox Taiga: an in-memory server speaking the real Taiga 6.10 HTTP API
 * (`/api/v1/...`), for tests, benchmarks and `taiga-mcp --sandbox`.
 *
 * ```ts
 * const sandbox = await startSandbox();
 * const res = await fetch(`${sandbox.apiUrl}/auth`, {
 *   method: "POST",
 *   headers: { "Content-Type": "application/json" },
 *   body: JSON.stringify({ type: "normal", username: "demo", password: "demo123" }),
 * });
 * await sandbox.close();
 * ```
 *
 * The seed (on by default) is described in `seed.ts`.
 *
 * @module
 */

import { type Fault, type FaultInjector, FaultQueue } from "./faults.ts";
import { seedDemoData } from "./seed.ts";
import { createSandboxHandler, type SandboxHandler } from "./server.ts";
import { SandboxState } from "./state.ts";
import { randomHex } from "./tokens.ts";
import { serve } from "./transport.ts";

export type { Fault, FaultInjector };
export { ConnectionDropped } from "./faults.ts";
export { createSandboxHandler } from "./server.ts";
export type { HandlerOptions, SandboxHandler } from "./server.ts";
export { SandboxState } from "./state.ts";
export { createUser, DEMO_USERS, seedDemoData } from "./seed.ts";

/** Options of `startSandbox`. */
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
  /** The in-memory store (for test assertions/seeding). */
  readonly state: SandboxState;
  /** Fault injection. */
  readonly faults: FaultInjector;
  /** Number of HTTP requests received (all paths), for "≤ N requests" assertions; resettable. */
  requestCount(): number;
  /** Resets the request counter to 0. */
  resetRequestCount(): void;
  /** Creates an Application token for that user (what a Taiga admin+OAuth flow would give). */
  createApplicationToken(username: string): string;
  /** Makes every access token issued so far invalid (as if expired) — refresh tokens stay valid. */
  expireAccessTokens(): void;
  /** Stops the server. */
  close(): Promise<void>;
}

/** Creates an application token for `username` in `state` (throws for an unknown user). */
export function createApplicationToken(state: SandboxState, username: string): string {
  const user = state.findUser(username);
  if (!user) throw new Error(`sandbox: no user ${JSON.stringify(username)}`);
  const token = `${randomHex(8)}-${randomHex(4)}-${randomHex(4)}-${randomHex(4)}-${randomHex(12)}`;
  state.appTokens.set(token, user.id);
  return token;
}

/** Starts a sandbox Taiga on loopback (port 0 by default) and resolves once it listens. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const state = new SandboxState();
  if (options.seed ?? true) await seedDemoData(state);
  const faults = new FaultQueue();
  const aborter = new AbortController();
  const handler: SandboxHandler = createSandboxHandler(state, {
    accessTokenTtlSeconds: options.accessTokenTtlSeconds,
    faults,
    signal: aborter.signal,
  });
  const served = await serve(handler, {
    port: options.port,
    hostname: options.hostname,
    closeAfter: () => faults.hasDrop(),
  });
  faults.onDropQueued = () => served.closeIdle();
  let closed: Promise<void> | undefined;
  return {
    origin: served.origin,
    apiUrl: `${served.origin}/api/v1`,
    state,
    faults,
    requestCount: () => handler.requestCount(),
    resetRequestCount: () => handler.resetRequestCount(),
    createApplicationToken: (username) => createApplicationToken(state, username),
    expireAccessTokens: () => handler.tokens.expireAccessTokens(),
    close: () => {
      if (!closed) {
        aborter.abort();
        closed = served.close();
      }
      return closed;
    },
  };
}
