/**
 * Client ID Metadata Documents: fetched with SSRF care (https, public addresses only unless
 * allowed, no redirects, 5 KB, a JSON object whose client_id is its own URL), kept briefly and
 * never when they fail — and a CIMD client signing in end to end through the routes.
 */

import assert from "node:assert/strict";
import { DocumentFetcher } from "../../src/oauth/cimd.ts";
import { OAuthError } from "../../src/oauth/errors.ts";
import { createOAuthRoutes } from "../../src/transports/oauth_routes.ts";
import { authorizeUrl, formFields, pkce } from "./driver.ts";
import { startOAuthHarness } from "./harness.ts";

const ID = "https://client.example/oauth/metadata.json";
const DOC = {
  client_id: ID,
  client_name: "Example Client",
  redirect_uris: ["http://127.0.0.1/cb"],
};

function serving(body: unknown, init: ResponseInit = {}, calls: string[] = []): typeof fetch {
  return (input) => {
    calls.push(String(input));
    const text = typeof body === "string" ? body : JSON.stringify(body);
    return Promise.resolve(
      new Response(text, { headers: { "Content-Type": "application/json" }, ...init }),
    );
  };
}

const PUBLIC = () => Promise.resolve(["93.184.216.34"]);

async function refusal(fetcher: DocumentFetcher, id = ID): Promise<string> {
  try {
    await fetcher.get(id);
  } catch (error) {
    assert.ok(error instanceof OAuthError);
    assert.equal(error.code, "invalid_client");
    return error.message;
  }
  throw new Error("no refusal");
}

Deno.test("cimd: a good document, kept briefly; refusals never kept", async () => {
  const calls: string[] = [];
  let now = 0;
  const fetcher = new DocumentFetcher({
    fetch: serving(DOC, {}, calls),
    resolve: PUBLIC,
    now: () => now,
  });
  const info = await fetcher.get(ID);
  assert.equal(info.name, "Example Client");
  assert.deepEqual(info.redirectUris, ["http://127.0.0.1/cb"]);
  await fetcher.get(ID);
  assert.equal(calls.length, 1, "kept (at least a minute)");
  now += 301_000;
  await fetcher.get(ID);
  assert.equal(calls.length, 2, "kept five minutes at most");
  const failing: string[] = [];
  const broken = new DocumentFetcher({ fetch: serving("nope", {}, failing), resolve: PUBLIC });
  await refusal(broken);
  await refusal(broken);
  assert.equal(failing.length, 2, "a failure is not kept");
});

Deno.test("cimd: the URL, the address, the answer and the document are checked", async () => {
  const good = { fetch: serving(DOC), resolve: PUBLIC };
  for (
    const id of [
      "http://client.example/m.json",
      "https://client.example/",
      "https://client.example/a/../m.json",
      "https://u:p@client.example/m.json",
      "https://client.example/m.json?x=1",
      "https://CLIENT.example/m.json",
    ]
  ) {
    assert.match(await refusal(new DocumentFetcher(good), id), /URL/, id);
  }
  const privateDns = new DocumentFetcher({
    fetch: serving(DOC),
    resolve: () => Promise.resolve(["10.0.0.7"]),
  });
  assert.match(await refusal(privateDns), /private/);
  const mixed = new DocumentFetcher({
    fetch: serving(DOC),
    resolve: () => Promise.resolve(["93.184.216.34", "127.0.0.1"]),
  });
  assert.match(await refusal(mixed), /private/, "every address must be public");
  const literal = "https://169.254.169.254/latest/meta-data.json";
  assert.match(await refusal(new DocumentFetcher(good), literal), /private/);
  const allowed = new DocumentFetcher({
    fetch: serving({ ...DOC, client_id: literal }),
    resolve: PUBLIC,
    allowPrivate: true,
  });
  assert.equal(
    (await allowed.get(literal)).name,
    "Example Client",
    "the operator may allow it (tests)",
  );
  const answers: Array<[typeof fetch, RegExp]> = [
    [
      serving(DOC, { status: 302, headers: { Location: "https://elsewhere.example/m.json" } }),
      /302/,
    ],
    [serving(DOC, { headers: { "Content-Type": "text/html" } }), /text\/html/],
    [serving({ ...DOC, padding: "x".repeat(6000) }), /larger than 5120/],
    [serving("[1,2]"), /JSON object/],
    [serving({ ...DOC, client_id: "https://other.example/m.json" }), /client_id other/],
    [serving({ ...DOC, redirect_uris: [] }), /redirect_uris/],
    [serving({ ...DOC, redirect_uris: ["http://evil.example/cb"] }), /redirect URI/],
    [serving({ ...DOC, client_name: undefined }), /client_name/],
    [serving({ ...DOC, token_endpoint_auth_method: "client_secret_post" }), /public clients/],
    [serving({ ...DOC, client_secret: "s" }), /client_secret/],
    [() => Promise.reject(new TypeError("connection refused")), /could not be fetched/],
  ];
  for (const [fetch, pattern] of answers) {
    assert.match(await refusal(new DocumentFetcher({ fetch, resolve: PUBLIC })), pattern);
  }
});

Deno.test("cimd: a metadata-document client signs in end to end", async () => {
  const { h, issuer, resource, close } = await startOAuthHarness();
  try {
    const routes = createOAuthRoutes(h.app.deps, {
      documents: { fetch: serving(DOC), resolve: PUBLIC },
    });
    const fail = () => Promise.reject(new Error("not MCP"));
    const { verifier, challenge } = await pkce();
    const url = authorizeUrl(issuer, {
      clientId: ID,
      redirectUri: "http://127.0.0.1:47000/cb",
      challenge,
      resource,
    });
    const page = await routes.serve(new Request(url), "/authorize", fail);
    assert.equal(page.status, 200);
    const html = await page.text();
    assert.match(html, /Example Client/);
    assert.match(html, /client\.example/, "the document's host is shown");
    const nonce = /tmcp_csrf=([^;]+)/.exec(page.headers.get("set-cookie")!)![1];
    const { req, csrf } = formFields(html);
    const signIn = await routes.serve(
      new Request(`${issuer}/authorize`, {
        method: "POST",
        headers: {
          "Content-Type": "application/x-www-form-urlencoded",
          Cookie: `tmcp_csrf=${nonce}`,
        },
        body: new URLSearchParams({ req, csrf, username: "alice", password: "alice123" }),
      }),
      "/authorize",
      fail,
    );
    assert.equal(signIn.status, 303);
    const back = new URL(signIn.headers.get("location")!);
    assert.equal(back.port, "47000");
    const token = await routes.serve(
      new Request(`${issuer}/token`, {
        method: "POST",
        headers: { "Content-Type": "application/x-www-form-urlencoded" },
        body: new URLSearchParams({
          grant_type: "authorization_code",
          code: back.searchParams.get("code")!,
          code_verifier: verifier,
          client_id: ID,
          redirect_uri: "http://127.0.0.1:47000/cb",
        }),
      }),
      "/token",
      fail,
    );
    assert.equal(token.status, 200);
    const access = (await token.json()).access_token;
    const verified = await routes.server.access.verify(access);
    assert.equal(verified?.user.username, "alice");
    assert.equal(verified?.clientId, ID);
  } finally {
    await close();
  }
});
