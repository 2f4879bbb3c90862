/**
 * Where our cold start goes, measured inside one fresh process: the steps `src/main.ts` takes to
 * answer `initialize` and the first tools/list, each timed with performance.now(). Only dynamic
 * imports here, so every import is timed where it happens. Prints one JSON line on stdout:
 * `{"firstLineEpochMs":…,"firstLineMs":…,"steps":[["name",ms],…]}`.
 *
 * Run (by `cold_start.ts --profile`): `deno run <server flags> bench/lib/profile_child.ts [mode]`,
 * mode `main` (default: the real order), `minimal` (the same steps of bench/lib/minimal_server.ts),
 * `alone:zod|sdk|catalog|schemas|cache_dir` (one step in a fresh process, to see what it costs
 * without what came before) or `count` (zod objects built by the catalog's import and by the tools'
 * shapes: counts, not ms).
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
  await step("createMcpServer (register tools, resources, prompts; schemas adopted)", () => {
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
  // After the start: what a first call adds, and what the generated schemas spare.
  const getStory = CATALOG.tools.find((tool) => tool.name === "get_user_story")!;
  await step(
    "first get_user_story's argument check (builds its zod; not on the start path)",
    () => {
      ours.schema.parseArguments(getStory, { item: 1 });
    },
  );
  await step(
    `zod + JSON Schema × ${enabled.length} enabled tools (what listing cost without the generated file; not on the start path)`,
    () => {
      for (const tool of enabled) ours.schema.buildInputJson(tool);
    },
  );
  await connection.close();
  await app.close();
}

async function minimalServer(): Promise<void> {
  const { z } = await step("import zod", () => import("zod"));
  const sdk = await step("import @modelcontextprotocol/server + /stdio", importSdk);
  const client = await memoryClient(sdk.server);
  const { echoServer } = await import("./echo_server.ts");
  const handle = sdk.stdio.serveStdio(() => echoServer(sdk.server.McpServer, z), {
    transport: client.serverSide,
  });
  await step(
    "initialize answered (a new server instance, first SDK request)",
    () => client.request("initialize", INITIALIZE),
  );
  await client.notify("notifications/initialized");
  await step("first tools/list answered", () => client.request("tools/list"));
  await step("second tools/list answered", () => client.request("tools/list"));
  await handle.close();
}

/**
 * Counts the zod objects (schemas and checks) `work` builds: zod gives each its `_zod` with one
 * Object.defineProperty, watched here while `work` runs.
 */
async function zodBuilt(work: () => unknown): Promise<number> {
  const original = Object.defineProperty;
  let built = 0;
  Object.defineProperty = function (target, key, descriptor) {
    if (key === "_zod") built++;
    return original(target, key, descriptor);
  } as typeof Object.defineProperty;
  try {
    await work();
  } finally {
    Object.defineProperty = original;
  }
  return built;
}

async function count(): Promise<void> {
  await import("zod");
  let catalog: typeof import("../../src/catalog.ts") | undefined;
  const atImport = await zodBuilt(async () => {
    catalog = await import("../../src/catalog.ts");
  });
  const { selectTools } = await import("../../src/mcp/toolsets.ts");
  const tools = catalog!.CATALOG.tools;
  const defaults = selectTools(tools, ["default"], false);
  const inputs = await zodBuilt(() => tools.forEach((tool) => tool.input()));
  const outputs = await zodBuilt(() => tools.forEach((tool) => tool.output()));
  steps.push(
    ["tools, default toolsets", defaults.length],
    ["tools, all", tools.length],
    ["zod objects built by importing src/catalog.ts", atImport],
    ["zod objects built by every tool's input shape (on each tool's first call)", inputs],
    ["zod objects built by every tool's output shape (never, in the server)", outputs],
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
  const { buildInputJson } = await import("../../src/mcp/schema.ts");
  await step(`zod + JSON Schema × ${CATALOG.tools.length} tools`, () => {
    for (const tool of CATALOG.tools) buildInputJson(tool);
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
