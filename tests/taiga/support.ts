/**
 * Shared setup for the Taiga client tests: a request policy, a logged-in client against a test
 * sandbox, and a check that a promise fails with a given error type.
 * @module
 */

import assert from "node:assert/strict";
import { startTestSandbox, type TestSandbox } from "../../sandbox/testing.ts";
import { TaigaClient } from "../../src/taiga/client.ts";
import { InputError, TaigaError } from "../../src/taiga/errors.ts";
import { type ClientLog, createRequestPolicy, type RequestPolicy } from "../../src/taiga/policy.ts";

/** A policy without a rate limit and without jitter; `timeoutSeconds` per call. */
export function testPolicy(timeoutSeconds = 5, log?: ClientLog): RequestPolicy {
  return {
    ...createRequestPolicy({
      requestTimeoutSeconds: timeoutSeconds,
      rateLimitPerMinute: 0,
      maxConnections: 10,
      maxKeepaliveConnections: 5,
    }, log),
    random: () => 0,
  };
}

/** A client logged in as demo/demo123. */
export async function demoClient(apiUrl: string, policy: RequestPolicy): Promise<TaigaClient> {
  const anon = new TaigaClient(apiUrl, policy);
  const body = await anon.post<{ auth_token: string; refresh: string }>("auth", {
    type: "normal",
    username: "demo",
    password: "demo123",
  });
  return new TaigaClient(apiUrl, policy, {
    token: body.auth_token,
    tokenType: "Bearer",
    refresh: body.refresh,
  });
}

/** Asserts that `promise` fails with an error of `type` ("input" for an InputError) and returns it. */
export async function expectError(promise: Promise<unknown>, type: string): Promise<TaigaError> {
  try {
    await promise;
  } catch (error) {
    const typed = type === "input" ? error instanceof InputError : error instanceof TaigaError;
    assert.ok(typed, `expected a ${type} error, got ${error}`);
    assert.equal((error as TaigaError).type, type, (error as Error).message);
    return error as TaigaError;
  }
  throw new Error(`expected a ${type} error`);
}

/** A sandbox, a policy and a demo client for `body`; everything is closed afterwards. */
export async function withClient(
  body: (setup: { sandbox: TestSandbox; policy: RequestPolicy; client: TaigaClient }) => Promise<
    void
  >,
  options: { timeoutSeconds?: number; log?: ClientLog } = {},
): Promise<void> {
  const sandbox = await startTestSandbox();
  const policy = testPolicy(options.timeoutSeconds, options.log);
  try {
    const client = await demoClient(sandbox.apiUrl, policy);
    await body({ sandbox, policy, client });
  } finally {
    policy.httpClient?.close();
    await sandbox.close();
  }
}

/** A ClientLog keeping its DEBUG and WARNING records. */
export function recordingClientLog(): {
  log: ClientLog;
  records: Array<{ message: string; data?: Record<string, unknown> }>;
} {
  const records: Array<{ message: string; data?: Record<string, unknown> }> = [];
  const keep = (message: string, data?: Record<string, unknown>): void =>
    void records.push({ message, data });
  return { log: { debug: keep, warning: keep }, records };
}
