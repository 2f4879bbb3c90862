/**
 * `deno task bench [name] [--quick] [--profile]`: every benchmark (or the one named), each
 * printing its figures as ratios against a baseline measured in the same run.
 * Names: cold-start, tools-list, items, memory, sessions, http-load. `--quick` runs fewer rounds
 * and calls; `--profile` adds the in-process breakdown to cold-start.
 * @module
 */

import { parseArgs } from "node:util";
import { printLine } from "./lib/report.ts";

const { values, positionals } = parseArgs({
  args: Deno.args,
  allowPositionals: true,
  options: { quick: { type: "boolean" }, profile: { type: "boolean" } },
});
const quick = values.quick === true;

const benches: Record<string, () => Promise<unknown>> = {
  "cold-start": async () =>
    (await import("./cold_start.ts")).runColdStartBench({ quick, profile: values.profile }),
  "tools-list": async () => (await import("./tools_list.ts")).runToolsListBench(),
  items: async () => (await import("./items_bench.ts")).runItemsBench({ quick }),
  memory: async () => (await import("./memory.ts")).runMemoryBench({ quick }),
  sessions: async () => (await import("./sessions.ts")).runSessionsBench({ quick }),
  "http-load": async () =>
    (await import("./http_load.ts")).runHttpLoadBench(
      quick ? { clients: 10, seconds: 10 } : { clients: 50, seconds: 30 },
    ),
};

const unknown = positionals.filter((name) => !(name in benches));
if (unknown.length > 0) {
  throw new Error(`unknown benchmark ${unknown.join(", ")}; known: ${Object.keys(benches)}`);
}
for (const [name, run] of Object.entries(benches)) {
  if (positionals.length > 0 && !positionals.includes(name)) continue;
  printLine(`\n=== ${name} ===`);
  await run();
}
