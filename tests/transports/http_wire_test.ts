/**
 * HTTP/1.1 on the wire of the HTTP transport's own server (http_listener.ts), with raw sockets
 * on 127.0.0.1: chunked request bodies, `Expect: 100-continue`, pipelined requests, HTTP/1.0,
 * keep-alive, and clean refusals of malformed or oversized heads and smuggling-shaped framing.
 */

import assert from "node:assert/strict";
import { parseHead } from "../../src/transports/http_wire.ts";
import { initializeRequest, MCP_ACCEPT, startHttpHarness } from "../helpers/http_harness.ts";

const encoder = new TextEncoder();

/** Sends `text` (in `pieces`, with a pause between) and reads until the server closes or `until` matches. */
async function exchange(
  port: number,
  pieces: string[],
  until?: RegExp,
): Promise<string> {
  const conn = await Deno.connect({ hostname: "127.0.0.1", port });
  try {
    let text = "";
    const buffer = new Uint8Array(65536);
    const reading = (async () => {
      for (;;) {
        const count = await conn.read(buffer).catch(() => null);
        if (count === null) return;
        text += new TextDecoder().decode(buffer.subarray(0, count));
        if (until?.test(text)) return;
      }
    })();
    for (const piece of pieces) {
      await conn.write(encoder.encode(piece));
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    let timer: ReturnType<typeof setTimeout> | undefined;
    await Promise.race([reading, new Promise((resolve) => timer = setTimeout(resolve, 3000))]);
    clearTimeout(timer);
    return text;
  } finally {
    conn.close();
  }
}

const statuses = (text: string) => [...text.matchAll(/HTTP\/1\.1 (\d{3}) /g)].map((m) => +m[1]);

Deno.test("chunked bodies, 100-continue, pipelining, HTTP/1.0 and keep-alive on the wire", async () => {
  const h = await startHttpHarness();
  try {
    const port = h.server.port;
    const body = initializeRequest("wire");
    const post = (extra: string[], payload: string) =>
      [
        "POST /mcp HTTP/1.1",
        `Host: 127.0.0.1:${port}`,
        "Content-Type: application/json",
        `Accept: ${MCP_ACCEPT}`,
        ...extra,
        "",
        "",
      ].join("\r\n") + payload;
    const half = Math.floor(body.length / 2);
    const chunked = post(
      ["Transfer-Encoding: chunked", "Connection: close"],
      `${half.toString(16)};ext=1\r\n${body.slice(0, half)}\r\n` +
        `${(body.length - half).toString(16)}\r\n${body.slice(half)}\r\n0\r\nX-Trailer: 1\r\n\r\n`,
    );
    const answer = await exchange(port, [chunked.slice(0, 90), chunked.slice(90)]);
    assert.deepEqual(statuses(answer), [200], answer);
    assert.match(answer, /mcp-session-id: /i);

    const head = post(["Expect: 100-continue", `Content-Length: ${body.length}`], "");
    const continued = await exchange(port, [head, body], /"serverInfo"[^]*\n\n/);
    assert.deepEqual(statuses(continued).slice(0, 2), [100, 200], continued);

    const get = `GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\n\r\n`;
    const pipelined = await exchange(port, [`\r\n${get}${get}${get.replace("1.1", "1.0")}`]);
    assert.deepEqual(statuses(pipelined), [200, 200, 200], pipelined);
    assert.equal(pipelined.match(/keep-alive: timeout=/g)?.length, 2);
    assert.match(pipelined, /connection: close[^]*"status":"ok"[^]*$/, "HTTP/1.0 closes");

    const old = await exchange(port, ["GET /healthz HTTP/1.0\r\n\r\n"]);
    assert.deepEqual(statuses(old), [200], "HTTP/1.0 may omit Host");
    assert.equal(h.server.sessionCount(), 2);
  } finally {
    await h.close();
  }
});

Deno.test("malformed, oversized and ambiguous requests are refused cleanly, without ERROR lines", async () => {
  const h = await startHttpHarness({ server: { limits: { maxHeadBytes: 4096 } } });
  try {
    const port = h.server.port;
    const host = `Host: 127.0.0.1:${port}`;
    const cases: [string, number][] = [
      ["GARBAGE\r\n\r\n", 400],
      [`GET /healthz HTTP/2.0\r\n${host}\r\n\r\n`, 505],
      [`GET /healthz HTTP/1.1\r\n${host}\r\nBad Header\r\n\r\n`, 400],
      [`GET /healthz HTTP/1.1\r\n${host}\r\n folded: value\r\n\r\n`, 400],
      [`GET /healthz HTTP/1.1\r\n${host}\r\n${host}\r\n\r\n`, 400],
      [`GET /healthz HTTP/1.1\r\n${host}\r\nX-Big: ${"a".repeat(5000)}\r\n\r\n`, 431],
      [
        `POST /mcp HTTP/1.1\r\n${host}\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n`,
        400,
      ],
      [`POST /mcp HTTP/1.1\r\n${host}\r\nTransfer-Encoding: gzip\r\n\r\n`, 501],
      [`POST /mcp HTTP/1.1\r\n${host}\r\nContent-Length: 1, 2\r\n\r\n`, 400],
      [`POST /mcp HTTP/1.1\r\n${host}\r\nContent-Length: -1\r\n\r\n`, 400],
      [`GET /healthz HTTP/1.1\r\nHost: 127.0.0.1:${port}\r\nX-Nul: a\u0000b\r\n\r\n`, 400],
      [`POST /mcp HTTP/1.1\r\n${host}\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n`, 400],
      [`GET http://127.0.0.1:${port}/healthz HTTP/1.1\r\n${host}\r\n\r\n`, 200],
    ];
    for (const [request, status] of cases) {
      const answer = await exchange(port, [request], /\r\n\r\n[^]*\}/);
      assert.equal(
        statuses(answer)[0],
        status,
        `${JSON.stringify(request.slice(0, 60))}: ${answer}`,
      );
    }
    assert.ok(!h.logLines.some((line) => line.startsWith("ERROR")), h.logLines.join("\n"));
  } finally {
    await h.close();
  }
});

Deno.test("parseHead: framing, connection and expectations", () => {
  const parsed = parseHead(
    "POST /mcp?x=1 HTTP/1.1\r\nHost: a:1\r\nCONTENT-LENGTH: 12\r\nConnection: keep-alive, Close\r\n" +
      "Expect: 100-Continue\r\n\r\n",
  );
  assert.ok(parsed.ok);
  assert.equal(parsed.head.target, "/mcp?x=1");
  assert.equal(parsed.head.body, 12);
  assert.equal(parsed.head.close, true);
  assert.equal(parsed.head.expectContinue, true);
  assert.deepEqual(parsed.head.headers[1], ["content-length", "12"]);
  const missingHost = parseHead("GET / HTTP/1.1\r\n\r\n");
  assert.ok(!missingHost.ok && missingHost.status === 400);
});
