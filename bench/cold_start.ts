// deno-lint-ignore-file no-console
/**
 * Cold start: spawn → `initialize` answered, for our server under the documented permission flags,
 * as a ratio to a bare `deno run` of an empty script measured in the same run.
 * Run: `deno task bench` (or `deno run -A bench/cold_start.ts`).
 * @module
 */

import { ENV_VARS } from "../src/config/env.ts";
import { spawnStdio } from "../tests/helpers/stdio_process.ts";

const ROOT = new URL("../", import.meta.url).pathname;

function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

async function timeEmptyScript(script: string): Promise<number> {
  const started = performance.now();
  await new Deno.Command("deno", { args: ["run", script], stdout: "null", stderr: "null" })
    .output();
  return performance.now() - started;
}

async function timeServerInitialize(cacheDir: string): Promise<number> {
  const started = performance.now();
  const server = spawnStdio(
    "deno",
    [
      "run",
      "--allow-net",
      `--allow-env=${ENV_VARS.join(",")}`,
      `--allow-read=.env,${cacheDir}`,
      `--allow-write=${cacheDir}`,
      "src/main.ts",
    ],
    { TAIGA_CACHE_DIR: cacheDir, TAIGA_API_URL: "http://127.0.0.1:9" },
    ROOT,
  );
  await server.initialize();
  const elapsed = performance.now() - started;
  await server.close();
  return elapsed;
}

/** Measures and prints the cold-start ratio. */
export async function runColdStartBench(rounds = 7): Promise<{ ratio: number }> {
  const dir = await Deno.makeTempDir();
  const empty = `${dir}/empty.ts`;
  await Deno.writeTextFile(empty, "");
  const cacheDir = `${dir}/cache`;
  await timeEmptyScript(empty);
  await timeServerInitialize(cacheDir);
  const bare: number[] = [];
  const ours: number[] = [];
  for (let round = 0; round < rounds; round++) {
    bare.push(await timeEmptyScript(empty));
    ours.push(await timeServerInitialize(cacheDir));
  }
  await Deno.remove(dir, { recursive: true });
  const ratio = median(ours) / median(bare);
  console.log("cold start (spawn → initialize answered), median of", rounds);
  console.log(`  bare deno run (empty script): ${median(bare).toFixed(1)} ms`);
  console.log(`  taiga-mcp stdio server:       ${median(ours).toFixed(1)} ms`);
  console.log(`  ratio: ${ratio.toFixed(2)}×`);
  return { ratio };
}

if (import.meta.main) await runColdStartBench();
