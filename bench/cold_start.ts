/**
 * Cold start: spawn → `initialize` answered over stdio, median of interleaved runs, for
 * (a) a bare `deno run` of an empty script with our server's permission flags (spawn → exit),
 * (b) our server in the direct form (`deno run <flags> src/main.ts`),
 * (c) `deno task start` (whatever deno.json's start task runs: today a helper `deno run` for the
 *     cache directory, then (b)),
 * (d) a minimal SDK v2 server with one zod tool (bench/lib/minimal_server.ts), same flags,
 * plus, from the same spawns, the time until the first tools/list is answered, and our server
 * answering a 2026-07-28 client's first (enveloped) tools/list instead of `initialize`.
 * Ratios against (a) and (d) of the same run. `--profile` then measures where the time goes
 * inside our process (bench/lib/profile_child.ts).
 *
 * Run: `deno task bench cold-start [--quick] [--profile] [--rounds N]`
 * (or `deno run -A bench/cold_start.ts [same flags]`).
 * @module
 */

import { parseArgs } from "node:util";
import { type Child, initialize, ROOT, spawnChild } from "./lib/children.ts";
import { denoProcessesIn, serverFlags, startTask } from "./lib/flags.ts";
import {
  formatTable,
  loadLine,
  median,
  percentile,
  printLine,
  type ResultRow,
} from "./lib/report.ts";

/** Options of {@link runColdStartBench}. */
export interface ColdStartOptions {
  /** Interleaved rounds (each configuration once per round; default 21, quick 15). */
  rounds?: number;
  /** Fewer rounds and profile runs. */
  quick?: boolean;
  /** Also profile our process (where the time goes). */
  profile?: boolean;
}

/** The medians of one run, ms. */
export interface ColdStartResult {
  /** Configuration → median ms. */
  medians: Record<string, number>;
  /** Ratios by name. */
  ratios: Record<string, number>;
}

const TARGETS = { bOverA: 2, cOverA: 2.5, bOverD: 1.25, cOverD: 1.5 };

/** The 2026-07-28 wire form of a first tools/list (what the v2 client pinned to it sends). */
const MODERN_TOOLS_LIST = {
  _meta: {
    "io.modelcontextprotocol/protocolVersion": "2026-07-28",
    "io.modelcontextprotocol/clientInfo": { name: "taiga-mcp-bench", version: "1.0.0" },
    "io.modelcontextprotocol/clientCapabilities": {},
  },
};

interface Timing {
  /** spawn → the measured answer (initialize, or exit for the empty script), ms. */
  first: number;
  /** spawn → the first tools/list answered, ms (servers only). */
  toolsList?: number;
}

type Run = () => Promise<Timing>;

async function timeExit(args: string[], env: Record<string, string>): Promise<Timing> {
  const started = performance.now();
  const { code, stderr } = await new Deno.Command("deno", {
    args,
    env,
    cwd: ROOT,
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).output();
  const first = performance.now() - started;
  if (code !== 0) {
    throw new Error(`deno ${args.join(" ")} exited ${code}: ${new TextDecoder().decode(stderr)}`);
  }
  return { first };
}

async function timeServer(
  args: string[],
  env: Record<string, string>,
  era: "2025" | "2026" = "2025",
): Promise<Timing> {
  const started = performance.now();
  const child: Child = spawnChild(args, { env });
  try {
    if (era === "2026") {
      const answer = await child.request("tools/list", MODERN_TOOLS_LIST);
      if (answer.error) throw new Error(`2026 tools/list failed: ${JSON.stringify(answer.error)}`);
      const first = performance.now() - started;
      return { first, toolsList: first };
    }
    await initialize(child);
    const first = performance.now() - started;
    const listed = await child.request("tools/list");
    if (listed.error) throw new Error(`tools/list failed: ${JSON.stringify(listed.error)}`);
    return { first, toolsList: performance.now() - started };
  } finally {
    await child.close();
  }
}

/** The `$(deno run … cache_dir.ts)` helper of the start task, as an argument list. */
function taskHelperArgs(task: string): string[] | undefined {
  const inner = task.match(/\$\(deno ([^)]*)\)/)?.[1];
  return inner?.split(/\s+/).filter(Boolean);
}

function ms(value: number): string {
  return `${value.toFixed(0)} ms`;
}

/** Measures and prints the cold-start figures (and the profile with `profile`). */
export async function runColdStartBench(options: ColdStartOptions = {}): Promise<ColdStartResult> {
  const rounds = options.rounds ?? (options.quick ? 15 : 21);
  const dir = await Deno.makeTempDir({ prefix: "taiga-mcp-cold-" });
  const cacheDir = `${dir}/cache`;
  await Deno.mkdir(cacheDir);
  const env = {
    TAIGA_CACHE_DIR: cacheDir,
    TAIGA_API_URL: "http://127.0.0.1:9",
    LOG_LEVEL: "ERROR",
  };
  const flags = serverFlags(cacheDir);
  const task = startTask(ROOT);
  const helper = task ? taskHelperArgs(task) : undefined;

  const runs: Record<string, Run> = {
    "(a) bare deno run, empty script": () => timeExit(["run", ...flags, "bench/lib/empty.ts"], env),
    "(b) our server, direct form": () => timeServer(["run", ...flags, "src/main.ts"], env),
    "(c) deno task start": () => timeServer(["task", "-q", "start"], env),
    "(d) minimal SDK v2 server, 1 zod tool": () =>
      timeServer(["run", ...flags, "bench/lib/minimal_server.ts"], env),
    "(b2026) our server, 2026 client's first tools/list": () =>
      timeServer(["run", ...flags, "src/main.ts"], env, "2026"),
  };
  if (helper) {
    runs["(c1) the start task's cache-dir helper alone"] = () => timeExit(helper, env);
  }
  const names = Object.keys(runs);
  const timings = new Map<string, Timing[]>(names.map((name) => [name, []]));
  const loadBefore = loadLine();
  try {
    // Two unmeasured rounds: emit and code caches, the npm cache, the page cache.
    for (let round = -2; round < rounds; round++) {
      const order = names.map((_, i) => names[(i + Math.max(round, 0)) % names.length]);
      for (const name of order) {
        const timing = await runs[name]();
        if (round >= 0) timings.get(name)!.push(timing);
      }
    }
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => undefined);
  }

  const medians: Record<string, number> = {};
  const rows: ResultRow[] = [];
  for (const name of names) {
    const list = timings.get(name)!;
    const firsts = list.map((timing) => timing.first);
    medians[name] = median(firsts);
    const lists = list.flatMap((timing) =>
      timing.toolsList === undefined ? [] : [timing.toolsList]
    );
    rows.push({
      measure: name,
      value: `${ms(medians[name])} (min ${ms(Math.min(...firsts))}, p90 ${
        ms(percentile(firsts, 90))
      })${lists.length && !name.includes("2026") ? `; to tools/list ${ms(median(lists))}` : ""}`,
    });
  }
  const [a, b, c, d] = names.slice(0, 4).map((name) => medians[name]);
  const ratios = { bOverA: b / a, cOverA: c / a, bOverD: b / d, cOverD: c / d };
  const ratio = (measure: string, value: number, target: number): ResultRow => ({
    measure,
    value: `${value.toFixed(2)}×`,
    target: `≤ ${target}×`,
    pass: value <= target,
  });
  rows.push(
    ratio("(b)/(a) direct form vs bare deno", ratios.bOverA, TARGETS.bOverA),
    ratio("(c)/(a) deno task start vs bare deno", ratios.cOverA, TARGETS.cOverA),
    ratio("(b)/(d) direct form vs minimal SDK server", ratios.bOverD, TARGETS.bOverD),
    ratio("(c)/(d) deno task start vs minimal SDK server", ratios.cOverD, TARGETS.cOverD),
    { measure: "(b)-(d) our own cost to initialize", value: ms(b - d) },
    { measure: "(c)-(b) what the task adds", value: ms(c - b) },
  );
  printLine(
    `cold start: spawn → initialize answered over stdio (empty script: spawn → exit), median of ${rounds} interleaved rounds`,
  );
  printLine(
    `  flags: deno run ${flags.join(" ").replace(/--allow-env=\S+/, "--allow-env=<ENV_VARS>")}`,
  );
  if (task) {
    printLine(
      `  deno task start runs ${denoProcessesIn(task)} deno processes after the task runner itself`,
    );
  }
  printLine(`  ${loadBefore} → ${loadLine()}`);
  printLine();
  printLine(formatTable(rows));
  if (options.profile) {
    printLine();
    await runProfile({ runs: options.quick ? 5 : 9, env });
  }
  return { medians, ratios };
}

interface ProfileOutput {
  firstLineEpochMs: number;
  firstLineMs: number;
  steps: Array<[string, number]>;
}

async function profileOnce(
  flags: string[],
  env: Record<string, string>,
  mode: string,
): Promise<ProfileOutput & { spawnToFirstLine: number }> {
  const spawnedEpoch = performance.timeOrigin + performance.now();
  const { code, stdout, stderr } = await new Deno.Command("deno", {
    args: ["run", ...flags, "bench/lib/profile_child.ts", mode],
    env,
    cwd: ROOT,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  if (code !== 0) {
    throw new Error(`profile ${mode} exited ${code}: ${new TextDecoder().decode(stderr)}`);
  }
  const output = JSON.parse(new TextDecoder().decode(stdout).trim().split("\n").at(-1)!);
  return { ...output, spawnToFirstLine: output.firstLineEpochMs - spawnedEpoch };
}

async function profileMedians(
  flags: string[],
  env: Record<string, string>,
  mode: string,
  runs: number,
): Promise<Array<[string, number]>> {
  await profileOnce(flags, env, mode);
  const outputs = [];
  for (let i = 0; i < runs; i++) outputs.push(await profileOnce(flags, env, mode));
  const steps: Array<[string, number]> = [
    [
      "spawn → first line of the script (deno start-up, bootstrap)",
      median(outputs.map((o) => o.spawnToFirstLine)),
    ],
  ];
  for (const [index, [name]] of outputs[0].steps.entries()) {
    steps.push([name, median(outputs.map((output) => output.steps[index][1]))]);
  }
  return steps;
}

async function runProfile(
  settings: { runs: number; env: Record<string, string> },
): Promise<void> {
  const { runs, env } = settings;
  const dir = await Deno.makeTempDir({ prefix: "taiga-mcp-profile-" });
  const profileEnv = { ...env, TAIGA_CACHE_DIR: `${dir}/cache` };
  await Deno.mkdir(`${dir}/cache`);
  const profileFlags = serverFlags(`${dir}/cache`);
  try {
    const table = (steps: Array<[string, number]>): void => {
      let total = 0;
      const rows: ResultRow[] = steps.map(([name, value]) => {
        total += value;
        return { measure: name, value: ms(value), target: `Σ ${ms(total)}` };
      });
      printLine(formatTable(rows).replace("Target", "Cumul."));
    };
    printLine(
      `profile: our server's start, step by step inside one fresh process (median of ${runs} runs; performance.now() markers, bench/lib/profile_child.ts)`,
    );
    table(await profileMedians(profileFlags, profileEnv, "main", runs));
    printLine();
    printLine("the same steps of the minimal SDK server (bench/lib/profile_child.ts minimal):");
    table(await profileMedians(profileFlags, profileEnv, "minimal", runs));
    printLine();
    printLine("each alone in a fresh process (what it costs with nothing loaded before it):");
    const rows: ResultRow[] = [];
    for (
      const mode of ["alone:zod", "alone:sdk", "alone:catalog", "alone:schemas", "alone:cache_dir"]
    ) {
      const steps = await profileMedians(profileFlags, profileEnv, mode, Math.max(3, runs - 4));
      for (const [name, value] of steps.slice(1)) {
        rows.push({ measure: `${mode}: ${name}`, value: ms(value) });
      }
    }
    printLine(formatTable(rows));
    printLine();
    printLine(
      "zod objects (schemas and checks) built, by import and by the tool shapes:",
    );
    const counted = await profileOnce(profileFlags, profileEnv, "count");
    printLine(
      formatTable(counted.steps.map(([name, value]) => ({ measure: name, value: String(value) }))),
    );
  } finally {
    await Deno.remove(dir, { recursive: true }).catch(() => undefined);
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      quick: { type: "boolean" },
      profile: { type: "boolean" },
      rounds: { type: "string" },
    },
  });
  await runColdStartBench({
    quick: values.quick,
    profile: values.profile,
    rounds: values.rounds === undefined ? undefined : Number(values.rounds),
  });
}
