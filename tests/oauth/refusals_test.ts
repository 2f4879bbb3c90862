/**
 * What `--auth oauth` refuses, each as a test: unknown clients and unregistered redirect URIs
 * (an error page, never a redirect), requests without PKCE S256 or for another resource, codes
 * replayed (on the same replica and on another one holding the same key), codes without or with
 * the wrong verifier, tokens forged, expired, of another kind, for another audience or sealed
 * with another key, another person's token on an MCP session, forms posted without the CSRF
 * cookie or from another site — and no password, token, code or key in the logs.
 */

import assert from "node:assert/strict";
import { Sealer } from "../../src/sessions/sealed.ts";
import { type AccessClaims, TokenBox } from "../../src/oauth/tokens.ts";
import { createOAuthRoutes } from "../../src/transports/oauth_routes.ts";
import { initializeRequest, MCP_ACCEPT } from "../helpers/http_harness.ts";
import { authorizeUrl, FetchBrowser, pkce, postForm, register, signInTokens } from "./driver.ts";
import { startOAuthHarness, TEST_KEY } from "./harness.ts";

const REDIRECT = "http://127.0.0.1:9/callback";

async function errorOf(response: Response): Promise<string> {
  return (await response.json()).error;
}

Deno.test("oauth refusals: the authorization endpoint", async () => {
  const { issuer, resource, close } = await startOAuthHarness();
  try {
    const clientId = await register(issuer, [REDIRECT]);
    const { challenge } = await pkce();
    const page = async (url: URL) => {
      const response = await fetch(url, { redirect: "manual" });
      const body = await response.text();
      return { status: response.status, location: response.headers.get("location"), body };
    };
    const unregistered = await page(
      authorizeUrl(issuer, { clientId, redirectUri: "https://evil.example/cb", challenge }),
    );
    assert.equal(unregistered.status, 400);
    assert.equal(unregistered.location, null, "never a redirect to an unregistered URI");
    assert.match(unregistered.body, /not registered/);
    const foreignClient = await new TokenBox(new Sealer(["another-key-0123456789abcdefghijklmnop"]))
      .seal("client", { r: [REDIRECT], ia: 0 }, 60);
    for (const id of ["nobody", foreignClient]) {
      const unknown = await page(
        authorizeUrl(issuer, { clientId: id, redirectUri: REDIRECT, challenge }),
      );
      assert.equal(unknown.status, 400, id.slice(0, 10));
      assert.equal(unknown.location, null);
    }
    // Loopback redirects may use any port (RFC 8252 §7.3); the path must still match.
    const otherPort = await page(
      authorizeUrl(issuer, { clientId, redirectUri: "http://127.0.0.1:5555/callback", challenge }),
    );
    assert.equal(otherPort.status, 200);
    const otherPath = await page(
      authorizeUrl(issuer, { clientId, redirectUri: "http://127.0.0.1:9/other", challenge }),
    );
    assert.equal(otherPath.status, 400);
    const cases: Array<[Record<string, string>, string]> = [
      [{ code_challenge: "" }, "invalid_request"],
      [{ code_challenge_method: "plain" }, "invalid_request"],
      [{ response_type: "token" }, "unsupported_response_type"],
      [{ resource: "https://other.example/mcp" }, "invalid_target"],
    ];
    for (const [extra, error] of cases) {
      const answer = await page(
        authorizeUrl(issuer, { clientId, redirectUri: REDIRECT, challenge, resource, extra }),
      );
      assert.equal(answer.status, 302, JSON.stringify(extra));
      const back = new URL(answer.location!);
      assert.equal(back.searchParams.get("error"), error);
      assert.equal(back.searchParams.get("state"), "state-123");
      assert.equal(back.searchParams.get("iss"), issuer);
    }
  } finally {
    await close();
  }
});

Deno.test("oauth refusals: codes — replay, PKCE, client, redirect, resource", async () => {
  const { h, issuer, resource, close } = await startOAuthHarness();
  try {
    const clientId = await register(issuer, [REDIRECT]);
    const otherClient = await register(issuer, [REDIRECT]);
    const { verifier, challenge } = await pkce();
    const back = await new FetchBrowser().signIn(
      authorizeUrl(issuer, { clientId, redirectUri: REDIRECT, challenge, resource }),
      "alice",
      "alice123",
    );
    const code = back.searchParams.get("code")!;
    const exchange = (fields: Record<string, string>) =>
      postForm(`${issuer}/token`, {
        grant_type: "authorization_code",
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT,
        client_id: clientId,
        resource,
        ...fields,
      });
    const bad: Array<[Record<string, string>, string]> = [
      [{ code_verifier: "" }, "invalid_grant"],
      [{ code_verifier: "x".repeat(43) }, "invalid_grant"],
      [{ client_id: otherClient }, "invalid_grant"],
      [{ redirect_uri: "http://127.0.0.1:9/elsewhere" }, "invalid_grant"],
      [{ resource: "https://other.example/mcp" }, "invalid_target"],
      [{ grant_type: "password" }, "unsupported_grant_type"],
    ];
    for (const [fields, error] of bad) {
      const response = await exchange(fields);
      assert.equal(response.status, 400, JSON.stringify(fields));
      assert.equal(await errorOf(response), error, JSON.stringify(fields));
    }
    // None of those spent the code: the right request still gets tokens, once.
    const good = await exchange({});
    assert.equal(good.status, 200);
    assert.equal(good.headers.get("cache-control"), "no-store");
    await good.body?.cancel();
    const replay = await exchange({});
    assert.equal(await errorOf(replay), "invalid_grant");
    // Another replica (same key, its own memory): Taiga has spent the refresh token inside.
    const replica = createOAuthRoutes(h.app.deps);
    const elsewhere = await replica.serve(
      new Request(`${issuer}/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code,
          code_verifier: verifier,
          redirect_uri: REDIRECT,
          client_id: clientId,
        }),
      }),
      "/token",
      () => Promise.reject(new Error("not an MCP request")),
    );
    assert.equal(elsewhere.status, 400);
    assert.equal(await errorOf(elsewhere), "invalid_grant");
  } finally {
    await close();
  }
});

Deno.test("oauth refusals: access tokens at /mcp", async () => {
  const { h, issuer, resource, close } = await startOAuthHarness();
  try {
    const alice = await signInTokens(issuer, "alice", "alice123");
    const bob = await signInTokens(issuer, "bob", "bob123");
    const box = new TokenBox(new Sealer([TEST_KEY]));
    const claims = (await box.open("access", alice.access_token))!;
    const status = async (token: string) => {
      const response = await fetch(resource, {
        method: "POST",
        headers: {
          Authorization: `Bearer ${token}`,
          "Content-Type": "application/json",
          Accept: MCP_ACCEPT,
        },
        body: initializeRequest("refusals"),
      });
      await response.body?.cancel();
      return response.status;
    };
    assert.equal(await status(alice.access_token), 200);
    const forged = alice.access_token.slice(0, -3) +
      (alice.access_token.endsWith("A") ? "BBB" : "AAA");
    const past = new TokenBox(new Sealer([TEST_KEY], () => Date.now() - 3_600_000));
    const foreign = new TokenBox(new Sealer(["another-key-0123456789abcdefghijklmnop"]));
    const other: AccessClaims = { ...claims, aud: "https://other.example/mcp" };
    const rejected: Record<string, string> = {
      forged,
      expired: await past.seal("access", claims, 60),
      "other audience": await box.seal("access", other, 600),
      "other issuer": await box.seal("access", { ...claims, iss: "https://other.example" }, 600),
      "other key": await foreign.seal("access", claims, 600),
      "a refresh token": alice.refresh_token,
      "a session id": await box.seal("session" as "access", claims, 600),
    };
    for (const [what, token] of Object.entries(rejected)) {
      assert.equal(await status(token), 401, what);
    }
    // A 2025 MCP session belongs to the person who opened it.
    const session = await h.connect(alice.access_token);
    const sessionId = (session.transport as { sessionId?: string }).sessionId!;
    const hijack = await fetch(resource, {
      method: "POST",
      headers: {
        Authorization: `Bearer ${bob.access_token}`,
        "Mcp-Session-Id": sessionId,
        "Content-Type": "application/json",
        Accept: MCP_ACCEPT,
        "Mcp-Protocol-Version": "2025-06-18",
      },
      body: JSON.stringify({ jsonrpc: "2.0", id: 9, method: "tools/list" }),
    });
    await hijack.body?.cancel();
    assert.equal(hijack.status, 403);
    await session.close();
  } finally {
    await close();
  }
});

Deno.test("oauth refusals: the sign-in form's CSRF check, registrations, and clean logs", async () => {
  const { h, issuer, resource, close } = await startOAuthHarness();
  try {
    const clientId = await register(issuer, [REDIRECT]);
    const { challenge } = await pkce();
    const url = authorizeUrl(issuer, { clientId, redirectUri: REDIRECT, challenge, resource });
    const browser = new FetchBrowser();
    const page = await browser.open(url);
    const fields = { req: page.req, csrf: page.csrf, username: "alice", password: "alice123" };
    const noCookie = await new FetchBrowser().post(issuer, fields);
    assert.equal(noCookie.status, 403, "a form posted without the browser's cookie");
    await noCookie.body?.cancel();
    const second = await browser.open(url);
    const mixed = await browser.post(issuer, { ...fields, csrf: second.csrf });
    await mixed.body?.cancel();
    assert.equal(mixed.status, 403, "a CSRF token bound to another pending request");
    const crossSite = await browser.post(issuer, fields, "https://evil.example");
    await crossSite.body?.cancel();
    assert.equal(crossSite.status, 403, "a form posted from another site");
    const ok = await browser.post(issuer, fields);
    await ok.body?.cancel();
    assert.equal(ok.status, 303);
    const registrations: Array<[unknown, string]> = [
      [{ client_name: "x" }, "invalid_redirect_uri"],
      [{ redirect_uris: ["http://evil.example/cb"] }, "invalid_redirect_uri"],
      [{ redirect_uris: ["javascript:alert(1)"] }, "invalid_redirect_uri"],
      [{ redirect_uris: ["https://app.example/cb#x"] }, "invalid_redirect_uri"],
      [
        { redirect_uris: [REDIRECT], token_endpoint_auth_method: "client_secret_basic" },
        "invalid_client_metadata",
      ],
      [{ redirect_uris: [REDIRECT], grant_types: ["password"] }, "invalid_client_metadata"],
    ];
    for (const [body, error] of registrations) {
      const response = await fetch(`${issuer}/register`, {
        method: "POST",
        headers: { "Content-Type": "application/json" },
        body: JSON.stringify(body),
      });
      assert.equal(response.status, 400, JSON.stringify(body));
      assert.equal(await errorOf(response), error);
    }
    // Custom app schemes (Cursor, VS Code) register; an older SDK's registration without
    // grant_types still gets refresh tokens.
    const custom = await register(issuer, ["cursor://anysphere.cursor-mcp/oauth/callback"]);
    assert.ok(custom);
    const tokens = await signInTokens(issuer, "bob", "bob123");
    assert.ok(tokens.refresh_token);
    const taiga = (await new TokenBox(new Sealer([TEST_KEY])).open("access", tokens.access_token))!
      .tg.a!;
    const secrets = [
      "alice123",
      "bob123",
      TEST_KEY,
      tokens.access_token,
      tokens.refresh_token,
      taiga,
      page.req,
      page.csrf,
    ];
    const log = h.logLines.join("\n");
    assert.ok(h.logLines.length > 10, "the log was written (DEBUG)");
    for (const secret of secrets) {
      assert.ok(!log.includes(secret), `the log holds a secret (${secret.slice(0, 6)}…)`);
    }
    assert.ok(log.includes("OAuth: bob signed in"));
  } finally {
    await close();
  }
});
