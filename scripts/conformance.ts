/**
 * Runs the official MCP conformance suite (`@modelcontextprotocol/conformance`, pinned below)
 * against taiga-mcp's Streamable HTTP endpoint: starts `src/main.ts --sandbox --transport http`
 * on a free loopback port, runs every scenario that applies to a real server, and prints one
 * line per scenario plus a Markdown table (`--markdown FILE` writes it to a file too).
 *
 * ```sh
 * deno task conformance                      # the applicable scenarios
 * deno task conformance --all                # every server scenario, for reference
 * deno task conformance --scenario ping      # one scenario (repeatable)
 * deno task conformance --runner deno        # run the suite with Deno instead of npx
 * ```
 *
 * The suite needs Node.js 22 or later under npx; with an older Node it runs on Deno's npm
 * support instead (`--runner auto`, the default, decides). Exit code 1 when an applicable
 * scenario fails. docs/developer-guide/testing.md summarises the latest run.
 *
 * @module
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { ENV_VARS } from "../src/config/env.ts";

/** The pinned suite version. */
export const CONFORMANCE_VERSION = "0.1.16";
const PACKAGE = `@modelcontextprotocol/conformance@${CONFORMANCE_VERSION}`;

/**
 * Server scenarios that need fixtures only the suite's reference server has (tools, resources
 * and prompts with fixed names such as `test_simple_text`): they cannot apply to a real server,
 * whose tools are Taiga's. Each entry says what the scenario expects.
 */
export const NOT_APPLICABLE: Readonly<Record<string, string>> = Object.freeze({
  "tools-call-simple-text": "needs the fixture tool test_simple_text",
  "tools-call-image": "needs the fixture tool test_image_content",
  "tools-call-audio": "needs the fixture tool test_audio_content",
  "tools-call-embedded-resource": "needs the fixture tool test_embedded_resource",
  "tools-call-mixed-content": "needs the fixture tool test_multiple_content_types",
  "tools-call-with-logging": "needs the fixture tool test_tool_with_logging",
  "tools-call-error": "needs the fixture tool test_error_handling",
  "tools-call-with-progress": "needs the fixture tool test_tool_with_progress",
  "tools-call-sampling": "needs the fixture tool test_sampling",
  "tools-call-elicitation": "needs the fixture tool test_elicitation",
  "json-schema-2020-12": "needs the fixture tool json_schema_2020_12_tool",
  "elicitation-sep1034-defaults": "needs the fixture tool test_elicitation_sep1034_defaults",
  "elicitation-sep1330-enums": "needs the fixture tool test_elicitation_sep1330_enums",
  "server-sse-polling": "needs the fixture tool test_reconnection",
  "resources-read-text": "needs the fixture resource test://static-text",
  "resources-read-binary": "needs the fixture resource test://static-binary",
  "resources-templates-read": "needs the fixture template test://template/{id}/data",
  "resources-subscribe": "needs resource subscriptions (taiga-mcp does not offer them)",
  "resources-unsubscribe": "needs resource subscriptions (taiga-mcp does not offer them)",
  "prompts-get-simple": "needs the fixture prompt test_simple_prompt",
  "prompts-get-with-args": "needs the fixture prompt test_prompt_with_arguments",
  "prompts-get-embedded-resource": "needs the fixture prompt test_prompt_with_embedded_resource",
  "prompts-get-with-image": "needs the fixture prompt test_prompt_with_image",
  "completion-complete": "asks to complete the fixture prompt test_prompt_with_arguments",
});

/** Scenarios that test protocol behaviour any server must get right. */
export const APPLICABLE: readonly string[] = Object.freeze([
  "server-initialize",
  "ping",
  "logging-set-level",
  "tools-list",
  "resources-list",
  "prompts-list",
  "server-sse-multiple-streams",
  "dns-rebinding-protection",
]);

/** One check as the suite records it in checks.json. */
interface Check {
  name: string;
  status: "SUCCESS" | "FAILURE" | "WARNING" | "INFO" | string;
  errorMessage?: string;
}

/** The outcome of one scenario. */
export interface ScenarioResult {
  /** Scenario name. */
  scenario: string;
  /** Whether it applies to a real server. */
  applicable: boolean;
  /** Checks that succeeded. */
  passed: number;
  /** Checks that failed. */
  failed: number;
  /** Checks that warned (a SHOULD not met). */
  warnings: number;
  /** `pass` (no failure or warning), `warn`, `fail`, or `error` (the suite itself failed). */
  verdict: "pass" | "warn" | "fail" | "error";
  /** Failure and warning messages, one line each. */
  notes: string[];
}

/** Sums up the checks of one scenario. */
export function summarise(scenario: string, checks: Check[], applicable: boolean): ScenarioResult {
  const failed = checks.filter((check) => check.status === "FAILURE");
  const warned = checks.filter((check) => check.status === "WARNING");
  return {
    scenario,
    applicable,
    passed: checks.filter((check) => check.status === "SUCCESS").length,
    failed: failed.length,
    warnings: warned.length,
    verdict: failed.length > 0 ? "fail" : warned.length > 0 ? "warn" : "pass",
    notes: [...failed, ...warned].map((check) =>
      `${check.status} ${check.name}${
        check.errorMessage ? `: ${check.errorMessage.replace(/\s+/g, " ")}` : ""
      }`
    ),
  };
}

/** The Markdown table of `results`; a scenario that does not apply shows why instead of its notes. */
export function markdownTable(results: ScenarioResult[]): string {
  const rows = results.map((result) => {
    const notes = result.applicable
      ? result.notes.join("; ")
      : `not applicable: ${NOT_APPLICABLE[result.scenario]}`;
    return `| ${result.scenario} | ${
      result.applicable ? "yes" : "no"
    } | ${result.verdict} | ${result.passed} | ${result.failed} | ${result.warnings} | ${
      notes.replaceAll("|", "\\|")
    } |`;
  });
  return [
    "| scenario | applies | verdict | passed | failed | warnings | notes |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

function say(text: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${text}\n`));
}

/** The command that runs the suite: npx on Node 22+, else Deno's npm support. */
async function suiteCommand(runner: string): Promise<string[]> {
  const viaDeno = [Deno.execPath(), "run", "-A", "--no-lock", "--no-config", `npm:${PACKAGE}`];
  if (runner === "deno") return viaDeno;
  const viaNpx = ["npx", "-y", PACKAGE];
  if (runner === "npx") return viaNpx;
  try {
    const { stdout } = await new Deno.Command("node", { args: ["--version"], stdout: "piped" })
      .output();
    const major = Number(/^v(\d+)/.exec(new TextDecoder().decode(stdout))?.[1] ?? 0);
    if (major >= 22) return viaNpx;
    say(`conformance: node v${major} is too old for the suite (needs 22+); running it on Deno`);
  } catch {
    say("conformance: node not found; running the suite on Deno");
  }
  return viaDeno;
}

async function run(cmd: string[], cwd: string): Promise<{ code: number; output: string }> {
  const { code, stdout, stderr } = await new Deno.Command(cmd[0], {
    args: cmd.slice(1),
    cwd,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).output();
  const decoder = new TextDecoder();
  return { code, output: decoder.decode(stdout) + decoder.decode(stderr) };
}

/** Lists every server scenario the pinned suite knows. */
async function listScenarios(suite: string[], cwd: string): Promise<string[]> {
  const { output } = await run([...suite, "list", "--server"], cwd);
  return [...output.matchAll(/^\s+- ([a-z0-9-]+)/gm)].map((match) => match[1]);
}

/** Runs one scenario and reads its checks.json. */
async function runScenario(
  suite: string[],
  url: string,
  scenario: string,
  workDir: string,
): Promise<ScenarioResult> {
  const out = join(workDir, scenario);
  const applicable = !(scenario in NOT_APPLICABLE);
  const { output } = await run(
    [...suite, "server", "--url", url, "--scenario", scenario, "-o", out],
    workDir,
  );
  try {
    for await (const entry of Deno.readDir(out)) {
      if (!entry.isDirectory) continue;
      const checks = JSON.parse(
        await Deno.readTextFile(join(out, entry.name, "checks.json")),
      ) as Check[];
      return summarise(scenario, checks, applicable);
    }
  } catch { /* no result directory: reported below */ }
  return {
    scenario,
    applicable,
    passed: 0,
    failed: 0,
    warnings: 0,
    verdict: "error",
    notes: [output.trim().split("\n").slice(-3).join(" ").slice(0, 300)],
  };
}

/** Starts taiga-mcp over HTTP against its sandbox; resolves once /healthz answers. */
async function startServer(
  cache: string,
): Promise<{ url: string; stop: () => Promise<void> }> {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const child = new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "--allow-net",
      `--allow-env=${ENV_VARS.join(",")}`,
      `--allow-read=${cache}`,
      `--allow-write=${cache}`,
      "src/main.ts",
      "--sandbox",
      "--transport",
      "http",
      "--host",
      "127.0.0.1",
      "--port",
      String(port),
    ],
    env: { TAIGA_CACHE_DIR: cache, LOG_LEVEL: "WARNING", NO_COLOR: "1" },
    stdin: "null",
    stdout: "null",
    stderr: "inherit",
  }).spawn();
  const stop = async (): Promise<void> => {
    try {
      child.kill("SIGTERM");
    } catch { /* already exited */ }
    await child.status;
  };
  const base = `http://127.0.0.1:${port}`;
  for (let i = 0; i < 300; i++) {
    try {
      const response = await fetch(`${base}/healthz`);
      await response.body?.cancel();
      if (response.ok) return { url: `${base}/mcp`, stop };
    } catch { /* not up yet */ }
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  await stop();
  throw new Error("taiga-mcp did not become healthy within 15 s");
}

/** Runs the suite; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      all: { type: "boolean", default: false },
      scenario: { type: "string", multiple: true },
      runner: { type: "string", default: "auto" },
      markdown: { type: "string" },
    },
    strict: true,
  });
  if (!["auto", "npx", "deno"].includes(values.runner)) {
    say("conformance: --runner must be auto, npx or deno");
    return 2;
  }
  const workDir = await Deno.makeTempDir({ prefix: "taiga-mcp-conformance-" });
  const cache = join(workDir, "cache");
  await Deno.mkdir(cache);
  const suite = await suiteCommand(values.runner);
  const server = await startServer(cache);
  const results: ScenarioResult[] = [];
  try {
    const scenarios = values.scenario ??
      (values.all ? await listScenarios(suite, workDir) : [...APPLICABLE]);
    say(`conformance: ${PACKAGE} against ${server.url} (${scenarios.length} scenarios)`);
    for (const scenario of scenarios) {
      const result = await runScenario(suite, server.url, scenario, workDir);
      results.push(result);
      say(
        `  ${result.verdict.padEnd(5)} ${scenario}${result.applicable ? "" : " (not applicable)"}` +
          `  ${result.passed} passed, ${result.failed} failed, ${result.warnings} warnings`,
      );
      for (const note of result.notes) say(`        ${note}`);
    }
  } finally {
    await server.stop();
    await Deno.remove(workDir, { recursive: true });
  }
  const table = markdownTable(results);
  Deno.stdout.writeSync(new TextEncoder().encode(`${table}\n`));
  if (values.markdown) await Deno.writeTextFile(values.markdown, `${table}\n`);
  const broken = results.filter((result) =>
    result.applicable && (result.verdict === "fail" || result.verdict === "error")
  );
  say(
    broken.length === 0
      ? "conformance: every applicable scenario passed"
      : `conformance: ${broken.length} applicable scenario(s) failed: ${
        broken.map((result) => result.scenario).join(", ")
      }`,
  );
  return broken.length === 0 ? 0 : 1;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
