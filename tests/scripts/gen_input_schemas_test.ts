import assert from "node:assert/strict";
import {
  buildInputSchemas,
  DEFAULT_OUT,
  formatJson,
  inputSchemas,
  listableTools,
  main,
} from "../../scripts/gen_input_schemas.ts";
import { CATALOG } from "../../src/catalog.ts";
import { discoveryTools } from "../../src/mcp/discovery.ts";
import { buildInputJson } from "../../src/mcp/schema.ts";

Deno.test("src/tools/input_schemas.json is up to date with the tool definitions", async () => {
  const committed = await Deno.readTextFile(DEFAULT_OUT);
  assert.ok(
    committed === await buildInputSchemas(),
    "src/tools/input_schemas.json is stale: run `deno task tool-schemas` (deno run -A scripts/gen_input_schemas.ts)",
  );
});

Deno.test("the catalog lists every tool, discovery tools included, with the schema its zod builds", () => {
  const schemas = CATALOG.inputSchemas ?? {};
  const tools = [...CATALOG.tools, ...discoveryTools(CATALOG.tools, [])];
  assert.deepEqual(Object.keys(schemas), tools.map((tool) => tool.name));
  for (const tool of tools) assert.deepEqual(schemas[tool.name], buildInputJson(tool), tool.name);
});

Deno.test("the generated file is in deno fmt's style and deterministic", async () => {
  const text = await buildInputSchemas();
  assert.equal(await formatJson(JSON.parse(text)), text);
  assert.deepEqual(inputSchemas(listableTools()), JSON.parse(text));
});

Deno.test("tool-schemas --out writes a file and --check exits 1 once it is stale", async () => {
  const dir = await Deno.makeTempDir({ prefix: "tool-schemas-" });
  try {
    const out = `${dir}/schemas.json`;
    assert.equal(await main(["--check", "--out", out]), 1, "missing file is stale");
    assert.equal(await main(["--out", out]), 0);
    assert.equal(await main(["--check", "--out", out]), 0);
    await Deno.writeTextFile(out, "\n", { append: true });
    assert.equal(await main(["--check", "--out", out]), 1);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
