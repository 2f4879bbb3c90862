/**
 * The MCP session cap of the HTTP transport never locks newcomers out while idle sessions can
 * go: at the cap the least recently used idle session (no stream open, no request in flight) is
 * closed for the newcomer; only when every session is busy is the newcomer refused (503); and a
 * nearly full registry sweeps idle sessions after a minute instead of MCP_SESSION_IDLE_SECONDS.
 */

import assert from "node:assert/strict";
import { initializeRequest, MCP_ACCEPT, startHttpHarness } from "../helpers/http_harness.ts";

async function initialize(url: URL): Promise<{ status: number; id: string | null }> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: MCP_ACCEPT },
    body: initializeRequest("cap-test"),
  });
  await response.text();
  return { status: response.status, id: response.headers.get("mcp-session-id") };
}

async function listStatus(url: URL, id: string): Promise<number> {
  const response = await fetch(url, {
    method: "POST",
    headers: {
      "Content-Type": "application/json",
      Accept: MCP_ACCEPT,
      "Mcp-Session-Id": id,
      "Mcp-Protocol-Version": "2025-06-18",
    },
    body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "tools/list" }),
  });
  await response.text();
  return response.status;
}

Deno.test("at the session cap the least recently used idle session makes room for a newcomer", async () => {
  let now = 1_000_000;
  const h = await startHttpHarness({ server: { maxSessions: 5, now: () => now } });
  try {
    const ids: string[] = [];
    for (let i = 0; i < 5; i++) {
      now += 1000;
      const opened = await initialize(h.mcpUrl);
      assert.equal(opened.status, 200);
      ids.push(opened.id!);
    }
    now += 1000;
    assert.equal(await listStatus(h.mcpUrl, ids[0]), 200, "the oldest is used again");
    for (let i = 0; i < 20; i++) {
      now += 1000;
      const newcomer = await initialize(h.mcpUrl);
      assert.equal(newcomer.status, 200, `newcomer ${i} is never refused`);
      ids.push(newcomer.id!);
    }
    assert.equal(h.server.sessionCount(), 5);
    assert.equal(await listStatus(h.mcpUrl, ids[1]), 404, "the least recently used went first");
    for (const id of ids.slice(-5)) assert.equal(await listStatus(h.mcpUrl, id), 200);
    assert.ok(h.logLines.some((line) => /least recently used idle MCP session/.test(line)));
  } finally {
    await h.close();
  }
});

Deno.test("sessions with an open stream are never evicted: with every session busy, a newcomer gets 503", async () => {
  const h = await startHttpHarness({ server: { maxSessions: 3 } });
  const streams: Response[] = [];
  try {
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`${h.server.url}/sse`, {
        headers: { Accept: "text/event-stream" },
      });
      assert.equal(response.status, 200);
      streams.push(response);
    }
    const refused = await initialize(h.mcpUrl);
    assert.equal(refused.status, 503);
    assert.equal(h.server.sessionCount(), 3, "no busy session was closed");
    await streams.pop()!.body?.cancel();
    const deadline = Date.now() + 2000;
    while (h.server.sessionCount() > 2 && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 10));
    }
    assert.equal((await initialize(h.mcpUrl)).status, 200, "room again once a stream ended");
  } finally {
    for (const stream of streams) await stream.body?.cancel();
    await h.close();
  }
});

Deno.test("a nearly full registry sweeps idle sessions after a minute, not after the idle time", async () => {
  let now = 1_000_000;
  const h = await startHttpHarness({
    server: { maxSessions: 8, now: () => now, sweepIntervalMs: 3_600_000 },
  });
  try {
    for (let i = 0; i < 2; i++) assert.equal((await initialize(h.mcpUrl)).status, 200);
    now += 61_000;
    assert.equal(await h.server.sweepIdleSessions(), 0, "2 of 8: idle sessions are kept");
    for (let i = 0; i < 4; i++) assert.equal((await initialize(h.mcpUrl)).status, 200);
    assert.equal(await h.server.sweepIdleSessions(), 2, "6 of 8: idle for a minute is enough");
    now += 61_000;
    assert.equal(await h.server.sweepIdleSessions(), 0, "4 of 8: back to the idle time");
    assert.equal(h.server.sessionCount(), 4);
  } finally {
    await h.close();
  }
});
