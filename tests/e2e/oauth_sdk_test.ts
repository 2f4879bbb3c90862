/**
 * The official SDK clients' OAuth providers against `--auth oauth` on the sandbox Taiga, end to
 * end: discovery from the 401, dynamic registration (v2 and v1), the sign-in form, the code
 * with PKCE and `iss`, tools acting as the person — and, with short access tokens, the client
 * refreshing on its own when the server answers 401 (refresh tokens rotate).
 */

import assert from "node:assert/strict";
import {
  Client as V2Client,
  type OAuthClientProvider as V2Provider,
  StreamableHTTPClientTransport as V2Transport,
  UnauthorizedError,
} from "@modelcontextprotocol/client";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client as V1Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/client/streamableHttp"
import { StreamableHTTPClientTransport as V1Transport } from "@modelcontextprotocol/sdk/client/streamableHttp.js";
// @ts-types="@modelcontextprotocol/sdk/client/auth"
import type { OAuthClientProvider as V1Provider } from "@modelcontextprotocol/sdk/client/auth.js";
import { toolCaller } from "../helpers/tool_calls.ts";
import { FetchBrowser } from "../oauth/driver.ts";
import { startOAuthHarness } from "../oauth/harness.ts";

const REDIRECT = "http://127.0.0.1:9/callback";

/** A provider that keeps everything in memory and signs in through the form like a browser. */
class TestProvider {
  information?: Record<string, unknown>;
  stored?: { access_token: string; refresh_token?: string };
  verifier?: string;
  discovery?: unknown;
  callback?: URL;
  readonly sentState = crypto.randomUUID();
  constructor(readonly username: string, readonly password: string, readonly name: string) {}
  get redirectUrl() {
    return REDIRECT;
  }
  get clientMetadata() {
    return { client_name: this.name, redirect_uris: [REDIRECT] };
  }
  clientInformation() {
    return this.information;
  }
  saveClientInformation(info: Record<string, unknown>) {
    this.information = info;
  }
  tokens() {
    return this.stored;
  }
  saveTokens(tokens: { access_token: string; refresh_token?: string }) {
    this.stored = tokens;
  }
  saveCodeVerifier(verifier: string) {
    this.verifier = verifier;
  }
  codeVerifier() {
    return this.verifier!;
  }
  saveDiscoveryState(state: unknown) {
    this.discovery = state;
  }
  discoveryState() {
    return this.discovery;
  }
  state() {
    return this.sentState;
  }
  async redirectToAuthorization(url: URL) {
    this.callback = await new FetchBrowser().signIn(url, this.username, this.password);
  }
}

function whoAmI(result: Record<string, unknown>): string {
  return (result.user as Record<string, unknown>).username as string;
}

Deno.test("oauth + SDK v2: discovery, registration, sign-in, tools as the person, auto-refresh", async () => {
  const { issuer, resource, close } = await startOAuthHarness({ MCP_OAUTH_ACCESS_TTL: "2" });
  const provider = new TestProvider("alice", "alice123", "SDK v2 test");
  const authProvider = provider as unknown as V2Provider;
  try {
    const first = new V2Client({ name: "oauth-v2", version: "1" });
    await assert.rejects(
      () => first.connect(new V2Transport(new URL(resource), { authProvider })),
      UnauthorizedError,
    );
    const callback = provider.callback!;
    assert.equal(callback.searchParams.get("state"), provider.sentState);
    assert.equal(callback.searchParams.get("iss"), issuer);
    const transport = new V2Transport(new URL(resource), { authProvider });
    await transport.finishAuth(callback.searchParams);
    const client = new V2Client({ name: "oauth-v2", version: "1" });
    await client.connect(new V2Transport(new URL(resource), { authProvider }));
    const tools = toolCaller(client as unknown as Parameters<typeof toolCaller>[0]);
    assert.equal(whoAmI(await tools.ok("session_status")), "alice");
    const before = provider.stored!.refresh_token;
    await new Promise((resolve) => setTimeout(resolve, 2500));
    // The access token expired: 401, the SDK refreshes by itself and retries.
    assert.equal(whoAmI(await tools.ok("session_status")), "alice");
    assert.notEqual(provider.stored!.refresh_token, before, "the refresh token rotated");
    await client.close();
  } finally {
    await close();
  }
});

Deno.test("oauth + SDK v1: registration without grant_types still gets refresh tokens", async () => {
  const { resource, close } = await startOAuthHarness();
  const provider = new TestProvider("bob", "bob123", "SDK v1 test");
  const authProvider = provider as unknown as V1Provider;
  try {
    const first = new V1Client({ name: "oauth-v1", version: "1" });
    await assert.rejects(() => first.connect(new V1Transport(new URL(resource), { authProvider })));
    const transport = new V1Transport(new URL(resource), { authProvider });
    await transport.finishAuth(provider.callback!.searchParams.get("code")!);
    assert.ok(provider.stored?.refresh_token, "a refresh token, whatever grant_types said");
    const client = new V1Client({ name: "oauth-v1", version: "1" });
    await client.connect(new V1Transport(new URL(resource), { authProvider }));
    const tools = toolCaller(client);
    assert.equal(whoAmI(await tools.ok("session_status")), "bob");
    const mine = await tools.ok("list_user_stories", { project: "demo-demo-project" });
    assert.ok((mine.total as number) >= 1);
    await client.close();
  } finally {
    await close();
  }
});
