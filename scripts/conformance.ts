/**
 * Runs the official MCP conformance suite (`@modelcontextprotocol/conformance`, pinned in
 * scripts/conformance/plan.ts) against taiga-mcp's Streamable HTTP endpoint: starts
 * `src/main.ts --sandbox --transport http` on a free loopback port with its real permissions, runs
 * each requirement set (`2025-11-25` on the stateful wire, `2026-07-28` on the stateless one), reads
 * every scenario's checks.json, and judges the scenarios that apply to a real server
 * (plan.ts says which, and why the others do not). Prints a line per scenario and a Markdown table
 * per requirement set (`--markdown FILE` writes the tables to a file too).
 *
 * ```sh
 * deno task conformance                              # both requirement sets
 * deno task conformance --requirements 2026-07-28    # one (repeatable)
 * deno task conformance --inspector                  # also the Inspector CLI (npx, HTTP + stdio)
 * deno task conformance --server-dir ../other-tree   # the server from another checkout
 * deno task conformance --keep                       # keep the suite's checks.json files
 * deno task conformance --authorization              # the authorization-server scenarios
 * ```
 *
 * The suite needs Node.js 22 or later under npx; with an older Node it runs on Deno's npm
 * support instead (`--runner auto`, the default, decides). Exit code 1 when an applicable
 * scenario fails, is skipped or crashes, when a scenario is not in the plan, or when an
 * Inspector probe fails; 2 on bad options. docs/developer-guide/testing.md has the latest run.
 *
 * @module
 */

import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { runAuthorization } from "./conformance/authorization.ts";
import { runInspector } from "./conformance/inspector.ts";
import {
  CONFORMANCE_VERSION,
  isRequirementSet,
  PLANS,
  REQUIREMENT_SETS,
  type RequirementSet,
} from "./conformance/plan.ts";
import { npmCommand, readResults, run, say, startServer } from "./conformance/process.ts";
import {
  collectRuns,
  exclusionLines,
  isBroken,
  judgeSet,
  markdownTable,
  type ScenarioResult,
  stripAnsi,
} from "./conformance/results.ts";

const PACKAGE = `@modelcontextprotocol/conformance@${CONFORMANCE_VERSION}`;
const REPO = fileURLToPath(new URL("..", import.meta.url));

/** Runs one requirement set against `url` and judges it. */
async function runSet(
  suite: string[],
  url: string,
  set: RequirementSet,
  workDir: string,
): Promise<ScenarioResult[]> {
  const out = join(workDir, set);
  const started = performance.now();
  const output = await run(
    [...suite, "server", "--url", url, "--requirements", set, "-o", out],
    workDir,
  );
  const runs = collectRuns(output.stdout, output.stderr, await readResults(out));
  const results = judgeSet(set, runs);
  const seconds = ((performance.now() - started) / 1000).toFixed(1);
  const applicable = results.filter((result) => result.applicable);
  say(
    `\n${set} (${PLANS[set].wire}): ${runs.size} scenarios run in ${seconds} s ` +
      `(suite exit ${output.code}); ${applicable.length} apply, ` +
      `${applicable.filter((result) => !isBroken(result)).length} of them pass`,
  );
  if (runs.size === 0) {
    say(`  the suite ran nothing: ${stripAnsi(output.stderr + output.stdout).trim().slice(-600)}`);
  }
  for (const result of results) {
    if (result.verdict === "n/a") {
      say(`  n/a   ${result.scenario}: ${result.notes.join("; ").replace("not applicable: ", "")}`);
      continue;
    }
    const counts = `${result.passed} passed, ${result.failed} failed, ${result.warnings} warnings` +
      (result.excluded.length > 0 ? `, ${result.excluded.length} excluded` : "");
    say(`  ${result.verdict.padEnd(5)} ${result.scenario}  ${counts}`);
    for (const note of result.notes) say(`        ${note}`);
  }
  const excluded = exclusionLines(results);
  if (excluded.length > 0) {
    say("  checks excluded as fixture-dependent (their failure says nothing about taiga-mcp):");
    for (const line of excluded) say(`        ${line}`);
  }
  return results;
}

/**
 * `--authorization`: the suite's authorization-server scenarios against `--auth oauth` (see
 * conformance/authorization.ts); exit 1 when a check fails or none ran.
 */
async function authorizationMode(
  runner: string,
  serverDir: string,
  keep: boolean,
): Promise<number> {
  const workDir = await Deno.makeTempDir({ prefix: "taiga-mcp-conformance-auth-" });
  try {
    const summary = await runAuthorization(await npmCommand(PACKAGE, runner), serverDir, workDir);
    return summary.failed === 0 && summary.passed > 0 ? 0 : 1;
  } finally {
    if (keep) say(`conformance: results kept in ${workDir}`);
    else await Deno.remove(workDir, { recursive: true });
  }
}

/** Runs the suite; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: {
      requirements: { type: "string", multiple: true },
      runner: { type: "string", default: "auto" },
      markdown: { type: "string" },
      inspector: { type: "boolean", default: false },
      "server-dir": { type: "string", default: REPO },
      keep: { type: "boolean", default: false },
      authorization: { type: "boolean", default: false },
    },
    strict: true,
  });
  if (!["auto", "npx", "deno"].includes(values.runner)) {
    say("conformance: --runner must be auto, npx or deno");
    return 2;
  }
  if (values.authorization) {
    return await authorizationMode(values.runner, values["server-dir"], values.keep);
  }
  const sets = values.requirements ?? [...REQUIREMENT_SETS];
  const unknown = sets.filter((set) => !isRequirementSet(set));
  if (unknown.length > 0) {
    say(`conformance: unknown requirement set ${unknown.join(", ")} (${REQUIREMENT_SETS})`);
    return 2;
  }
  const workDir = await Deno.makeTempDir({ prefix: "taiga-mcp-conformance-" });
  const cache = join(workDir, "cache");
  await Deno.mkdir(cache);
  const suite = await npmCommand(PACKAGE, values.runner);
  const serverDir = values["server-dir"];
  const server = await startServer(serverDir, cache);
  const tables: string[] = [];
  let broken: ScenarioResult[] = [];
  let inspectorBroken = 0;
  try {
    say(`conformance: ${PACKAGE} against ${server.url} (server from ${serverDir})`);
    for (const set of sets as RequirementSet[]) {
      const results = await runSet(suite, server.url, set, workDir);
      broken = [...broken, ...results.filter(isBroken)];
      tables.push(`### Requirement set ${set}: ${PLANS[set].wire}\n\n${markdownTable(results)}`);
    }
    if (values.inspector) {
      say("");
      inspectorBroken = await runInspector(server.url, serverDir, cache, workDir);
    }
  } finally {
    await server.stop();
    if (values.keep) say(`conformance: results kept in ${workDir}`);
    else await Deno.remove(workDir, { recursive: true });
  }
  const markdown = `${tables.join("\n\n")}\n`;
  Deno.stdout.writeSync(new TextEncoder().encode(markdown));
  if (values.markdown) await Deno.writeTextFile(values.markdown, markdown);
  say(
    broken.length === 0
      ? "conformance: every applicable scenario passed"
      : `conformance: ${broken.length} scenario(s) failed: ${
        broken.map((result) => `${result.scenario} (${result.requirements})`).join(", ")
      }`,
  );
  if (values.inspector) {
    say(
      inspectorBroken === 0
        ? "inspector: every probe passed"
        : `inspector: ${inspectorBroken} probe(s) failed`,
    );
  }
  return broken.length === 0 && inspectorBroken === 0 ? 0 : 1;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
