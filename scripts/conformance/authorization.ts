/**
 * The conformance suite's `authorization` command against taiga-mcp's own authorization server
 * (`--auth oauth`): starts `src/main.ts --sandbox --transport http --auth oauth` on a free port
 * with a throw-away key, registers a client for the suite's callback (RFC 7591), runs the suite,
 * and plays the browser when it prints the authorization URL — the sign-in form filled with the
 * sandbox's demo account, the redirect followed to the suite's callback server. Its scenarios
 * (`authorization-server-metadata-endpoint`, `authorization-code-grant`) are then read from
 * their checks.json files.
 * @module
 */

import { join } from "node:path";
import type { Check } from "./results.ts";
import { readResults, say, serverArgs } from "./process.ts";

/** The sandbox's demo account (fixed and public). */
const DEMO = { username: "demo", password: "demo123" };

function freePort(): number {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  return port;
}

/** Signs in at an authorization URL like a browser and follows the redirect to the callback. */
async function playBrowser(url: URL): Promise<void> {
  const page = await fetch(url, { redirect: "manual" });
  const html = await page.text();
  const cookie = page.headers.getSetCookie().map((line) => line.split(";")[0]).join("; ");
  const field = (name: string) => new RegExp(`name="${name}" value="([^"]+)"`).exec(html)?.[1];
  if (page.status !== 200 || !field("req")) {
    throw new Error(`the sign-in page answered ${page.status}`);
  }
  const signedIn = await fetch(`${url.origin}/authorize`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: cookie },
    body: new URLSearchParams({ req: field("req")!, csrf: field("csrf")!, ...DEMO }),
  });
  await signedIn.body?.cancel();
  const location = signedIn.headers.get("location");
  if (signedIn.status !== 303 || !location) throw new Error(`sign-in answered ${signedIn.status}`);
  const callback = await fetch(location);
  await callback.body?.cancel();
}

async function startOAuthServer(
  serverDir: string,
  cache: string,
  port: number,
): Promise<{ issuer: string; stop: () => Promise<void> }> {
  const issuer = `http://127.0.0.1:${port}`;
  const key = btoa(String.fromCharCode(...crypto.getRandomValues(new Uint8Array(32))));
  const child = new Deno.Command(Deno.execPath(), {
    args: [...serverArgs(cache, "http", port), "--auth", "oauth"],
    cwd: serverDir,
    env: {
      TAIGA_CACHE_DIR: cache,
      LOG_LEVEL: "WARNING",
      NO_COLOR: "1",
      MCP_PUBLIC_URL: issuer,
      MCP_OAUTH_KEY: key,
    },
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  let exited = false;
  const status = child.status.then((s) => (exited = true, s));
  const stop = async () => {
    try {
      child.kill("SIGTERM");
    } catch { /* gone */ }
    await status;
  };
  for (let i = 0; i < 600 && !exited; i++) {
    try {
      const response = await fetch(`${issuer}/healthz`);
      await response.body?.cancel();
      if (response.ok) return { issuer, stop };
    } catch { /* not up yet */ }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error("taiga-mcp --auth oauth did not become healthy");
}

async function registerClient(issuer: string, redirect: string): Promise<string> {
  const response = await fetch(`${issuer}/register`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ client_name: "MCP conformance suite", redirect_uris: [redirect] }),
  });
  const body = await response.json();
  if (response.status !== 201) throw new Error(`registration answered ${response.status}`);
  return body.client_id;
}

/** Runs the suite's process, signing in whenever it prints an authorization URL. */
async function runSuite(command: string[], issuer: string, cwd: string): Promise<number> {
  const child = new Deno.Command(command[0], {
    args: command.slice(1),
    cwd,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "inherit",
  }).spawn();
  let pending = "";
  const drives: Promise<void>[] = [];
  for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
    Deno.stderr.writeSync(new TextEncoder().encode(chunk));
    pending += chunk;
    const lines = pending.split("\n");
    pending = lines.pop() ?? "";
    for (const line of lines) {
      if (line.trim().startsWith(`${issuer}/authorize?`)) {
        drives.push(
          playBrowser(new URL(line.trim())).catch((error) => say(`browser: ${error}`)),
        );
      }
    }
  }
  await Promise.all(drives);
  return (await child.status).code;
}

/** The checks.json of every scenario the run wrote (directories `<scenario>-<timestamp>`). */
export function readAuthorizationResults(out: string): Promise<Map<string, Check[]>> {
  return readResults(
    out,
    (name) =>
      name.replace(/-\d{4}-\d{2}-\d{2}T[\d-]+Z$/, "").replace(/^authorization-server-(?=.)/, ""),
  );
}

/** Counts of one run's checks. */
export interface AuthorizationSummary {
  /** Scenario → its checks. */
  scenarios: Map<string, Check[]>;
  /** Checks that failed. */
  failed: number;
  /** Checks that passed. */
  passed: number;
}

/** Tallies the scenarios' checks. */
export function summarise(scenarios: Map<string, Check[]>): AuthorizationSummary {
  const all = [...scenarios.values()].flat();
  return {
    scenarios,
    failed: all.filter((check) => check.status === "FAILURE").length,
    passed: all.filter((check) => check.status === "SUCCESS").length,
  };
}

/**
 * Runs the `authorization` command (suite command `suite`) against a fresh OAuth-enabled
 * taiga-mcp from `serverDir`; prints each check and returns the summary.
 */
export async function runAuthorization(
  suite: string[],
  serverDir: string,
  workDir: string,
): Promise<AuthorizationSummary> {
  const cache = join(workDir, "auth-cache");
  await Deno.mkdir(cache, { recursive: true });
  const server = await startOAuthServer(serverDir, cache, freePort());
  try {
    const callbackPort = freePort();
    const clientId = await registerClient(
      server.issuer,
      `http://127.0.0.1:${callbackPort}/callback`,
    );
    const out = join(workDir, "authorization");
    say(`conformance authorization: ${server.issuer} (taiga-mcp --auth oauth, sandbox)`);
    const code = await runSuite(
      [
        ...suite,
        "authorization",
        "--url",
        server.issuer,
        "--client-id",
        clientId,
        "--resource",
        `${server.issuer}/mcp`,
        "--port",
        String(callbackPort),
        "-o",
        out,
      ],
      server.issuer,
      workDir,
    );
    const summary = summarise(await readAuthorizationResults(out));
    say(`\nauthorization: suite exit ${code}; ${summary.scenarios.size} scenario(s)`);
    for (const [scenario, checks] of summary.scenarios) {
      say(`  ${scenario}`);
      for (const check of checks) {
        say(
          `    ${check.status.padEnd(8)} ${check.id}${
            check.errorMessage ? `: ${check.errorMessage}` : ""
          }`,
        );
      }
    }
    say(`authorization: ${summary.passed} passed, ${summary.failed} failed`);
    return summary;
  } finally {
    await server.stop();
  }
}
