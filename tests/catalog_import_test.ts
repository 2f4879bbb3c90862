/**
 * The catalog builds no zod schema at import: tool shapes are functions and shared shapes are
 * `lazy` (docs/developer-guide/architecture.md), so a cold start pays only for what it uses.
 * Counted in a fresh process: zod gives each schema and check its `_zod` with one
 * Object.defineProperty, watched while src/catalog.ts loads (after the configuration, whose
 * parsers are zod too).
 */

import assert from "node:assert/strict";
import { runDeno } from "./helpers/deno_child.ts";

const SRC = new URL("../src/", import.meta.url).href;

const COUNT = `
await import("zod");
await import("${SRC}config/load.ts");
const built: string[] = [];
const define = Object.defineProperty;
Object.defineProperty = function (target, key, descriptor) {
  if (key === "_zod") {
    const frames = new Error().stack?.split("\\n") ?? [];
    built.push(frames.find((frame) => frame.includes("${SRC}"))?.trim() ?? "(outside src/)");
  }
  return define(target, key, descriptor);
} as typeof Object.defineProperty;
await import("${SRC}catalog.ts");
Object.defineProperty = define;
console.log(JSON.stringify(built));
`;

Deno.test("importing the catalog builds no zod schema", async () => {
  const dir = await Deno.makeTempDir({ prefix: "taiga-mcp-catalog-" });
  try {
    const script = `${dir}/count.ts`;
    await Deno.writeTextFile(script, COUNT);
    const { stdout } = await runDeno(script, { flags: ["-A"] });
    const built = JSON.parse(stdout) as string[];
    assert.deepEqual(
      built,
      [],
      `zod schemas built by importing src/catalog.ts (make them lazy):\n${
        [...new Set(built)].join("\n")
      }`,
    );
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
