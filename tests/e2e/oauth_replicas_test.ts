/**
 * Two server processes with `--auth oauth` behind a round-robin balancer, sharing only the key:
 * one person's registration, sign-in page, form, code exchange, tool calls and refreshes land
 * on alternating replicas and all work, because everything a replica needs is in the tokens the
 * other issued (or in Taiga). Their logs hold no password, token, code or key.
 */

import assert from "node:assert/strict";
import { startTestSandbox } from "../../sandbox/testing.ts";
import { connectModernClient } from "../helpers/http_harness.ts";
import { startHttpProcess } from "../helpers/http_process.ts";
import { authorizeUrl, FetchBrowser, freePort, pkce, postForm, register } from "../oauth/driver.ts";

const KEY = "replica-oauth-key-0123456789abcdefghijklmnop";
const REDIRECT = "http://127.0.0.1:9/callback";

Deno.test("oauth: two replicas sharing only the key serve one person's alternating requests", async () => {
  const sandbox = await startTestSandbox();
  const port = freePort();
  const issuer = `http://127.0.0.1:${port}`;
  const env = {
    TAIGA_API_URL: sandbox.apiUrl,
    MCP_AUTH: "oauth",
    MCP_PUBLIC_URL: issuer,
    MCP_OAUTH_KEY: KEY,
    LOG_LEVEL: "DEBUG",
  };
  const replicas = await Promise.all([startHttpProcess(env), startHttpProcess(env)]);
  const hits = [0, 0];
  let turn = 0;
  const balancer = Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, (req) => {
    const which = turn++ % 2;
    hits[which]++;
    const url = new URL(req.url);
    const target = new URL(url.pathname + url.search, replicas[which].mcpUrl);
    const headers = new Headers(req.headers);
    headers.delete("host");
    return fetch(target, {
      method: req.method,
      headers,
      body: req.body,
      redirect: "manual",
    });
  });
  try {
    const clientId = await register(issuer, [REDIRECT], "Replica client");
    const { verifier, challenge } = await pkce();
    const resource = `${issuer}/mcp`;
    // GET on one replica, POST (with its CSRF cookie) on the other.
    const back = await new FetchBrowser().signIn(
      authorizeUrl(issuer, { clientId, redirectUri: REDIRECT, challenge, resource }),
      "alice",
      "alice123",
    );
    const code = back.searchParams.get("code")!;
    assert.equal(back.searchParams.get("iss"), issuer);
    const exchanged = await postForm(`${issuer}/token`, {
      grant_type: "authorization_code",
      code,
      code_verifier: verifier,
      redirect_uri: REDIRECT,
      client_id: clientId,
      resource,
    });
    assert.equal(exchanged.status, 200);
    let tokens = await exchanged.json();
    // A replayed code fails on either replica (Taiga spent the refresh token inside).
    for (let i = 0; i < 2; i++) {
      const replay = await postForm(`${issuer}/token`, {
        grant_type: "authorization_code",
        code,
        code_verifier: verifier,
        redirect_uri: REDIRECT,
        client_id: clientId,
      });
      assert.equal((await replay.json()).error, "invalid_grant", `replay ${i}`);
    }
    const secrets: string[] = ["alice123", KEY, code];
    for (let round = 0; round < 3; round++) {
      const client = await connectModernClient(new URL(resource), {
        Authorization: `Bearer ${tokens.access_token}`,
      });
      for (let i = 0; i < 4; i++) {
        const status = await client.ok("session_status");
        assert.equal((status.user as Record<string, unknown>).username, "alice", `call ${i}`);
      }
      await client.close();
      secrets.push(tokens.access_token, tokens.refresh_token);
      const refreshed = await postForm(`${issuer}/token`, {
        grant_type: "refresh_token",
        refresh_token: tokens.refresh_token,
        client_id: clientId,
        resource,
      });
      assert.equal(refreshed.status, 200, `refresh ${round}`);
      const previous = tokens.refresh_token;
      tokens = await refreshed.json();
      const stale = await postForm(`${issuer}/token`, {
        grant_type: "refresh_token",
        refresh_token: previous,
        client_id: clientId,
      });
      assert.equal((await stale.json()).error, "invalid_grant", "a rotated refresh token");
    }
    assert.ok(hits[0] >= 10 && hits[1] >= 10, `requests per replica: ${hits.join(", ")}`);
    for (const [index, replica] of replicas.entries()) {
      const log = replica.stderr();
      assert.match(log, /OAuth: each person signs in/, `replica ${index} logged`);
      for (const secret of secrets) {
        assert.ok(
          !log.includes(secret),
          `replica ${index} logged a secret (${secret.slice(0, 6)}…)`,
        );
      }
    }
  } finally {
    await balancer.shutdown();
    await Promise.all(replicas.map((replica) => replica.close()));
    await sandbox.close();
  }
});
