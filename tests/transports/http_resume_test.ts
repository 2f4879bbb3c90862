/**
 * SSE resumability of the Streamable HTTP transport over real HTTP on 127.0.0.1, driven with raw
 * fetch: priming events, resuming a POST stream and the GET stream with Last-Event-ID, isolation
 * between sessions, and the per-session bound.
 */

import assert from "node:assert/strict";
import { runAsCaller } from "../../src/mcp/caller.ts";
import {
  type HttpHarness,
  initializeRequest,
  MCP_ACCEPT,
  startHttpHarness,
} from "../helpers/http_harness.ts";

const VERSION = "2025-11-25";
const EVENT_ID = /^[A-Za-z0-9_-]{22}\.\d+$/;

/** One SSE event as sent. */
interface SseEvent {
  id?: string;
  retry?: string;
  event?: string;
  data: string;
}

/** Reads SSE events from a response body. */
class SseReader {
  readonly #reader: ReadableStreamDefaultReader<string>;
  #buffer = "";
  #pending: Promise<ReadableStreamReadResult<string>> | undefined;

  constructor(body: ReadableStream<Uint8Array>) {
    this.#reader = body.pipeThrough(new TextDecoderStream()).getReader();
  }

  /** The next event (keep-alive comments skipped), or undefined after `timeoutMs` or at the end. */
  async next(timeoutMs = 3000): Promise<SseEvent | undefined> {
    const deadline = Date.now() + timeoutMs;
    for (;;) {
      const end = this.#buffer.indexOf("\n\n");
      if (end >= 0) {
        const block = this.#buffer.slice(0, end);
        this.#buffer = this.#buffer.slice(end + 2);
        const event: SseEvent = { data: "" };
        const data: string[] = [];
        for (const line of block.split("\n")) {
          if (line.startsWith(":")) continue;
          const colon = line.indexOf(":");
          const field = line.slice(0, colon);
          const value = line.slice(colon + 1).replace(/^ /, "");
          if (field === "data") data.push(value);
          else if (field === "id" || field === "retry" || field === "event") event[field] = value;
        }
        if (data.length === 0 && event.id === undefined) continue; // a comment block
        event.data = data.join("\n");
        return event;
      }
      this.#pending ??= this.#reader.read();
      const wait = deadline - Date.now();
      if (wait <= 0) return undefined;
      let timer: ReturnType<typeof setTimeout> | undefined;
      const result = await Promise.race([
        this.#pending,
        new Promise<undefined>((resolve) => timer = setTimeout(() => resolve(undefined), wait)),
      ]);
      clearTimeout(timer);
      if (result === undefined) return undefined;
      this.#pending = undefined;
      if (result.done) return undefined;
      this.#buffer += result.value;
    }
  }

  /** Disconnects. */
  async cancel(): Promise<void> {
    await this.#reader.cancel().catch(() => undefined);
  }
}

function headers(session: string, extra: Record<string, string> = {}): Record<string, string> {
  return {
    "Content-Type": "application/json",
    Accept: MCP_ACCEPT,
    "Mcp-Session-Id": session,
    "Mcp-Protocol-Version": VERSION,
    ...extra,
  };
}

/** Initializes a raw session speaking protocol 2025-11-25; returns its id. */
async function openSession(h: HttpHarness): Promise<string> {
  const init = await fetch(h.mcpUrl, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: MCP_ACCEPT },
    body: initializeRequest("resume-test", 1, VERSION),
  });
  assert.equal(init.status, 200);
  await init.text();
  const id = init.headers.get("mcp-session-id")!;
  const done = await fetch(h.mcpUrl, {
    method: "POST",
    headers: headers(id),
    body: JSON.stringify({ jsonrpc: "2.0", method: "notifications/initialized" }),
  });
  assert.equal(done.status, 202);
  await done.body?.cancel();
  return id;
}

/** Opens the session's GET stream, resuming after `lastEventId` when given; retries a 409 while
 * the server has not yet seen the previous stream go. */
async function getStream(
  h: HttpHarness,
  session: string,
  lastEventId?: string,
): Promise<SseReader> {
  for (let attempt = 0;; attempt++) {
    const response = await fetch(h.mcpUrl, {
      headers: {
        ...headers(session, { Accept: "text/event-stream" }),
        ...(lastEventId ? { "Last-Event-ID": lastEventId } : {}),
      },
    });
    if (response.status === 409 && attempt < 100) {
      await response.body?.cancel();
      await new Promise((resolve) => setTimeout(resolve, 20));
      continue;
    }
    if (response.status !== 200) {
      throw new Error(`GET answered ${response.status}: ${await response.text()}`);
    }
    return new SseReader(response.body!);
  }
}

/** Logs `marker` as work done for `session`: forwarded to it as a log notification. */
function logFor(h: HttpHarness, session: string, marker: string): Promise<void> {
  return runAsCaller(session, () => {
    h.app.deps.log.warning(marker);
    return Promise.resolve();
  });
}

/** Reads log notifications until one mentions a `test-` marker; returns that event. */
async function nextMarker(reader: SseReader, timeoutMs = 3000): Promise<SseEvent | undefined> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const event = await reader.next(Math.max(1, deadline - Date.now()));
    if (!event || event.data.includes("test-")) return event;
  }
}

async function until(condition: () => boolean, what: string, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
}

Deno.test("a POST stream starts with a priming event carrying an id and a retry interval", async () => {
  const h = await startHttpHarness({ server: { sseRetryMs: 1500 } });
  try {
    const session = await openSession(h);
    const response = await fetch(h.mcpUrl, {
      method: "POST",
      headers: headers(session),
      body: JSON.stringify({ jsonrpc: "2.0", id: 2, method: "ping" }),
    });
    const reader = new SseReader(response.body!);
    const priming = await reader.next();
    assert.ok(priming?.id, "priming event has an id");
    assert.match(priming.id, EVENT_ID);
    assert.equal(priming.retry, "1500");
    assert.equal(priming.data, "");
    const answer = await reader.next();
    assert.match(answer?.id ?? "", EVENT_ID);
    assert.deepEqual(JSON.parse(answer!.data), { jsonrpc: "2.0", id: 2, result: {} });
    assert.notEqual(answer!.id, priming.id);
    await reader.cancel();
  } finally {
    await h.close();
  }
});

Deno.test("a client that reconnects with Last-Event-ID gets the progress and result it missed", async () => {
  const h = await startHttpHarness();
  try {
    const session = await openSession(h);
    // Hold the tool call in its first Taiga request so the client can leave first.
    h.app.sandbox!.faults.add({ kind: "delay", ms: 300, match: /^GET \/api\/v1\/projects$/ });
    const response = await fetch(h.mcpUrl, {
      method: "POST",
      headers: headers(session),
      body: JSON.stringify({
        jsonrpc: "2.0",
        id: 7,
        method: "tools/call",
        params: { name: "list_projects", arguments: { all: true }, _meta: { progressToken: "p7" } },
      }),
    });
    const first = new SseReader(response.body!);
    const priming = await first.next();
    assert.match(priming?.id ?? "", EVENT_ID);
    await first.cancel(); // the connection drops before any progress is sent
    await until(() => h.logLines.some((line) => line.includes("tool list_projects ok")), "tool");

    const resumed = await getStream(h, session, priming!.id);
    const progress: { progress: number; total?: number }[] = [];
    let result: Record<string, unknown> | undefined;
    while (!result) {
      const event = await resumed.next();
      assert.ok(event, "the stream ended before the result was replayed");
      assert.match(event.id ?? "", EVENT_ID, "replayed events carry their ids");
      const message = JSON.parse(event.data);
      if (message.method === "notifications/progress") {
        assert.equal(message.params.progressToken, "p7");
        progress.push(message.params);
      } else if (message.id === 7) {
        result = message.result;
      }
    }
    await resumed.cancel();
    assert.ok(progress.length >= 1, "missed progress notifications are replayed");
    assert.equal(progress.at(-1)!.progress, progress.at(-1)!.total);
    const projects = (result.structuredContent as { projects: { slug: string }[] }).projects;
    assert.ok(projects.some((project) => project.slug === "demo-demo-project"));
  } finally {
    await h.close();
  }
});

Deno.test("the GET stream resumes after its last event with the log notifications missed", async () => {
  const h = await startHttpHarness();
  try {
    const session = await openSession(h);
    const stream = await getStream(h, session);
    await logFor(h, session, "test-before");
    const seen = await nextMarker(stream);
    assert.match(seen?.data ?? "", /test-before/);
    assert.match(seen!.id ?? "", EVENT_ID);
    await stream.cancel();
    await logFor(h, session, "test-missed-1");
    await logFor(h, session, "test-missed-2");

    const resumed = await getStream(h, session, seen!.id);
    const one = await nextMarker(resumed);
    const two = await nextMarker(resumed);
    assert.match(one?.data ?? "", /test-missed-1/);
    assert.match(two?.data ?? "", /test-missed-2/);
    assert.match(one!.id ?? "", EVENT_ID);
    await logFor(h, session, "test-live");
    assert.match((await nextMarker(resumed))?.data ?? "", /test-live/, "then the stream goes on");
    await resumed.cancel();
  } finally {
    await h.close();
  }
});

Deno.test("another session's event id (or a forged one) replays nothing", async () => {
  const h = await startHttpHarness();
  try {
    const a = await openSession(h);
    const b = await openSession(h);
    const streamA = await getStream(h, a);
    await logFor(h, a, "test-secret-a");
    const secret = await nextMarker(streamA);
    assert.match(secret?.id ?? "", EVENT_ID);
    await streamA.cancel();
    await logFor(h, a, "test-secret-a-missed");

    const [prefix, seq] = secret!.id!.split(".");
    for (const cursor of [secret!.id!, `${prefix}.${Number(seq) - 1}`, `${prefix}.0`, "0", "x.1"]) {
      const streamB = await getStream(h, b, cursor);
      await logFor(h, b, "test-mine-b");
      const first = await nextMarker(streamB);
      assert.match(first?.data ?? "", /test-mine-b/, `cursor ${cursor}: nothing of A's replayed`);
      await streamB.cancel();
    }
    // A's own session still resumes from it.
    const resumedA = await getStream(h, a, secret!.id);
    assert.match((await nextMarker(resumedA))?.data ?? "", /test-secret-a-missed/);
    await resumedA.cancel();
  } finally {
    await h.close();
  }
});

Deno.test("the event store is bounded: an evicted cursor opens a fresh stream", async () => {
  const h = await startHttpHarness({ server: { eventStoreLimits: { maxEvents: 5 } } });
  try {
    const session = await openSession(h);
    const stream = await getStream(h, session);
    await logFor(h, session, "test-first");
    const first = await nextMarker(stream);
    assert.match(first?.data ?? "", /test-first/);
    await stream.cancel();
    for (let i = 0; i < 8; i++) await logFor(h, session, `test-flood-${i}`);

    // Too old: the store kept only the last 5 events; the stream opens fresh, nothing replayed.
    const fresh = await getStream(h, session, first!.id);
    await logFor(h, session, "test-after");
    assert.match((await nextMarker(fresh))?.data ?? "", /test-after/);
    await fresh.cancel();
    assert.ok(
      h.logLines.some((line) => line.includes("Last-Event-ID unknown or expired")),
      "the fallback is logged",
    );
  } finally {
    await h.close();
  }
});

Deno.test("an old-protocol client gets no priming event (its stream is unchanged)", async () => {
  const h = await startHttpHarness();
  try {
    const session = await openSession(h);
    const response = await fetch(h.mcpUrl, {
      method: "POST",
      headers: headers(session, { "Mcp-Protocol-Version": "2025-06-18" }),
      body: JSON.stringify({ jsonrpc: "2.0", id: 3, method: "ping" }),
    });
    const reader = new SseReader(response.body!);
    const event = await reader.next();
    assert.deepEqual(JSON.parse(event?.data ?? "null"), { jsonrpc: "2.0", id: 3, result: {} });
    await reader.cancel();
  } finally {
    await h.close();
  }
});
