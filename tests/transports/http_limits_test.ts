/**
 * Connection limits of the HTTP transport over real sockets on 127.0.0.1: stalled request heads
 * are closed after the head timeout while well-behaved clients are served, the connection cap
 * makes room by closing the longest-waiting connection and refuses newcomers (503) only when
 * every connection is busy, stalled bodies and unread keep-alives are closed, and a broken Host
 * is a clean 400 before anything else.
 */

import assert from "node:assert/strict";
import { initializeRequest, MCP_ACCEPT, startHttpHarness } from "../helpers/http_harness.ts";

const encoder = new TextEncoder();

/** Opens `count` connections that each send the start of a request head and never finish it. */
async function stall(port: number, count: number): Promise<Deno.TcpConn[]> {
  const conns: Deno.TcpConn[] = [];
  for (let i = 0; i < count; i++) {
    const conn = await Deno.connect({ hostname: "127.0.0.1", port });
    await conn.write(encoder.encode(`POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-N: ${i}`));
    conns.push(conn);
  }
  return conns;
}

/** Reads `conn` to its end; resolves to what the server sent, or rejects after `timeoutMs`. */
async function readToEnd(conn: Deno.Conn, timeoutMs: number): Promise<string> {
  let text = "";
  const buffer = new Uint8Array(4096);
  let timer: ReturnType<typeof setTimeout> | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error("the server kept the connection open")), timeoutMs);
  });
  try {
    for (;;) {
      const count = await Promise.race([conn.read(buffer), timeout]).catch((error) => {
        if (error instanceof Error && /kept the connection/.test(error.message)) throw error;
        return null;
      });
      if (count === null) return text;
      text += new TextDecoder().decode(buffer.subarray(0, count));
    }
  } finally {
    clearTimeout(timer);
  }
}

function closeAll(conns: Deno.Conn[]): void {
  for (const conn of conns) {
    try {
      conn.close();
    } catch {
      // Already closed.
    }
  }
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.test("300 stalled request heads are closed (408) after the head timeout; others are served meanwhile", async () => {
  const headTimeoutMs = 1500;
  const h = await startHttpHarness({ server: { limits: { headTimeoutMs } } });
  const conns: Deno.TcpConn[] = [];
  try {
    const started = Date.now();
    conns.push(...await stall(h.server.port, 300));
    await until(() => h.server.stats().connections >= 300, "300 open connections");
    assert.equal(h.server.stats().waiting, h.server.stats().connections);

    // While they are held: a probe, a new MCP session and a tool call all work.
    const health = await fetch(`${h.server.url}/healthz`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
    const client = await h.connect();
    assert.equal(
      ((await client.ok("session_status")).user as { username: string }).username,
      "demo",
    );

    const answers = await Promise.all(conns.map((conn) => readToEnd(conn, headTimeoutMs + 5000)));
    const elapsed = Date.now() - started;
    assert.ok(elapsed >= headTimeoutMs - 50, `closed after ${elapsed} ms, before the timeout`);
    for (const answer of answers) assert.match(answer, /^HTTP\/1\.1 408 /);
    await until(() => h.server.stats().connections <= 2, "the stalled connections to be gone");
    assert.equal(
      ((await client.ok("session_status")).user as { username: string }).username,
      "demo",
    );
    assert.ok(!h.logLines.some((line) => line.startsWith("ERROR")), "no ERROR line");
  } finally {
    closeAll(conns);
    await h.close();
  }
});

Deno.test("at the connection cap the longest-waiting connection makes room; with all busy, newcomers get 503", async () => {
  const h = await startHttpHarness({ server: { limits: { maxConnections: 20 } } });
  const conns: Deno.TcpConn[] = [];
  const streams: Response[] = [];
  try {
    const port = h.server.port;
    conns.push(...await stall(port, 20));
    await until(() => h.server.stats().connections === 20, "20 open connections");
    // A well-behaved client still gets in: the oldest stalled connection is closed for it.
    const health = await fetch(`${h.server.url}/healthz`);
    assert.equal(health.status, 200);
    await health.body?.cancel();
    assert.equal(await readToEnd(conns[0], 2000), "", "the oldest stalled connection was closed");
    assert.ok(h.server.stats().evicted >= 1);
    closeAll(conns.splice(0));
    await until(() => h.server.stats().connections <= 1, "the stalled connections to be gone");

    // 20 busy connections (open SSE streams) fill the cap: the 21st is refused, cleanly.
    for (let i = 0; i < 20; i++) {
      const response = await fetch(`${h.server.url}/sse`, {
        headers: { Accept: "text/event-stream" },
      });
      assert.equal(response.status, 200);
      streams.push(response);
    }
    await until(() => h.server.stats().connections === 20, "20 busy connections");
    const [extra] = await stall(port, 1);
    conns.push(extra);
    assert.match(await readToEnd(extra, 2000), /^HTTP\/1\.1 503 [^]*retry-after: 1/i);
    assert.ok(h.server.stats().refused >= 1);
    for (const stream of streams.splice(0)) await stream.body?.cancel();
    await until(() => h.server.stats().connections === 0, "the streams to end");
    const after = await fetch(`${h.server.url}/healthz`);
    assert.equal(after.status, 200, "serving again once streams ended");
    await after.body?.cancel();
  } finally {
    for (const stream of streams) await stream.body?.cancel();
    closeAll(conns);
    await h.close();
  }
});

Deno.test("a body that stops arriving, and an idle keep-alive connection, are closed", async () => {
  const h = await startHttpHarness({
    server: { limits: { bodyTimeoutMs: 500, idleTimeoutMs: 500 } },
  });
  const conns: Deno.TcpConn[] = [];
  try {
    const port = h.server.port;
    const slow = await Deno.connect({ hostname: "127.0.0.1", port });
    conns.push(slow);
    const body = initializeRequest("slow");
    await slow.write(encoder.encode(
      `POST /mcp HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nContent-Type: application/json\r\n` +
        `Accept: ${MCP_ACCEPT}\r\nContent-Length: ${body.length}\r\n\r\n${body.slice(0, 20)}`,
    ));
    const idle = await Deno.connect({ hostname: "127.0.0.1", port });
    conns.push(idle);
    await idle.write(encoder.encode(`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`));
    const started = Date.now();
    const [slowAnswer, idleAnswer] = await Promise.all([
      readToEnd(slow, 3000),
      readToEnd(idle, 3000),
    ]);
    assert.ok(Date.now() - started >= 450, "not before the timeouts");
    assert.doesNotMatch(slowAnswer, /^HTTP\/1\.1 200/, "no session from a half body");
    assert.match(idleAnswer, /^HTTP\/1\.1 200 [^]*keep-alive: timeout=\d+/i);
    assert.equal(h.server.sessionCount(), 0);
  } finally {
    closeAll(conns);
    await h.close();
  }
});
