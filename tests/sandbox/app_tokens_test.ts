/**
 * The sandbox's external application tokens against taiga-back 6.10 (`taiga/external_apps`):
 * authorize → validate → `Authorization: Application <token>`, the single-use code, the 404s
 * and 401s with taiga-back's bodies, the Application's own routes, listing and revoking.
 */

import assert from "node:assert/strict";
import { SANDBOX_APPLICATION_ID as APP } from "../../sandbox/testing.ts";
import { login, type TestBed, withBed } from "./helpers.ts";

const NO_APP = { _error_message: "No Application matches the given query." };
const NO_ROW = { _error_message: "No ApplicationToken matches the given query." };
const AUTH_REQUIRED = {
  _error_message: "Authentication required",
  _error_type: "taiga.base.exceptions.NotAuthenticated",
};
const NOT_SUPPORTED = {
  _error_message: "Method not supported for this endpoint.",
  _error_type: "taiga.base.exceptions.NotSupported",
};
const UUID4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;
const NEXT = "https://taiga-mcp.example/authorized";

/** Authorize as `auth` (demo by default) and return the code. */
async function authorize(bed: TestBed, state: string, auth?: string): Promise<string> {
  const r = await bed.call("POST", "/application-tokens/authorize", { application: APP, state }, {
    auth,
  });
  assert.equal(r.status, 200, r.text);
  return r.body.auth_code;
}

async function validate(bed: TestBed, body: Record<string, unknown>) {
  return await bed.call("POST", "/application-tokens/validate", body, { auth: null });
}

Deno.test("app tokens: authorize, validate, then the token logs in as Application", async () => {
  await withBed(async (bed) => {
    const auth = await bed.call("POST", "/application-tokens/authorize", {
      application: APP,
      state: "s-1",
    });
    assert.equal(auth.status, 200);
    assert.deepEqual(Object.keys(auth.body), ["state", "auth_code", "next_url"]);
    assert.equal(auth.body.state, "s-1");
    assert.match(auth.body.auth_code, UUID4);
    assert.equal(auth.body.next_url, `${NEXT}?auth_code=${auth.body.auth_code}`);

    const ok = await validate(bed, {
      application: APP,
      auth_code: auth.body.auth_code,
      state: "s-1",
    });
    assert.equal(ok.status, 200);
    assert.deepEqual(Object.keys(ok.body), ["token"]);
    // Django's signing.dumps({"app_token_id": 1}), sent in the clear (no JWE since 2016).
    assert.match(ok.body.token, /^eyJhcHBfdG9rZW5faWQiOjF9:[0-9A-Za-z]+:[\w-]{43}$/);

    const me = await bed.call("GET", "/users/me", undefined, {
      auth: `Application ${ok.body.token}`,
    });
    assert.equal(me.status, 200);
    assert.equal(me.body.username, "demo");
  });
});

Deno.test("app tokens: the code is single use; later validations give the same token", async () => {
  await withBed(async (bed) => {
    const code = await authorize(bed, "one");
    const first = await validate(bed, { application: APP, auth_code: code, state: "one" });
    assert.equal(first.status, 200);
    const again = await validate(bed, { application: APP, auth_code: code, state: "one" });
    assert.equal(again.status, 404);
    assert.deepEqual(again.body, NO_ROW);

    const code2 = await authorize(bed, "two");
    assert.notEqual(code2, code);
    const second = await validate(bed, { application: APP, auth_code: code2, state: "two" });
    assert.equal(second.body.token, first.body.token, "the token is made once");
    assert.equal(bed.sandbox.state.applicationTokens.size, 1, "one row per (user, application)");
  });
});

Deno.test("app tokens: a wrong state, application or code is the ApplicationToken 404", async () => {
  await withBed(async (bed) => {
    const code = await authorize(bed, "right");
    for (
      const body of [
        { application: APP, auth_code: code, state: "wrong" },
        { application: APP, auth_code: code },
        { application: "0c3f2b4e-0000-4000-8000-000000000000", auth_code: code, state: "right" },
        { application: APP, auth_code: crypto.randomUUID(), state: "right" },
        {},
      ]
    ) {
      const r = await validate(bed, body);
      assert.equal(r.status, 404, JSON.stringify(body));
      assert.deepEqual(r.body, NO_ROW);
    }
    // The mismatches did not use the code up.
    assert.equal(
      (await validate(bed, { application: APP, auth_code: code, state: "right" })).status,
      200,
    );
  });
});

Deno.test("app tokens: a used code is NULL, and taiga-back's filter on a missing code matches it", async () => {
  await withBed(async (bed) => {
    const code = await authorize(bed, "csrf");
    const { body } = await validate(bed, { application: APP, auth_code: code, state: "csrf" });
    // `filter(auth_code=None)` is `IS NULL` in Django: the row whose code was spent matches.
    const replay = await validate(bed, { application: APP, state: "csrf" });
    assert.equal(replay.status, 200);
    assert.equal(replay.body.token, body.token);
  });
});

Deno.test("app tokens: authorize needs a login and an existing Application", async () => {
  await withBed(async (bed) => {
    const anon = await bed.call("POST", "/application-tokens/authorize", {
      application: APP,
      state: "x",
    }, { auth: null });
    assert.equal(anon.status, 401);
    assert.deepEqual(anon.body, AUTH_REQUIRED);
    assert.equal(anon.headers.get("www-authenticate"), 'Bearer realm="api"');

    for (const application of ["not-an-app", undefined, 42]) {
      const r = await bed.call("POST", "/application-tokens/authorize", {
        application,
        state: "x",
      });
      assert.equal(r.status, 404);
      assert.deepEqual(r.body, NO_APP);
    }
    assert.equal(bed.sandbox.state.applicationTokens.size, 0);

    const long = await bed.call("POST", "/application-tokens/authorize", {
      application: APP,
      state: "s".repeat(256),
    });
    assert.equal(long.status, 500, "varchar(255) refuses it");
    assert.match(long.headers.get("content-type")!, /text\/html/);
    assert.equal(bed.sandbox.state.applicationTokens.size, 0, "the request rolled back");
    assert.equal((await bed.call("GET", "/application-tokens/authorize")).status, 405);
  });
});

Deno.test("app tokens: GET /applications/{id} and its token action", async () => {
  await withBed(async (bed) => {
    const app = await bed.call("GET", `/applications/${APP}`);
    assert.equal(app.status, 200);
    assert.deepEqual(Object.keys(app.body), ["id", "name", "web", "description", "icon_url"]);
    assert.equal(app.body.id, APP);
    const anon = await bed.call("GET", `/applications/${APP}`, undefined, { auth: null });
    assert.equal(anon.status, 401);
    assert.equal(anon.body._error_message, "Authentication credentials were not provided.");
    const unknown = await bed.call("GET", "/applications/nope", undefined, { auth: null });
    assert.deepEqual([unknown.status, unknown.body], [404, NO_APP], "looked up before the login");
    assert.match((await bed.call("GET", "/applications")).text, /<h1>Not Found<\/h1>/);

    const none = await bed.call("GET", `/applications/${APP}/token?state=q`);
    assert.equal(none.status, 200);
    assert.deepEqual(none.body, {
      id: null,
      user: 1,
      application: app.body,
      auth_code: null,
      next_url: `${NEXT}?auth_code=None`,
    });
    assert.equal(bed.sandbox.state.applicationTokens.size, 0, "nothing saved");
    const anonToken = await bed.call("GET", `/applications/${APP}/token`, undefined, {
      auth: null,
    });
    assert.deepEqual([anonToken.status, anonToken.body], [401, AUTH_REQUIRED]);
    const noApp = await bed.call("GET", "/applications/nope/token");
    assert.deepEqual([noApp.status, noApp.body], [404, NO_APP]);

    const first = await authorize(bed, "a");
    const renewed = await bed.call("GET", `/applications/${APP}/token?state=b`);
    assert.deepEqual(Object.keys(renewed.body), [
      "id",
      "user",
      "application",
      "auth_code",
      "next_url",
    ]);
    assert.equal(renewed.body.id, 1);
    assert.notEqual(renewed.body.auth_code, first, "a new code on every call");
    const old = await validate(bed, { application: APP, auth_code: first, state: "a" });
    assert.equal(old.status, 404);
    const r = await validate(bed, {
      application: APP,
      auth_code: renewed.body.auth_code,
      state: "b",
    });
    assert.equal(r.status, 200);
  });
});

Deno.test("app tokens: each user lists, reads and revokes their own rows only", async () => {
  await withBed(async (bed) => {
    const code = await authorize(bed, "s");
    const { body } = await validate(bed, { application: APP, auth_code: code, state: "s" });
    const alice = `Bearer ${(await login(bed.sandbox, "alice", "alice123")).token}`;

    const list = await bed.call("GET", "/application-tokens");
    assert.equal(list.status, 200);
    assert.equal(list.headers.get("x-paginated"), "true");
    assert.equal(list.body.length, 1);
    const row = list.body[0];
    assert.deepEqual(Object.keys(row), ["id", "user", "application", "auth_code", "next_url"]);
    assert.deepEqual([row.user, row.application.id, row.auth_code], [1, APP, null]);
    assert.ok(!("token" in row), "the token itself is never listed");
    assert.equal((await bed.call("GET", `/application-tokens?application=${APP}`)).body.length, 1);
    assert.equal((await bed.call("GET", "/application-tokens?application=other")).body.length, 0);
    assert.deepEqual(
      (await bed.call("GET", "/application-tokens", undefined, { auth: alice })).body,
      [],
    );
    const anon = await bed.call("GET", "/application-tokens", undefined, { auth: null });
    assert.deepEqual([anon.status, anon.body], [401, AUTH_REQUIRED]);

    assert.deepEqual((await bed.call("GET", `/application-tokens/${row.id}`)).body, row);
    const theirs = await bed.call("GET", `/application-tokens/${row.id}`, undefined, {
      auth: alice,
    });
    assert.deepEqual([theirs.status, theirs.body], [404, NO_ROW]);
    const notPk = await bed.call("GET", "/application-tokens/abc");
    assert.deepEqual([notPk.status, notPk.body], [404, { _error_message: "" }]);

    for (const [method, path] of [["POST", ""], ["PUT", `/${row.id}`], ["PATCH", `/${row.id}`]]) {
      const r = await bed.call(method, `/application-tokens${path}`, {});
      assert.deepEqual([r.status, r.body], [405, NOT_SUPPORTED], method);
    }
    const steal = await bed.call("DELETE", `/application-tokens/${row.id}`, undefined, {
      auth: alice,
    });
    assert.equal(steal.status, 403);
    assert.equal(steal.body._error_type, "taiga.base.exceptions.PermissionDenied");

    const revoke = await bed.call("DELETE", `/application-tokens/${row.id}`);
    assert.equal(revoke.status, 204);
    const after = await bed.call("GET", "/users/me", undefined, {
      auth: `Application ${body.token}`,
    });
    assert.deepEqual([after.status, after.body._error_message], [401, "Invalid token"]);
    assert.deepEqual((await bed.call("GET", "/application-tokens")).body, []);

    const code2 = await authorize(bed, "t");
    const fresh = await validate(bed, { application: APP, auth_code: code2, state: "t" });
    assert.notEqual(fresh.body.token, body.token, "a new row, a new token");
  });
});

Deno.test("app tokens: two users of one Application get their own tokens", async () => {
  await withBed(async (bed) => {
    const alice = `Bearer ${(await login(bed.sandbox, "alice", "alice123")).token}`;
    const mine = await authorize(bed, "same");
    const hers = await authorize(bed, "same", alice);
    const a = await validate(bed, { application: APP, auth_code: hers, state: "same" });
    const d = await validate(bed, { application: APP, auth_code: mine, state: "same" });
    assert.notEqual(a.body.token, d.body.token);
    const me = await bed.call("GET", "/users/me", undefined, {
      auth: `Application ${a.body.token}`,
    });
    assert.equal(me.body.username, "alice");
    // Both codes spent and the same state: a code-less validate now matches two rows, which
    // taiga-back's get() refuses with a 500.
    const both = await validate(bed, { application: APP, state: "same" });
    assert.equal(both.status, 500);
  });
});
