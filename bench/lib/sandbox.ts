/**
 * The sandbox Taiga as the benchmarks use it: direct HTTP access with demo's token (the baseline
 * every "through our server" figure is compared with), seeding, and our server as a child
 * process pointed at it.
 * @module
 */

import type { TestSandbox } from "../../sandbox/testing.ts";
import { type Child, LISTENING_MARKER, spawnChild } from "./children.ts";
import { serverFlags } from "./flags.ts";

/** A JSON object. */
export type Raw = Record<string, unknown>;

/** Direct access to the sandbox's API with demo's token, bypassing our server. */
export interface Direct {
  /** demo's bearer token. */
  token: string;
  /** GET `path` (relative to the API root); the body text. */
  get(path: string): Promise<string>;
  /** Sends a JSON body; the parsed answer. */
  send(method: string, path: string, body: unknown): Promise<Raw>;
}

/** Logs in as demo and returns a direct client. */
export async function directClient(sandbox: TestSandbox): Promise<Direct> {
  const login = await fetch(`${sandbox.apiUrl}/auth`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ type: "normal", username: "demo", password: "demo123" }),
  });
  const { auth_token: token } = await login.json() as { auth_token: string };
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  return {
    token,
    get: async (path) => {
      const response = await fetch(`${sandbox.apiUrl}/${path}`, { headers });
      const text = await response.text();
      if (!response.ok) {
        throw new Error(`GET ${path}: HTTP ${response.status} ${text.slice(0, 200)}`);
      }
      return text;
    },
    send: async (method, path, body) => {
      const response = await fetch(`${sandbox.apiUrl}/${path}`, {
        method,
        headers,
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) {
        throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 200)}`);
      }
      return text ? JSON.parse(text) : {};
    },
  };
}

/** A fresh project with `count` stories carrying tags and an assignee, like real work. */
export async function seedStories(
  direct: Direct,
  count: number,
): Promise<{ slug: string; projectId: number; ids: number[]; refs: number[] }> {
  const project = await direct.send("POST", "projects", {
    name: `Bench ${crypto.randomUUID().slice(0, 8)}`,
    description: "benchmark project",
  });
  const subjects = Array.from(
    { length: count },
    (_, i) => `As a customer I can see the order history page ${i + 1} with filters`,
  );
  const created = await direct.send("POST", "userstories/bulk_create", {
    project_id: project.id,
    bulk_stories: subjects.join("\n"),
  }) as unknown as Raw[];
  const me = JSON.parse(await direct.get("users/me")) as Raw;
  for (const [index, story] of created.entries()) {
    await direct.send("PATCH", `userstories/${story.id}`, {
      version: story.version,
      tags: index % 2 === 0 ? ["frontend", "checkout"] : ["backend"],
      assigned_to: me.id,
    });
  }
  return {
    slug: String(project.slug),
    projectId: Number(project.id),
    ids: created.map((story) => Number(story.id)),
    refs: created.map((story) => Number(story.ref)),
  };
}

/** Our server in a child process, pointed at the sandbox with demo's token. */
export interface ServerChild {
  /** The process. */
  child: Child;
  /** Its token-cache directory (removed by close). */
  cacheDir: string;
  /** The MCP endpoint (`…/mcp`), for the HTTP transport. */
  mcpUrl?: URL;
  /** Stops the process. */
  close(): Promise<void>;
}

/** Options of {@link startServerChild}. */
export interface ServerChildOptions {
  /** `stdio` or `http`. */
  transport: "stdio" | "http";
  /** Extra V8 flags (e.g. `--expose-gc`). */
  v8Flags?: string[];
  /** Extra environment (LOG_LEVEL, TAIGA_TOOLSETS…). */
  env?: Record<string, string>;
}

/**
 * Starts bench/lib/server_child.ts with our server's permission flags, logged in to the sandbox
 * with `token` (TAIGA_AUTH_TOKEN), no rate limit, on 127.0.0.1:0 for HTTP.
 */
export async function startServerChild(
  sandbox: TestSandbox,
  token: string,
  options: ServerChildOptions,
): Promise<ServerChild> {
  const cacheDir = await Deno.makeTempDir({ prefix: "taiga-mcp-bench-" });
  const v8 = options.v8Flags?.length ? [`--v8-flags=${options.v8Flags.join(",")}`] : [];
  const child = spawnChild(
    [
      "run",
      ...serverFlags(cacheDir),
      ...v8,
      "bench/lib/server_child.ts",
      "--transport",
      options.transport,
    ],
    {
      env: {
        TAIGA_API_URL: sandbox.apiUrl,
        TAIGA_AUTH_TOKEN: token,
        TAIGA_CACHE_DIR: cacheDir,
        RATE_LIMIT_REQUESTS: "100000000",
        LOG_LEVEL: "WARNING",
        MCP_HOST: "127.0.0.1",
        MCP_PORT: "0",
        ...options.env,
      },
    },
  );
  const close = async () => {
    await child.close();
    await Deno.remove(cacheDir, { recursive: true }).catch(() => undefined);
  };
  if (options.transport === "stdio") return { child, cacheDir, close };
  try {
    const [, url] = await child.stderrMatch(new RegExp(`^${LISTENING_MARKER}(\\S+)`), 60_000);
    return { child, cacheDir, mcpUrl: new URL(`${url}/mcp`), close };
  } catch (error) {
    await close();
    throw error;
  }
}
