/**
 * Sanity of the GitHub workflows, read as text (no YAML parser is available without new
 * dependencies): they call tasks and scripts that exist, build exactly the release targets,
 * pin every action, and keep the release permissions narrow.
 */

import assert from "node:assert/strict";
import { TARGETS } from "../../scripts/compile.ts";
import { checksumText, sha256Hex } from "../../scripts/release_checksums.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const CI = await Deno.readTextFile(`${ROOT}.github/workflows/ci.yml`);
const RELEASE = await Deno.readTextFile(`${ROOT}.github/workflows/release.yml`);
const TASKS = Object.keys(
  (JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)) as { tasks: Record<string, string> })
    .tasks,
);

/** The lines of the job `name` (from `  name:` to the next two-space-indented key). */
function job(workflow: string, name: string): string {
  const lines = workflow.split("\n");
  const start = lines.indexOf(`  ${name}:`);
  assert.ok(start >= 0, `job ${name} exists`);
  const end = lines.findIndex((line, i) => i > start && /^ {2}\S/.test(line));
  return lines.slice(start, end === -1 ? undefined : end).join("\n");
}

Deno.test("workflows: every deno task and script they call exists", async () => {
  for (const [file, text] of [["ci.yml", CI], ["release.yml", RELEASE]]) {
    for (const [, task] of text.matchAll(/deno task ([\w-]+)/g)) {
      assert.ok(TASKS.includes(task), `${file} runs "deno task ${task}", missing from deno.json`);
    }
    for (const [path] of text.matchAll(/(?:scripts|\.ci)\/[\w./-]+/g)) {
      await Deno.stat(`${ROOT}${path}`).catch(() => assert.fail(`${file} refers to ${path}`));
    }
  }
});

Deno.test("workflows: CI runs .ci/run with the Deno pinned in .dvmrc", () => {
  assert.match(CI, /run: bash \.ci\/run/);
  assert.match(CI, /pull_request:/);
  assert.match(CI, /push:/);
  for (const text of [CI, RELEASE]) {
    const setups = text.match(/uses: denoland\/setup-deno@\S+/g) ?? [];
    const pins = text.match(/deno-version-file: \.dvmrc/g) ?? [];
    assert.ok(setups.length > 0);
    assert.equal(pins.length, setups.length, "every setup-deno reads .dvmrc");
  }
});

Deno.test("workflows: every action is pinned to a version or a commit", () => {
  for (const text of [CI, RELEASE]) {
    for (const [, ref] of text.matchAll(/uses: (\S+)/g)) {
      if (ref.startsWith("./")) continue;
      assert.match(ref, /@(v\d+(\.\d+)*|[0-9a-f]{40})$/, `unpinned action ${ref}`);
    }
  }
});

Deno.test("workflows: a v* tag builds exactly the compile targets and publishes everything", () => {
  assert.match(RELEASE, /tags: \["v\*"\]/);
  const binaries = job(RELEASE, "binaries");
  const matrix = [...binaries.matchAll(/^ {10}- (\S+)$/gm)].map((match) => match[1]);
  assert.deepEqual(matrix.sort(), [...TARGETS].sort());
  assert.match(binaries, /run: deno task compile --target \$\{\{ matrix\.target \}\}/);

  const release = job(RELEASE, "github-release");
  assert.match(release, /scripts\/release_checksums\.ts dist/);
  assert.match(release, /gh release create/);
  assert.match(release, /contents: write/);

  const jsr = job(RELEASE, "jsr");
  assert.match(jsr, /id-token: write/);
  assert.match(jsr, /deno task publish-check/);
  assert.match(jsr, /run: deno publish$/m);

  const image = job(RELEASE, "image");
  assert.match(image, /packages: write/);
  assert.match(image, /ghcr\.io/);
  assert.match(image, /push: true/);

  assert.match(RELEASE, /^permissions:\n {2}contents: read$/m, "read-only unless a job widens it");
  for (const name of ["binaries", "github-release", "jsr", "image"]) {
    assert.match(job(RELEASE, name), /needs: /, `${name} waits for the tests`);
  }
});

Deno.test("release checksums: sha256sum format, sorted, the sum file itself left out", async () => {
  assert.equal(
    await sha256Hex(new TextEncoder().encode("abc")),
    "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad",
  );
  const dir = await Deno.makeTempDir({ prefix: "taiga-mcp-sums-" });
  try {
    await Deno.writeTextFile(`${dir}/taiga-mcp-b`, "abc");
    await Deno.writeTextFile(`${dir}/taiga-mcp-a.exe`, "");
    await Deno.writeTextFile(`${dir}/SHA256SUMS`, "stale");
    await Deno.mkdir(`${dir}/nested`);
    assert.equal(
      await checksumText(dir),
      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855  taiga-mcp-a.exe\n" +
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad  taiga-mcp-b\n",
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const MANIFEST = JSON.parse(await Deno.readTextFile(`${ROOT}deno.json`)) as {
  name: string;
  version: string;
};
/** The user-facing docs that name what a release publishes. */
const USER_DOCS = ["README.md", "docs/user-guide/install.md", "docs/user-guide/http.md"];

async function userDocs(): Promise<Array<[string, string]>> {
  return await Promise.all(
    USER_DOCS.map(async (doc) =>
      [doc, await Deno.readTextFile(`${ROOT}${doc}`)] as [string, string]
    ),
  );
}

Deno.test("release: the image is ghcr.io/<owner>/taiga-mcp, tagged as the docs say", async () => {
  const image = job(RELEASE, "image");
  assert.match(image, /images: ghcr\.io\/\$\{\{ github\.repository_owner \}\}\/taiga-mcp$/m);
  assert.match(image, /type=semver,pattern=\{\{version\}\}/);
  assert.match(image, /type=semver,pattern=\{\{major\}\}\.\{\{minor\}\}/);
  assert.match(image, /latest=auto/);
  assert.match(image, /platforms: linux\/amd64,linux\/arm64/);
  const [major, minor] = MANIFEST.version.split(".");
  const tags = new Set([MANIFEST.version, `${major}.${minor}`, "latest", "<version>"]);
  let named = 0;
  for (const [doc, text] of await userDocs()) {
    for (
      const [ref, name, tag] of text.matchAll(/ghcr\.io\/([\w<>${}.-]+\/[\w.-]+)(?::([\w.<>-]+))?/g)
    ) {
      assert.equal(name, "<owner>/taiga-mcp", `${doc}: ${ref}`);
      if (tag !== undefined) {
        assert.ok(tags.has(tag), `${doc}: ${ref} is not a tag the workflow makes`);
      }
      named++;
    }
  }
  assert.ok(named > 0, "the docs name the image");
});

Deno.test("release: the docs' JSR package and binaries are the ones the workflow publishes", async () => {
  assert.match(job(RELEASE, "jsr"), /run: deno publish$/m);
  for (const [doc, text] of await userDocs()) {
    for (const [ref, name] of text.matchAll(/jsr:(@[\w-]+\/[\w-]+)/g)) {
      assert.equal(name, MANIFEST.name, `${doc}: ${ref} is not deno.json's package`);
    }
  }
  const binaries = job(RELEASE, "binaries");
  assert.match(binaries, /dist\/taiga-mcp-x86_64-unknown-linux-gnu --version/, "a smoke run");
  assert.match(job(RELEASE, "github-release"), /gh release create "\$GITHUB_REF_NAME" dist\/\*/);
});

Deno.test("release: while no version tag exists, the docs say nothing is released yet", async () => {
  const tags = await new Deno.Command("git", {
    args: ["tag", "--list", "v*"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "null",
  }).output().catch(() => undefined);
  if (!tags?.success) return; // not a git checkout: nothing to compare with
  if (new TextDecoder().decode(tags.stdout).trim() !== "") return; // released: the claim is moot
  const readme = await Deno.readTextFile(`${ROOT}README.md`);
  const install = await Deno.readTextFile(`${ROOT}docs/user-guide/install.md`);
  assert.match(readme, /No release has been published yet/);
  assert.match(install, /\*\*No release has been published yet\*\*/);
  for (const form of ["Binary", "JSR", "Container"]) {
    const row = readme.split("\n").find((line) => line.startsWith(`| [${form}`));
    assert.match(row ?? "", /not (released|published) yet/, `README's ${form} row`);
  }
});
