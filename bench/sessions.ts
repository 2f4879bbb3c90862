/**
 * Short-lived HTTP sessions (issue "layered core"): our server in a child process over Streamable
 * HTTP, and N sessions one after another on a few parallel workers, each `initialize`, one call
 * that resolves project metadata (get_project_metadata), then DELETE. At N/4, N/2, 3N/4 and N the
 * child runs a full GC and reports RSS, heap in use, metadata-cache entries, Taiga sessions and
 * live MCP sessions (bench/lib/memory_probe.ts): all must stay flat, whatever N.
 * Two kinds of session: `shared` (calls use the start-up session of TAIGA_AUTH_TOKEN) and `login`
 * (each MCP session first logs in with login_with_token, so it owns a Taiga session and its
 * metadata, which must go when the MCP session ends).
 *
 * Run: `deno task bench sessions [--quick]`, or for the other kind and other counts
 * `deno run -A bench/sessions.ts [--quick] [--sessions N] [--kind shared|login|both] [--workers N]`
 * (or `deno run -A bench/sessions.ts …`).
 * @module
 */

import { parseArgs } from "node:util";
import { startTestSandbox } from "../sandbox/testing.ts";
import type { MemoryReport } from "./lib/memory_probe.ts";
import {
  formatMb,
  formatPercent,
  formatTable,
  loadLine,
  printLine,
  type ResultRow,
} from "./lib/report.ts";
import { directClient, startServerChild } from "./lib/sandbox.ts";

/** Options of {@link runSessionsBench}. */
export interface SessionsBenchOptions {
  /** Sessions per kind (default 20,000; quick 4,000). */
  sessions?: number;
  /** Which kinds of session (default shared). */
  kind?: "shared" | "login" | "both";
  /** Parallel workers (default 4). */
  workers?: number;
  /** Fewer sessions. */
  quick?: boolean;
}

const PROJECT = "demo-demo-project";
const FLAT_TARGET = 0.1;
const ACCEPT = "application/json, text/event-stream";
const PROTOCOL = "2025-06-18";

type Json = Record<string, unknown>;

/** The JSON-RPC message of a response (plain JSON or the last `data:` of an SSE stream). */
async function messageOf(response: Response): Promise<Json> {
  const text = await response.text();
  if (!response.ok) throw new Error(`HTTP ${response.status}: ${text.slice(0, 200)}`);
  if (!(response.headers.get("content-type") ?? "").includes("text/event-stream")) {
    return JSON.parse(text);
  }
  const data = text.split("\n").filter((line) => line.startsWith("data:")).map((line) =>
    line.slice(5).trim()
  ).filter(Boolean);
  const messages = data.map((line) => JSON.parse(line) as Json).filter((message) =>
    "id" in message
  );
  if (messages.length === 0) {
    throw new Error(`no response in the SSE stream: ${text.slice(0, 200)}`);
  }
  return messages.at(-1)!;
}

function toolFailure(message: Json): string | undefined {
  if (message.error) return JSON.stringify(message.error).slice(0, 200);
  const result = message.result as Json | undefined;
  if (!result?.isError) return undefined;
  return String((result.content as Array<{ text?: string }>)[0]?.text).slice(0, 200);
}

/** One short-lived session: initialize, [login,] get_project_metadata, DELETE. */
async function oneSession(url: URL, token: string | undefined): Promise<void> {
  const post = (body: Json, session?: string) =>
    fetch(url, {
      method: "POST",
      headers: {
        "content-type": "application/json",
        accept: ACCEPT,
        ...(session ? { "mcp-session-id": session, "mcp-protocol-version": PROTOCOL } : {}),
      },
      body: JSON.stringify(body),
    });
  const opened = await post({
    jsonrpc: "2.0",
    id: 1,
    method: "initialize",
    params: {
      protocolVersion: PROTOCOL,
      capabilities: {},
      clientInfo: { name: "sessions-bench", version: "1" },
    },
  });
  const session = opened.headers.get("mcp-session-id");
  const initialized = await messageOf(opened);
  if (!session || initialized.error) {
    throw new Error(`initialize: ${JSON.stringify(initialized.error ?? "no session id")}`);
  }
  let failure: unknown;
  try {
    const notified = await post({ jsonrpc: "2.0", method: "notifications/initialized" }, session);
    await notified.body?.cancel();
    let id = 2;
    const call = async (name: string, args: Json) => {
      const answer = await messageOf(
        await post({
          jsonrpc: "2.0",
          id: id++,
          method: "tools/call",
          params: { name, arguments: args },
        }, session),
      );
      const problem = toolFailure(answer);
      if (problem) throw new Error(`${name}: ${problem}`);
    };
    if (token) await call("login_with_token", { auth_token: token, token_type: "Bearer" });
    await call("get_project_metadata", { project: PROJECT });
  } catch (error) {
    failure = error;
  }
  const ended = await fetch(url, {
    method: "DELETE",
    headers: { "mcp-session-id": session, "mcp-protocol-version": PROTOCOL },
  });
  await ended.body?.cancel();
  if (failure !== undefined) throw failure;
  if (!ended.ok) throw new Error(`DELETE: HTTP ${ended.status}`);
}

interface KindResult {
  reports: Array<[number, MemoryReport & { seconds: number; load: number }]>;
  errors: number;
  firstError?: string;
}

async function runKind(
  kind: "shared" | "login",
  total: number,
  workers: number,
): Promise<KindResult> {
  const sandbox = await startTestSandbox();
  try {
    const direct = await directClient(sandbox);
    const server = await startServerChild(sandbox, direct.token, {
      transport: "http",
      v8Flags: ["--expose-gc"],
    });
    try {
      const url = server.mcpUrl!;
      const reports: KindResult["reports"] = [];
      let errors = 0;
      let firstError: string | undefined;
      const started = performance.now();
      const snapshot = async (done: number) => {
        const report = await server.child.memory();
        reports.push([done, {
          ...report,
          seconds: (performance.now() - started) / 1000,
          load: Deno.loadavg()[0],
        }]);
      };
      // Warm-up, then the first figures: the server as it is once serving.
      await oneSession(url, kind === "login" ? direct.token : undefined);
      await snapshot(0);
      const step = total / 4;
      let next = 0;
      for (let quarter = 1; quarter <= 4; quarter++) {
        const end = Math.round(step * quarter);
        await Promise.all(Array.from({ length: workers }, async () => {
          while (next < end) {
            next++;
            try {
              await oneSession(url, kind === "login" ? direct.token : undefined);
            } catch (error) {
              errors++;
              firstError ??= error instanceof Error ? error.message : String(error);
            }
          }
        }));
        await snapshot(end);
      }
      return { reports, errors, firstError };
    } finally {
      await server.close();
    }
  } finally {
    await sandbox.close();
  }
}

/** Runs the sessions benchmark and prints its table. */
export async function runSessionsBench(options: SessionsBenchOptions = {}): Promise<void> {
  const total = options.sessions ?? (options.quick ? 4_000 : 20_000);
  const workers = options.workers ?? 4;
  const kinds = options.kind === "both" ? ["shared", "login"] as const : [options.kind ?? "shared"];
  const loadBefore = loadLine();
  const rows: ResultRow[] = [];
  for (const kind of kinds) {
    const result = await runKind(kind, total, workers);
    const label = kind === "shared"
      ? "shared start-up session (initialize, get_project_metadata, DELETE)"
      : "own login (initialize, login_with_token, get_project_metadata, DELETE)";
    rows.push({ measure: `${label}:`, value: "" });
    for (const [index, [done, report]] of result.reports.entries()) {
      const [before, previous] = result.reports[Math.max(0, index - 1)];
      const rate = done === 0
        ? ""
        : `, ${
          ((done - before) / (report.seconds - previous.seconds)).toFixed(0)
        } sessions/s since the last line (load ${report.load.toFixed(1)})`;
      rows.push({
        measure: done === 0 ? "  after 1 session (warm-up)" : `  after ${done} sessions`,
        value: `RSS ${formatMb(report.rss)}, heap after GC ${
          formatMb(report.heapUsed)
        }, metadata entries ${report.metadataEntries}, Taiga sessions ${report.taigaSessions}, live MCP sessions ${report.mcpSessions}${rate}`,
      });
    }
    const first = result.reports.find(([done]) => done > 0)?.[1];
    const last = result.reports.at(-1)?.[1];
    if (first && last) {
      const rss = last.rss / first.rss - 1;
      const heap = last.heapUsed / first.heapUsed - 1;
      rows.push(
        {
          measure: `  RSS ${result.reports[1][0]} → ${total} sessions`,
          value: formatPercent(rss),
          target: `±${FLAT_TARGET * 100} %`,
          pass: Math.abs(rss) <= FLAT_TARGET,
        },
        {
          measure: `  heap after GC ${result.reports[1][0]} → ${total} sessions`,
          value: formatPercent(heap),
          target: `±${FLAT_TARGET * 100} %`,
          pass: Math.abs(heap) <= FLAT_TARGET,
        },
        {
          measure: "  metadata entries, Taiga sessions, MCP sessions at the end",
          value: `${last.metadataEntries}, ${last.taigaSessions}, ${last.mcpSessions}`,
          target: "≤ first figures",
          pass: last.metadataEntries <= first.metadataEntries &&
            last.taigaSessions <= first.taigaSessions && last.mcpSessions <= first.mcpSessions,
        },
      );
    }
    rows.push({
      measure: "  failed sessions",
      value: `${result.errors}${result.firstError ? ` (first: ${result.firstError})` : ""}`,
      target: "0",
      pass: result.errors === 0,
    });
  }
  printLine(
    `sessions: ${
      total.toLocaleString("en")
    } short-lived Streamable HTTP sessions per kind, ${workers} at a time, our server in a child process (--expose-gc); GC before each figure`,
  );
  printLine(`  ${loadBefore} → ${loadLine()}`);
  printLine();
  printLine(formatTable(rows));
}

if (import.meta.main) {
  const { values } = parseArgs({
    args: Deno.args,
    options: {
      quick: { type: "boolean" },
      sessions: { type: "string" },
      workers: { type: "string" },
      kind: { type: "string" },
    },
  });
  const kind = values.kind;
  if (kind !== undefined && kind !== "shared" && kind !== "login" && kind !== "both") {
    throw new Error("--kind is shared, login or both");
  }
  await runSessionsBench({
    quick: values.quick,
    kind,
    sessions: values.sessions === undefined ? undefined : Number(values.sessions),
    workers: values.workers === undefined ? undefined : Number(values.workers),
  });
}
