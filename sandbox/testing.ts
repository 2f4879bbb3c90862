/**
 * The sandbox's test-only surface: a sandbox with fault injection, a request counter, its raw
 * in-memory state, application tokens and access-token expiry, plus the helpers tests seed
 * with. Tests, benchmarks and scripts import this entry; nothing that ships does.
 *
 * @module
 */

import { ConnectionDropped, type Fault, type FaultInjector, FaultQueue } from "./faults.ts";
import { faultInterceptor } from "./faults.ts";
import { type Sandbox, type SandboxOptions, startServing } from "./mod.ts";
import type { SandboxState } from "./state.ts";
import { randomHex } from "./tokens.ts";

export type { Fault, FaultInjector };
export { ConnectionDropped, faultInterceptor, FaultQueue };
export { createSandboxHandler } from "./server.ts";
export type { HandlerOptions, SandboxHandler } from "./server.ts";
export { SandboxState } from "./state.ts";
export type * from "./model.ts";
export { createUser, DEMO_USERS, seedDemoData } from "./seed.ts";
export { createItem } from "./items.ts";
export { SANDBOX_APPLICATION_ID, SANDBOX_USER, type SandboxOptions, startSandbox } from "./mod.ts";

/** A running sandbox with everything tests need to arrange and observe it. */
export interface TestSandbox extends Sandbox {
  /** The in-memory store (for assertions and seeding). */
  readonly state: SandboxState;
  /** Fault injection. */
  readonly faults: FaultInjector;
  /** Number of HTTP requests received (all paths), for "≤ N requests" assertions. */
  requestCount(): number;
  /** Resets the request counter to 0. */
  resetRequestCount(): void;
  /**
   * Creates an Application token for that user, as the authorize/validate flow would give one,
   * without a token row (`/application-tokens` does not list it).
   */
  createApplicationToken(username: string): string;
  /** Makes every access token issued so far invalid (as if expired); refresh tokens stay valid. */
  expireAccessTokens(): void;
}

/** Creates an application token for `username` in `state` (throws for an unknown user). */
export function createApplicationToken(state: SandboxState, username: string): string {
  const user = state.findUser(username);
  if (!user) throw new Error(`sandbox: no user ${JSON.stringify(username)}`);
  const token = `${randomHex(8)}-${randomHex(4)}-${randomHex(4)}-${randomHex(4)}-${randomHex(12)}`;
  state.appTokens.set(token, user.id);
  return token;
}

/** Starts a sandbox for tests on loopback (port 0 by default). */
export async function startTestSandbox(options: SandboxOptions = {}): Promise<TestSandbox> {
  const faults = new FaultQueue();
  const aborter = new AbortController();
  const intercept = faultInterceptor(faults, aborter.signal);
  let count = 0;
  const serving = await startServing(options, {
    intercept: (req, next) => {
      count += 1;
      return intercept(req, next);
    },
    closeAfter: () => faults.hasDrop(),
  });
  faults.onDropQueued = () => serving.closeIdle();
  let closed: Promise<void> | undefined;
  return {
    origin: serving.origin,
    apiUrl: serving.apiUrl,
    user: serving.user,
    state: serving.state,
    faults,
    requestCount: () => count,
    resetRequestCount: () => {
      count = 0;
    },
    createApplicationToken: (username) => createApplicationToken(serving.state, username),
    expireAccessTokens: () => serving.handler.tokens.expireAccessTokens(),
    close: () => {
      if (!closed) {
        aborter.abort();
        closed = serving.close();
      }
      return closed;
    },
  };
}
