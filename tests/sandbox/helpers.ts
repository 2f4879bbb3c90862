/**
 * Test helpers: a started sandbox plus a tiny JSON client over real HTTP.
 *
 * @module
 */

import { type SandboxOptions, startTestSandbox, type TestSandbox } from "../../sandbox/testing.ts";

/** A response read completely. */
export interface Reply {
  status: number;
  headers: Headers;
  // deno-lint-ignore no-explicit-any
  body: any;
  text: string;
}

/** A sandbox with a logged-in demo user. */
export interface TestBed {
  sandbox: TestSandbox;
  token: string;
  refresh: string;
  /** Sends a request as demo (or with `auth`: a full header value, or null for none). */
  call(
    method: string,
    path: string,
    body?: unknown,
    options?: { auth?: string | null; headers?: Record<string, string> },
  ): Promise<Reply>;
  close(): Promise<void>;
}

/** Sends one request to the sandbox API and reads the whole answer. */
export async function request(
  sandbox: TestSandbox,
  method: string,
  path: string,
  body?: unknown,
  headers: Record<string, string> = {},
): Promise<Reply> {
  const init: RequestInit = { method, headers: { ...headers } };
  if (body !== undefined) {
    if (body instanceof FormData) init.body = body;
    else {
      init.body = JSON.stringify(body);
      (init.headers as Record<string, string>)["Content-Type"] = "application/json";
    }
  }
  const url = path.startsWith("http") ? path : `${sandbox.apiUrl}${path}`;
  const res = await fetch(url, init);
  const text = await res.text();
  let parsed: unknown = null;
  try {
    parsed = text ? JSON.parse(text) : null;
  } catch {
    parsed = text;
  }
  return { status: res.status, headers: res.headers, body: parsed, text };
}

/** Logs in and returns the tokens. */
export async function login(
  sandbox: TestSandbox,
  username = "demo",
  password = "demo123",
): Promise<{ token: string; refresh: string }> {
  const r = await request(sandbox, "POST", "/auth", { type: "normal", username, password });
  if (r.status !== 200) throw new Error(`login failed: ${r.status} ${r.text}`);
  return { token: r.body.auth_token, refresh: r.body.refresh };
}

/** Starts a sandbox and logs in as demo. */
export async function testBed(options: SandboxOptions = {}): Promise<TestBed> {
  const sandbox = await startTestSandbox(options);
  const { token, refresh } = await login(sandbox);
  return {
    sandbox,
    token,
    refresh,
    call(method, path, body, opts = {}) {
      const headers: Record<string, string> = { ...opts.headers };
      const auth = opts.auth === undefined ? `Bearer ${token}` : opts.auth;
      if (auth !== null) headers.Authorization = auth;
      return request(sandbox, method, path, body, headers);
    },
    close: () => sandbox.close(),
  };
}

/** Runs `fn` with a fresh test bed and always closes it. */
export async function withBed(
  fn: (bed: TestBed) => Promise<void>,
  options: SandboxOptions = {},
): Promise<void> {
  const bed = await testBed(options);
  try {
    await fn(bed);
  } finally {
    await bed.close();
  }
}
