/**
 * The 2026-07-28 protocol over HTTP, with the v2 SDK client pinned to it: stateless requests
 * (no initialize, no Mcp-Session-Id) beside 2025 sessions on the same `/mcp`, discovery, cache
 * hints, progress, resource-not-found per SEP-2164, header validation, and a caller's own Taiga
 * token in a request header.
 */

import assert from "node:assert/strict";
import { ResourceNotFoundError } from "@modelcontextprotocol/client";
import { MCP_ACCEPT, startHttpHarness } from "../helpers/http_harness.ts";

const SLUG = "demo-demo-project";

function enveloped(method: string, params: Record<string, unknown> = {}, id = 1): string {
  return JSON.stringify({
    jsonrpc: "2.0",
    id,
    method,
    params: {
      ...params,
      _meta: {
        "io.modelcontextprotocol/protocolVersion": "2026-07-28",
        "io.modelcontextprotocol/clientInfo": { name: "raw", version: "1" },
        "io.modelcontextprotocol/clientCapabilities": {},
      },
    },
  });
}

Deno.test("2026 client: discover, cached lists, calls reaching Taiga, no session kept", async () => {
  const h = await startHttpHarness();
  try {
    const c = await h.connectModern();
    assert.equal(c.client.getProtocolEra(), "modern");
    assert.match(c.client.getInstructions() ?? "", /Common arguments/);
    const listed = await c.client.listTools();
    assert.ok(listed.tools.some((tool) => tool.name === "list_user_stories"));
    const project = await c.ok("get_project", { project: SLUG });
    assert.equal((project.project as Record<string, unknown>).slug, SLUG);
    const stories = await c.ok("list_user_stories", { project: SLUG });
    assert.ok((stories.total as number) >= 4);
    assert.equal(h.server.sessionCount(), 0, "stateless requests open no MCP session");
  } finally {
    await h.close();
  }
});

Deno.test("2026 lists carry cache hints; a 2025 session on the same endpoint gets none", async () => {
  const h = await startHttpHarness();
  try {
    const raw = await fetch(h.mcpUrl, {
      method: "POST",
      headers: {
        "Content-Type": "application/json",
        Accept: MCP_ACCEPT,
        "MCP-Protocol-Version": "2026-07-28",
        "Mcp-Method": "tools/list",
      },
      body: enveloped("tools/list"),
    });
    assert.equal(raw.status, 200);
    assert.equal(raw.headers.get("mcp-session-id"), null);
    const text = await raw.text();
    const body = JSON.parse(text.startsWith("{") ? text : text.split("data: ")[1]);
    assert.equal(body.result.cacheScope, "public");
    assert.ok(body.result.ttlMs > 0);
    const legacy = await h.connect();
    assert.ok((await legacy.client.listTools()).tools.length > 0);
    assert.equal(h.server.sessionCount(), 1, "the 2025 client has its session");
  } finally {
    await h.close();
  }
});

Deno.test("2026 requests whose headers disagree with the body are refused with -32020", async () => {
  const h = await startHttpHarness();
  try {
    const send = (headers: Record<string, string>) =>
      fetch(h.mcpUrl, {
        method: "POST",
        headers: {
          "Content-Type": "application/json",
          Accept: MCP_ACCEPT,
          "MCP-Protocol-Version": "2026-07-28",
          ...headers,
        },
        body: enveloped("tools/call", { name: "get_project", arguments: { project: SLUG } }),
      });
    const wrong: Array<Record<string, string>> = [
      {},
      { "Mcp-Method": "tools/list", "Mcp-Name": "get_project" },
      { "Mcp-Method": "tools/call", "Mcp-Name": "list_projects" },
    ];
    for (const headers of wrong) {
      const response = await send(headers);
      assert.equal(response.status, 400, JSON.stringify(headers));
      assert.equal((await response.json()).error.code, -32020);
    }
    const fine = await send({ "Mcp-Method": "tools/call", "Mcp-Name": "get_project" });
    assert.equal(fine.status, 200);
    await fine.body?.cancel();
  } finally {
    await h.close();
  }
});

Deno.test("2026: progress arrives on the call's stream; a missing resource is SEP-2164's error", async () => {
  const h = await startHttpHarness();
  try {
    const c = await h.connectModern();
    const progress: number[] = [];
    const result = await c.client.callTool(
      { name: "list_user_stories", arguments: { project: SLUG, all: true } },
      { onprogress: (p) => progress.push(p.progress) },
    );
    assert.notEqual(result.isError, true);
    assert.ok(progress.length >= 1, "progress notifications reached the 2026 client");
    await assert.rejects(
      c.client.readResource({ uri: "taiga://projects/no-such-project" }),
      (error: unknown) => {
        assert.ok(error instanceof ResourceNotFoundError, String(error));
        return true;
      },
    );
  } finally {
    await h.close();
  }
});

Deno.test("2026: a caller's own Taiga token in X-Taiga-Token makes the calls act as that person", async () => {
  const h = await startHttpHarness();
  try {
    const token = h.app.sandbox!.createApplicationToken("alice");
    const alice = await h.connectModern({ "X-Taiga-Token": `Application ${token}` });
    const status = await alice.ok("session_status");
    assert.equal((status.user as Record<string, unknown>).username, "alice");
    const operator = await h.connectModern();
    const demo = await operator.ok("session_status");
    assert.equal((demo.user as Record<string, unknown>).username, "demo");
    const wrong = await h.connectModern({ "X-Taiga-Token": "Application not-a-real-token" });
    assert.match(await wrong.fails("session_status"), /rejected the Application token/);
    assert.ok(!h.logLines.some((line) => line.includes(token)), "the token is never logged");
  } finally {
    await h.close();
  }
});

Deno.test("2026: login returns a session id carrying the credentials; altered ids are refused", async () => {
  const h = await startHttpHarness({ env: { MCP_OAUTH_KEY: "k".repeat(40) } });
  try {
    const c = await h.connectModern();
    const login = await c.ok("login", { username: "alice", password: "alice123" });
    const id = login.session_id as string;
    assert.match(id, /^v1\./);
    assert.match(String(login.message), /carries your Taiga credentials/);
    assert.ok(!id.includes("alice123"));
    const status = await c.ok("session_status", { session_id: id });
    assert.equal((status.user as Record<string, unknown>).username, "alice");
    assert.ok((status.expires_in_seconds as number) > 0);
    // Nothing was stored: the default identity is still the operator's.
    const operator = await c.ok("session_status");
    assert.equal((operator.user as Record<string, unknown>).username, "demo");
    const altered = `${id.slice(0, -4)}${id.endsWith("AAAA") ? "BBBB" : "AAAA"}`;
    assert.match(await c.fails("session_status", { session_id: altered }), /not valid here/);
    assert.match(await c.fails("logout", { session_id: id }), /no server can end it/);
    assert.ok(!h.logLines.some((line) => line.includes("alice123")));
  } finally {
    await h.close();
  }
});
