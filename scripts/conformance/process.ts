/**
 * The processes of a conformance run: taiga-mcp in sandbox mode over HTTP (with the permission
 * flags a real deployment gets), the suite itself (npx on Node 22+, else Deno's npm support),
 * and reading the checks.json files it leaves behind.
 * @module
 */

import { join } from "node:path";
import { ENV_VARS } from "../../src/config/env.ts";
import type { Check } from "./results.ts";
import { scenarioOfResultDir } from "./results.ts";

/** Writes one line to stderr. */
export function say(text: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${text}\n`));
}

/** What a finished child process printed. */
export interface Output {
  /** Exit code. */
  code: number;
  /** Standard output. */
  stdout: string;
  /** Standard error. */
  stderr: string;
}

/** Runs `cmd` in `cwd` and collects its output. */
export async function run(
  cmd: string[],
  cwd: string,
  env: Record<string, string> = {},
): Promise<Output> {
  const { code, stdout, stderr } = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd,
    env: { NO_COLOR: "1", ...env },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code, stdout: decoder.decode(stdout), stderr: decoder.decode(stderr) };
}

/** The major version of `node` on PATH, or 0 without one. */
export async function nodeMajor(): Promise<number> {
  try {
    const { stdout } = await new Deno.Command("node", { args: ["--version"], stdout: "piped" })
      .output();
    return Number(/^v(\d+)/.exec(new TextDecoder().decode(stdout))?.[1] ?? 0);
  } catch {
    return 0;
  }
}

/** The command that runs npm package `pkg`: npx on Node 22+ (or when asked), else Deno. */
export async function npmCommand(pkg: string, runner: string): Promise<string[]> {
  const viaDeno = [Deno.execPath(), "run", "-A", "--no-lock", "--no-config", `npm:${pkg}`];
  const viaNpx = ["npx", "-y", pkg];
  if (runner === "deno") return viaDeno;
  if (runner === "npx") return viaNpx;
  const major = await nodeMajor();
  if (major >= 22) return viaNpx;
  say(
    `conformance: ${major ? `node v${major} is too old` : "no node"} for ${pkg} (needs 22+); ` +
      "running it on Deno",
  );
  return viaDeno;
}

/** The `deno run` arguments of taiga-mcp with exactly its real permissions. */
export function serverArgs(cache: string, transport: "http" | "stdio", port?: number): string[] {
  return [
    "run",
    "--allow-net",
    `--allow-env=${ENV_VARS.join(",")}`,
    `--allow-read=${cache}`,
    `--allow-write=${cache}`,
    "src/main.ts",
    "--sandbox",
    "--transport",
    transport,
    ...(port === undefined ? [] : ["--host", "127.0.0.1", "--port", String(port)]),
  ];
}

/** A running taiga-mcp. */
export interface RunningServer {
  /** Its `/mcp` URL. */
  url: string;
  /** Stops it and waits for it to exit. */
  stop: () => Promise<void>;
}

/**
 * Starts taiga-mcp from checkout `serverDir` over HTTP against its sandbox on a free loopback
 * port; resolves once /healthz answers.
 */
export async function startServer(serverDir: string, cache: string): Promise<RunningServer> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const child = new Deno.Command(Deno.execPath(), {
    args: serverArgs(cache, "http", port),
    cwd: serverDir,
    env: { TAIGA_CACHE_DIR: cache, LOG_LEVEL: "WARNING", NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  let exited = false;
  const status = child.status.then((s) => {
    exited = true;
    return s;
  });
  const stop = async (): Promise<void> => {
    try {
      child.kill("SIGTERM");
    } catch { /* already exited */ }
    await status;
  };
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 600 && !exited; i++) {
    try {
      const response = await fetch(`${base}/healthz`);
      await response.body?.cancel();
      if (response.ok) return { url: `${base}/mcp`, stop };
    } catch { /* not up yet */ }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error(
    exited ? "taiga-mcp exited before it became healthy" : "taiga-mcp not healthy within 30 s",
  );
}

/**
 * The checks.json of every scenario under the suite's output directory `out`; `scenarioOf` names
 * the scenario of a result directory (undefined: not one).
 */
export async function readResults(
  out: string,
  scenarioOf: (dirName: string) => string | undefined = scenarioOfResultDir,
): Promise<Map<string, Check[]>> {
  const results = new Map<string, Check[]>();
  let entries: Deno.DirEntry[] = [];
  try {
    entries = await Array.fromAsync(Deno.readDir(out));
  } catch { /* the suite wrote nothing */ }
  for (const entry of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const scenario = entry.isDirectory ? scenarioOf(entry.name) : undefined;
    if (scenario === undefined) continue;
    try {
      results.set(
        scenario,
        JSON.parse(await Deno.readTextFile(join(out, entry.name, "checks.json"))) as Check[],
      );
    } catch { /* skipped or crashed: no checks.json */ }
  }
  return results;
}
