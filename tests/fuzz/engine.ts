/**
 * The fuzz: seeded calls over every tool of the catalog (TAIGA_TOOLSETS=all) through a 2025 MCP
 * client and the sandbox Taiga, with arguments built from each tool's input schema — valid-looking
 * ones and hostile ones (see values.ts) — judged by oracle.ts. Destructive tools are called
 * without `confirm` (refused: nothing may change) and now and then confirmed on a fresh object
 * (fresh.ts). The sandbox starts afresh every `epoch` calls, so the demo data stays usable.
 * @module
 */

// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { CATALOG } from "../../src/catalog.ts";
import { inputJsonOf } from "../../src/mcp/schema.ts";
import { type Harness, startHarness } from "../helpers/harness.ts";
import { freshTarget, hasFresh } from "./fresh.ts";
import { changedTables, judge, printable, snapshot } from "./oracle.ts";
import { Rng } from "./rng.ts";
import { type Known, mutate, type Schema, validArgs } from "./values.ts";

/** Options of {@link runFuzz}. */
export interface FuzzOptions {
  /** The seed: the same seed makes the same calls. */
  seed: number;
  /** Number of tool calls. */
  calls: number;
  /** Time one call may take, ms (default 15000). */
  callTimeoutMs?: number;
  /** Calls between fresh sandboxes (default 500). */
  epoch?: number;
  /** Progress lines. */
  log?: (line: string) => void;
}

/** Something that must not happen, with what it takes to see it again. */
export interface Finding {
  /** The tool called. */
  tool: string;
  /** What went wrong. */
  reason: string;
  /** The arguments (shortened). */
  args: string;
  /** The answer (shortened). */
  result: string;
  /** Index of the call in the run (same seed: same call). */
  call: number;
}

/** What a run did. */
export interface FuzzReport {
  /** The seed. */
  seed: number;
  /** Calls made. */
  calls: number;
  /** Successful calls. */
  ok: number;
  /** isError results by error_type. */
  errors: Record<string, number>;
  /** Calls per tool, and how many of them succeeded. */
  perTool: Record<string, { calls: number; ok: number }>;
  /** Destructive calls confirmed on a fresh object. */
  confirmed: number;
  /** Catalog tools the server did not list (should be none but the stdio-only ones). */
  unlisted: string[];
  /** What must not happen but did. */
  findings: Finding[];
  /** Wall time, ms. */
  ms: number;
}

function knownOf(h: Harness): Known {
  const state = h.sandbox.state;
  const items = Object.values(state.items).flatMap((table) =>
    [...table.values()].flatMap((item) => [`#${item.ref}`, item.id])
  );
  const ids = [...state.milestones.keys(), ...state.wikiLinks.keys(), ...state.webhooks.keys()];
  return {
    projects: [...state.projects.values()].flatMap((p) => [p.slug, p.slug, p.id]),
    items: items.length > 0 ? items : ["#1"],
    attachments: [...state.attachments.keys()],
    ids: ids.length > 0 ? ids : [1],
  };
}

async function callWithin(
  h: Harness,
  name: string,
  args: Record<string, unknown>,
  ms: number,
): Promise<{ result?: CallToolResult; thrown?: unknown }> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  const late = new Promise<"late">((resolve) => timer = setTimeout(() => resolve("late"), ms));
  try {
    const result = await Promise.race([h.call(name, args), late]);
    return result === "late" ? {} : { result };
  } catch (thrown) {
    return { thrown: thrown ?? "undefined thrown" };
  } finally {
    clearTimeout(timer);
  }
}

/** Logs the default session in again when an earlier call (logout) ended it. */
async function keepLoggedIn(h: Harness): Promise<void> {
  const status = await h.call("session_status", {});
  if (status.isError) await h.call("login", { username: "demo", password: "demo123" });
}

/** Runs the fuzz; never throws for what it finds (see {@link FuzzReport.findings}). */
export async function runFuzz(options: FuzzOptions): Promise<FuzzReport> {
  const started = performance.now();
  const rng = new Rng(options.seed);
  const timeout = options.callTimeoutMs ?? 15_000;
  const epoch = options.epoch ?? 500;
  const report: FuzzReport = {
    seed: options.seed,
    calls: 0,
    ok: 0,
    errors: {},
    perTool: {},
    confirmed: 0,
    unlisted: [],
    findings: [],
    ms: 0,
  };
  const seen = new Set<string>();
  const find = (finding: Finding) => {
    const key = `${finding.tool}|${finding.reason}|${finding.result.slice(0, 60)}`;
    if (!seen.has(key)) {
      seen.add(key);
      report.findings.push(finding);
      options.log?.(`FINDING #${finding.call} ${finding.tool}: ${finding.reason}`);
    }
  };
  while (report.calls < options.calls) {
    const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" }, era: "2025" });
    try {
      const listed = new Set((await h.client.listTools()).tools.map((tool) => tool.name));
      const tools = CATALOG.tools.filter((tool) => listed.has(tool.name));
      if (report.unlisted.length === 0) {
        report.unlisted = CATALOG.tools.filter((t) => !listed.has(t.name)).map((t) => t.name);
      }
      const order = [...tools].sort(() => rng.next() - 0.5);
      let known = knownOf(h);
      const end = Math.min(options.calls, report.calls + epoch);
      for (let n = report.calls; n < end; n++) {
        const tool = order[n % order.length];
        const schema = inputJsonOf(tool) as Schema;
        const destructive = schema.properties?.confirm !== undefined ||
          tool.name === "delete_project";
        let args: Record<string, unknown> | undefined;
        let fresh = false;
        if (destructive && hasFresh(tool.name) && rng.chance(0.25)) {
          args = await freshTarget(h, tool.name, n).catch(() => undefined);
          fresh = args !== undefined;
        }
        if (!args) {
          args = validArgs(rng, schema, known);
          for (let m = rng.chance(0.5) ? 0 : rng.int(1, 2); m > 0; m--) mutate(rng, args, schema);
          if (destructive && rng.chance(0.2)) args.confirm = false;
          if (tool.name === "delete_project") delete args.confirm_slug;
        }
        if (!fresh && rng.chance(0.03)) {
          args.session_id = rng.pick(["bogus", "", "\u0000", "x".repeat(300)]);
        }
        const before = snapshot(h.sandbox.state);
        const { result, thrown } = await callWithin(h, tool.name, args, timeout);
        report.calls++;
        const counts = report.perTool[tool.name] ??= { calls: 0, ok: 0 };
        counts.calls++;
        const outcome = judge(result, thrown);
        const text = result ? JSON.stringify(result.content).slice(0, 600) : "";
        const record = (reason: string, shown = text) =>
          find({ tool: tool.name, reason, args: printable(args!), result: shown, call: n });
        if (outcome.kind === "finding") record(outcome.reason, outcome.text);
        if (outcome.kind === "ok") [report.ok, counts.ok] = [report.ok + 1, counts.ok + 1];
        if (fresh) {
          report.confirmed++;
          if (outcome.kind !== "ok") record("a confirmed call on a fresh object failed");
        }
        if (outcome.kind === "error") {
          report.errors[outcome.errorType] = (report.errors[outcome.errorType] ?? 0) + 1;
          const changed = changedTables(before, snapshot(h.sandbox.state));
          if (changed.length > 0) record(`refused, but changed ${changed.join(", ")}`);
        }
        const asksFirst = /^(delete|remove)_/.test(tool.name) &&
          tool.name !== "delete_project" &&
          schema.properties?.confirm !== undefined;
        if (asksFirst && !fresh && outcome.kind === "ok" && args.confirm !== true) {
          record("a destructive call went ahead without confirm");
        }
        if (n % 25 === 24) {
          await keepLoggedIn(h);
          known = knownOf(h);
        }
      }
      const alive = await callWithin(h, "session_status", {}, timeout);
      if (!alive.result) record0(find, report.calls, "the server stopped answering");
    } finally {
      await h.close();
    }
    options.log?.(`${report.calls} calls, ${report.findings.length} findings`);
  }
  report.ms = Math.round(performance.now() - started);
  return report;
}

function record0(find: (finding: Finding) => void, call: number, reason: string): void {
  find({ tool: "session_status", reason, args: "{}", result: "", call });
}
