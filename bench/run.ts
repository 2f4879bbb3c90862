// deno-lint-ignore-file no-console
/**
 * `deno task bench`: every benchmark, each printing its figures as ratios against a baseline
 * measured in the same run.
 * @module
 */

import { runColdStartBench } from "./cold_start.ts";

const only = Deno.args[0];
const benches: Record<string, () => Promise<unknown>> = {
  "cold-start": () => runColdStartBench(),
  items: async () => (await import("./items_bench.ts")).runItemsBench(),
  "http-load": async () =>
    (await import("./http_load.ts")).runHttpLoadBench({ clients: 50, seconds: 30 }),
};

for (const [name, run] of Object.entries(benches)) {
  if (only && only !== name) continue;
  console.log(`\n=== ${name} ===`);
  await run();
}
