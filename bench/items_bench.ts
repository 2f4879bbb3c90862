/**
 * Item benchmarks, against a sandbox Taiga on 127.0.0.1:
 * 1. output size: `list_user_stories` of 100 stories vs Taiga's raw JSON of the same stories
 *    (target ≤ 20 %);
 * 2. per-call overhead of `get_user_story` through our server vs a direct `fetch` of the same
 *    Taiga request (interleaved calls): p50/p90, ratio (target ≤ 1.5×), time added at p50
 *    (target ≤ 1 ms) and CPU per call, for
 *    - a 2025 client (v1 SDK) over our stdio connection in memory, all in this process (CPU by
 *      `process.cpuUsage()` around blocks of calls: ours minus direct = our server + the client);
 *    - a 2026-07-28 client (v2 SDK, pinned) over Streamable HTTP to our server in a child process
 *      (`createMcpHandler` path; the server's own CPU from /proc), and a 2025 client over the same;
 * 3. the same at a real Taiga's speed (informational);
 * 4. what a 2026-07-28 request pays before its handler runs: the server instance built for each
 *    stateless request (createMcpServer, and its registration steps), timed in this process.
 *
 * Run: `deno task bench items [--quick]` (or `deno run -A bench/items_bench.ts [--quick]`).
 * @module
 */

import process from "node:process";
import { parseArgs } from "node:util";
import { startTestSandbox, type TestSandbox } from "../sandbox/testing.ts";
import { CATALOG } from "../src/catalog.ts";
import { createMcpServer, enabledTools } from "../src/mcp/server.ts";
import { type BenchClient, benchDeps, connectHttp, connectInMemory } from "./lib/clients.ts";
import { hasProc, processCpuMs } from "./lib/proc.ts";
import {
  byteLength,
  formatBytes,
  formatTable,
  loadLine,
  median,
  percentile,
  printLine,
  type ResultRow,
} from "./lib/report.ts";
import {
  type Direct,
  directClient,
  type Raw,
  seedStories,
  startServerChild,
} from "./lib/sandbox.ts";

/** Options of {@link runItemsBench}. */
export interface ItemsBenchOptions {
  /** Timed calls per side and client (default 400; quick 150). */
  iterations?: number;
  /** Untimed calls first (default 50). */
  warmup?: number;
  /** Fewer calls. */
  quick?: boolean;
}

const STORIES = 100;
const SIZE_TARGET = 0.2;
const RATIO_TARGET = 1.5;
const ADDED_MS_TARGET = 1;

function textOf(result: Raw): string {
  const parts = Array.isArray(result.content) ? result.content as Raw[] : [];
  return parts.map((part) => part.type === "text" ? String(part.text) : "").join("");
}

async function callOk(client: BenchClient, name: string, args: Raw): Promise<Raw> {
  const result = await client.callTool({ name, arguments: args });
  if (result.isError) throw new Error(`${name} failed: ${textOf(result)}`);
  return result;
}

async function outputSizeRows(
  client: BenchClient,
  direct: Direct,
  seeded: { slug: string; projectId: number },
): Promise<ResultRow[]> {
  const raw = await direct.get(
    `userstories?project=${seeded.projectId}&page=1&page_size=${STORIES}`,
  );
  const result = await callOk(client, "list_user_stories", {
    project: seeded.slug,
    limit: STORIES,
  });
  const ours = textOf(result);
  const returned = (result.structuredContent as Raw | undefined)?.returned;
  const ratio = byteLength(ours) / byteLength(raw);
  return [
    {
      measure: `list_user_stories ${returned ?? "?"} stories`,
      value: `${formatBytes(byteLength(ours))} vs raw ${formatBytes(byteLength(raw))}`,
    },
    {
      measure: "  output / raw Taiga JSON",
      value: `${(ratio * 100).toFixed(1)} %`,
      target: `≤ ${SIZE_TARGET * 100} %`,
      pass: returned === STORIES && ratio <= SIZE_TARGET,
    },
  ];
}

/** What one client's latency comparison measured. */
interface Latency {
  ours: number[];
  plain: number[];
  /** CPU ms per call: ours, direct, and the server process alone when known. */
  cpu: { ours?: number; plain?: number; server?: number };
  /** Taiga requests per MCP call. */
  taigaPerCall: number;
}

/** Interleaved timing of `viaServer` and `viaFetch`; `serverPid` gives the server's own CPU. */
async function compare(
  sandbox: TestSandbox,
  viaServer: () => Promise<unknown>,
  viaFetch: () => Promise<unknown>,
  settings: { iterations: number; warmup: number },
  serverPid?: number,
): Promise<Latency> {
  for (let i = 0; i < settings.warmup; i++) {
    await viaServer();
    await viaFetch();
  }
  const ours: number[] = [];
  const plain: number[] = [];
  sandbox.resetRequestCount();
  let fetches = 0;
  const serverCpuBefore = serverPid === undefined ? 0 : processCpuMs(serverPid);
  for (let i = 0; i < settings.iterations; i++) {
    // Alternate the order so neither side always runs on a warmer connection.
    for (const side of i % 2 === 0 ? ["ours", "plain"] : ["plain", "ours"]) {
      const started = performance.now();
      if (side === "ours") await viaServer();
      else {
        await viaFetch();
        fetches++;
      }
      (side === "ours" ? ours : plain).push(performance.now() - started);
    }
  }
  const server = serverPid === undefined
    ? undefined
    : (processCpuMs(serverPid) - serverCpuBefore) / settings.iterations;
  const taigaPerCall = (sandbox.requestCount() - fetches) / settings.iterations;
  // CPU of this process per call, each side in a block of its own.
  const cpuPerCall = async (work: () => Promise<unknown>): Promise<number> => {
    const before = process.cpuUsage();
    for (let i = 0; i < settings.iterations; i++) await work();
    const used = process.cpuUsage(before);
    return (used.user + used.system) / 1000 / settings.iterations;
  };
  const cpu = { ours: await cpuPerCall(viaServer), plain: await cpuPerCall(viaFetch), server };
  return { ours, plain, cpu, taigaPerCall };
}

function latencyRows(label: string, latency: Latency, inProcess: boolean): ResultRow[] {
  const { ours, plain, cpu } = latency;
  const p50 = median(ours);
  const base = median(plain);
  const ratio = p50 / base;
  const added = p50 - base;
  const ms = (value: number) => `${value.toFixed(3)} ms`;
  const rows: ResultRow[] = [
    {
      measure: `${label}: get_user_story via MCP (${ours.length}×)`,
      value: `p50 ${ms(p50)}, p90 ${ms(percentile(ours, 90))}`,
    },
    {
      measure: "  direct fetch of the same Taiga request",
      value: `p50 ${ms(base)}, p90 ${ms(percentile(plain, 90))}`,
    },
    {
      measure: "  ratio at p50",
      value: `${ratio.toFixed(2)}× (p90 ${
        (percentile(ours, 90) / percentile(plain, 90)).toFixed(2)
      }×)`,
      target: `≤ ${RATIO_TARGET}×`,
      pass: ratio <= RATIO_TARGET,
    },
    {
      measure: "  time added at p50",
      value: ms(added),
      target: `≤ ${ADDED_MS_TARGET} ms`,
      pass: added <= ADDED_MS_TARGET,
    },
    { measure: "  Taiga requests per MCP call", value: latency.taigaPerCall.toFixed(2) },
  ];
  if (cpu.server !== undefined) {
    rows.push({
      measure: "  server process CPU per call (/proc, 10 ms ticks)",
      value: ms(cpu.server),
    });
  }
  if (cpu.ours !== undefined && cpu.plain !== undefined) {
    rows.push({
      measure: inProcess
        ? "  CPU per call, this process (server + client + sandbox)"
        : "  CPU per call, this process (client + sandbox)",
      value: `${ms(cpu.ours)} via MCP vs ${ms(cpu.plain)} direct (+${ms(cpu.ours - cpu.plain)})`,
    });
  }
  return rows;
}

/** Real Taiga 6.10's median GET latency on loopback (taiga-api.md §11), in ms. */
const REAL_TAIGA_MS = 74;

/** The same comparison with the sandbox answering at a real Taiga's speed: what a user feels. */
async function realSpeedRows(
  sandbox: TestSandbox,
  viaServer: () => Promise<unknown>,
  viaFetch: () => Promise<unknown>,
): Promise<ResultRow[]> {
  const rounds = 15;
  sandbox.faults.add({
    kind: "delay",
    ms: REAL_TAIGA_MS,
    times: rounds * 2 + 2,
    match: /^GET \/api\/v1\/userstories\/\d+$/,
  });
  const ours: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let started = performance.now();
    await viaServer();
    ours.push(performance.now() - started);
    started = performance.now();
    await viaFetch();
    plain.push(performance.now() - started);
  }
  sandbox.faults.clear();
  const ratio = median(ours) / median(plain);
  return [{
    measure: `  at real Taiga speed (+${REAL_TAIGA_MS} ms)`,
    value: `${median(ours).toFixed(1)} ms vs ${median(plain).toFixed(1)} ms = ${ratio.toFixed(3)}×`,
  }];
}

/**
 * Wall and CPU ms per run of each of `works`, run round-robin (so that garbage collection falls
 * on all of them alike) after a warm-up.
 */
function perRun(works: Array<() => void>, runs: number): Array<{ wall: number; cpu: number }> {
  for (let i = 0; i < 50; i++) works.forEach((work) => work());
  const totals = works.map(() => ({ wall: 0, cpu: 0 }));
  for (let i = 0; i < runs; i++) {
    works.forEach((work, index) => {
      const cpuBefore = process.cpuUsage();
      const started = performance.now();
      work();
      totals[index].wall += performance.now() - started;
      const used = process.cpuUsage(cpuBefore);
      totals[index].cpu += (used.user + used.system) / 1000;
    });
  }
  return totals.map(({ wall, cpu }) => ({ wall: wall / runs, cpu: cpu / runs }));
}

/** The per-request server instance of the 2026 path (createMcpHandler's factory), in process. */
async function factoryRows(runs: number): Promise<ResultRow[]> {
  const cacheDir = await Deno.makeTempDir({ prefix: "taiga-mcp-bench-" });
  const deps = benchDeps({ TAIGA_API_URL: "http://127.0.0.1:9", TAIGA_CACHE_DIR: cacheDir });
  try {
    const tools = enabledTools(deps, CATALOG).length;
    // Each part's cost is the full build less the build without it (createMcpServer only, so
    // that the figure follows the code whatever its inner modules become).
    const build = (catalog: typeof CATALOG, noTools = false) => () =>
      void createMcpServer(deps, catalog, { era: "modern", tools: noTools ? [] : undefined });
    const parts: Array<[string, () => void]> = [
      [`createMcpServer, era modern, default toolsets (${tools} tools)`, build(CATALOG)],
      ["  without the tools", build(CATALOG, true)],
      [`  without the ${CATALOG.resources.length} resources`, build({ ...CATALOG, resources: [] })],
      [`  without the ${CATALOG.prompts.length} prompts`, build({ ...CATALOG, prompts: [] })],
    ];
    const figures = perRun(parts.map(([, work]) => work), runs);
    const full = figures[0];
    return parts.map(([measure], index) => {
      const { wall, cpu } = figures[index];
      const share = index === 0
        ? ""
        : ` (the part costs ${(full.wall - wall).toFixed(3)} ms wall, ${
          (full.cpu - cpu).toFixed(3)
        } ms CPU)`;
      return { measure, value: `${wall.toFixed(3)} ms wall, ${cpu.toFixed(3)} ms CPU${share}` };
    });
  } finally {
    deps.close();
    deps.log.close();
    await Deno.remove(cacheDir, { recursive: true });
  }
}

function missingRow(measure: string, error: unknown): ResultRow {
  const reason = error instanceof Error ? error.message : String(error);
  return { measure, value: `not measured: ${reason.slice(0, 200)}` };
}

/** Runs the item benchmarks and prints a table of figures and targets. */
export async function runItemsBench(options: ItemsBenchOptions = {}): Promise<void> {
  const settings = {
    iterations: options.iterations ?? (options.quick ? 150 : 400),
    warmup: options.warmup ?? 50,
  };
  const loadBefore = loadLine();
  const sandbox = await startTestSandbox();
  const rows: ResultRow[] = [];
  try {
    const direct = await directClient(sandbox);
    const seeded = await seedStories(direct, STORIES);
    const id = seeded.ids[0];
    const viaFetch = () => direct.get(`userstories/${id}`);
    const args = { item: id };

    // 2025 client in memory, everything in this process.
    const cacheDir = await Deno.makeTempDir({ prefix: "taiga-mcp-bench-" });
    const deps = benchDeps({
      TAIGA_API_URL: sandbox.apiUrl,
      TAIGA_AUTH_TOKEN: direct.token,
      TAIGA_CACHE_DIR: cacheDir,
      TAIGA_TOOLSETS: "all",
      RATE_LIMIT_REQUESTS: "100000000",
    });
    const memory = await connectInMemory(deps, CATALOG, "2025");
    try {
      await memory.client.listTools();
      rows.push(
        ...await outputSizeRows(memory.client, direct, seeded).catch((
          e,
        ) => [missingRow("list_user_stories output size", e)]),
      );
      const viaServer = () => callOk(memory.client, "get_user_story", args);
      const latency = await compare(sandbox, viaServer, viaFetch, settings);
      rows.push(...latencyRows("2025 client, stdio connection in memory", latency, true));
      rows.push(...await realSpeedRows(sandbox, viaServer, viaFetch));
    } catch (error) {
      rows.push(missingRow("2025 client in memory", error));
    } finally {
      await memory.close();
      deps.close();
      deps.log.close();
      await Deno.remove(cacheDir, { recursive: true });
    }

    // Our server in a child process over Streamable HTTP: 2026 and 2025 clients.
    if (!hasProc()) {
      rows.push({ measure: "server CPU", value: "not measured: /proc is missing (Linux only)" });
    }
    const server = await startServerChild(sandbox, direct.token, { transport: "http" });
    try {
      for (const era of ["2026", "2025"] as const) {
        const client = await connectHttp(server.mcpUrl!, era);
        try {
          await client.listTools();
          const viaServer = () => callOk(client, "get_user_story", args);
          const latency = await compare(
            sandbox,
            viaServer,
            viaFetch,
            settings,
            hasProc() ? server.child.pid : undefined,
          );
          const label = era === "2026"
            ? "2026-07-28 client, Streamable HTTP (stateless), server in a child process"
            : "2025 client, Streamable HTTP (session), same server";
          rows.push(...latencyRows(label, latency, false));
        } catch (error) {
          rows.push(missingRow(`${era} client over HTTP`, error));
        } finally {
          await client.close().catch(() => undefined);
        }
      }
    } finally {
      await server.close();
    }
    rows.push({
      measure: "server instance per 2026-07-28 request (in this process, per build):",
      value: "",
    });
    rows.push(
      ...await factoryRows(options.quick ? 100 : 300).catch((
        e,
      ) => [missingRow("per-request server instance", e)]),
    );
  } finally {
    await sandbox.close();
  }
  printLine("taiga-mcp item benchmarks (sandbox Taiga on 127.0.0.1)");
  printLine(`  ${loadBefore} → ${loadLine()}`);
  printLine();
  printLine(formatTable(rows));
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { quick: { type: "boolean" }, iterations: { type: "string" } },
  });
  await runItemsBench({
    quick: values.quick,
    iterations: values.iterations === undefined ? undefined : Number(values.iterations),
  });
}
