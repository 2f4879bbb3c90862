import assert from "node:assert/strict";
import { join } from "node:path";
import {
  type CachedToken,
  TokenCache,
  TokenCacheCorruptError,
} from "../../src/sessions/token_cache.ts";
import { runDeno } from "../helpers/deno_child.ts";

const POSIX = Deno.build.os !== "windows";
const SECRET = "eyJhbGciOiJIUzI1NiJ9.eyJ1c2VyX2lkIjo1fQ.U2VjcmV0U2lnbmF0dXJlVmFsdWU";

function entry(host: string, overrides: Partial<CachedToken> = {}): CachedToken {
  return {
    host,
    token: SECRET,
    tokenType: "Bearer",
    refresh: "refresh-secret-value",
    user: { id: 5, username: "admin", fullName: "Administrator" },
    savedAt: "2026-01-02T03:04:05.000Z",
    ...overrides,
  };
}

async function withDir(fn: (dir: string) => Promise<void>): Promise<void> {
  const root = await Deno.makeTempDir();
  try {
    await fn(join(root, "taiga-mcp"));
  } finally {
    await Deno.remove(root, { recursive: true });
  }
}

function mode(info: Deno.FileInfo): number {
  assert.ok(info.mode !== null);
  return info.mode & 0o777;
}

Deno.test("TokenCache: round trip keyed by normalised host; Application stays Application", async () => {
  await withDir(async (dir) => {
    const cache = new TokenCache(dir);
    assert.equal(cache.path, join(dir, "tokens.json"));
    assert.equal(await cache.get("https://api.taiga.io"), undefined);
    assert.deepEqual(await cache.list(), []);

    await cache.put(entry("https://API.taiga.io/api/v1/"));
    await cache.put(
      entry("http://localhost:9000", { tokenType: "Application", refresh: undefined }),
    );
    const saas = await cache.get("https://api.taiga.io");
    assert.deepEqual(saas, entry("https://api.taiga.io"));
    assert.deepEqual(await cache.get(" https://api.taiga.io/api/v1 "), saas);
    assert.equal((await cache.get("http://localhost:9000/api/v1"))?.tokenType, "Application");
    assert.deepEqual((await cache.list()).map((e) => e.host), [
      "http://localhost:9000",
      "https://api.taiga.io",
    ]);

    // Replacing an entry for the same host keeps one entry.
    await cache.put(entry("https://api.taiga.io/", { token: "second-token-value" }));
    assert.equal((await cache.get("https://api.taiga.io"))?.token, "second-token-value");
    assert.equal((await cache.list()).length, 2);

    const file = JSON.parse(await Deno.readTextFile(cache.path));
    assert.equal(file.version, 1);
    assert.deepEqual(Object.keys(file.tokens), ["http://localhost:9000", "https://api.taiga.io"]);
    assert.equal(file.tokens["http://localhost:9000"].tokenType, "Application");

    // A second instance (another process, in effect) sees the same data.
    assert.equal((await new TokenCache(dir).list()).length, 2);
  });
});

Deno.test("TokenCache: delete", async () => {
  await withDir(async (dir) => {
    const cache = new TokenCache(dir);
    await cache.put(entry("https://a.example"));
    await cache.put(entry("https://b.example"));
    assert.equal(await cache.delete("https://a.example/api/v1"), true);
    assert.equal(await cache.delete("https://a.example"), false);
    assert.equal(await cache.delete("https://never.example"), false);
    assert.deepEqual((await cache.list()).map((e) => e.host), ["https://b.example"]);
  });
});

Deno.test({
  name:
    "TokenCache: directory 0700, file and lock 0600, a loose old file is replaced by a 0600 one",
  ignore: !POSIX,
  fn: async () => {
    await withDir(async (dir) => {
      const cache = new TokenCache(dir);
      await cache.put(entry("https://a.example"));
      assert.equal(mode(await Deno.stat(dir)), 0o700);
      assert.equal(mode(await Deno.stat(cache.path)), 0o600);
      assert.equal(mode(await Deno.stat(join(dir, "tokens.lock"))), 0o600);

      await Deno.chmod(cache.path, 0o644);
      assert.equal((await cache.list()).length, 1);
      assert.equal(mode(await Deno.stat(cache.path)), 0o600, "a read narrows a loose file");
      await Deno.chmod(cache.path, 0o644);
      await Deno.chmod(dir, 0o755);
      await cache.put(entry("https://b.example"));
      assert.equal(mode(await Deno.stat(cache.path)), 0o600);
      assert.equal(mode(await Deno.stat(dir)), 0o700);
      // No temp files are left behind.
      const names = [];
      for await (const item of Deno.readDir(dir)) names.push(item.name);
      assert.deepEqual(names.sort(), ["tokens.json", "tokens.lock"]);
    });
  },
});

async function corruptCase(text: string, problem: RegExp): Promise<void> {
  await withDir(async (dir) => {
    await Deno.mkdir(dir, { recursive: true });
    const path = join(dir, "tokens.json");
    await Deno.writeTextFile(path, text);
    const warnings: Array<{ message: string; error?: TokenCacheCorruptError }> = [];
    const cache = new TokenCache(dir, {
      onWarning: (message, error) => warnings.push({ message, error }),
    });

    assert.equal(await cache.get("https://a.example"), undefined);
    assert.equal(warnings.length, 1);
    const { message, error } = warnings[0];
    assert.ok(error instanceof TokenCacheCorruptError);
    assert.match(error.movedTo, /tokens\.json\.corrupt-\d{4}-\d{2}-\d{2}T[\d-]+Z$/);
    assert.ok(message.includes(path), message);
    assert.ok(message.includes(error.movedTo), message);
    assert.match(message, problem);
    for (const secret of [SECRET, "refresh-secret-value", "eyJ"]) {
      assert.ok(!message.includes(secret), `warning leaks ${secret}: ${message}`);
    }
    // The content is preserved in the set-aside file, and the cache carries on empty.
    assert.equal(await Deno.readTextFile(error.movedTo), text);
    await Deno.stat(path).then(() => assert.fail("corrupt file left in place"), () => {});
    await cache.put(entry("https://a.example"));
    assert.equal((await cache.list()).length, 1);
    assert.equal(warnings.length, 1);
  });
}

Deno.test("TokenCache: bad JSON is reported, set aside and preserved, never silently emptied", async () => {
  await corruptCase(
    `{"version":1,"tokens":{"https://a.example":{"token":"${SECRET}"`,
    /not valid JSON/,
  );
});

Deno.test("TokenCache: wrong shape is reported the same way", async () => {
  const wrong = {
    version: 1,
    tokens: { "https://a.example": { ...entry("https://a.example"), tokenType: "Basic" } },
  };
  await corruptCase(
    JSON.stringify(wrong),
    /wrong shape at tokens\.https:\/\/a\.example\.tokenType/,
  );
  await corruptCase(JSON.stringify({ tokens: {} }), /wrong shape at version/);
  await corruptCase("", /empty file/);
});

Deno.test("TokenCache: two corruptions in a row get distinct set-aside names", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(dir, { recursive: true });
    const moved: string[] = [];
    const cache = new TokenCache(dir, { onWarning: (_m, e) => e && moved.push(e.movedTo) });
    for (const text of ["one", "two"]) {
      await Deno.writeTextFile(join(dir, "tokens.json"), text);
      await cache.list();
    }
    assert.equal(moved.length, 2);
    assert.notEqual(moved[0], moved[1]);
    assert.deepEqual(await Promise.all(moved.map((p) => Deno.readTextFile(p))), ["one", "two"]);
  });
});

Deno.test("TokenCache: a newer file format is refused and left untouched", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(dir, { recursive: true });
    const text = JSON.stringify({ version: 2, tokens: {} });
    await Deno.writeTextFile(join(dir, "tokens.json"), text);
    const cache = new TokenCache(dir, { onWarning: () => assert.fail("not a corruption") });
    await assert.rejects(() => cache.put(entry("https://a.example")), /format version 2/);
    assert.equal(await Deno.readTextFile(join(dir, "tokens.json")), text);
  });
});

Deno.test("TokenCache: invalid entries and hosts are rejected without echoing the token", async () => {
  await withDir(async (dir) => {
    const cache = new TokenCache(dir);
    await assert.rejects(
      () => cache.put(entry("https://a.example", { token: "" })),
      (error: Error) =>
        /wrong shape at token/.test(error.message) && !error.message.includes(SECRET),
    );
    await assert.rejects(() => cache.put(entry("ftp://a.example")), /http/);
    await assert.rejects(() => cache.get("not a url"), /http/);
  });
});

Deno.test("TokenCache: concurrent puts in one process lose nothing", async () => {
  await withDir(async (dir) => {
    const caches = [new TokenCache(dir), new TokenCache(dir)];
    await Promise.all(
      Array.from({ length: 30 }, (_, i) => caches[i % 2].put(entry(`https://h${i}.example`))),
    );
    assert.equal((await caches[0].list()).length, 30);
  });
});

Deno.test("TokenCache: 8 processes writing 10 hosts each at once lose nothing", async () => {
  await withDir(async (dir) => {
    const fixture = new URL("../fixtures/token_cache_writer.ts", import.meta.url).pathname;
    // runDeno asserts that every writer exits 0.
    await Promise.all(Array.from({ length: 8 }, (_, writer) =>
      runDeno(fixture, {
        flags: [`--allow-read=${dir}`, `--allow-write=${dir}`],
        args: [dir, String(writer), "10"],
      })));
    const entries = await new TokenCache(dir).list();
    assert.equal(entries.length, 80);
    const hosts = new Set(entries.map((e) => e.host));
    for (let w = 0; w < 8; w++) {
      for (let i = 0; i < 10; i++) assert.ok(hosts.has(`https://w${w}-h${i}.example.test`));
    }
    const app = entries.find((e) => e.host === "https://w3-h1.example.test");
    assert.equal(app?.tokenType, "Application");
    assert.equal(app?.token, "tok-3-1");
  });
});

Deno.test("TokenCache: gives up with a clear error when the lock stays taken", async () => {
  await withDir(async (dir) => {
    await Deno.mkdir(dir, { recursive: true });
    const holder = await Deno.open(join(dir, "tokens.lock"), { write: true, create: true });
    try {
      assert.equal(await holder.tryLock(true), true);
      const cache = new TokenCache(dir, { lockTimeoutMs: 50 });
      await assert.rejects(
        () => cache.list(),
        /Timed out after 50 ms waiting for the token cache lock/,
      );
    } finally {
      holder.close();
    }
    // Released: works again.
    assert.deepEqual(await new TokenCache(dir, { lockTimeoutMs: 50 }).list(), []);
  });
});
