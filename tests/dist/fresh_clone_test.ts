/**
 * A fresh clone has nothing beside it: the files git tracks (plus new, unignored ones) are copied
 * into an empty temporary folder and the tests that read recorded Taiga answers run there. A test
 * or script that reached outside the repository (e.g. a folder beside our checkouts) fails here.
 */

import assert from "node:assert/strict";

const ROOT = new URL("../../", import.meta.url).pathname;
/** The tests that read files of the repository at run time (fixtures, docs, deno.json). */
const FILE_READING_TESTS = [
  "tests/sandbox/contract_test.ts",
  "tests/taiga/errors_test.ts",
  "tests/architecture_test.ts",
];

async function run(cmd: string, args: string[], cwd: string): Promise<Deno.CommandOutput> {
  return await new Deno.Command(cmd, {
    args,
    cwd,
    env: { NO_COLOR: "1" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
}

async function trackedFiles(): Promise<string[] | undefined> {
  const listed = await run("git", ["ls-files", "-co", "--exclude-standard", "-z"], ROOT)
    .catch(() => undefined);
  if (!listed?.success) return undefined;
  return new TextDecoder().decode(listed.stdout).split("\0").filter(Boolean);
}

Deno.test({
  name: "a copy of the repository with nothing beside it passes the file-reading tests",
  async fn() {
    const files = await trackedFiles();
    if (!files) {
      // deno-lint-ignore no-console
      console.error("SKIP fresh-copy test: not a git checkout, so the tracked files are unknown");
      return;
    }
    const outer = await Deno.makeTempDir({ prefix: "taiga-mcp-clone-" });
    try {
      const repo = `${outer}/repo`;
      for (const file of files) {
        const target = `${repo}/${file}`;
        await Deno.mkdir(target.slice(0, target.lastIndexOf("/")), { recursive: true });
        await Deno.copyFile(`${ROOT}${file}`, target).catch((error) => {
          // A file deleted in the working tree but still tracked is simply absent.
          if (!(error instanceof Deno.errors.NotFound)) throw error;
        });
      }
      assert.deepEqual([...Deno.readDirSync(outer)].map((entry) => entry.name), ["repo"]);
      const result = await run(Deno.execPath(), ["test", "-A", ...FILE_READING_TESTS], repo);
      const output = new TextDecoder().decode(result.stdout) +
        new TextDecoder().decode(result.stderr);
      assert.ok(result.success, `the suite failed in a fresh copy:\n${output.slice(-4000)}`);
      assert.match(output, /ok \| \d+ passed/);
    } finally {
      await Deno.remove(outer, { recursive: true });
    }
  },
});
