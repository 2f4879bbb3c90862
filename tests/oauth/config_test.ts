/**
 * The settings and rules of `--auth oauth`: the public URL is an origin (the issuer), a key and
 * the public URL are required, https unless on loopback, no MCP_HTTP_TOKEN beside it, Taiga's
 * Application sign-in needs both its settings, and HTTP only.
 */

import assert from "node:assert/strict";
import type { CliArgs } from "../../src/cli/args.ts";
import { loadConfig } from "../../src/config/load.ts";
import { ConfigError } from "../../src/config/parse.ts";
import { assertOAuthReady } from "../../src/config/rules.ts";

const FLAGS: CliArgs = {
  command: "serve",
  sandbox: false,
  version: false,
  help: false,
  readOnly: false,
  transport: "http",
};
const KEY = "k".repeat(40);
const BASE = { HOME: "/home/ana", MCP_AUTH: "oauth", MCP_OAUTH_KEY: KEY };

function load(vars: Record<string, string>, flags: Partial<CliArgs> = {}) {
  const env = { ...BASE, ...vars } as Record<string, string>;
  return loadConfig({ ...FLAGS, ...flags }, (name) => env[name], undefined, "linux");
}

function refused(vars: Record<string, string>, variable: string, flags: Partial<CliArgs> = {}) {
  try {
    load(vars, flags);
  } catch (error) {
    assert.ok(error instanceof ConfigError, String(error));
    assert.equal(error.variable, variable, error.message);
    assert.ok(!error.message.includes(KEY), "the key is never echoed");
    return error.message;
  }
  assert.fail(`no ConfigError for ${JSON.stringify(vars)}`);
}

Deno.test("oauth settings: parsed, the public URL normalised to an origin", () => {
  const config = load({ MCP_PUBLIC_URL: "https://MCP.Example.com:443/", MCP_HOST: "0.0.0.0" });
  assert.equal(config.http.auth, "oauth");
  assert.equal(config.http.publicUrl, "https://mcp.example.com");
  assert.equal(config.http.oauthAccessTtlSeconds, 900);
  assert.equal(config.http.oauthCimdAllowPrivate, false);
  assert.equal(config.http.host, "0.0.0.0", "any bind: every person signs in");
  const flagged = load({ MCP_AUTH: "", MCP_PUBLIC_URL: "http://127.0.0.1:8000" }, {
    auth: "oauth",
  } as Partial<CliArgs>);
  assert.equal(flagged.http.auth, "oauth", "--auth oauth");
  const app = load({
    MCP_PUBLIC_URL: "https://mcp.example.com",
    MCP_OAUTH_TAIGA_APP_ID: "5f1c",
    MCP_OAUTH_TAIGA_FRONT_URL: "https://taiga.example.com/",
    MCP_OAUTH_ACCESS_TTL: "300",
  });
  assert.equal(app.http.oauthTaigaFrontUrl, "https://taiga.example.com");
  assert.equal(app.http.oauthAccessTtlSeconds, 300);
});

Deno.test("oauth rules: what --auth oauth needs, each refusal naming its setting", () => {
  refused({ MCP_PUBLIC_URL: "https://mcp.example.com/team" }, "MCP_PUBLIC_URL");
  refused({ MCP_PUBLIC_URL: "ftp://mcp.example.com" }, "MCP_PUBLIC_URL");
  refused({ MCP_PUBLIC_URL: "https://mcp.example.com?x=1" }, "MCP_PUBLIC_URL");
  refused({}, "MCP_PUBLIC_URL");
  assert.match(refused({ MCP_PUBLIC_URL: "http://mcp.example.com" }, "MCP_PUBLIC_URL"), /https/);
  refused({ MCP_PUBLIC_URL: "https://mcp.example.com", MCP_OAUTH_KEY: "" }, "MCP_OAUTH_KEY");
  refused(
    { MCP_PUBLIC_URL: "https://mcp.example.com", MCP_HTTP_TOKEN: "t".repeat(32) },
    "MCP_HTTP_TOKEN",
  );
  refused(
    { MCP_PUBLIC_URL: "https://mcp.example.com", MCP_OAUTH_TAIGA_APP_ID: "5f1c" },
    "MCP_OAUTH_TAIGA_FRONT_URL",
  );
  refused({ MCP_PUBLIC_URL: "https://mcp.example.com", MCP_AUTH: "saml" }, "MCP_AUTH");
  assert.throws(
    () =>
      assertOAuthReady("stdio", {
        host: "127.0.0.1",
        auth: "oauth",
        publicUrl: "https://mcp.example.com",
        sealKeys: [KEY],
      }),
    (error) => error instanceof ConfigError && error.variable === "MCP_AUTH",
    "over stdio there is nobody to sign in",
  );
  // Loading refuses it too, before anything starts; a one-off command (login) is not serving.
  refused({ MCP_PUBLIC_URL: "https://mcp.example.com" }, "MCP_AUTH", { transport: "stdio" });
  load({ MCP_PUBLIC_URL: "https://mcp.example.com" }, { transport: "stdio", command: "login" });
  // Without OAuth the old rule stands: a public bind needs MCP_HTTP_TOKEN.
  refused({ MCP_AUTH: "none", MCP_HOST: "0.0.0.0" }, "MCP_HTTP_TOKEN");
});
