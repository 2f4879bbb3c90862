import { startHarness } from "./tests/helpers/harness.ts";
import { median } from "./bench/lib/report.ts";
const h = await startHarness({ env: { LOG_LEVEL: "ERROR" } });
const session = [...(h.deps.sessions as any).list?.() ?? []][0];
const time = async (label: string, fn: () => Promise<unknown>) => {
  for (let i = 0; i < 50; i++) await fn();
  const xs: number[] = [];
  for (let i = 0; i < 300; i++) { const t = performance.now(); await fn(); xs.push(performance.now() - t); }
  Deno.stderr.writeSync(new TextEncoder().encode(`${label}: ${median(xs).toFixed(3)} ms\n`));
};
try {
  const s = await (await import("./src/mcp/deps.ts")).resolveSession(h.deps, undefined, undefined);
  const token = s.client.auth!.token;
  await time("raw fetch", async () => (await fetch(`${h.sandbox.apiUrl}/userstories/1`, { headers: { authorization: `Bearer ${token}` } })).text());
  await time("TaigaClient.get", () => s.client.get("userstories/1"));
  await time("MCP session_status", () => h.call("session_status", {}));
  await time("MCP get_user_story", () => h.call("get_user_story", { item: 1 }));
  await time("MCP get_user_story verbose", () => h.call("get_user_story", { item: 1, verbose: true }));
} finally { await h.close(); }
