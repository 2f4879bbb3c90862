/**
 * Where our cold start goes, measured inside one fresh process: the steps `src/main.ts` takes to
 * answer `initialize` and the first tools/list, each timed with performance.now(). Only dynamic
 * imports here, so every import is timed where it happens. Prints one JSON line on stdout:
 * `{"firstLineEpochMs":…,"firstLineMs":…,"steps":[["name",ms],…]}`.
 *
 * Run (by `cold_start.ts --profile`): `deno run <server flags> bench/lib/profile_child.ts [mode]`,
 * mode `main` (default: the real order), `minimal` (the same steps of bench/lib/minimal_server.ts),
 * `alone:zod|sdk|catalog|schemas|cache_dir` (one step in a fresh process, to see what it costs
 * without what came before) or `count` (zod schema nodes of the catalog: counts, not ms).
 * @module
 */

const firstLineMs = performance.now();
const firstLineEpochMs = performance.timeOrigin + firstLineMs;
const steps: Array<[string, number]> = [];

async function step<T>(name: string, work: () => T | Promise<T>): Promise<T> {
  const started = performance.now();
  const value = await work();
  steps.push([name, performance.now() - started]);
  return value;
}

const INITIALIZE = {
  protocolVersion: "2025-06-18",
  capabilities: {},
  clientInfo: { name: "profile", version: "1" },
};

/** A JSON-RPC client end over the SDK's in-memory transport pair. */
interface MemoryClient {
  /** The server's end, for serveStdio / startStdio. */
  serverSide: never;
  request(method: string, params?: Record<string, unknown>): Promise<unknown>;
  notify(method: string): Promise<void>;
}

async function memoryClient(
  sdk: typeof import("@modelcontextprotocol/server"),
): Promise<MemoryClient> {
  const [client, serverSide] = sdk.InMemoryTransport.createLinkedPair();
  const answers = new Map<number, (message: unknown) => void>();
  client.onmessage = (message) => {
    const id = (message as { id?: unknown }).id;
    if (typeof id === "number") answers.get(id)?.(message);
  };
  await client.start();
  let nextId = 1;
  return {
    serverSide: serverSide as never,
    request: async (method, params = {}) => {
      const id = nextId++;
      const answer = new Promise((resolve) => answers.set(id, resolve));
      await client.send({ jsonrpc: "2.0", id, method, params });
      return await answer;
    },
    notify: (method) => client.send({ jsonrpc: "2.0", method }),
  };
}

/** Distinct zod schema nodes reachable from `roots` (through defs, shapes, options, items). */
function zodNodes(roots: unknown[]): Set<object> {
  const nodes = new Set<object>();
  const visited = new Set<object>();
  const visit = (value: unknown): void => {
    if (value === null || typeof value !== "object" || visited.has(value)) return;
    visited.add(value);
    const zod = (value as { _zod?: { def?: Record<string, unknown> } })._zod;
    if (zod?.def) {
      nodes.add(value);
      for (const part of Object.values(zod.def)) visit(part);
    } else if (Array.isArray(value)) value.forEach(visit);
    else if (Object.getPrototypeOf(value) === Object.prototype) Object.values(value).forEach(visit);
  };
  roots.forEach(visit);
  return nodes;
}

async function importSdk() {
  const server = await import("@modelcontextprotocol/server");
  const stdio = await import("@modelcontextprotocol/server/stdio");
  return { server, stdio };
}

async function ourServer(): Promise<void> {
  const main = await step("import src/main.ts (CLI, config; no SDK)", async () => {
    const [args, load, env, dotenv] = await Promise.all([
      import("../../src/cli/args.ts"),
      import("../../src/config/load.ts"),
      import("../../src/config/env.ts"),
      import("../../src/config/dotenv.ts"),
      import("../../src/main.ts"),
    ]);
    return { args, load, env, dotenv };
  });
  const config = await step(
    "parse CLI + load config",
    () => main.load.loadConfig(main.args.parseCli([]), main.env.readEnv, main.dotenv.readDotEnv()),
  );
  await step("import zod (already loaded by src/config/parse.ts)", () => import("zod"));
  const sdk = await step("import @modelcontextprotocol/server + /stdio", importSdk);
  const { CATALOG } = await step(
    "import src/catalog.ts (tool, resource, prompt definitions)",
    () => import("../../src/catalog.ts"),
  );
  const ours = await step("import the rest (app, deps, register, stdio transport)", async () => {
    const [app, stdio, server, schema, toolsets] = await Promise.all([
      import("../../src/app.ts"),
      import("../../src/transports/stdio.ts"),
      import("../../src/mcp/server.ts"),
      import("../../src/mcp/schema.ts"),
      import("../../src/mcp/toolsets.ts"),
    ]);
    return { app, stdio, server, schema, toolsets };
  });
  const app = await step("createApp (logger, deps, token cache)", () => ours.app.createApp(config));
  const enabled = ours.toolsets.selectTools(CATALOG.tools, config.toolsets, config.readOnly);
  const others = CATALOG.tools.filter((tool) => !enabled.includes(tool));
  await step(`schemasOf × ${enabled.length} enabled tools (zod object + JSON Schema)`, () => {
    for (const tool of enabled) ours.schema.schemasOf(tool);
  });
  await step(`schemasOf × ${others.length} other tools (what TAIGA_TOOLSETS=all adds)`, () => {
    for (const tool of others) ours.schema.schemasOf(tool);
  });
  await step("createMcpServer (register tools, resources, prompts; schemas built)", () => {
    ours.server.createMcpServer(app.deps, CATALOG).dispose();
  });
  const client = await memoryClient(sdk.server);
  const connection = ours.stdio.startStdio(app.deps, CATALOG, client.serverSide);
  await step(
    "initialize answered (a new server instance, first SDK request)",
    () => client.request("initialize", INITIALIZE),
  );
  await client.notify("notifications/initialized");
  await step("first tools/list answered", () => client.request("tools/list"));
  await step("second tools/list answered", () => client.request("tools/list"));
  await step("first resources/templates/list + prompts/list", async () => {
    await client.request("resources/templates/list");
    await client.request("prompts/list");
  });
  await connection.close();
  await app.close();
}

async function minimalServer(): Promise<void> {
  const { z } = await step("import zod", () => import("zod"));
  const sdk = await step("import @modelcontextprotocol/server + /stdio", importSdk);
  const client = await memoryClient(sdk.server);
  const handle = sdk.stdio.serveStdio(() => {
    const server = new sdk.server.McpServer({ name: "minimal", version: "1.0.0" });
    server.registerTool(
      "echo",
      {
        title: "Echo",
        description: "Returns its text.",
        inputSchema: z.object({ text: z.string() }),
      },
      ({ text }) => ({ content: [{ type: "text", text }] }),
    );
    return server;
  }, { transport: client.serverSide });
  await step(
    "initialize answered (a new server instance, first SDK request)",
    () => client.request("initialize", INITIALIZE),
  );
  await client.notify("notifications/initialized");
  await step("first tools/list answered", () => client.request("tools/list"));
  await step("second tools/list answered", () => client.request("tools/list"));
  await handle.close();
}

async function count(): Promise<void> {
  const { CATALOG } = await import("../../src/catalog.ts");
  const { selectTools } = await import("../../src/mcp/toolsets.ts");
  const tools = CATALOG.tools;
  const inputs = zodNodes(tools.map((tool) => tool.input));
  const outputs = zodNodes(tools.map((tool) => tool.output));
  const shared = [...outputs].filter((node) => inputs.has(node)).length;
  steps.push(
    ["tools, default toolsets", selectTools(tools, ["default"], false).length],
    ["tools, all", tools.length],
    ["zod nodes in input shapes", inputs.size],
    ["zod nodes in output shapes (src/ never reads them at run time)", outputs.size],
    ["  of which shared with input shapes", shared],
  );
}

const mode = Deno.args[0] ?? "main";
if (mode === "main") await ourServer();
else if (mode === "minimal") await minimalServer();
else if (mode === "count") await count();
else if (mode === "alone:zod") await step("import zod", () => import("zod"));
else if (mode === "alone:sdk") {
  await step("import @modelcontextprotocol/server + /stdio", importSdk);
} else if (mode === "alone:catalog") {
  await step("import src/catalog.ts (zod included)", () => import("../../src/catalog.ts"));
} else if (mode === "alone:schemas") {
  const { CATALOG } = await step(
    "import src/catalog.ts (zod included)",
    () => import("../../src/catalog.ts"),
  );
  const { schemasOf } = await import("../../src/mcp/schema.ts");
  await step(`schemasOf × ${CATALOG.tools.length} tools`, () => {
    for (const tool of CATALOG.tools) schemasOf(tool);
  });
} else if (mode === "alone:cache_dir") {
  await step(
    "import src/config/cache_dir.ts (the start task's helper; zod included)",
    () => import("../../src/config/cache_dir.ts"),
  );
} else throw new Error(`unknown mode ${mode}`);

Deno.stdout.writeSync(
  new TextEncoder().encode(`${JSON.stringify({ firstLineEpochMs, firstLineMs, steps })}\n`),
);
Deno.exit(0);
