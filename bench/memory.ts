/**
 * Memory under use: our server in a child process (stdio, the 2025 protocol, every toolset) with
 * the sandbox Taiga in this process, driven through mixed calls — lists, gets, creates and
 * updates, resources/read, prompts/get, get_project_metadata. At checkpoints (1,000 and 10,000
 * calls, and a few between) the child runs a full GC and reports RSS, the V8 heap in use and
 * reserved, and the metadata-cache entries (bench/lib/memory_probe.ts). Baselines of the same
 * run, same flags: a bare `deno run` idle script, and the minimal SDK server
 * (bench/lib/minimal_server.ts) through as many calls of its one tool.
 * Targets: RSS ≤ 130 MB at 1,000 calls; flat (±10 %) from 1,000 to 10,000.
 * `--v8 <flags>` adds V8 flags to our server's command line (e.g. `--max-semi-space-size=2`), to
 * measure what a flag would change.
 *
 * Run: `deno task bench memory [--quick] [--calls N] [--v8 flags]`
 * (or `deno run -A bench/memory.ts …`).
 * @module
 */

import { parseArgs } from "node:util";
import { startTestSandbox } from "../sandbox/testing.ts";
import { type Child, initialize, type Message, spawnChild } from "./lib/children.ts";
import { serverFlags } from "./lib/flags.ts";
import type { MemoryReport } from "./lib/memory_probe.ts";
import { processRss } from "./lib/proc.ts";
import {
  formatMb,
  formatPercent,
  formatTable,
  loadLine,
  printLine,
  type ResultRow,
} from "./lib/report.ts";
import { directClient, seedStories, startServerChild } from "./lib/sandbox.ts";

/** Options of {@link runMemoryBench}. */
export interface MemoryBenchOptions {
  /** Calls in all (default 10,000; quick 3,000). The first checkpoint is at 1,000. */
  calls?: number;
  /** Fewer calls. */
  quick?: boolean;
  /** Extra V8 flags for our server (comma-separated), e.g. `--max-semi-space-size=2`. */
  v8?: string;
}

/** A probe report taken at a checkpoint, with the peak RSS and the time since the first call. */
type Checkpoint = MemoryReport & { peak: number; seconds: number };

const RSS_TARGET = 130 * 1024 * 1024;
const FLAT_TARGET = 0.1;
const DEMO = "demo-demo-project";

/** The mixed calls, in the order they cycle through; `i` is the call number. */
function mixedCall(
  i: number,
  seeded: { slug: string; ids: number[]; refs: number[] },
): [string, Message] {
  const story = seeded.ids[i % seeded.ids.length];
  const ref = seeded.refs[i % seeded.refs.length];
  const tool = (name: string, args: Message): [string, Message] => [
    "tools/call",
    { name, arguments: args },
  ];
  switch (i % 10) {
    case 0:
      return tool("list_user_stories", { project: seeded.slug, limit: 20 });
    case 1:
      return tool("get_user_story", { item: story });
    case 2:
      return tool("list_tasks", { project: DEMO });
    case 3:
      return tool("get_project", { project: seeded.slug });
    case 4:
      return tool("create_task", { project: seeded.slug, subject: `Bench task ${i}` });
    case 5:
      return tool("update_user_story", { item: story, subject: `Order history, edit ${i}` });
    case 6:
      return ["resources/read", { uri: `taiga://projects/${seeded.slug}` }];
    case 7:
      return ["resources/read", { uri: `taiga://projects/${seeded.slug}/userstories/${ref}` }];
    case 8:
      return ["prompts/get", { name: "standup", arguments: { project: DEMO } }];
    default:
      return tool("get_project_metadata", { project: seeded.slug });
  }
}

/** The error of a response, JSON-RPC or tool (isError), as text; undefined when it succeeded. */
function failure(response: Message): string | undefined {
  if (response.error) return JSON.stringify(response.error).slice(0, 300);
  const result = response.result as Message | undefined;
  if (result?.isError) {
    const content = (result.content as Array<{ text?: string }> | undefined)?.[0]?.text;
    return String(content).slice(0, 300);
  }
  return undefined;
}

async function idleBaseline(flags: string[]): Promise<MemoryReport> {
  const idle = spawnChild(["run", ...flags, "--v8-flags=--expose-gc", "bench/lib/idle.ts"]);
  try {
    await new Promise((resolve) => setTimeout(resolve, 500));
    return await idle.memory();
  } finally {
    await idle.close();
  }
}

/**
 * Sends `total` requests (`callFor(i)`) to `child`, one at a time, and takes a probe report after
 * the first answer and at each checkpoint. Counts failed calls.
 */
async function drive(
  child: Child,
  total: number,
  checkpoints: number[],
  callFor: (i: number) => [string, Message],
): Promise<{ reports: Map<number, Checkpoint>; errors: number; firstError?: string }> {
  const reports = new Map<number, Checkpoint>();
  let errors = 0;
  let firstError: string | undefined;
  const started = performance.now();
  const snapshot = async (calls: number) => {
    const report = await child.memory();
    const peak = processRss(child.pid).peak;
    reports.set(calls, { ...report, peak, seconds: (performance.now() - started) / 1000 });
  };
  await snapshot(0);
  for (let i = 0; i < total; i++) {
    const [method, params] = callFor(i);
    const problem = failure(await child.request(method, params));
    if (problem !== undefined) {
      errors++;
      firstError ??= `${method} ${JSON.stringify(params).slice(0, 120)}: ${problem}`;
    }
    if (checkpoints.includes(i + 1)) await snapshot(i + 1);
  }
  return { reports, errors, firstError };
}

function checkpointValue(report: Checkpoint, ours: boolean): string {
  const counters = ours
    ? `, metadata entries ${report.metadataEntries}, Taiga sessions ${report.taigaSessions}`
    : "";
  return `RSS ${formatMb(report.rss)}, heap after GC ${formatMb(report.heapUsed)} of ${
    formatMb(report.heapTotal)
  }${counters} (${report.seconds.toFixed(1)} s)`;
}

/** Runs the memory benchmark and prints its table. */
export async function runMemoryBench(options: MemoryBenchOptions = {}): Promise<void> {
  const total = options.calls ?? (options.quick ? 3_000 : 10_000);
  const checkpoints = [...new Set([1_000, 2_500, 5_000, total].filter((n) => n <= total))];
  const v8 = options.v8 ? options.v8.split(",").filter(Boolean) : [];
  const loadBefore = loadLine();
  const dir = await Deno.makeTempDir({ prefix: "taiga-mcp-memory-" });
  const flags = serverFlags(dir);
  const idle = await idleBaseline(flags);
  const minimal = spawnChild([
    "run",
    ...flags,
    "--v8-flags=--expose-gc",
    "bench/lib/minimal_server.ts",
    "--probe",
  ]);
  let minimalRun: Awaited<ReturnType<typeof drive>>;
  try {
    await initialize(minimal);
    await minimal.request("tools/list");
    minimalRun = await drive(
      minimal,
      total,
      checkpoints,
      (i) => ["tools/call", { name: "echo", arguments: { text: `hello ${i}` } }],
    );
  } finally {
    await minimal.close();
    await Deno.remove(dir, { recursive: true });
  }

  const sandbox = await startTestSandbox();
  let ours: Awaited<ReturnType<typeof drive>>;
  try {
    const direct = await directClient(sandbox);
    const seeded = await seedStories(direct, 20);
    const server = await startServerChild(sandbox, direct.token, {
      transport: "stdio",
      v8Flags: ["--expose-gc", ...v8],
      env: { TAIGA_TOOLSETS: "all" },
    });
    try {
      await initialize(server.child);
      await server.child.request("tools/list");
      ours = await drive(server.child, total, checkpoints, (i) => mixedCall(i, seeded));
    } finally {
      await server.close();
    }
  } finally {
    await sandbox.close();
  }

  const rows: ResultRow[] = [
    {
      measure: "baseline: bare deno run, idle script",
      value: `RSS ${formatMb(idle.rss)}, heap after GC ${formatMb(idle.heapUsed)} of ${
        formatMb(idle.heapTotal)
      }`,
    },
  ];
  for (const [calls, report] of minimalRun.reports) {
    rows.push({
      measure: calls === 0
        ? "baseline: minimal SDK server after tools/list"
        : `  after ${calls} echo calls`,
      value: checkpointValue(report, false),
    });
  }
  for (const [calls, report] of ours.reports) {
    rows.push({
      measure: calls === 0 ? "our server after initialize + tools/list" : `  after ${calls} calls`,
      value: checkpointValue(report, true),
      target: calls === 1_000 ? `RSS ≤ ${formatMb(RSS_TARGET)}` : "",
      pass: calls === 1_000 ? report.rss <= RSS_TARGET : undefined,
    });
  }
  const first = ours.reports.get(1_000);
  const last = ours.reports.get(total);
  if (first && last && total > 1_000) {
    const rssGrowth = last.rss / first.rss - 1;
    const heapGrowth = last.heapUsed / first.heapUsed - 1;
    rows.push(
      {
        measure: `RSS 1,000 → ${total.toLocaleString("en")} calls`,
        value: formatPercent(rssGrowth),
        target: `±${FLAT_TARGET * 100} %`,
        pass: Math.abs(rssGrowth) <= FLAT_TARGET,
      },
      {
        measure: `heap after GC 1,000 → ${total.toLocaleString("en")} calls`,
        value: formatPercent(heapGrowth),
        target: `±${FLAT_TARGET * 100} %`,
        pass: Math.abs(heapGrowth) <= FLAT_TARGET,
      },
      { measure: "peak RSS (VmHWM)", value: formatMb(last.peak) },
    );
  }
  const minimalFirst = minimalRun.reports.get(1_000);
  if (first && minimalFirst) {
    rows.push(
      {
        measure: "RSS at 1,000 calls: ours / idle deno",
        value: `${(first.rss / idle.rss).toFixed(2)}×`,
      },
      {
        measure: "RSS at 1,000 calls: ours / minimal SDK server",
        value: `${(first.rss / minimalFirst.rss).toFixed(2)}× (heap after GC +${
          formatMb(first.heapUsed - minimalFirst.heapUsed)
        })`,
      },
    );
  }
  rows.push({
    measure: "failed calls",
    value: `${ours.errors}${ours.firstError ? ` (first: ${ours.firstError})` : ""}`,
    target: "0",
    pass: ours.errors === 0 && minimalRun.errors === 0,
  });
  printLine(
    `memory: our server (stdio, all toolsets, --v8-flags=${
      ["--expose-gc", ...v8].join(",")
    }) through ${
      total.toLocaleString("en")
    } mixed calls against the sandbox; GC before each figure`,
  );
  printLine(`  ${loadBefore} → ${loadLine()}`);
  printLine();
  printLine(formatTable(rows));
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { quick: { type: "boolean" }, calls: { type: "string" }, v8: { type: "string" } },
  });
  await runMemoryBench({
    quick: values.quick,
    v8: values.v8,
    calls: values.calls === undefined ? undefined : Number(values.calls),
  });
}
