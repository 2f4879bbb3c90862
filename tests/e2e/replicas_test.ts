/**
 * Two server processes behind a round-robin "load balancer" on one Taiga: a 2026-07-28 client
 * whose requests alternate between them gets every answer, because no request needs anything
 * the other process holds.
 */

import assert from "node:assert/strict";
import { startTestSandbox } from "../../sandbox/testing.ts";
import { connectModernClient } from "../helpers/http_harness.ts";
import { startHttpProcess } from "../helpers/http_process.ts";

const SLUG = "demo-demo-project";
const KEY = "replica-test-key-0123456789abcdefghijklmnop";

Deno.test("two replicas serve one 2026 client's alternating requests", async () => {
  const sandbox = await startTestSandbox();
  const env = {
    TAIGA_API_URL: sandbox.apiUrl,
    TAIGA_AUTH_TOKEN: sandbox.createApplicationToken("demo"),
    TAIGA_TOKEN_TYPE: "Application",
    MCP_OAUTH_KEY: KEY,
  };
  const replicas = await Promise.all([startHttpProcess(env), startHttpProcess(env)]);
  const hits = [0, 0];
  let turn = 0;
  const balancer: typeof fetch = (input, init) => {
    const which = turn++ % 2;
    hits[which]++;
    const url = new URL(input instanceof Request ? input.url : String(input));
    const target = new URL(url.pathname + url.search, replicas[which].mcpUrl);
    return fetch(input instanceof Request ? new Request(target, input) : target, init);
  };
  try {
    const c = await connectModernClient(replicas[0].mcpUrl, {}, balancer);
    const tools = await c.client.listTools();
    assert.ok(tools.tools.length > 0);
    for (let i = 0; i < 6; i++) {
      const stories = await c.ok("list_user_stories", { project: SLUG });
      assert.ok((stories.total as number) >= 4, `call ${i}`);
      const story = await c.ok("get_user_story", { project: SLUG, item: "#3" });
      assert.equal((story.item as Record<string, unknown>).ref, 3);
    }
    // A login on one replica is a session on both: the id carries the credentials.
    const login = await c.ok("login", { username: "alice", password: "alice123" });
    for (let i = 0; i < 4; i++) {
      const status = await c.ok("session_status", { session_id: login.session_id });
      assert.equal((status.user as Record<string, unknown>).username, "alice", `call ${i}`);
    }
    await c.close();
    assert.ok(hits[0] >= 6 && hits[1] >= 6, `requests per replica: ${hits.join(", ")}`);
  } finally {
    await Promise.all(replicas.map((replica) => replica.close()));
    await sandbox.close();
  }
});
