/**
 * The install and release docs stay true to the code: every client configuration parses, every
 * `--allow-env=` list is the real one, and the binary names are the ones the compile script makes.
 */

import assert from "node:assert/strict";
import { binaryName, TARGETS } from "../../scripts/compile.ts";
import { ENV_VARS } from "../../src/config/env.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const DOCS = [
  "docs/user-guide/install.md",
  "docs/user-guide/http.md",
  "docs/developer-guide/releasing.md",
];
const INSTALL = await Deno.readTextFile(`${ROOT}docs/user-guide/install.md`);

/** The bodies of the ```json blocks of a Markdown text, with their line numbers. */
function jsonBlocks(markdown: string): { line: number; text: string }[] {
  const blocks: { line: number; text: string }[] = [];
  let current: string[] | undefined;
  let start = 0;
  for (const [index, line] of markdown.split("\n").entries()) {
    if (current === undefined && line.trim() === "```json") {
      current = [];
      start = index + 1;
    } else if (current !== undefined && line.trim() === "```") {
      blocks.push({ line: start, text: current.join("\n") });
      current = undefined;
    } else if (current !== undefined) {
      current.push(line);
    }
  }
  return blocks;
}

Deno.test("docs: every client configuration in install.md is valid JSON of its client's shape", () => {
  const blocks = jsonBlocks(INSTALL);
  assert.ok(blocks.length >= 8, `found ${blocks.length} JSON blocks`);
  for (const { line, text } of blocks) {
    let config: Record<string, Record<string, Record<string, unknown>>>;
    try {
      config = JSON.parse(text);
    } catch (error) {
      throw new Error(`install.md:${line}: ${error instanceof Error ? error.message : error}`);
    }
    const servers = config.mcpServers ?? config.servers;
    assert.ok(servers, `install.md:${line}: no mcpServers/servers key`);
    for (const [name, server] of Object.entries(servers)) {
      assert.equal(name, "taiga", `install.md:${line}`);
      const remote = typeof server.url === "string";
      assert.ok(remote || typeof server.command === "string", `install.md:${line}: command or url`);
      if (config.servers) {
        assert.ok(["stdio", "http"].includes(server.type as string), `install.md:${line}: type`);
      }
      if (remote) assert.match(server.url as string, /\/mcp$/, `install.md:${line}`);
    }
  }
});

Deno.test("docs: every --allow-env list is exactly src/permissions.ts ENV_VARS", async () => {
  let count = 0;
  for (const doc of DOCS) {
    const text = await Deno.readTextFile(`${ROOT}${doc}`);
    for (const [, list] of text.matchAll(/--allow-env=([A-Z_,]+)/g)) {
      assert.deepEqual(list.split(","), [...ENV_VARS], doc);
      count++;
    }
  }
  assert.ok(count >= 2, "the deno run and deno install forms spell the list out");
});

Deno.test("docs: install.md names every released binary", () => {
  for (const target of TARGETS) {
    assert.ok(INSTALL.includes(`\`${binaryName(target)}\``), binaryName(target));
  }
});

/** The lines of the ```sh blocks of `markdown` between the headings `from` and the next `## `. */
function shellLines(markdown: string, from = ""): string[] {
  const start = from === "" ? 0 : markdown.indexOf(from);
  assert.ok(start >= 0, `section ${from}`);
  const end = from === "" ? markdown.length : markdown.indexOf("\n## ", start + from.length);
  const section = markdown.slice(start, end === -1 ? undefined : end);
  return [...section.matchAll(/^```sh\n([\s\S]*?)^```$/gm)].flatMap(([, body]) => body.split("\n"));
}

Deno.test("docs: a checkout user is shown `deno task start`, never a taiga-mcp command", async () => {
  const http = await Deno.readTextFile(`${ROOT}docs/user-guide/http.md`);
  const guide = await Deno.readTextFile(`${ROOT}docs/user-guide/README.md`);
  const lines = [
    ...shellLines(INSTALL, "## 1. From a checkout"),
    ...shellLines(http),
    ...shellLines(guide),
  ];
  assert.ok(lines.some((line) => line.includes("deno task start")));
  for (const line of lines) {
    assert.doesNotMatch(
      line,
      /^\s*(\S+=\S+\s+)*taiga-mcp\b/,
      `a checkout has no taiga-mcp: ${line}`,
    );
  }
  for (const form of ["deno task start login", "taiga-mcp login", "jsr:@taiga/mcp login"]) {
    assert.ok(INSTALL.includes(form), `install.md gives each form's own command: ${form}`);
  }
});
