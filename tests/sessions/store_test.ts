import assert from "node:assert/strict";
import { SessionStore } from "../../src/sessions/store.ts";
import type { TaigaClient } from "../../src/taiga/client.ts";
import { TaigaError } from "../../src/taiga/errors.ts";

const client = {} as TaigaClient;
const fields = (owner?: string) => ({
  host: "http://taiga.test",
  apiUrl: "http://taiga.test/api/v1",
  client,
  user: { id: 1, username: "demo" },
  tokenType: "Bearer" as const,
  owner,
});

Deno.test("SessionStore: ids are unguessable and sessions expire", () => {
  let now = 1_000_000;
  const store = new SessionStore(60, () => now);
  const a = store.create(fields());
  const b = store.create(fields());
  assert.notEqual(a.id, b.id);
  assert.ok(a.id.length >= 32, "at least 192 bits in base64url");
  assert.equal(store.secondsLeft(a), 60);
  now += 59_000;
  assert.equal(store.get(a.id).id, a.id);
  now += 2_000;
  assert.throws(
    () => store.get(a.id),
    (error) => error instanceof TaigaError && error.type === "auth",
  );
  assert.equal(store.size, 0);
});

Deno.test("SessionStore: an owner's sessions are invisible to other owners", () => {
  const store = new SessionStore(600);
  const shared = store.create(fields());
  const mine = store.create(fields("client-a"));
  assert.equal(store.findDefault("client-a")?.id, mine.id);
  assert.equal(store.findDefault("client-b")?.id, shared.id);
  assert.throws(() => store.get(mine.id, "client-b"), /Unknown or expired/);
  assert.equal(store.remove(mine.id, "client-b"), false);
  store.removeOwnedBy("client-a");
  assert.throws(() => store.get(mine.id, "client-a"));
  assert.equal(store.findDefault("client-a")?.id, shared.id);
});

Deno.test("SessionStore: the newest own session is the default", () => {
  let now = 0;
  const store = new SessionStore(600, () => now);
  store.create(fields("x"));
  now = 5;
  const newer = store.create(fields("x"));
  now = 10;
  store.create(fields());
  assert.equal(store.findDefault("x")?.id, newer.id);
});
