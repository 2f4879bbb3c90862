import assert from "node:assert/strict";
import { z } from "zod";
import {
  buildToolsDoc,
  DEFAULT_OUT,
  fieldRows,
  formatMarkdown,
  main,
  renderToolsDoc,
  typeName,
} from "../../scripts/gen_tools_doc.ts";
import { defineTool } from "../../src/mcp/define.ts";
import { TOOLSETS } from "../../src/mcp/toolsets.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";

Deno.test("docs/tools.md is up to date with the tool definitions", async () => {
  const committed = await Deno.readTextFile(DEFAULT_OUT);
  const fresh = await buildToolsDoc();
  assert.ok(
    committed === fresh,
    "docs/tools.md is stale: run `deno task tools-doc` (deno run -A scripts/gen_tools_doc.ts)",
  );
});

Deno.test("the reference lists every tool once, under its toolset, and is deterministic", () => {
  const text = renderToolsDoc(ALL_TOOLS, TOOLSETS);
  assert.equal(renderToolsDoc(ALL_TOOLS, TOOLSETS), text);
  for (const tool of ALL_TOOLS) {
    const heading = `### \`${tool.name}\``;
    assert.equal(text.split(heading).length - 1, 1, `${tool.name} appears once`);
    const section = text.indexOf(`## Toolset \`${tool.toolset}\``);
    assert.ok(section >= 0 && section < text.indexOf(heading), `${tool.name} under its toolset`);
  }
  const defaults = ALL_TOOLS.filter((tool) => TOOLSETS[tool.toolset]?.inDefault).length;
  assert.match(text, new RegExp(`default selection .* has ${defaults} tools`));
});

Deno.test("fields come from the zod schemas: type, required, default, description, hints", () => {
  const tool = defineTool({
    name: "demo_tool",
    title: "Demo",
    description: "Does | things",
    toolset: "wiki",
    readOnly: false,
    annotations: { destructiveHint: true },
    input: () => ({
      id: z.union([z.number().int(), z.string().max(9)]).describe("Id or name"),
      state: z.enum(["open", "closed"]).default("open").describe("Which"),
      tags: z.array(z.string()).optional(),
    }),
    output: () => ({ rows: z.array(z.object({ a: z.number().nullable() })) }),
    handler: () => Promise.resolve({ rows: [] }),
  });
  const text = renderToolsDoc([tool], {});
  assert.match(text, /\*\*Demo\*\* — writes · destructive · hidden by --read-only/);
  assert.match(
    text,
    /\| `id` \| integer \\\| string \| yes \| {2}\| Id or name \(max 9 chars\) \|/,
  );
  assert.match(text, /\| `state` \| "open" \\\| "closed" \| no \| `"open"` \| Which \|/);
  assert.match(text, /\| `tags` \| string\[\] \| no \|/);
  assert.match(text, /\| `rows\[\]\.a` \| number \\\| null \| yes \|/);
  assert.match(text, /## Toolset `wiki`/);
  assert.equal(typeName({ type: "object", additionalProperties: {} }), "record");
  assert.deepEqual(fieldRows({}), []);
});

Deno.test("the generated file is already in deno fmt's style", async () => {
  const text = await buildToolsDoc();
  assert.equal(await formatMarkdown(text), text);
  assert.match(text, /^\| Toolset +\| Default +\|/m, "tables are aligned as deno fmt aligns them");
});

Deno.test("--out writes a file and --check exits 1 once it is stale", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tools-doc-" });
  try {
    const out = `${dir}/tools.md`;
    assert.equal(await main(["--check", "--out", out]), 1, "missing file is stale");
    assert.equal(await main(["--out", out]), 0);
    assert.equal(await main(["--check", "--out", out]), 0);
    await Deno.writeTextFile(out, "hand edit\n", { append: true });
    assert.equal(await main(["--check", "--out", out]), 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
