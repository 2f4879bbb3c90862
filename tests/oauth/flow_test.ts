/**
 * `--auth oauth` end to end in one process (sandbox Taiga, our HTTP transport): the metadata
 * documents, the 401 challenge, a person signing in through the form and their tools acting as
 * them (2026 stateless and 2025 session clients), refresh with rotation, a Taiga access token
 * renewed by the refresh grant, revocation, and the operator's start-up session never used.
 */

import assert from "node:assert/strict";
import { connectModernClient } from "../helpers/http_harness.ts";
import { authorizeUrl, FetchBrowser, pkce, postForm, register, signInTokens } from "./driver.ts";
import { startOAuthHarness } from "./harness.ts";

const SLUG = "demo-demo-project";

Deno.test("oauth: metadata documents, byte-identical issuer, and the 401 challenge", async () => {
  const { issuer, resource, close } = await startOAuthHarness();
  try {
    for (
      const path of [
        "/.well-known/oauth-protected-resource/mcp",
        "/.well-known/oauth-protected-resource",
      ]
    ) {
      const response = await fetch(`${issuer}${path}`);
      assert.equal(response.status, 200, path);
      const prm = await response.json();
      assert.equal(prm.resource, resource);
      assert.deepEqual(prm.authorization_servers, [issuer]);
      assert.ok(!JSON.stringify(prm).includes("offline_access"));
    }
    for (
      const path of ["/.well-known/oauth-authorization-server", "/.well-known/openid-configuration"]
    ) {
      const response = await fetch(`${issuer}${path}`);
      const asm = await response.json();
      assert.equal(asm.issuer, issuer, path);
      assert.deepEqual(asm.code_challenge_methods_supported, ["S256"]);
      assert.equal(asm.client_id_metadata_document_supported, true);
      assert.equal(asm.authorization_response_iss_parameter_supported, true);
      assert.equal(asm.token_endpoint, `${issuer}/token`);
    }
    const bare = await fetch(resource, { method: "POST" });
    await bare.body?.cancel();
    assert.equal(bare.status, 401);
    const challenge = bare.headers.get("www-authenticate")!;
    assert.match(challenge, /^Bearer /);
    assert.ok(
      challenge.includes(`resource_metadata="${issuer}/.well-known/oauth-protected-resource/mcp"`),
    );
    assert.ok(!challenge.includes("error="), "no error code without credentials (RFC 6750 §3)");
    const bad = await fetch(resource, {
      method: "POST",
      headers: { Authorization: "Bearer nope" },
    });
    await bad.body?.cancel();
    assert.equal(bad.status, 401);
    assert.match(bad.headers.get("www-authenticate")!, /error="invalid_token"/);
    const sse = await fetch(`${issuer}/sse`);
    await sse.body?.cancel();
    assert.equal(sse.status, 404, "the legacy SSE transport cannot carry a sign-in");
  } finally {
    await close();
  }
});

Deno.test("oauth: each person's tools act as that person, never as the operator", async () => {
  const { h, issuer, resource, close } = await startOAuthHarness();
  try {
    const alice = await signInTokens(issuer, "alice", "alice123");
    const bob = await signInTokens(issuer, "bob", "bob123");
    assert.equal(alice.expires_in, 900);
    const modern = await connectModernClient(new URL(resource), {
      Authorization: `Bearer ${alice.access_token}`,
    });
    const status = await modern.ok("session_status");
    assert.equal((status.user as Record<string, unknown>).username, "alice");
    assert.match(String(status.message), /signed in to this server with OAuth/);
    // Nothing to log in to or out of: each person is signed in with OAuth.
    const names = (await modern.client.listTools()).tools.map((tool) => tool.name);
    assert.ok(names.includes("session_status"));
    for (const name of ["login", "login_with_token", "logout"]) {
      assert.ok(!names.includes(name), `${name} is not offered`);
    }
    assert.match(
      await modern.fails("call_tool", { name: "login_with_token", arguments: { token: "x" } }),
      /No tool "login_with_token"/,
    );
    const stories = await modern.ok("list_user_stories", { project: SLUG });
    assert.ok((stories.total as number) >= 1);
    await modern.close();
    // A 2025 client: its MCP session, and every request checked again.
    const legacy = await h.connect(bob.access_token);
    const bobStatus = await legacy.ok("session_status");
    assert.equal((bobStatus.user as Record<string, unknown>).username, "bob");
    // Completions run without a request context in the SDK: they still act as the person.
    const completion = await legacy.client.complete({
      ref: { type: "ref/prompt", name: "sprint_review" },
      argument: { name: "project", value: "" },
    });
    assert.ok(completion.completion.values.includes(SLUG), "bob's projects complete");
    // The operator's start-up session (demo) cannot be named either.
    const startup = h.app.deps.sessions.findDefault();
    assert.ok(startup, "the sandbox opened a start-up session");
    const refused = await legacy.fails("session_status", { session_id: startup.id });
    assert.match(refused, /server's own session/);
    await legacy.close();
  } finally {
    await close();
  }
});

Deno.test("oauth: refresh rotates; the old refresh token and a revoked one stop working", async () => {
  const { h, issuer, resource, close } = await startOAuthHarness();
  try {
    const first = await signInTokens(issuer, "alice", "alice123");
    const refresh = (token: string) =>
      postForm(`${issuer}/token`, {
        grant_type: "refresh_token",
        refresh_token: token,
        client_id: first.clientId,
        resource,
      });
    // A Taiga access token that expired: the tool call says so, the refresh grant renews it.
    h.app.sandbox!.expireAccessTokens();
    const stale = await connectModernClient(new URL(resource), {
      Authorization: `Bearer ${first.access_token}`,
    });
    assert.match(await stale.fails("list_user_stories", { project: SLUG }), /token|401|auth/i);
    await stale.close();
    const renewed = await refresh(first.refresh_token);
    assert.equal(renewed.status, 200);
    assert.equal(renewed.headers.get("cache-control"), "no-store");
    const second = await renewed.json();
    assert.notEqual(second.refresh_token, first.refresh_token);
    const fresh = await connectModernClient(new URL(resource), {
      Authorization: `Bearer ${second.access_token}`,
    });
    assert.ok(((await fresh.ok("list_user_stories", { project: SLUG })).total as number) >= 1);
    await fresh.close();
    // The first refresh token was spent at Taiga: a replay fails (on every replica).
    const replay = await refresh(first.refresh_token);
    assert.equal(replay.status, 400);
    assert.equal((await replay.json()).error, "invalid_grant");
    // Another client cannot use this client's refresh token.
    const other = await postForm(`${issuer}/token`, {
      grant_type: "refresh_token",
      refresh_token: second.refresh_token,
      client_id: await register(issuer, ["http://127.0.0.1:9/x"]),
    });
    assert.equal((await other.json()).error, "invalid_grant");
    // Revocation ends the chain: the revoked refresh token no longer refreshes.
    const revoked = await postForm(`${issuer}/revoke`, {
      token: second.refresh_token,
      token_type_hint: "refresh_token",
      client_id: first.clientId,
    });
    assert.equal(revoked.status, 200);
    await revoked.body?.cancel();
    const afterRevoke = await refresh(second.refresh_token);
    assert.equal((await afterRevoke.json()).error, "invalid_grant");
    // Unknown tokens are "revoked" too (RFC 7009 §2.2).
    const junk = await postForm(`${issuer}/revoke`, { token: "junk" });
    assert.equal(junk.status, 200);
    await junk.body?.cancel();
  } finally {
    await close();
  }
});

Deno.test("oauth: the sign-in page says who asks, refuses a wrong password clearly, cancels", async () => {
  const { issuer, resource, close } = await startOAuthHarness();
  try {
    const redirectUri = "http://127.0.0.1:9/callback";
    const clientId = await register(issuer, [redirectUri], "Claude <script>");
    const { challenge } = await pkce();
    const url = authorizeUrl(issuer, { clientId, redirectUri, challenge, resource });
    const browser = new FetchBrowser();
    const page = await browser.open(url);
    assert.match(page.html, /<html lang="en">/);
    assert.match(page.html, /Claude &#60;script&#62;/, "the client's name, escaped");
    assert.ok(!page.html.includes("<script"), "no script at all");
    assert.match(page.html, /<label for="username">/);
    assert.match(page.html, /<label for="password">/);
    assert.match(page.html, /name="viewport"/);
    assert.match(page.html, /localhost/, "a localhost redirect is pointed out");
    const wrong = await browser.post(issuer, {
      req: page.req,
      csrf: page.csrf,
      username: "alice",
      password: "not-her-password",
      action: "signin",
    });
    assert.equal(wrong.status, 400);
    const again = await wrong.text();
    assert.match(again, /role="alert">Taiga did not accept this username and password/);
    assert.match(again, /value="alice"/);
    assert.ok(!again.includes("not-her-password"), "the password is never echoed");
    const cancel = await browser.post(issuer, { req: page.req, csrf: page.csrf, action: "deny" });
    assert.equal(cancel.status, 303);
    const back = new URL(cancel.headers.get("location")!);
    assert.equal(back.searchParams.get("error"), "access_denied");
    assert.equal(back.searchParams.get("state"), "state-123");
    assert.equal(back.searchParams.get("iss"), issuer);
    const good = await browser.signIn(url, "alice", "alice123");
    assert.equal(good.origin + good.pathname, redirectUri);
    assert.equal(good.searchParams.get("iss"), issuer);
    assert.equal(good.searchParams.get("state"), "state-123");
    assert.ok(good.searchParams.get("code"));
  } finally {
    await close();
  }
});
