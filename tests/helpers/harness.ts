/**
 * Test harness: a seeded sandbox Taiga on 127.0.0.1:0, server dependencies with a temporary token
 * cache, and an MCP Client connected to our server over InMemoryTransport — the real path
 * MCP client → our server → HTTP → sandbox Taiga.
 * @module
 */

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
import { serveStdio } from "../../src/mcp/sdk.ts";
import {
  adaptModern,
  Client,
  type ConfirmAnswers,
  type Era,
  modernClient,
  modernPair,
  type TestClient,
  testEra,
} from "./clients.ts";
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
  /** Protocol era of the client (default: this run's, see clients.ts). */
  era?: Era;
}

/** A running test setup; its {@link ToolCaller} methods call tools through `client`. */
export interface Harness extends ToolCaller {
  /** The sandbox Taiga. */
  sandbox: TestSandbox;
  /** Server dependencies. */
  deps: ServerDeps;
  /** MCP client connected to our server. */
  client: TestClient;
  /** The era it speaks. */
  era: Era;
  /** Temporary token-cache directory. */
  cacheDir: string;
  /** Log lines written (redacted) — for leak checks. */
  logLines: string[];
  /**
   * Calls a tool that must ask the person first, and declines (a 2026 client) or leaves out
   * `confirm` (a 2025 client that cannot be asked). Returns the question; the call must change
   * nothing, which the caller checks.
   */
  asks(name: string, args?: Record<string, unknown>): Promise<string>;
  /** Stops everything. */
  close(): Promise<void>;
}

/** The structured facts of an error result: `{error_type, message, details?, http_status?}`. */
export function errorFacts(
  result: CallToolResult,
): Record<string, unknown> & { error_type: string; message: string } {
  const text = (result.content as Array<{ type: string; text?: string }>)[0]?.text ?? "";
  // The facts are the last line; the message before it may span lines.
  const newline = text.lastIndexOf("\n");
  const message = text.slice(0, newline).replace(/^Error: /, "");
  return { ...JSON.parse(text.slice(newline + 1)), message };
}

/** Builds a Config the way the program does, from env-style overrides. */
export function testConfig(env: Record<string, string>): Config {
  return loadConfig(parseCli([]), (name) => env[name]);
}

/**
 * Connects a client of `era` to a server built like every real one: a 2025 client over an
 * `initialize` connection, a 2026 client over the same pinned-instance path stdio uses.
 */
async function connect(
  deps: ServerDeps,
  options: HarnessOptions,
  era: Era,
): Promise<{ client: TestClient; answers?: ConfirmAnswers; close(): Promise<void> }> {
  const build = (modern: boolean) =>
    createMcpServer(deps, CATALOG, {
      tools: options.tools,
      owner: options.owner,
      era: modern ? "modern" : "legacy",
    });
  if (era === "2025") {
    const { server, dispose } = build(false);
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    const client = new Client({ name: "test-client", version: "1.0.0" });
    await server.connect(serverSide);
    await client.connect(clientSide);
    return {
      client,
      close: async () => {
        await server.close();
        dispose();
      },
    };
  }
  const disposers: Array<() => void> = [];
  const [clientSide, serverSide] = modernPair();
  const handle = serveStdio((request) => {
    const { server, dispose } = build(request.era === "modern");
    disposers.push(dispose);
    return server;
  }, { transport: serverSide });
  const answers: ConfirmAnswers = { accept: true, questions: [] };
  const modern = modernClient("test-client-2026", answers);
  await modern.connect(clientSide);
  return {
    client: adaptModern(modern),
    answers,
    close: async () => {
      await handle.close();
      for (const dispose of disposers) dispose();
    },
  };
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
  const era = options.era ?? testEra();
  const connection = await connect(deps, options, era);
  const client = connection.client;
  // Like real clients: list tools first, so the SDK client validates every structuredContent.
  await client.listTools();
  const caller = toolCaller(client);
  const asks = async (name: string, args?: Record<string, unknown>): Promise<string> => {
    const answers = connection.answers;
    if (!answers) {
      const text = await caller.fails(name, args);
      if (!/confirm: true/.test(text)) throw new Error(`${name} did not ask: ${text}`);
      return text;
    }
    const asked = answers.questions.length;
    answers.accept = false;
    try {
      const text = await caller.fails(name, args);
      if (answers.questions.length !== asked + 1) throw new Error(`${name} did not ask: ${text}`);
      return answers.questions[asked];
    } finally {
      answers.accept = true;
    }
  };
  return {
    sandbox,
    deps,
    client,
    era,
    cacheDir,
    logLines,
    ...caller,
    asks,
    close: async () => {
      await client.close();
      await connection.close();
      deps.close();
      log.close();
      if (!options.sharedSandbox) await sandbox.close();
      await Deno.remove(cacheDir, { recursive: true });
    },
  };
}
