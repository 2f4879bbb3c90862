/**
 * The HTTP harness (sandbox Taiga, our transport in-process) with `--auth oauth` on a port
 * chosen first, so the public URL (the issuer) is known before the server starts.
 * @module
 */

import { type HttpHarness, startHttpHarness } from "../helpers/http_harness.ts";
import { freePort } from "./driver.ts";

/** The operator's key of these tests (public: test data only). */
export const TEST_KEY = "oauth-test-key-0123456789abcdefghijklmnopqrstuv";

/** A running OAuth server in-process. */
export interface OAuthHarness {
  /** The HTTP harness (app, sandbox, log lines). */
  h: HttpHarness;
  /** The issuer, e.g. `http://127.0.0.1:41234`. */
  issuer: string;
  /** `<issuer>/mcp`. */
  resource: string;
  /** Stops it. */
  close(): Promise<void>;
}

/** Starts the sandbox-backed server with OAuth on (extra settings in `env`). */
export async function startOAuthHarness(env: Record<string, string> = {}): Promise<OAuthHarness> {
  const port = freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const h = await startHttpHarness({
    env: {
      MCP_AUTH: "oauth",
      MCP_PUBLIC_URL: issuer,
      MCP_OAUTH_KEY: TEST_KEY,
      MCP_PORT: String(port),
      ...env,
    },
  });
  return { h, issuer, resource: `${issuer}/mcp`, close: () => h.close() };
}
