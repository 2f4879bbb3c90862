/**
 * What answers a client never reads may hold: over real sockets on 127.0.0.1, clients ask for a
 * big wiki page (an answer of ~6 MB, more than loopback socket buffers take) and never read. The
 * bytes held stay within the per-client and per-server bounds, the client is dropped (streams
 * closed, session ended) and everything it held is given back — also when it just leaves.
 */

import assert from "node:assert/strict";
import { BacklogBudget, meteredBody } from "../../src/transports/http_backlog.ts";
import {
  type HttpHarness,
  initializeRequest,
  MCP_ACCEPT,
  startHttpHarness,
} from "../helpers/http_harness.ts";

const MB = 1024 * 1024;
const LIMITS = { perClientBytes: 4 * MB, perServerBytes: 8 * MB };

/** Makes one wiki page 3 MB long; returns the arguments that read it. */
function bigPage(h: HttpHarness): Record<string, unknown> {
  const state = h.app.sandbox!.state;
  const page = [...state.wikiPages.values()][0];
  page.content = "lorem ipsum ".repeat(Math.ceil(3 * MB / 12));
  const project = state.projects.get(page.project)!;
  return { project: project.slug, page: page.slug };
}

function toolCall(id: number, args: Record<string, unknown>): string {
  return JSON.stringify({
    jsonrpc: "2.0",
    id,
    method: "tools/call",
    params: { name: "get_wiki_page", arguments: args },
  });
}

/** Sends a raw POST on a new connection and never reads the answer. */
async function postUnread(
  port: number,
  path: string,
  body: string,
  headers: string[],
): Promise<Deno.TcpConn> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  const bytes = new TextEncoder().encode(body);
  const head = [
    `POST ${path} HTTP/1.1`,
    `Host: 127.0.0.1:${port}`,
    "Content-Type: application/json",
    `Accept: ${MCP_ACCEPT}`,
    `Content-Length: ${bytes.length}`,
    ...headers,
    "",
    "",
  ].join("\r\n");
  await conn.write(new TextEncoder().encode(head));
  await conn.write(bytes);
  return conn;
}

/** Polls `condition` while recording the peak of the server's backlog. */
async function watch(h: HttpHarness, condition: () => boolean, what: string): Promise<number> {
  let peak = 0;
  const deadline = Date.now() + 15_000;
  for (;;) {
    peak = Math.max(peak, h.server.stats().backlogBytes);
    if (condition()) return peak;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

function closeAll(conns: Deno.Conn[]): void {
  for (const conn of conns.splice(0)) {
    try {
      conn.close();
    } catch {
      // Already closed by the server.
    }
  }
}

Deno.test("Streamable HTTP: a session whose answers are never read is dropped within its bound", async () => {
  const h = await startHttpHarness({
    env: { TAIGA_TOOLSETS: "all" },
    server: { backlogLimits: LIMITS },
  });
  const conns: Deno.TcpConn[] = [];
  try {
    const args = bigPage(h);
    const init = await fetch(h.mcpUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: MCP_ACCEPT },
      body: initializeRequest("never-reads"),
    });
    await init.text();
    const session = init.headers.get("mcp-session-id")!;
    const headers = [`Mcp-Session-Id: ${session}`, "Mcp-Protocol-Version: 2025-06-18"];
    for (let i = 0; i < 8; i++) {
      conns.push(await postUnread(h.server.port, "/mcp", toolCall(10 + i, args), headers));
    }
    const peak = await watch(h, () => h.server.stats().droppedClients >= 1, "the drop");
    assert.ok(peak <= LIMITS.perServerBytes, `peak backlog ${peak} bytes`);
    await watch(h, () => h.server.sessionCount() === 0, "the session to end");
    await watch(h, () => h.server.stats().backlogBytes === 0, "the memory to come back");
    assert.ok(h.logLines.some((line) => /dropped an MCP client that does not read/.test(line)));
    // Others are served as usual.
    const other = await h.connect();
    assert.equal(
      (await other.ok("get_wiki_page", args) as { page: unknown }).page !== undefined,
      true,
    );
  } finally {
    closeAll(conns);
    await h.close();
  }
});

Deno.test("legacy SSE: a stream that is never read is closed within its bound, its session ended", async () => {
  const h = await startHttpHarness({
    env: { TAIGA_TOOLSETS: "all" },
    server: { backlogLimits: LIMITS },
  });
  const conns: Deno.TcpConn[] = [];
  try {
    const args = bigPage(h);
    const port = h.server.port;
    const sse = await Deno.connect({ hostname: "127.0.0.1", port });
    conns.push(sse);
    await sse.write(new TextEncoder().encode(
      `GET /sse HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nAccept: text/event-stream\r\n\r\n`,
    ));
    let text = "";
    const buffer = new Uint8Array(4096);
    while (!/sessionId=([\w-]+)/.test(text)) {
      const count = await sse.read(buffer);
      assert.ok(count !== null, "the SSE stream ended early");
      text += new TextDecoder().decode(buffer.subarray(0, count));
    }
    const endpoint = `/messages?sessionId=${/sessionId=([\w-]+)/.exec(text)![1]}`;
    const post = async (body: string) => {
      const response = await fetch(`${h.server.url}${endpoint}`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body,
      });
      await response.body?.cancel();
      return response.status;
    };
    assert.equal(await post(initializeRequest("sse-never-reads", 1, "2024-11-05")), 202);
    let accepted = 0;
    for (let i = 0; i < 8; i++) if (await post(toolCall(10 + i, args)) === 202) accepted++;
    assert.ok(accepted >= 1);
    const peak = await watch(h, () => h.server.stats().droppedClients >= 1, "the drop");
    assert.ok(peak <= LIMITS.perClientBytes, `peak backlog ${peak} bytes`);
    await watch(h, () => h.server.sessionCount() === 0, "the session to end");
    await watch(h, () => h.server.stats().backlogBytes === 0, "the memory to come back");
  } finally {
    closeAll(conns);
    await h.close();
  }
});

Deno.test("a client that leaves with answers unread gives their memory back at once", async () => {
  const h = await startHttpHarness({ env: { TAIGA_TOOLSETS: "all" } });
  const conns: Deno.TcpConn[] = [];
  try {
    const args = bigPage(h);
    const init = await fetch(h.mcpUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", Accept: MCP_ACCEPT },
      body: initializeRequest("leaves"),
    });
    await init.text();
    const headers = [`Mcp-Session-Id: ${init.headers.get("mcp-session-id")}`];
    for (let i = 0; i < 4; i++) {
      conns.push(await postUnread(h.server.port, "/mcp", toolCall(10 + i, args), headers));
    }
    await watch(h, () => h.server.stats().backlogBytes > 2 * MB, "answers to pile up");
    closeAll(conns);
    await watch(h, () => h.server.stats().backlogBytes === 0, "the memory to come back");
    assert.equal(h.server.stats().connections, h.server.stats().waiting, "no busy connection left");
  } finally {
    closeAll(conns);
    await h.close();
  }
});

Deno.test("BacklogBudget: per-client and per-server bounds drop the right client", async () => {
  const dropped: string[] = [];
  const budget = new BacklogBudget({ perClientBytes: 100, perServerBytes: 300 }, (key) => {
    dropped.push(key);
  });
  const cut: string[] = [];
  const meter = (key: string) => budget.meter(key, () => cut.push(key));
  const a = meter("a");
  const b = meter("b");
  assert.equal(a.add(60), true);
  assert.equal(b.add(80), true);
  assert.equal(budget.total, 140);
  assert.equal(b.add(30), false, "b is over its own bound (110 > 100)");
  assert.deepEqual([dropped, cut, budget.total], [["b"], ["b"], 60]);
  const big = meter("big");
  assert.equal(big.add(150), true, "one chunk is always allowed, whatever its size");
  assert.equal(big.add(1), false, "but nothing behind it");
  assert.equal(meter("c").add(250), false, "the server is over (310 > 300): the largest, c, goes");
  assert.deepEqual([dropped, budget.total], [["b", "big", "c"], 60]);
  assert.equal(a.add(10), true);
  a.remove(70);
  a.close();
  assert.equal(budget.total, 0);

  // meteredBody: a reader that takes nothing holds what was produced; cancelling gives it back.
  const source = new ReadableStream<Uint8Array>({
    start(controller) {
      for (let i = 0; i < 5; i++) controller.enqueue(new Uint8Array(20));
    },
  });
  let ended = false;
  const meteredBudget = new BacklogBudget({ perClientBytes: 1000, perServerBytes: 1000 }, () => {});
  const body = meteredBody(source, (drop) => meteredBudget.meter("m", drop), () => ended = true);
  await new Promise((resolve) => setTimeout(resolve, 10));
  assert.equal(meteredBudget.total, 100);
  await body.cancel();
  assert.equal(meteredBudget.total, 0);
  assert.ok(ended);
});
