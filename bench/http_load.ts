/**
 * HTTP load: N concurrent MCP clients over Streamable HTTP on 127.0.0.1 (default 50) for D
 * seconds (default 30), each looping `get_project` against the sandbox Taiga. Prints calls/s,
 * p50/p99 latency, errors (target 0) and RSS at start and end (target: flat), plus the ratio of
 * our p50 to the same Taiga request made directly with the TaigaClient at the same concurrency.
 * RSS keeps rising for the first minute or so of load while V8 grows its heap to the allocation
 * rate, so a leak shows best in the live heap after a full GC, printed when `gc` is exposed.
 *
 * Run: `deno run -A [--v8-flags=--expose-gc] bench/http_load.ts [--clients 50] [--seconds 30]`
 * (or `deno task bench`).
 * @module
 */

import { parseArgs } from "node:util";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createApp } from "../src/app.ts";
import { parseCli } from "../src/cli/args.ts";
import { loadConfig } from "../src/config/load.ts";
import { Logger } from "../src/log/logger.ts";
import { startHttpServer } from "../src/transports/http.ts";
import { formatTable, median, percentile, printLine, type ResultRow } from "./lib/report.ts";

/** Options of {@link runHttpLoadBench}. */
export interface HttpLoadOptions {
  /** Concurrent MCP clients (1-1000, default 50). */
  clients?: number;
  /** Seconds of load (1-3600, default 30). */
  seconds?: number;
  /** Cap on calls per client, so the loop ends even on a very fast machine (default 100000). */
  maxCallsPerClient?: number;
}

/** What one run measured. */
export interface HttpLoadResult {
  /** Clients that ran. */
  clients: number;
  /** Completed tool calls (including failed ones). */
  calls: number;
  /** Calls per second over the run. */
  callsPerSecond: number;
  /** Median latency of a call, ms. */
  p50Ms: number;
  /** 99th percentile latency, ms. */
  p99Ms: number;
  /** Calls that threw or returned isError. */
  errors: number;
  /** RSS once every client was connected and warmed up, bytes. */
  rssStart: number;
  /** RSS halfway through the load, bytes. */
  rssMid: number;
  /** RSS at the end of the load, bytes. */
  rssEnd: number;
  /** Median latency of the direct TaigaClient baseline, ms. */
  baselineP50Ms: number;
}

const PROJECT = "demo-demo-project";

/** Live heap after a full GC, when V8 exposes `gc` (`--v8-flags=--expose-gc`); else undefined. */
function liveHeap(): number | undefined {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (gc === undefined) return undefined;
  gc();
  gc();
  return Deno.memoryUsage().heapUsed;
}

function clamp(value: number, low: number, high: number, name: string): number {
  if (!Number.isInteger(value) || value < low || value > high) {
    throw new RangeError(`${name} must be an integer from ${low} to ${high}`);
  }
  return value;
}

/** Runs `work` on `workers` loops until `deadline` (performance.now) or `maxEach` iterations each. */
async function loop(
  workers: number,
  deadline: number,
  maxEach: number,
  work: (worker: number) => Promise<boolean>,
): Promise<{ latencies: number[]; errors: number }> {
  const latencies: number[] = [];
  let errors = 0;
  await Promise.all(Array.from({ length: workers }, async (_, worker) => {
    for (let i = 0; i < maxEach && performance.now() < deadline; i++) {
      const started = performance.now();
      const ok = await work(worker).catch(() => false);
      latencies.push(performance.now() - started);
      if (!ok) errors++;
    }
  }));
  return { latencies, errors };
}

/** Runs the load test and prints a results table. */
export async function runHttpLoadBench(options: HttpLoadOptions = {}): Promise<HttpLoadResult> {
  const clients = clamp(options.clients ?? 50, 1, 1000, "clients");
  const seconds = clamp(options.seconds ?? 30, 1, 3600, "seconds");
  const maxEach = options.maxCallsPerClient ?? 100_000;
  const cacheDir = await Deno.makeTempDir({ prefix: "taiga-mcp-bench-" });
  const env: Record<string, string> = {
    TAIGA_CACHE_DIR: cacheDir,
    RATE_LIMIT_REQUESTS: "10000000",
    LOG_LEVEL: "WARNING",
    MCP_HOST: "127.0.0.1",
    MCP_PORT: "0",
  };
  const config = loadConfig(parseCli(["--sandbox", "--transport", "http"]), (name) => env[name]);
  const app = await createApp(config, { logger: new Logger({ level: "WARNING" }) });
  const server = await startHttpServer(app.deps, app.catalog, { maxSessions: clients + 10 });
  const connected: Client[] = [];
  try {
    for (let i = 0; i < clients; i++) {
      const client = new Client({ name: `bench-${i}`, version: "1.0.0" });
      await client.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`)));
      connected.push(client);
    }
    const call = async (worker: number): Promise<boolean> => {
      const result = await connected[worker].callTool({
        name: "get_project",
        arguments: { project: PROJECT },
      });
      return result.isError !== true;
    };
    const warm = await loop(clients, Infinity, 1, call);
    if (warm.errors > 0) throw new Error(`warm-up: ${warm.errors} of ${clients} calls failed`);
    // An unmeasured run first: RSS climbs for several seconds while V8 and the HTTP stacks size
    // their pools, and "RSS start" should be taken once the process is warm.
    await loop(clients, performance.now() + Math.min(10, seconds) * 1000, maxEach, call);

    const heapStart = liveHeap();
    const rssStart = Deno.memoryUsage().rss;
    let rssMid = rssStart;
    const midway = setTimeout(() => rssMid = Deno.memoryUsage().rss, seconds * 500);
    const started = performance.now();
    const run = await loop(clients, started + seconds * 1000, maxEach, call);
    const elapsed = (performance.now() - started) / 1000;
    clearTimeout(midway);
    const rssEnd = Deno.memoryUsage().rss;
    const heapEnd = liveHeap();

    const session = app.deps.sessions.findDefault();
    if (!session) throw new Error("the sandbox session is missing");
    const baseline = await loop(
      clients,
      performance.now() + Math.min(5, seconds) * 1000,
      maxEach,
      async () => {
        await session.client.get("projects/by_slug", { slug: PROJECT });
        return true;
      },
    );

    const result: HttpLoadResult = {
      clients,
      calls: run.latencies.length,
      callsPerSecond: run.latencies.length / elapsed,
      p50Ms: median(run.latencies),
      p99Ms: percentile(run.latencies, 99),
      errors: run.errors,
      rssStart,
      rssMid,
      rssEnd,
      baselineP50Ms: median(baseline.latencies),
    };
    const mb = (bytes: number): string => `${(bytes / 1024 / 1024).toFixed(1)} MB`;
    const percent = (ratio: number): string =>
      `${ratio >= 0 ? "+" : ""}${(ratio * 100).toFixed(1)} %`;
    const growth = rssEnd / rssStart - 1;
    const rows: ResultRow[] = [
      { measure: "clients × seconds", value: `${clients} × ${elapsed.toFixed(1)} s` },
      { measure: "calls (get_project)", value: String(result.calls) },
      { measure: "calls/s", value: result.callsPerSecond.toFixed(0) },
      { measure: "p50 latency", value: `${result.p50Ms.toFixed(2)} ms` },
      { measure: "p99 latency", value: `${result.p99Ms.toFixed(2)} ms` },
      {
        measure: "p50 vs direct TaigaClient",
        value: `${(result.p50Ms / result.baselineP50Ms).toFixed(2)}× (direct ${
          result.baselineP50Ms.toFixed(2)
        } ms)`,
      },
      { measure: "errors", value: String(result.errors), target: "0", pass: result.errors === 0 },
      { measure: "RSS start (after warm-up)", value: mb(rssStart) },
      { measure: "RSS halfway", value: mb(rssMid) },
      {
        measure: "RSS end",
        value: `${mb(rssEnd)} (${percent(growth)})`,
        target: "flat (≤ +20 %)",
        pass: growth <= 0.2,
      },
      heapStart === undefined || heapEnd === undefined
        ? { measure: "live heap after GC", value: "n/a (run with --v8-flags=--expose-gc)" }
        : {
          measure: "live heap after GC",
          value: `${mb(heapStart)} → ${mb(heapEnd)} (${percent(heapEnd / heapStart - 1)})`,
          target: "flat (≤ +10 %)",
          pass: heapEnd / heapStart - 1 <= 0.1,
        },
    ];
    printLine(`HTTP load: ${clients} MCP clients over Streamable HTTP on 127.0.0.1, sandbox Taiga`);
    printLine(formatTable(rows));
    return result;
  } finally {
    await Promise.all(connected.map((client) => client.close().catch(() => undefined)));
    await server.close();
    await app.close();
    await Deno.remove(cacheDir, { recursive: true });
  }
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: { clients: { type: "string" }, seconds: { type: "string" } },
  });
  await runHttpLoadBench({
    clients: values.clients === undefined ? undefined : Number(values.clients),
    seconds: values.seconds === undefined ? undefined : Number(values.seconds),
  });
}
