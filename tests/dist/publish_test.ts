/**
 * JSR readiness: `deno publish --dry-run` (the `publish-check` task) must succeed without a single
 * warning (slow types, missing docs, excluded-but-imported files...) and publish only the program.
 */

import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;
const TIME_LIMIT_MS = 55_000;

async function dryRun(): Promise<{ code: number; output: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["publish", "--dry-run", "--allow-dirty"],
    cwd: ROOT,
    env: { NO_COLOR: "1" },
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => child.kill("SIGKILL"), TIME_LIMIT_MS);
  try {
    const { code, stdout, stderr } = await child.output();
    const decoder = new TextDecoder();
    return { code, output: decoder.decode(stdout) + decoder.decode(stderr) };
  } finally {
    clearTimeout(timer);
  }
}

/** Published paths relative to the repository root, from the dry run's file list. */
function publishedFiles(output: string): string[] {
  const prefix = `file://${ROOT}`;
  return output.split("\n")
    .map((line) => line.trim())
    .filter((line) => line.startsWith(prefix))
    .map((line) => line.slice(prefix.length).replace(/ \([^)]*\)$/, ""));
}

Deno.test({
  name: "publish: the JSR dry run succeeds with no warnings and ships only the program",
  async fn() {
    const { code, output } = await dryRun();
    assert.equal(code, 0, output);
    assert.match(output, /Success Dry run complete/, output);
    const warnings = output.split("\n").filter((line) => /warning/i.test(line));
    assert.deepEqual(warnings, [], output);

    const files = publishedFiles(output);
    for (const needed of ["LICENSE", "README.md", "deno.json", "src/main.ts"]) {
      assert.ok(files.includes(needed), `${needed} must be published:\n${files.join("\n")}`);
    }
    const leaked = files.filter((file) =>
      /^(tests|bench|scripts|docs|\.github|\.ci|dist)\//.test(file) ||
      ["Dockerfile", "docker-compose.yml", ".env.example", ".env"].includes(file)
    );
    assert.deepEqual(leaked, [], "tests, benches, scripts, docs and container files stay out");
  },
});
