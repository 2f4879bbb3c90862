import assert from "node:assert/strict";
import { createUser } from "../../sandbox/testing.ts";
import { login, request, withBed } from "./helpers.ts";

const BAD_TOKEN_BODY = {
  detail: "Given token not valid for any token type",
  code: "token_not_valid",
  messages: [{
    token_class: "AccessToken",
    token_type: "access",
    message: "Token is invalid or expired",
  }],
};

function claims(jwt: string): Record<string, unknown> {
  const part = jwt.split(".")[1].replace(/-/g, "+").replace(/_/g, "/");
  return JSON.parse(atob(part + "===".slice((part.length + 3) % 4)));
}

Deno.test("POST /auth returns the user, a JWT access token and a refresh token", async () => {
  await withBed(async ({ sandbox }) => {
    const r = await request(sandbox, "POST", "/auth", {
      type: "normal",
      username: "demo",
      password: "demo123",
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.username, "demo");
    assert.equal(r.body.full_name, "Demo User");
    assert.equal(r.body.email, "demo@example.com");
    assert.equal(r.body.auth_token.split(".").length, 3);
    const c = claims(r.body.auth_token);
    assert.equal(c.token_type, "access");
    assert.equal(c.user_id, r.body.id);
    assert.equal(typeof c.jti, "string");
    assert.ok((c.exp as number) - Date.now() / 1000 > 23 * 3600, "24 h lifetime");
    assert.equal(claims(r.body.refresh).token_type, "refresh");
  });
});

Deno.test("POST /auth accepts the email, case-insensitively", async () => {
  await withBed(async ({ sandbox }) => {
    const r = await request(sandbox, "POST", "/auth", {
      type: "normal",
      username: "ALICE@example.com",
      password: "alice123",
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.username, "alice");
  });
});

Deno.test("POST /auth: wrong password → 401 invalid_credentials with WWW-Authenticate", async () => {
  await withBed(async ({ sandbox }) => {
    const r = await request(sandbox, "POST", "/auth", {
      type: "normal",
      username: "demo",
      password: "nope",
    });
    assert.equal(r.status, 401);
    assert.deepEqual(r.body, {
      detail: "No active account found with the given credentials",
      code: "invalid_credentials",
    });
    assert.equal(r.headers.get("www-authenticate"), 'Bearer realm="api"');
  });
});

Deno.test("POST /auth: bad type → 400 invalid login type; missing fields → field dict", async () => {
  await withBed(async ({ sandbox }) => {
    const t = await request(sandbox, "POST", "/auth", { type: "github", username: "demo" });
    assert.equal(t.status, 400);
    assert.equal(t.body._error_message, "invalid login type");
    const m = await request(sandbox, "POST", "/auth", { type: "normal" });
    assert.equal(m.status, 400);
    assert.deepEqual(m.body, {
      username: ["This field is required."],
      password: ["This field is required."],
    });
  });
});

Deno.test("POST /auth/refresh rotates and denylists the old refresh token", async () => {
  await withBed(async ({ sandbox, refresh }) => {
    const r = await request(sandbox, "POST", "/auth/refresh", { refresh });
    assert.equal(r.status, 200);
    assert.deepEqual(Object.keys(r.body).sort(), ["auth_token", "refresh"]);
    assert.notEqual(r.body.refresh, refresh);
    const me = await request(sandbox, "GET", "/users/me", undefined, {
      Authorization: `Bearer ${r.body.auth_token}`,
    });
    assert.equal(me.status, 200);
    const again = await request(sandbox, "POST", "/auth/refresh", { refresh });
    assert.equal(again.status, 401);
    assert.deepEqual(again.body, {
      detail: "Token is invalid or expired",
      code: "token_not_valid",
    });
    const garbage = await request(sandbox, "POST", "/auth/refresh", { refresh: "a.b.c" });
    assert.equal(garbage.status, 401);
  });
});

Deno.test("an access token is not a refresh token and vice versa", async () => {
  await withBed(async ({ sandbox, token, refresh }) => {
    const r = await request(sandbox, "POST", "/auth/refresh", { refresh: token });
    assert.equal(r.status, 401);
    const me = await request(sandbox, "GET", "/users/me", undefined, {
      Authorization: `Bearer ${refresh}`,
    });
    assert.equal(me.status, 401);
    assert.deepEqual(me.body, BAD_TOKEN_BODY);
  });
});

Deno.test("GET /users/me: no token → NotAuthenticated; bad token → token_not_valid", async () => {
  await withBed(async ({ call }) => {
    const anon = await call("GET", "/users/me", undefined, { auth: null });
    assert.equal(anon.status, 401);
    assert.deepEqual(anon.body, {
      _error_message: "Authentication credentials were not provided.",
      _error_type: "taiga.base.exceptions.NotAuthenticated",
    });
    assert.equal(anon.headers.get("www-authenticate"), 'Bearer realm="api"');
    const bad = await call("GET", "/users/me", undefined, { auth: "Bearer not-a-jwt" });
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.body, BAD_TOKEN_BODY);
    assert.equal(bad.headers.get("www-authenticate"), 'Bearer realm="api"');
  });
});

Deno.test("a bad JWT gives 401 even on public endpoints", async () => {
  await withBed(async ({ call }) => {
    const r = await call("GET", "/projects", undefined, { auth: "Bearer x.y.z" });
    assert.equal(r.status, 401);
    assert.equal(r.body.code, "token_not_valid");
  });
});

Deno.test("Authorization header rules: scheme case-sensitive, exactly two parts", async () => {
  await withBed(async ({ call, token }) => {
    const lower = await call("GET", "/users/me", undefined, { auth: `bearer ${token}` });
    assert.equal(lower.status, 401);
    assert.equal(lower.body._error_type, "taiga.base.exceptions.NotAuthenticated");
    const three = await call("GET", "/users/me", undefined, { auth: `Bearer ${token} extra` });
    assert.equal(three.status, 401);
    assert.equal(three.body.code, "bad_authorization_header");
    const basic = await call("GET", "/users/me", undefined, { auth: "Basic Zm9vOmJhcg==" });
    assert.equal(basic.status, 401);
    assert.equal(basic.body._error_type, "taiga.base.exceptions.NotAuthenticated");
  });
});

Deno.test("Application tokens authenticate; unknown ones give the Invalid token body", async () => {
  await withBed(async ({ sandbox, call }) => {
    const token = sandbox.createApplicationToken("alice");
    const me = await call("GET", "/users/me", undefined, { auth: `Application ${token}` });
    assert.equal(me.status, 200);
    assert.equal(me.body.username, "alice");
    const bad = await call("GET", "/users/me", undefined, { auth: "Application nope" });
    assert.equal(bad.status, 401);
    assert.deepEqual(bad.body, {
      _error_message: "Invalid token",
      _error_type: "taiga.base.exceptions.NotAuthenticated",
    });
    assert.throws(() => sandbox.createApplicationToken("nobody"));
  });
});

Deno.test("expireAccessTokens invalidates access tokens but keeps refresh tokens", async () => {
  await withBed(async ({ sandbox, call, refresh }) => {
    sandbox.expireAccessTokens();
    const me = await call("GET", "/users/me");
    assert.equal(me.status, 401);
    assert.equal(me.body.code, "token_not_valid");
    const r = await request(sandbox, "POST", "/auth/refresh", { refresh });
    assert.equal(r.status, 200);
    const again = await call("GET", "/users/me", undefined, {
      auth: `Bearer ${r.body.auth_token}`,
    });
    assert.equal(again.status, 200);
  });
});

Deno.test("access tokens expire after accessTokenTtlSeconds (injected clock)", async () => {
  await withBed(async ({ sandbox, call }) => {
    assert.equal((await call("GET", "/users/me")).status, 200);
    const start = Date.now();
    sandbox.state.clock = () => start + 61_000;
    const r = await call("GET", "/users/me");
    assert.equal(r.status, 401);
    assert.equal(r.body.code, "token_not_valid");
  }, { accessTokenTtlSeconds: 60 });
});

Deno.test("private project: anonymous → 401, non-member → 403", async () => {
  await withBed(async ({ sandbox, call }) => {
    await createUser(sandbox.state, "carol", "carol123");
    const { token } = await login(sandbox, "carol", "carol123");
    const anon = await call("GET", "/projects/1", undefined, { auth: null });
    assert.equal(anon.status, 401);
    assert.equal(anon.body._error_type, "taiga.base.exceptions.NotAuthenticated");
    const other = await call("GET", "/projects/1", undefined, { auth: `Bearer ${token}` });
    assert.equal(other.status, 403);
    assert.deepEqual(other.body, {
      _error_message: "You do not have permission to perform this action.",
      _error_type: "taiga.base.exceptions.PermissionDenied",
    });
    const story = await call("GET", "/userstories/1", undefined, { auth: `Bearer ${token}` });
    assert.equal(story.status, 403);
    const list = await call("GET", "/userstories?project=1", undefined, {
      auth: `Bearer ${token}`,
    });
    assert.equal(list.status, 200);
    assert.deepEqual(list.body, [], "lists filter out what the caller cannot see");
  });
});

Deno.test("users: list by project, detail, by_username, POST → 405", async () => {
  await withBed(async ({ call }) => {
    const list = await call("GET", "/users?project=1");
    assert.equal(list.status, 200);
    assert.deepEqual(list.body.map((u: { username: string }) => u.username).sort(), [
      "alice",
      "bob",
      "demo",
    ]);
    assert.equal(list.headers.get("x-pagination-count"), "3");
    const alice = await call("GET", "/users/2");
    assert.equal(alice.body.username, "alice");
    assert.equal(alice.body.email, undefined, "other users get the public shape");
    const me = await call("GET", "/users/1");
    assert.equal(me.body.email, "demo@example.com");
    const by = await call("GET", "/users/by_username?username=bob");
    assert.equal(by.body.id, 3);
    assert.equal((await call("GET", "/users/by_username?username=zed")).status, 404);
    assert.equal((await call("GET", "/users/99")).status, 404);
    const post = await call("POST", "/users", { username: "x" });
    assert.equal(post.status, 405);
  });
});
