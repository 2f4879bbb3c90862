/**
 * The per-session SSE event store on its own: ids, replay per stream, the bounds (count, age,
 * size) and close. The HTTP behaviour is in http_resume_test.ts.
 */

import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/types"
import type { JSONRPCMessage } from "@modelcontextprotocol/sdk/types.js";
import {
  DEFAULT_EVENT_STORE_LIMITS,
  SessionEventStore,
} from "../../src/transports/http_event_store.ts";

function note(n: number): JSONRPCMessage {
  return { jsonrpc: "2.0", method: "notifications/message", params: { level: "info", data: n } };
}

/** The messages replayed after `id`, as their `data`; undefined when the store refuses. */
async function replay(store: SessionEventStore, id: string): Promise<unknown[] | undefined> {
  if (!store.resumable(id)) return undefined;
  const sent: unknown[] = [];
  await store.replayEventsAfter(id, {
    send: (_eventId, message) => {
      sent.push((message as unknown as { params: { data: unknown } }).params.data);
      return Promise.resolve();
    },
  });
  return sent;
}

Deno.test("defaults: the last 200 events, 2 minutes, 256 KiB per session", () => {
  assert.deepEqual({ ...DEFAULT_EVENT_STORE_LIMITS }, {
    maxEvents: 200,
    maxAgeMs: 120_000,
    maxBytes: 256 * 1024,
  });
});

Deno.test("replays only later events of the same stream, never priming events", async () => {
  const store = new SessionEventStore();
  const priming = await store.storeEvent("post-1", {} as JSONRPCMessage);
  await store.storeEvent("post-1", note(1));
  await store.storeEvent("_GET_stream", note(2));
  const three = await store.storeEvent("post-1", note(3));
  await store.storeEvent("post-1", note(4));
  assert.equal(await store.getStreamIdForEventId(priming), "post-1");
  assert.deepEqual(await replay(store, priming), [1, 3, 4]);
  assert.deepEqual(await replay(store, three), [4]);
  const ids: string[] = [];
  const stream = await store.replayEventsAfter(priming, {
    send: (id) => Promise.resolve(void ids.push(id)),
  });
  assert.equal(stream, "post-1");
  assert.equal(new Set(ids).size, 3);
  assert.ok(!ids.includes(priming));
});

Deno.test("event ids carry a random per-store prefix: another store's ids are unknown", async () => {
  const a = new SessionEventStore();
  const b = new SessionEventStore();
  const idA = await a.storeEvent("s", note(1));
  const idB = await b.storeEvent("s", note(1));
  assert.match(idA, /^[A-Za-z0-9_-]{22}\.0$/);
  assert.notEqual(idA.split(".")[0], idB.split(".")[0]);
  await b.storeEvent("s", note(2));
  assert.equal(b.resumable(idA), false, "b knows nothing of a's ids");
  assert.equal(await b.getStreamIdForEventId(idA), undefined);
  await assert.rejects(b.replayEventsAfter(idA, { send: () => Promise.resolve() }));
  for (
    const forged of ["", "0", ".0", `${idB.split(".")[0]}.9`, `${idB}0`, `${idB.split(".")[0]}.-1`]
  ) {
    assert.equal(b.resumable(forged), false, forged);
  }
  assert.equal(b.resumable(idB), true);
});

Deno.test("bounded by count: only the last maxEvents are kept", async () => {
  const store = new SessionEventStore({ maxEvents: 10 });
  const ids: string[] = [];
  for (let i = 0; i < 5000; i++) ids.push(await store.storeEvent("s", note(i)));
  assert.equal(store.size, 10);
  assert.equal(store.resumable(ids[4989]), false, "evicted");
  assert.deepEqual(await replay(store, ids[4990]), [
    4991,
    4992,
    4993,
    4994,
    4995,
    4996,
    4997,
    4998,
    4999,
  ]);
});

Deno.test("bounded by age: older events are neither replayed nor kept", async () => {
  let now = 0;
  const store = new SessionEventStore({ maxAgeMs: 1000 }, () => now);
  const old = await store.storeEvent("s", note(1));
  now = 600;
  const newer = await store.storeEvent("s", note(2));
  await store.storeEvent("s", note(3));
  assert.deepEqual(await replay(store, old), [2, 3]);
  now = 1000;
  assert.equal(store.resumable(old), false, "older than maxAgeMs (here 1 s)");
  assert.equal(store.size, 2);
  assert.deepEqual(await replay(store, newer), [3]);
  now = 5000;
  await store.storeEvent("s", note(4));
  assert.equal(store.size, 1);
});

Deno.test("bounded by size; a message larger than the whole budget is never kept", async () => {
  const big = (n: number): JSONRPCMessage => ({
    jsonrpc: "2.0",
    method: "notifications/message",
    params: { level: "info", data: n, pad: "x".repeat(400) },
  });
  const store = new SessionEventStore({ maxBytes: 2000 });
  const ids: string[] = [];
  for (let i = 0; i < 20; i++) ids.push(await store.storeEvent("s", big(i)));
  assert.ok(store.bytes <= 2000, `${store.bytes} chars kept`);
  assert.ok(store.size >= 3 && store.size < 20, `${store.size} events kept`);

  const before = await store.storeEvent("s", note(100));
  const other = await store.storeEvent("t", note(101));
  const huge = await store.storeEvent("s", {
    jsonrpc: "2.0",
    method: "notifications/message",
    params: { level: "info", data: "y".repeat(5000) },
  });
  await store.storeEvent("s", note(102));
  await store.storeEvent("t", note(103));
  assert.ok(store.bytes <= 2000);
  assert.equal(store.resumable(before), false, "resuming across a dropped message is refused");
  assert.deepEqual(await replay(store, other), [103], "other streams are not affected");
  assert.deepEqual(await replay(store, huge), [102], "resuming after it is fine");
});

Deno.test("close drops every event; later events get ids but are not kept", async () => {
  const store = new SessionEventStore();
  const id = await store.storeEvent("s", note(1));
  await store.storeEvent("s", note(2));
  store.close();
  assert.equal(store.size, 0);
  assert.equal(store.bytes, 0);
  assert.equal(store.resumable(id), false);
  const late = await store.storeEvent("s", note(3));
  assert.match(late, /\.2$/);
  assert.equal(store.size, 0);
});
