/**
 * The optional Inspector step of `deno task conformance --inspector`: the official MCP Inspector
 * CLI (`@modelcontextprotocol/inspector`, pinned below) lists and calls tools over Streamable HTTP
 * and stdio, on the 2025 wire (`--protocol-era legacy`) and the 2026-07-28 one (`modern`).
 * It runs under npx only: Deno cannot resolve one of its optional dependencies.
 * @module
 */

import { join } from "node:path";
import { nodeMajor, run, say, serverArgs } from "./process.ts";

/** The pinned Inspector version. */
export const INSPECTOR_VERSION = "2.12.0";
const PACKAGE = `@modelcontextprotocol/inspector@${INSPECTOR_VERSION}`;

/** One Inspector command and what it must produce. */
export interface Probe {
  /** Label, e.g. `http legacy tools/list`. */
  label: string;
  /** `http` or `stdio`. */
  transport: "http" | "stdio";
  /** `--protocol-era`. */
  era: "legacy" | "modern";
  /** Inspector arguments after the target (method, tool name, arguments). */
  args: string[];
  /** The exit code it must end with (0 OK, 5 the tool answered isError). */
  code: number;
  /** Returns what is wrong with the parsed stdout JSON, or undefined when it is right. */
  verify: (output: { result?: Record<string, unknown> }) => string | undefined;
}

const toolCount = (output: { result?: Record<string, unknown> }): number =>
  Array.isArray(output.result?.tools) ? output.result.tools.length : 0;

const listsTools = (output: { result?: Record<string, unknown> }): string | undefined =>
  toolCount(output) > 0 ? undefined : "no tools listed";

const sessionActive = (output: { result?: Record<string, unknown> }): string | undefined =>
  (output.result?.structuredContent as { active?: boolean } | undefined)?.active === true
    ? undefined
    : "session_status did not report an active sandbox session";

const isErrorResult = (output: { result?: Record<string, unknown> }): string | undefined =>
  output.result?.isError === true ? undefined : "expected an isError result";

const LIST = ["--method", "tools/list"];
const STATUS = ["--method", "tools/call", "--tool-name", "session_status"];
const LOGIN_EMPTY = ["--method", "tools/call", "--tool-name", "login", "--tool-args-json", "{}"];

/** The probes, in order. */
export const PROBES: readonly Probe[] = Object.freeze(
  (["http", "stdio"] as const).flatMap((transport) =>
    (["legacy", "modern"] as const).flatMap((era): Probe[] => [
      {
        label: `${transport} ${era} tools/list`,
        transport,
        era,
        args: LIST,
        code: 0,
        verify: listsTools,
      },
      {
        label: `${transport} ${era} tools/call session_status`,
        transport,
        era,
        args: STATUS,
        code: 0,
        verify: sessionActive,
      },
      {
        label: `${transport} ${era} tools/call login {}`,
        transport,
        era,
        args: LOGIN_EMPTY,
        code: 5,
        verify: isErrorResult,
      },
    ])
  ),
);

async function denoDir(): Promise<string> {
  const { stdout } = await run([Deno.execPath(), "info", "--json"], Deno.cwd());
  return (JSON.parse(stdout) as { denoDir: string }).denoDir;
}

/** The full Inspector command line of `probe` (stdio starts the server from `serverDir`). */
export function probeCommand(
  probe: Probe,
  target: { url: string; serverDir: string; cache: string; denoDir: string },
): string[] {
  const common = [...probe.args, "--protocol-era", probe.era, "--format", "json", "-q"];
  if (probe.transport === "http") return ["--cli", target.url, ...common];
  return [
    "--cli",
    ...common,
    "--cwd",
    target.serverDir,
    ...["-e", `TAIGA_CACHE_DIR=${target.cache}`, "-e", "LOG_LEVEL=WARNING"],
    ...["-e", `DENO_DIR=${target.denoDir}`, "-e", "NO_COLOR=1"],
    "--",
    Deno.execPath(),
    ...serverArgs(target.cache, "stdio"),
  ];
}

/**
 * Runs every probe against the HTTP server at `url` and a stdio server started from `serverDir`;
 * returns the number of probes that went wrong. `workDir` keeps the Inspector's own files
 * (`~/.mcp-inspector`) out of the user's home.
 */
export async function runInspector(
  url: string,
  serverDir: string,
  cache: string,
  workDir: string,
): Promise<number> {
  const major = await nodeMajor();
  if (major === 0) {
    say("inspector: no node/npx on PATH; the Inspector CLI runs under npx only");
    return 1;
  }
  if (major < 22) say(`inspector: node v${major} (the Inspector asks for 22.19+; trying anyway)`);
  const home = join(workDir, "inspector-home");
  await Deno.mkdir(home, { recursive: true });
  const env = {
    HOME: home,
    npm_config_cache: Deno.env.get("npm_config_cache") ??
      join(Deno.env.get("HOME") ?? home, ".npm"),
  };
  const target = { url, serverDir, cache, denoDir: await denoDir() };
  const counts = new Map<string, number>();
  let broken = 0;
  say(`inspector: ${PACKAGE} --cli against ${url} and stdio`);
  for (const probe of PROBES) {
    const output = await run(["npx", "-y", PACKAGE, ...probeCommand(probe, target)], workDir, env);
    let problem: string | undefined;
    try {
      const parsed = JSON.parse(output.stdout);
      problem = output.code === probe.code ? probe.verify(parsed) : undefined;
      if (probe.args === LIST) counts.set(probe.label, toolCount(parsed));
    } catch {
      problem = "no JSON on stdout";
    }
    if (output.code !== probe.code) problem = `exit ${output.code}, expected ${probe.code}`;
    if (problem) broken++;
    const tools = counts.has(probe.label) ? ` (${counts.get(probe.label)} tools)` : "";
    say(`  ${problem ? "fail" : "pass"}  ${probe.label}: exit ${output.code}${tools}`);
    if (problem) say(`        ${problem}: ${output.stderr.trim().split("\n").slice(-2).join(" ")}`);
  }
  return broken;
}
