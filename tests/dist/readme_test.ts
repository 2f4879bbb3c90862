/**
 * The README a newcomer reads first stays true: a person's quick start comes first and in order,
 * the configuration table is generated from the settings table, the dependency count is the one
 * Deno fetches, every JSON configuration parses, and the commands are the checkout's.
 */

import assert from "node:assert/strict";
import {
  BEGIN,
  buildReadme,
  END,
  README,
  replaceTable,
  settingsTable,
} from "../../scripts/gen_settings_doc.ts";
import { allSettings } from "../../src/config/settings.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const TEXT = await Deno.readTextFile(README);
const DVMRC = (await Deno.readTextFile(`${ROOT}.dvmrc`)).trim();

/** The bodies of the fenced blocks of one language. */
function blocks(markdown: string, language: string): string[] {
  const found: string[] = [];
  const fence = new RegExp("^```" + language + "\\n([\\s\\S]*?)^```$", "gm");
  for (const [, body] of markdown.matchAll(fence)) found.push(body);
  return found;
}

/** GitHub's anchor for a heading. */
function slug(heading: string): string {
  return heading.toLowerCase().replace(/[^\p{L}\p{N} _-]/gu, "").replace(/ /g, "-");
}

Deno.test("README: the configuration table is generated from the settings table", async () => {
  assert.ok(
    TEXT === await buildReadme(TEXT),
    "README.md's table is stale: run deno run -A scripts/gen_settings_doc.ts",
  );
  const table = TEXT.slice(TEXT.indexOf(BEGIN), TEXT.indexOf(END));
  for (const spec of allSettings()) {
    for (const name of spec.env) assert.ok(table.includes(`\`${name}\``), name);
    if (spec.flag) assert.ok(table.includes(`\`--${spec.flag}\``), spec.flag);
  }
});

Deno.test("gen_settings_doc: replaces the marked block only; needs both markers", () => {
  const table = settingsTable([
    { env: ["A", "B"], flag: "a", shownDefault: "(none)", help: "one | two" },
    { env: ["C"], shownDefault: "30", help: "seconds" },
  ]);
  assert.match(table, /^\| `A` \/ `B` \| `--a` \| — \| One \\\| two \|$/m);
  assert.match(table, /^\| `C` \| {2}\| `30` \| Seconds \|$/m);
  const doc = `intro\n${BEGIN}\nold\n${END}\noutro\n`;
  assert.equal(replaceTable(doc, "NEW"), `intro\n${BEGIN}\n\nNEW\n\n${END}\noutro\n`);
  assert.throws(() => replaceTable("no markers", "NEW"), /marker/);
});

Deno.test("README: a person's quick start first, in order, then the developer commands", () => {
  const quick = TEXT.indexOf("## Quick start");
  assert.equal(TEXT.indexOf("\n## ") + 1, quick, "the quick start is the first section");
  const steps = [
    `npm install -g deno@${DVMRC}`,
    `install.sh | sh -s v${DVMRC}`,
    "deno task start --sandbox",
    '"mcpServers"',
    "claude mcp add",
    "Cursor",
    '"servers"',
    "session_status",
    "deno task start login",
    "## Development",
    "deno task test",
  ];
  let at = quick;
  for (const step of steps) {
    const found = TEXT.indexOf(step, at);
    assert.ok(found > at, `"${step}" comes after the previous step`);
    at = found;
  }
  assert.ok(!TEXT.includes("Nothing else is installed"));
  assert.match(TEXT, /```mermaid\n[\s\S]*taiga-mcp[\s\S]*sandbox[\s\S]*```/);
  assert.match(TEXT, /github\.com\/talhaorak\/pytaiga-mcp/);
  for (const word of ["FASTMCP_HOST", "FASTMCP_PORT", "`sse`", "session_id"]) {
    assert.ok(TEXT.includes(word), `migration note names ${word}`);
  }
});

Deno.test("README: the npm package count is what Deno fetches for src/main.ts", async () => {
  const info = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json", "src/main.ts"],
    cwd: ROOT,
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.ok(info.success, new TextDecoder().decode(info.stderr));
  const packages = Object.keys(
    (JSON.parse(new TextDecoder().decode(info.stdout)) as { npmPackages: object }).npmPackages,
  );
  assert.ok(packages.length > 2);
  assert.match(TEXT, new RegExp(`fetches ${packages.length} npm packages`));
});

Deno.test("README: configurations parse, commands are the checkout's, links point somewhere", async () => {
  for (const body of blocks(TEXT, "json")) {
    const config = JSON.parse(body);
    const servers = config.mcpServers ?? config.servers;
    assert.ok(servers?.taiga, body);
    assert.deepEqual(servers.taiga.args.slice(0, 5), [
      "task",
      "--cwd",
      "/path/to/taiga-mcp",
      "-q",
      "start",
    ]);
  }
  for (const body of blocks(TEXT, "sh")) {
    for (const line of body.split("\n")) {
      assert.doesNotMatch(
        line,
        /^\s*(\S+=\S+\s+)*taiga-mcp\b/,
        `a checkout has no taiga-mcp: ${line}`,
      );
    }
  }
  const install = await Deno.readTextFile(`${ROOT}docs/user-guide/install.md`);
  const anchors = new Set(
    [...install.matchAll(/^#+ (.+)$/gm)].map(([, heading]) => slug(heading)),
  );
  for (const [, anchor] of TEXT.matchAll(/docs\/user-guide\/install\.md#([\w-]+)/g)) {
    assert.ok(anchors.has(anchor), `install.md#${anchor}`);
  }
  for (const [, path] of TEXT.matchAll(/\]\(((?:docs|\.github)\/[^)#]+)/g)) {
    await Deno.stat(`${ROOT}${path}`).catch(() => assert.fail(`README links to ${path}`));
  }
});
