// deno-lint-ignore-file
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
import { StreamableHTTPClientTransport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
import { createApp } from "../src/app.ts";
import { parseCli } from "../src/cli.ts";
import { loadConfig } from "../src/config.ts";
import { Logger } from "../src/log.ts";
import { startHttpServer } from "../src/transports/http.ts";
const gc = (globalThis as any).gc as () => void;
const env: Record<string,string> = { TAIGA_CACHE_DIR: await Deno.makeTempDir(), RATE_LIMIT_REQUESTS: "10000000", LOG_LEVEL: "WARNING", MCP_PORT: "0", REQUEST_TIMEOUT: Deno.env.get("RT") ?? "30" };
const config = loadConfig(parseCli(["--sandbox", "--transport", "http"]), (n) => env[n]);
const app = await createApp(config, new Logger({ level: "WARNING" }));
const server = await startHttpServer(app.deps, { maxSessions: 100 });
const mem = (label: string) => { gc(); gc(); const m = Deno.memoryUsage(); console.error(`${label}: heapUsed ${(m.heapUsed/1e6).toFixed(1)} rss ${(m.rss/1e6).toFixed(0)} ext ${(m.external/1e6).toFixed(1)}`); };
const mode = Deno.args[0];
const session = app.deps.sessions.findDefault()!;
const clients: Client[] = [];
const tok = (await (await fetch(`${app.sandbox!.apiUrl}/auth`, {method:"POST", headers:{"Content-Type":"application/json"}, body: JSON.stringify({type:"normal", username:"demo", password:"demo123"})})).json()).auth_token;
if (mode === "status" || mode === "mcp") for (let i = 0; i < 50; i++) { const c = new Client({name:"b",version:"1"}); await c.connect(new StreamableHTTPClientTransport(new URL(`${server.url}/mcp`))); clients.push(c); }
mem("start");
for (let round = 0; round < 5; round++) {
  const deadline = performance.now() + 4000;
  let n = 0;
  await Promise.all(Array.from({length: 50}, async (_, w) => {
    while (performance.now() < deadline) {
      if (mode === "raw") { const r = await fetch(`${app.sandbox!.apiUrl}/projects/by_slug?slug=demo-demo-project`, { headers: { Authorization: `Bearer ${tok}` } }); await r.text(); }
      else if (mode === "sandbox") { await app.sandbox!.state.findUser("demo"); }
      else if (mode === "direct") await session.client.get("projects/by_slug", { slug: "demo-demo-project" });
      else if (mode === "status") await clients[w].callTool({ name: "session_status", arguments: {} });
      else await clients[w].callTool({ name: "get_project", arguments: { project: "demo-demo-project" } });
      n++;
    }
  }));
  mem(`round ${round} (${n} calls)`);
}
await Promise.all(clients.map((c) => c.close()));
await server.close(); await app.close();
