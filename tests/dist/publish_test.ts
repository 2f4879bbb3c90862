/**
 * JSR readiness: `deno publish --dry-run` (the `publish-check` task) must succeed without a single
 * warning (slow types, missing docs, excluded-but-imported files...) and publish only the program.
 *
 * The dry run type-checks and analyses the whole published graph. Alone it takes about 10 s; in the
 * full suite (`deno test --parallel`, every other test spawning servers and sandboxes, two CPUs in
 * CI) it went past the former 55 s bound, which killed it and reported a false failure.
 * It now runs once for every check below, bounded at {@link TIME_LIMIT_MS}: long enough for a
 * loaded machine, while still turning a hung child into a failure well inside CI's 30-minute job.
 */

import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;
/** Only there to stop a hung child; a slow machine must never reach it (see the module doc). */
const TIME_LIMIT_MS = 5 * 60_000;

interface DryRun {
  code: number;
  output: string;
  timedOut: boolean;
  seconds: number;
}

async function dryRun(): Promise<DryRun> {
  const started = performance.now();
  const child = new Deno.Command(Deno.execPath(), {
    args: ["publish", "--dry-run", "--allow-dirty"],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  let timedOut = false;
  const timer = setTimeout(() => {
    timedOut = true;
    child.kill("SIGKILL");
  }, TIME_LIMIT_MS);
  try {
    const { code, stdout, stderr } = await child.output();
    const decoder = new TextDecoder();
    return {
      code,
      output: decoder.decode(stdout) + decoder.decode(stderr),
      timedOut,
      seconds: Math.round((performance.now() - started) / 1000),
    };
  } finally {
    clearTimeout(timer);
  }
}

/** One dry run, shared by the tests of this file (started by the first that needs it). */
let shared: Promise<DryRun> | undefined;
async function theDryRun(): Promise<DryRun> {
  shared ??= dryRun();
  const run = await shared;
  assert.ok(
    !run.timedOut,
    `deno publish --dry-run was still running after ${TIME_LIMIT_MS / 1000} s: a hung child`,
  );
  return run;
}

/** The lines of a dry run that are warnings (the file list is left out: a path may say "warning"). */
function warningsOf(output: string): string[] {
  return output.split("\n")
    .map((line) => line.trim())
    .filter((line) => !line.startsWith("file://") && /warning/i.test(line));
}

/** Published paths relative to the repository root, from the dry run's file list. */
function publishedFiles(output: string): string[] {
  const prefix = `file://${ROOT}`;
  return output.split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length).replace(/ \([^)]*\)$/, ""));
}

Deno.test("publish: a warning of the dry run is caught, a file named like one is not", () => {
  const sample = [
    "Checking for slow types in the public API...",
    "warning[missing-explicit-return-type]: missing explicit return type in the public API",
    "   --> /repo/src/main.ts:3:17",
    "   file:///repo/src/warnings.ts (1KB)",
    "Warning Publishing a package with slow types is not recommended",
  ].join("\n");
  assert.deepEqual(warningsOf(sample), [
    "warning[missing-explicit-return-type]: missing explicit return type in the public API",
    "Warning Publishing a package with slow types is not recommended",
  ]);
});

Deno.test("publish: the JSR dry run succeeds with no warnings", async () => {
  const { code, output, seconds } = await theDryRun();
  assert.equal(code, 0, output);
  assert.match(output, /Success Dry run complete/, output);
  assert.deepEqual(warningsOf(output), [], `after ${seconds} s:\n${output}`);
});

Deno.test("publish: the package holds the program, never tests, scripts, docs or containers", async () => {
  const { output } = await theDryRun();
  const files = publishedFiles(output);
  for (const needed of ["LICENSE", "README.md", "deno.json", "src/main.ts"]) {
    assert.ok(files.includes(needed), `${needed} must be published:\n${files.join("\n")}`);
  }
  const leaked = files.filter((file) =>
    /^(tests|bench|scripts|docs|\.github|\.ci|dist)\//.test(file) ||
    ["Dockerfile", "docker-compose.yml", ".env.example", ".env"].includes(file)
  );
  assert.deepEqual(leaked, [], "tests, benches, scripts, docs and container files stay out");
});
