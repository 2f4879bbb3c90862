/**
 * The fuzz in the suite: a few thousand seeded calls over every tool (see engine.ts). The seed
 * is fixed so the suite is repeatable; `FUZZ_SEED=<n>` picks another, `FUZZ_CALLS=<n>` another
 * count. Long runs: `deno run -A tests/fuzz/run.ts --calls 30000 --seed <n>`.
 */

import assert from "node:assert/strict";
import { runFuzz } from "./engine.ts";

const SEED = Number(Deno.env.get("FUZZ_SEED") ?? 20_261_201);
const CALLS = Number(Deno.env.get("FUZZ_CALLS") ?? 2500);

Deno.test(`fuzz: ${CALLS} calls over every tool, seed ${SEED}`, async () => {
  const report = await runFuzz({ seed: SEED, calls: CALLS });
  const errors = Object.entries(report.errors).map(([type, n]) => `${type} ${n}`).join(", ");
  const line = `fuzz seed ${report.seed}: ${report.calls} calls over ${
    Object.keys(report.perTool).length
  } tools in ${report.ms} ms; ${report.ok} ok, ${report.confirmed} confirmed on fresh objects; errors: ${errors}\n`;
  Deno.stderr.writeSync(new TextEncoder().encode(line));
  assert.deepEqual(report.unlisted, [], "every tool of the catalog is served");
  assert.deepEqual(report.findings, [], JSON.stringify(report.findings, null, 2));
});
