/**
 * Item benchmarks (issue 3), against a sandbox Taiga on 127.0.0.1:
 * 1. output size: `list_user_stories` of 100 stories vs Taiga's raw JSON of the same stories
 *    (target ≤ 20 %);
 * 2. `tools/list` size and tool counts for the default toolsets and for `all` (default ≤ 40 tools);
 * 3. per-call overhead: median latency of `get_user_story` through our server (MCP client over
 *    InMemoryTransport) vs a direct `fetch` of the same story (target ≤ 1.5× and ≤ 2 ms added).
 *
 * Run: `deno run -A bench/items_bench.ts` (or `deno task bench`). Parts whose tools are missing
 * are reported as such instead of failing.
 * @module
 */

import { startTestSandbox, type TestSandbox } from "../sandbox/testing.ts";
import { type Harness, startHarness } from "../tests/helpers/harness.ts";
import {
  byteLength,
  formatBytes,
  formatTable,
  median,
  percentile,
  printLine,
  type ResultRow,
} from "./lib/report.ts";

/** Options of {@link runItemsBench}. */
export interface ItemsBenchOptions {
  /** Timed calls per side for the latency part (default 300). */
  iterations?: number;
  /** Untimed calls first (default 50). */
  warmup?: number;
}

const STORIES = 100;
const SIZE_TARGET = 0.2;
const RATIO_TARGET = 1.5;
const ADDED_MS_TARGET = 2;
const DEFAULT_TOOLS_TARGET = 40;

type Raw = Record<string, unknown>;

/** Direct access to the sandbox's API with demo's token, bypassing our server. */
interface Direct {
  get(path: string): Promise<string>;
  send(method: string, path: string, body: unknown): Promise<Raw>;
}

async function directClient(sandbox: TestSandbox): Promise<Direct> {
  const login = await fetch(`${sandbox.apiUrl}/auth`, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ type: "normal", username: "demo", password: "demo123" }),
  });
  const { auth_token: token } = await login.json() as { auth_token: string };
  const headers = { authorization: `Bearer ${token}`, "content-type": "application/json" };
  return {
    get: async (path) => {
      const response = await fetch(`${sandbox.apiUrl}/${path}`, { headers });
      const text = await response.text();
      if (!response.ok) {
        throw new Error(`GET ${path}: HTTP ${response.status} ${text.slice(0, 200)}`);
      }
      return text;
    },
    send: async (method, path, body) => {
      const response = await fetch(`${sandbox.apiUrl}/${path}`, {
        method,
        headers,
        body: JSON.stringify(body),
      });
      const text = await response.text();
      if (!response.ok) {
        throw new Error(`${method} ${path}: HTTP ${response.status} ${text.slice(0, 200)}`);
      }
      return text ? JSON.parse(text) : {};
    },
  };
}

/** A fresh project with 100 stories carrying tags, an assignee and points, like real work. */
async function seedStories(direct: Direct): Promise<{ slug: string; ids: number[] }> {
  const project = await direct.send("POST", "projects", {
    name: `Bench ${crypto.randomUUID().slice(0, 8)}`,
    description: "items benchmark",
  });
  const subjects = Array.from(
    { length: STORIES },
    (_, i) => `As a customer I can see the order history page ${i + 1} with filters`,
  );
  const created = await direct.send("POST", "userstories/bulk_create", {
    project_id: project.id,
    bulk_stories: subjects.join("\n"),
  }) as unknown as Raw[];
  const me = JSON.parse(await direct.get("users/me")) as Raw;
  for (const [index, story] of created.entries()) {
    await direct.send("PATCH", `userstories/${story.id}`, {
      version: story.version,
      tags: index % 2 === 0 ? ["frontend", "checkout"] : ["backend"],
      assigned_to: me.id,
    });
  }
  return { slug: String(project.slug), ids: created.map((story) => Number(story.id)) };
}

function textOf(result: { content?: unknown }): string {
  const parts = Array.isArray(result.content) ? result.content as Raw[] : [];
  return parts.map((part) => part.type === "text" ? String(part.text) : "").join("");
}

async function toolsListRows(sandbox: TestSandbox): Promise<ResultRow[]> {
  const rows: ResultRow[] = [];
  for (const toolsets of ["default", "all"]) {
    const h = await startHarness({
      sharedSandbox: sandbox,
      login: false,
      env: { TAIGA_TOOLSETS: toolsets, LOG_LEVEL: "ERROR" },
    });
    try {
      const listed = await h.client.listTools();
      const count = listed.tools.length;
      const isDefault = toolsets === "default";
      rows.push({
        measure: `tools/list ${toolsets}`,
        value: `${count} tools, ${formatBytes(byteLength(JSON.stringify(listed)))}`,
        target: isDefault ? `≤ ${DEFAULT_TOOLS_TARGET} tools` : "",
        pass: isDefault ? count <= DEFAULT_TOOLS_TARGET : undefined,
      });
    } finally {
      await h.close();
    }
  }
  return rows;
}

async function outputSizeRows(h: Harness, direct: Direct, slug: string): Promise<ResultRow[]> {
  const project = JSON.parse(await direct.get(`projects/by_slug?slug=${slug}`)) as Raw;
  const raw = await direct.get(`userstories?project=${project.id}&page=1&page_size=${STORIES}`);
  const result = await h.call("list_user_stories", { project: slug, limit: STORIES });
  if (result.isError) throw new Error(`list_user_stories failed: ${textOf(result)}`);
  const ours = textOf(result);
  const returned = (result.structuredContent as Raw | undefined)?.returned;
  const ratio = byteLength(ours) / byteLength(raw);
  return [
    {
      measure: `list_user_stories ${returned ?? "?"} stories`,
      value: `${formatBytes(byteLength(ours))} vs raw ${formatBytes(byteLength(raw))}`,
    },
    {
      measure: "  output / raw Taiga JSON",
      value: `${(ratio * 100).toFixed(1)} %`,
      target: `≤ ${SIZE_TARGET * 100} %`,
      pass: returned === STORIES && ratio <= SIZE_TARGET,
    },
  ];
}

/** Arguments for get_user_story, whatever its item argument is called. */
function storyArgs(schema: Raw | undefined, id: number, slug: string): Raw {
  const properties = Object.keys((schema?.properties ?? {}) as Raw);
  const name = ["item", "story", "user_story", "id", "ref"].find((key) => properties.includes(key));
  if (!name) throw new Error(`get_user_story has no item argument (it takes ${properties})`);
  return name === "ref" ? { ref: id, project: slug } : { [name]: id };
}

async function latencyRows(
  h: Harness,
  direct: Direct,
  id: number,
  slug: string,
  options: Required<ItemsBenchOptions>,
): Promise<ResultRow[]> {
  const { tools } = await h.client.listTools();
  const tool = tools.find((candidate) => candidate.name === "get_user_story");
  const args = storyArgs(tool?.inputSchema as Raw | undefined, id, slug);
  const viaServer = async () => {
    const result = await h.call("get_user_story", args);
    if (result.isError) throw new Error(`get_user_story failed: ${textOf(result)}`);
  };
  const viaFetch = () => direct.get(`userstories/${id}`);
  for (let i = 0; i < options.warmup; i++) {
    await viaServer();
    await viaFetch();
  }
  const ours: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < options.iterations; i++) {
    // Alternate the order so neither side always runs on a warmer connection.
    const first = i % 2 === 0;
    for (const side of first ? ["ours", "plain"] : ["plain", "ours"]) {
      const started = performance.now();
      if (side === "ours") await viaServer();
      else await viaFetch();
      (side === "ours" ? ours : plain).push(performance.now() - started);
    }
  }
  const oursMedian = median(ours);
  const plainMedian = median(plain);
  const ratio = oursMedian / plainMedian;
  const added = oursMedian - plainMedian;
  return [
    {
      measure: `get_user_story via MCP (${options.iterations}×)`,
      value: `median ${oursMedian.toFixed(3)} ms, p95 ${percentile(ours, 95).toFixed(3)} ms`,
    },
    {
      measure: "direct fetch of the same story",
      value: `median ${plainMedian.toFixed(3)} ms, p95 ${percentile(plain, 95).toFixed(3)} ms`,
    },
    {
      measure: "  overhead ratio",
      value: `${ratio.toFixed(2)}×`,
      target: `≤ ${RATIO_TARGET}×`,
      pass: ratio <= RATIO_TARGET,
    },
    {
      measure: "  time added per call",
      value: `${added.toFixed(3)} ms`,
      target: `≤ ${ADDED_MS_TARGET} ms`,
      pass: added <= ADDED_MS_TARGET,
    },
  ];
}

/** Real Taiga 6.10's median GET latency on loopback (taiga-api.md §11), in ms. */
const REAL_TAIGA_MS = 74;

/**
 * The same comparison with the sandbox answering at a real Taiga's speed: what a user feels.
 * Informational (no target): the targets above are about our own overhead.
 */
async function realSpeedRows(
  h: Harness,
  direct: Direct,
  id: number,
  slug: string,
): Promise<ResultRow[]> {
  const { tools } = await h.client.listTools();
  const tool = tools.find((candidate) => candidate.name === "get_user_story");
  const args = storyArgs(tool?.inputSchema as Raw | undefined, id, slug);
  const rounds = 15;
  h.sandbox.faults.add({
    kind: "delay",
    ms: REAL_TAIGA_MS,
    times: rounds * 2 + 2,
    match: /^GET \/api\/v1\/userstories\/\d+$/,
  });
  const ours: number[] = [];
  const plain: number[] = [];
  for (let i = 0; i < rounds; i++) {
    let started = performance.now();
    const result = await h.call("get_user_story", args);
    if (result.isError) throw new Error(`get_user_story failed: ${textOf(result)}`);
    ours.push(performance.now() - started);
    started = performance.now();
    await direct.get(`userstories/${id}`);
    plain.push(performance.now() - started);
  }
  h.sandbox.faults.clear();
  const ratio = median(ours) / median(plain);
  return [{
    measure: `  at real Taiga speed (+${REAL_TAIGA_MS} ms)`,
    value: `${median(ours).toFixed(1)} ms vs ${median(plain).toFixed(1)} ms = ${ratio.toFixed(3)}×`,
  }];
}

function missingRow(measure: string, error: unknown): ResultRow {
  const reason = error instanceof Error ? error.message : String(error);
  return { measure, value: `not measured: ${reason.slice(0, 160)}`, pass: undefined };
}

/** Runs the three item benchmarks and prints a table of figures and targets. */
export async function runItemsBench(options: ItemsBenchOptions = {}): Promise<void> {
  const settings = { iterations: options.iterations ?? 300, warmup: options.warmup ?? 50 };
  const sandbox = await startTestSandbox();
  const rows: ResultRow[] = [];
  try {
    const direct = await directClient(sandbox);
    rows.push(...await toolsListRows(sandbox).catch((e) => [missingRow("tools/list", e)]));
    let seeded: { slug: string; ids: number[] } | undefined;
    try {
      seeded = await seedStories(direct);
    } catch (error) {
      rows.push(missingRow("seeding 100 stories in the sandbox", error));
    }
    if (seeded) {
      const h = await startHarness({
        sharedSandbox: sandbox,
        env: { TAIGA_TOOLSETS: "all", LOG_LEVEL: "ERROR" },
      });
      try {
        const { tools } = await h.client.listTools();
        const names = new Set(tools.map((tool) => tool.name));
        for (const needed of ["list_user_stories", "get_user_story"]) {
          if (!names.has(needed)) rows.push(missingRow(needed, "tool not registered yet"));
        }
        if (names.has("list_user_stories")) {
          rows.push(
            ...await outputSizeRows(h, direct, seeded.slug).catch((
              e,
            ) => [missingRow("list_user_stories output size", e)]),
          );
        }
        if (names.has("get_user_story")) {
          rows.push(
            ...await latencyRows(h, direct, seeded.ids[0], seeded.slug, settings).catch((
              e,
            ) => [missingRow("get_user_story latency", e)]),
          );
          rows.push(
            ...await realSpeedRows(h, direct, seeded.ids[0], seeded.slug).catch((
              e,
            ) => [missingRow("get_user_story at real Taiga speed", e)]),
          );
        }
      } finally {
        await h.close();
      }
    }
  } finally {
    await sandbox.close();
  }
  printLine("taiga-mcp item benchmarks (sandbox Taiga on 127.0.0.1, MCP over InMemoryTransport)");
  printLine();
  printLine(formatTable(rows));
  printLine();
}

if (import.meta.main) await runItemsBench();
