/**
 * Long fuzz runs: `deno run -A tests/fuzz/run.ts [--calls 30000] [--seed N]` (a random seed when
 * none is given; it is printed first). Prints progress, then the report as JSON; exits 1 when
 * something was found.
 * @module
 */

import { parseArgs } from "node:util";
import { runFuzz } from "./engine.ts";
import { randomSeed } from "./rng.ts";

const { values } = parseArgs({
  args: Deno.args,
  options: { calls: { type: "string", default: "30000" }, seed: { type: "string" } },
});
const seed = values.seed === undefined ? randomSeed() : Number(values.seed);
const calls = Number(values.calls);
if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(calls) || calls < 1) {
  throw new Error("usage: run.ts [--calls N] [--seed N] (integers)");
}
const log = (line: string) => Deno.stderr.writeSync(new TextEncoder().encode(`${line}\n`));
log(`fuzz: seed ${seed}, ${calls} calls`);
const report = await runFuzz({ seed, calls, epoch: 1000, log });
Deno.stdout.writeSync(new TextEncoder().encode(`${JSON.stringify(report, null, 2)}\n`));
Deno.exit(report.findings.length > 0 ? 1 : 0);
