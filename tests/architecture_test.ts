/**
 * The architecture, checked: layers only point down (taiga ← sessions ← config ← domain ← MCP
 * framework ← tools/resources/prompts ← transports ← app), the sandbox is apart from the
 * program, the MCP SDK is imported by one module, files stay small, and nothing in src/ or
 * sandbox/ sits in an import cycle — type-only imports included. The graph is Deno's own
 * (`deno info --json`), so it sees every import the type checker sees.
 */

import assert from "node:assert/strict";

const ROOT = new URL("../", import.meta.url);
const ROOT_PATH = ROOT.pathname;

/** Layers from the bottom; a module may import its own layer's folder or any layer below. */
const LAYERS: ReadonlyArray<readonly string[]> = [
  ["src/version.ts", "src/log/"],
  ["src/taiga/"],
  ["src/sessions/"],
  ["src/config/"],
  ["src/domain/", "src/oauth/"],
  ["src/mcp/"],
  ["src/tools/", "src/resources/", "src/prompts/"],
  ["src/transports/"],
  ["src/catalog.ts", "src/app.ts", "src/cli/", "src/main.ts"],
];
/** Layers whose folders may import each other (the entry points). */
const OPEN_LAYERS = new Set([LAYERS.length - 1]);

function walk(dir: string): string[] {
  const files: string[] = [];
  for (const entry of Deno.readDirSync(`${ROOT_PATH}${dir}`)) {
    const path = `${dir}/${entry.name}`;
    if (entry.isDirectory) files.push(...walk(path));
    else if (entry.name.endsWith(".ts")) files.push(path);
  }
  return files;
}

const FILES = [...walk("src"), ...walk("sandbox")].sort();

/** Import edges between our files, from `deno info --json` over one root importing them all. */
async function importGraph(): Promise<Map<string, Set<string>>> {
  const dir = await Deno.makeTempDir({ prefix: "taiga-mcp-arch-" });
  try {
    const root = `${dir}/all.ts`;
    await Deno.writeTextFile(
      root,
      FILES.map((file) => `import "${new URL(file, ROOT).href}";\n`).join(""),
    );
    const out = await new Deno.Command(Deno.execPath(), {
      args: ["info", "--json", "--config", `${ROOT_PATH}deno.json`, root],
      stdout: "piped",
      stderr: "piped",
    }).output();
    assert.ok(out.success, new TextDecoder().decode(out.stderr));
    const info = JSON.parse(new TextDecoder().decode(out.stdout));
    const graph = new Map<string, Set<string>>();
    for (const module of info.modules as Array<Record<string, unknown>>) {
      const from = String(module.specifier);
      if (!from.startsWith(ROOT.href)) continue;
      const deps = new Set<string>();
      for (const dep of (module.dependencies ?? []) as Array<Record<string, unknown>>) {
        for (const kind of ["code", "type"]) {
          const target = (dep[kind] as { specifier?: string } | undefined)?.specifier;
          if (target?.startsWith(ROOT.href)) deps.add(target.slice(ROOT.href.length));
        }
      }
      graph.set(from.slice(ROOT.href.length), deps);
    }
    return graph;
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
}

const graph = await importGraph();

function layerOf(file: string): { index: number; folder: string } | undefined {
  for (const [index, layer] of LAYERS.entries()) {
    const folder = layer.find((prefix) => file === prefix || file.startsWith(prefix));
    if (folder) return { index, folder };
  }
  return undefined;
}

Deno.test("architecture: every file of src/ belongs to a layer", () => {
  const stray = FILES.filter((file) => file.startsWith("src/") && !layerOf(file));
  assert.deepEqual(
    stray,
    [],
    "add the folder to LAYERS (and to docs/developer-guide/architecture.md)",
  );
});

Deno.test("architecture: imports only point down a layer, never up or sideways", () => {
  const wrong: string[] = [];
  for (const [from, deps] of graph) {
    const source = layerOf(from);
    if (!source) continue;
    for (const to of deps) {
      const target = layerOf(to);
      if (!target) continue;
      const up = target.index > source.index;
      const sideways = target.index === source.index && target.folder !== source.folder &&
        !OPEN_LAYERS.has(source.index);
      if (up || sideways) wrong.push(`${from} → ${to}`);
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("architecture: no import cycle in src/ or sandbox/, type-only imports included", () => {
  const state = new Map<string, "open" | "done">();
  const cycles: string[] = [];
  const visit = (file: string, path: string[]): void => {
    if (state.get(file) === "done") return;
    if (state.get(file) === "open") {
      cycles.push([...path.slice(path.indexOf(file)), file].join(" → "));
      return;
    }
    state.set(file, "open");
    for (const next of graph.get(file) ?? []) visit(next, [...path, file]);
    state.set(file, "done");
  };
  for (const file of graph.keys()) visit(file, []);
  assert.deepEqual(cycles, []);
});

Deno.test("architecture: the sandbox stands apart; only the app starts it, by its shipped entry", () => {
  const wrong: string[] = [];
  for (const [from, deps] of graph) {
    for (const to of deps) {
      if (from.startsWith("sandbox/") && to.startsWith("src/")) wrong.push(`${from} → ${to}`);
      if (from.startsWith("src/") && to.startsWith("sandbox/")) {
        if (from !== "src/app.ts" || to !== "sandbox/mod.ts") wrong.push(`${from} → ${to}`);
      }
      if (to === "sandbox/testing.ts" || to === "sandbox/faults.ts") {
        if (!from.startsWith("sandbox/testing") && from !== "sandbox/testing.ts") {
          wrong.push(`${from} → ${to} (test-only surface)`);
        }
      }
    }
  }
  assert.deepEqual(wrong, []);
});

Deno.test("architecture: src/mcp/sdk.ts is the one module that imports the MCP SDK", () => {
  const importers = FILES.filter((file) => file.startsWith("src/")).filter((file) =>
    /from "@modelcontextprotocol\/|import\("@modelcontextprotocol\//.test(
      Deno.readTextFileSync(`${ROOT_PATH}${file}`),
    )
  );
  assert.deepEqual(importers, ["src/mcp/sdk.ts"]);
});

Deno.test("architecture: files of src/ stay under 300 lines", () => {
  const long = FILES.filter((file) => file.startsWith("src/")).map((file) => ({
    file,
    lines: Deno.readTextFileSync(`${ROOT_PATH}${file}`).split("\n").length - 1,
  })).filter(({ lines }) => lines > 300);
  assert.deepEqual(long, []);
});
