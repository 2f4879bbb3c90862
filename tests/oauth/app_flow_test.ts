/**
 * Sign-in through a Taiga Application (MCP_OAUTH_TAIGA_APP_ID + MCP_OAUTH_TAIGA_FRONT_URL): the
 * page offers "Continue on Taiga", Taiga's front end sends the browser back with an auth_code
 * (and no state: a cookie ties it to the request), the code exchange redeems it once at
 * `/application-tokens/validate`, and the person's tools use the application token. A stand-in
 * plays only Taiga's front end (alice signed in, authorizing the Application with the sandbox's
 * real `/application-tokens/authorize`); every API call, validate and revoke included, is the
 * sandbox's, as taiga-back 6.10 answers them.
 */

import assert from "node:assert/strict";
import { SANDBOX_APPLICATION_ID, startTestSandbox } from "../../sandbox/testing.ts";
import { createApp } from "../../src/app.ts";
import { parseCli } from "../../src/cli/args.ts";
import { loadConfig } from "../../src/config/load.ts";
import { startHttpServer } from "../../src/transports/http.ts";
import { connectModernClient } from "../helpers/http_harness.ts";
import { recordingLogger } from "../helpers/tool_calls.ts";
import { authorizeUrl, FetchBrowser, freePort, pkce, postForm, register } from "./driver.ts";
import { TEST_KEY } from "./harness.ts";

const APP = SANDBOX_APPLICATION_ID;
const REDIRECT = "http://127.0.0.1:9/callback";

Deno.test("oauth: sign-in through a Taiga Application, redeemed once, revoked in Taiga", async () => {
  const sandbox = await startTestSandbox();
  const taigaPort = freePort();
  const taiga = `http://127.0.0.1:${taigaPort}`;
  const port = freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const api = `${sandbox.apiUrl}`;
  const alice = await (await fetch(`${api}/auth`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ type: "normal", username: "alice", password: "alice123" }),
  })).json();
  const asAlice = {
    Authorization: `Bearer ${alice.auth_token}`,
    "Content-Type": "application/json",
  };
  const fake = Deno.serve(
    { hostname: "127.0.0.1", port: taigaPort, onListen: () => {} },
    async (req) => {
      const url = new URL(req.url);
      if (url.pathname === "/external-apps") {
        // taiga-front's page: alice is signed in and authorizes the app, then goes back.
        assert.equal(url.searchParams.get("application"), APP);
        const authorized = await fetch(`${api}/application-tokens/authorize`, {
          method: "POST",
          headers: asAlice,
          body: JSON.stringify({ application: APP, state: url.searchParams.get("state") }),
        });
        assert.equal(authorized.status, 200);
        const { auth_code } = await authorized.json();
        return Response.redirect(`${issuer}/oauth/taiga/callback?auth_code=${auth_code}`, 302);
      }
      return fetch(`${sandbox.origin}${url.pathname}${url.search}`, {
        method: req.method,
        headers: req.headers,
        body: req.body,
      });
    },
  );
  const cacheDir = await Deno.makeTempDir({ prefix: "taiga-mcp-app-flow-" });
  const env: Record<string, string> = {
    TAIGA_API_URL: taiga,
    TAIGA_CACHE_DIR: cacheDir,
    MCP_AUTH: "oauth",
    MCP_PUBLIC_URL: issuer,
    MCP_OAUTH_KEY: TEST_KEY,
    MCP_PORT: String(port),
    MCP_OAUTH_TAIGA_APP_ID: APP,
    MCP_OAUTH_TAIGA_FRONT_URL: taiga,
    LOG_LEVEL: "DEBUG",
  };
  const config = loadConfig(parseCli(["--transport", "http"]), (name) => env[name]);
  const { log, lines } = recordingLogger("DEBUG");
  const app = await createApp(config, { logger: log });
  const server = await startHttpServer(app.deps, app.catalog);
  try {
    const clientId = await register(issuer, [REDIRECT], "App-flow client");
    const { verifier, challenge } = await pkce();
    const resource = `${issuer}/mcp`;
    const browser = new FetchBrowser();
    const page = await browser.open(
      authorizeUrl(issuer, { clientId, redirectUri: REDIRECT, challenge, resource }),
    );
    assert.match(page.html, /Continue on Taiga/);
    const handOver = await browser.post(issuer, {
      req: page.req,
      csrf: page.csrf,
      action: "taiga",
    });
    assert.equal(handOver.status, 303);
    const atTaiga = new URL(handOver.headers.get("location")!);
    assert.equal(atTaiga.origin + atTaiga.pathname, `${taiga}/external-apps`);
    const fromTaiga = await browser.fetch(atTaiga);
    const callback = fromTaiga.headers.get("location")!;
    assert.ok(callback.startsWith(`${issuer}/oauth/taiga/callback?auth_code=`));
    // Without the pending cookie (another browser), the callback cannot go on.
    const stranger = await fetch(callback, { redirect: "manual" });
    assert.equal(stranger.status, 400);
    await stranger.body?.cancel();
    const toClient = await browser.fetch(callback);
    assert.equal(toClient.status, 302);
    const back = new URL(toClient.headers.get("location")!);
    assert.equal(back.searchParams.get("iss"), issuer);
    assert.equal(back.searchParams.get("state"), "state-123");
    const code = back.searchParams.get("code")!;
    const exchange = () =>
      postForm(`${issuer}/token`, {
        grant_type: "authorization_code",
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT,
        client_id: clientId,
      });
    const first = await exchange();
    assert.equal(first.status, 200);
    const tokens = await first.json();
    const client = await connectModernClient(new URL(resource), {
      Authorization: `Bearer ${tokens.access_token}`,
    });
    const status = await client.ok("session_status");
    assert.equal((status.user as Record<string, unknown>).username, "alice");
    assert.equal(status.token_type, "Application");
    await client.close();
    assert.equal((await (await exchange()).json()).error, "invalid_grant", "redeemed once");
    const refresh = () =>
      postForm(`${issuer}/token`, {
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token,
        client_id: clientId,
      });
    const renewed = await refresh();
    assert.equal(renewed.status, 200, "Taiga still knows the application token");
    await renewed.body?.cancel();
    // Deleting the application token in Taiga ends every refresh (and every call).
    const rows = await (await fetch(`${api}/application-tokens`, { headers: asAlice })).json();
    assert.equal(rows.length, 1);
    const issued = [...sandbox.state.applicationTokens.values()].map((row) => row.token!);
    const revoked = await fetch(`${api}/application-tokens/${rows[0].id}`, {
      method: "DELETE",
      headers: asAlice,
    });
    assert.equal(revoked.status, 204);
    assert.equal((await (await refresh()).json()).error, "invalid_grant");
    // Taiga's page not completed (no auth_code): the client hears access_denied.
    const again = await browser.open(
      authorizeUrl(issuer, { clientId, redirectUri: REDIRECT, challenge, resource }),
    );
    await (await browser.post(issuer, { req: again.req, csrf: again.csrf, action: "taiga" })).body
      ?.cancel();
    const denied = await browser.fetch(`${issuer}/oauth/taiga/callback`);
    assert.equal(
      new URL(denied.headers.get("location")!).searchParams.get("error"),
      "access_denied",
    );
    const logged = lines.join("\n");
    for (const secret of [issued[0], code, tokens.access_token, tokens.refresh_token, TEST_KEY]) {
      assert.ok(!logged.includes(secret), "no credential in the log");
    }
  } finally {
    await server.close();
    await app.close();
    await fake.shutdown();
    await sandbox.close();
    await Deno.remove(cacheDir, { recursive: true });
  }
});
