/**
 * Test harness: a seeded sandbox Taiga on 127.0.0.1:0, server dependencies with a temporary token
 * cache, and an MCP Client connected to our server over InMemoryTransport — the real path
 * MCP client → our server → HTTP → sandbox Taiga.
 * @module
 */

// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { type SandboxOptions, startTestSandbox, type TestSandbox } from "../../sandbox/testing.ts";
import { parseCli } from "../../src/cli/args.ts";
import { type Config, loadConfig, normaliseApiUrl } from "../../src/config/load.ts";
import { CATALOG } from "../../src/catalog.ts";
import type { AnyTool } from "../../src/mcp/define.ts";
import { createDeps, type ServerDeps } from "../../src/mcp/deps.ts";
import { createMcpServer } from "../../src/mcp/server.ts";
import { loginWithPassword } from "../../src/sessions/auth.ts";
import { recordingLogger, type ToolCaller, toolCaller } from "./tool_calls.ts";

/** Options for {@link startHarness}. */
export interface HarnessOptions {
  /** Log in as demo/demo123 before the test (default true). */
  login?: boolean;
  /** Environment overrides fed to loadConfig (e.g. REQUEST_TIMEOUT, TAIGA_TOOLSETS). */
  env?: Record<string, string>;
  /** Sandbox options. */
  sandbox?: SandboxOptions;
  /** Use this sandbox instead of starting one (it is not closed by the harness). */
  sharedSandbox?: TestSandbox;
  /** Tool list override. */
  tools?: readonly AnyTool[];
  /** Owner id for the MCP connection (HTTP-style session isolation). */
  owner?: string;
}

/** A running test setup; its {@link ToolCaller} methods call tools through `client`. */
export interface Harness extends ToolCaller {
  /** The sandbox Taiga. */
  sandbox: TestSandbox;
  /** Server dependencies. */
  deps: ServerDeps;
  /** MCP client connected to our server. */
  client: Client;
  /** Temporary token-cache directory. */
  cacheDir: string;
  /** Log lines written (redacted) — for leak checks. */
  logLines: string[];
  /** Stops everything. */
  close(): Promise<void>;
}

/** The structured facts of an error result: `{error_type, message, details?, http_status?}`. */
export function errorFacts(
  result: CallToolResult,
): Record<string, unknown> & { error_type: string; message: string } {
  const text = (result.content as Array<{ type: string; text?: string }>)[0]?.text ?? "";
  const newline = text.indexOf("\n");
  const message = text.slice(0, newline).replace(/^Error: /, "");
  return { ...JSON.parse(text.slice(newline + 1)), message };
}

/** Builds a Config the way the program does, from env-style overrides. */
export function testConfig(env: Record<string, string>): Config {
  return loadConfig(parseCli([]), (name) => env[name]);
}

/** Starts a sandbox, our server and an MCP client connected to it. */
export async function startHarness(options: HarnessOptions = {}): Promise<Harness> {
  const sandbox = options.sharedSandbox ?? await startTestSandbox(options.sandbox);
  const cacheDir = await Deno.makeTempDir({ prefix: "taiga-mcp-test-" });
  const config = testConfig({
    TAIGA_API_URL: sandbox.apiUrl,
    TAIGA_CACHE_DIR: cacheDir,
    RATE_LIMIT_REQUESTS: "100000",
    REQUEST_TIMEOUT: "10",
    LOG_LEVEL: "DEBUG",
    ...options.env,
  });
  const { log, lines: logLines } = recordingLogger(config.logLevel);
  const deps = createDeps(config, log);
  if (options.login !== false) {
    const login = await loginWithPassword(config.apiUrl, deps.policy, "demo", "demo123");
    deps.sessions.open({ apiUrl: normaliseApiUrl(sandbox.apiUrl).apiUrl, ...login });
  }
  const { server, dispose } = createMcpServer(deps, CATALOG, {
    tools: options.tools,
    owner: options.owner,
  });
  const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
  const client = new Client({ name: "test-client", version: "1.0.0" });
  await server.connect(serverSide);
  await client.connect(clientSide);
  // Like real clients: list tools first, so the SDK client validates every structuredContent.
  await client.listTools();
  return {
    sandbox,
    deps,
    client,
    cacheDir,
    logLines,
    ...toolCaller(client),
    close: async () => {
      await client.close();
      await server.close();
      dispose();
      deps.close();
      log.close();
      if (!options.sharedSandbox) await sandbox.close();
      await Deno.remove(cacheDir, { recursive: true });
    },
  };
}
