import assert from "node:assert/strict";
import type { CliArgs } from "../src/cli/args.ts";
import { loadConfig, normaliseApiUrl } from "../src/config/load.ts";
import { ConfigError } from "../src/config/parse.ts";

const NO_FLAGS: CliArgs = {
  command: "serve",
  sandbox: false,
  version: false,
  help: false,
  readOnly: false,
};
const HOME_ONLY = { HOME: "/home/ana" };

function envOf(vars: Record<string, string>): (name: string) => string | undefined {
  return (name) => vars[name];
}

function load(
  vars: Record<string, string>,
  flags: Partial<CliArgs> = {},
  dotEnv?: string,
) {
  return loadConfig({ ...NO_FLAGS, ...flags }, envOf({ ...HOME_ONLY, ...vars }), dotEnv, "linux");
}

function configError(fn: () => unknown): ConfigError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    assert.ok(!error.message.includes("\n"), "ConfigError message must be one line");
    return error;
  }
  assert.fail("expected a ConfigError");
}

Deno.test("loadConfig: every default", () => {
  const config = load({});
  assert.deepEqual(config, {
    apiUrl: "http://localhost:9000/api/v1",
    host: "http://localhost:9000",
    authToken: undefined,
    tokenType: "Bearer",
    sessionExpirySeconds: 28800,
    transport: "stdio",
    requestTimeoutSeconds: 30,
    maxConnections: 10,
    maxKeepaliveConnections: 5,
    rateLimitPerMinute: 100,
    logLevel: "INFO",
    logFile: undefined,
    sandbox: false,
    toolsets: ["default"],
    readOnly: false,
    cacheDir: "/home/ana/.cache/taiga-mcp",
    http: {
      host: "127.0.0.1",
      port: 8000,
      token: undefined,
      allowedHosts: [],
      allowedOrigins: [],
      maxBodyBytes: 1048576,
      sessionIdleSeconds: 1800,
      sealKeys: [],
      allowedTaigaHosts: [],
      auth: "none",
      publicUrl: undefined,
      oauthAccessTtlSeconds: 900,
      oauthTaigaAppId: undefined,
      oauthTaigaFrontUrl: undefined,
      oauthCimdAllowPrivate: false,
    },
  });
});

Deno.test("normaliseApiUrl: accepts the usual spellings", () => {
  const cases: Array<[string, string]> = [
    ["https://api.taiga.io", "https://api.taiga.io"],
    ["https://api.taiga.io/", "https://api.taiga.io"],
    ["  https://api.taiga.io/api/v1/  ", "https://api.taiga.io"],
    ["https://api.taiga.io/api/v1", "https://api.taiga.io"],
    ["HTTPS://API.Taiga.IO/api", "https://api.taiga.io"],
    ["http://localhost:9000//", "http://localhost:9000"],
    ["https://example.org:443/taiga/api/v1///", "https://example.org/taiga"],
    ["http://[::1]:8000/API/V1", "http://[::1]:8000"],
  ];
  for (const [input, host] of cases) {
    assert.deepEqual(normaliseApiUrl(input), { host, apiUrl: `${host}/api/v1` }, input);
  }
});

Deno.test("normaliseApiUrl: rejects what is not an http(s) base URL", () => {
  const noScheme = configError(() => normaliseApiUrl("api.taiga.io"));
  assert.equal(noScheme.variable, "TAIGA_API_URL");
  assert.match(noScheme.message, /e\.g\. https:\/\/api\.taiga\.io/);
  assert.match(configError(() => normaliseApiUrl("ftp://x.org")).message, /http:\/\/ or https/);
  assert.match(configError(() => normaliseApiUrl("localhost:9000")).message, /http:\/\/ or https/);
  assert.match(configError(() => normaliseApiUrl("")).message, /Invalid TAIGA_API_URL ""/);
  assert.match(configError(() => normaliseApiUrl("https://x.org/?a=1")).message, /query/);
  const creds = configError(() => normaliseApiUrl("https://ana:hunter2secret@x.org"));
  assert.ok(!creds.message.includes("hunter2secret"), creds.message);
  assert.equal(configError(() => normaliseApiUrl("nope", "--api-url")).variable, "--api-url");
});

Deno.test("loadConfig: flags beat env, env beats .env, .env beats defaults", () => {
  const dotEnv = "TAIGA_API_URL=https://dotenv.example\nMCP_PORT=7000\nTAIGA_TRANSPORT=http\n";
  assert.equal(load({}, {}, dotEnv).host, "https://dotenv.example");
  assert.equal(load({}, {}, dotEnv).http.port, 7000);
  const fromEnv = load(
    { TAIGA_API_URL: "https://env.example/api/v1/", MCP_PORT: "7100" },
    {},
    dotEnv,
  );
  assert.equal(fromEnv.apiUrl, "https://env.example/api/v1");
  assert.equal(fromEnv.http.port, 7100);
  const fromFlags = load(
    { TAIGA_API_URL: "https://env.example", MCP_PORT: "7100", TAIGA_TRANSPORT: "stdio" },
    { apiUrl: "https://flag.example", port: "7200", transport: "sse" },
    dotEnv,
  );
  assert.equal(fromFlags.host, "https://flag.example");
  assert.equal(fromFlags.http.port, 7200);
  assert.equal(fromFlags.transport, "http");
  // A blank variable counts as unset and falls through to .env.
  assert.equal(load({ TAIGA_API_URL: "  " }, {}, dotEnv).host, "https://dotenv.example");
});

Deno.test("loadConfig: FASTMCP_HOST/FASTMCP_PORT are aliases, MCP_* win", () => {
  const alias = load({ FASTMCP_HOST: "0.0.0.0", FASTMCP_PORT: "9100" });
  assert.equal(alias.http.host, "0.0.0.0");
  assert.equal(alias.http.port, 9100);
  const both = load({ FASTMCP_PORT: "9100", MCP_PORT: "9200", MCP_HOST: "[::1]" });
  assert.equal(both.http.port, 9200);
  assert.equal(both.http.host, "::1");
  assert.equal(load({ MCP_PORT: "0" }).http.port, 0);
  assert.equal(configError(() => load({ MCP_HOST: "http://x" })).variable, "MCP_HOST");
});

Deno.test("loadConfig: invalid numbers name the variable or flag", () => {
  const timeout = configError(() => load({ REQUEST_TIMEOUT: "abc" }));
  assert.equal(timeout.variable, "REQUEST_TIMEOUT");
  assert.equal(
    timeout.message,
    'Invalid REQUEST_TIMEOUT "abc": must be a positive number of seconds',
  );
  assert.equal(load({ REQUEST_TIMEOUT: "2.5" }).requestTimeoutSeconds, 2.5);
  assert.equal(load({ REQUEST_TIMEOUT: ".5" }).requestTimeoutSeconds, 0.5);
  for (const bad of ["0", "-1", "1e3", "Infinity", "NaN", "0.0"]) {
    assert.equal(
      configError(() => load({ REQUEST_TIMEOUT: bad })).variable,
      "REQUEST_TIMEOUT",
      bad,
    );
  }
  const counts = "SESSION_EXPIRY MAX_CONNECTIONS MAX_KEEPALIVE_CONNECTIONS RATE_LIMIT_REQUESTS";
  for (const name of [...counts.split(" "), "MCP_MAX_BODY_BYTES", "MCP_SESSION_IDLE_SECONDS"]) {
    for (const bad of ["0", "1.5", "-3", "ten", "99999999999999999999"]) {
      const error = configError(() => load({ [name]: bad }));
      assert.equal(error.variable, name);
      assert.match(
        error.message,
        new RegExp(`^Invalid ${name} "${bad}": must be a positive integer`),
      );
    }
  }
  assert.equal(load({ MAX_CONNECTIONS: " 25 " }).maxConnections, 25);
  assert.equal(load({ SESSION_EXPIRY: "60" }).sessionExpirySeconds, 60);
  assert.equal(configError(() => load({}, { port: "80a" })).variable, "--port");
  assert.equal(configError(() => load({ MCP_PORT: "65536" })).variable, "MCP_PORT");
});

Deno.test("loadConfig: log level, transport and token type are case-insensitive", () => {
  assert.equal(load({ LOG_LEVEL: "debug" }).logLevel, "DEBUG");
  assert.equal(load({ LOG_LEVEL: "Warn" }).logLevel, "WARNING");
  assert.equal(load({ LOG_LEVEL: "warning" }).logLevel, "WARNING");
  assert.equal(load({ LOG_LEVEL: "ERROR" }, { logLevel: "info" }).logLevel, "INFO");
  const level = configError(() => load({ LOG_LEVEL: "loud" }));
  assert.equal(
    level.message,
    'Invalid LOG_LEVEL "loud": must be one of DEBUG, INFO, WARNING, ERROR',
  );
  assert.equal(load({ TAIGA_TRANSPORT: "HTTP" }).transport, "http");
  assert.equal(load({ TAIGA_TRANSPORT: "sse" }).transport, "http");
  assert.equal(configError(() => load({}, { transport: "ws" })).variable, "--transport");
  assert.equal(load({ TAIGA_TOKEN_TYPE: "application" }).tokenType, "Application");
  assert.equal(load({ TAIGA_TOKEN_TYPE: "Application" }).tokenType, "Application");
  assert.equal(load({ TAIGA_TOKEN_TYPE: "bearer" }).tokenType, "Bearer");
  assert.equal(configError(() => load({ TAIGA_TOKEN_TYPE: "Basic" })).variable, "TAIGA_TOKEN_TYPE");
});

Deno.test("loadConfig: read-only, toolsets, sandbox", () => {
  for (const yes of ["true", "1", "TRUE", "yes"]) {
    assert.equal(load({ TAIGA_READ_ONLY: yes }).readOnly, true);
  }
  for (const no of ["false", "0", "False"]) {
    assert.equal(load({ TAIGA_READ_ONLY: no }).readOnly, false);
  }
  assert.equal(load({ TAIGA_READ_ONLY: "false" }, { readOnly: true }).readOnly, true);
  assert.equal(configError(() => load({ TAIGA_READ_ONLY: "maybe" })).variable, "TAIGA_READ_ONLY");
  assert.deepEqual(load({ TAIGA_TOOLSETS: " Projects, items,,projects " }).toolsets, [
    "projects",
    "items",
  ]);
  assert.deepEqual(load({ TAIGA_TOOLSETS: "all" }, { toolsets: "wiki" }).toolsets, ["wiki"]);
  assert.deepEqual(load({}, { toolsets: " , " }).toolsets, ["default"]);
  assert.equal(configError(() => load({ TAIGA_TOOLSETS: "a b" })).variable, "TAIGA_TOOLSETS");
  assert.equal(load({}, { sandbox: true }).sandbox, true);
});

Deno.test("loadConfig: tokens are kept, blanks ignored, and never echoed in errors", () => {
  const config = load({ TAIGA_AUTH_TOKEN: " abc.def.ghi ", MCP_HTTP_TOKEN: "s3cret-value" });
  assert.equal(config.authToken, "abc.def.ghi");
  assert.equal(config.http.token, "s3cret-value");
  assert.equal(load({ TAIGA_AUTH_TOKEN: "" }).authToken, undefined);
  const error = configError(() => load({ TAIGA_AUTH_TOKEN: "Bearer eyJsecretsecret" }));
  assert.equal(error.variable, "TAIGA_AUTH_TOKEN");
  assert.ok(!error.message.includes("eyJsecretsecret"), error.message);
  // A character no HTTP header can carry is refused at start, not on every call.
  const euro = configError(() => load({ TAIGA_AUTH_TOKEN: "eyJsecret€secret" }));
  assert.equal(euro.variable, "TAIGA_AUTH_TOKEN");
  assert.ok(!euro.message.includes("eyJsecret"), euro.message);
});

Deno.test("loadConfig: log file and cache dir", () => {
  assert.equal(load({ LOG_FILE: "taiga.log" }).logFile, "/home/ana/.cache/taiga-mcp/taiga.log");
  assert.equal(load({ LOG_FILE: "/var/log/t.log" }).logFile, "/var/log/t.log");
  assert.equal(load({ LOG_FILE: "x.log" }, { logFile: "/tmp/flag.log" }).logFile, "/tmp/flag.log");
  assert.equal(load({ TAIGA_CACHE_DIR: "/srv/cache" }).cacheDir, "/srv/cache");
  assert.equal(load({ LOG_FILE: "a.log", TAIGA_CACHE_DIR: "/srv/c" }).logFile, "/srv/c/a.log");
  assert.equal(load({}, {}, "TAIGA_CACHE_DIR=/from/dotenv").cacheDir, "/from/dotenv");
  const windows = loadConfig(
    { ...NO_FLAGS },
    envOf({ LOCALAPPDATA: "C:\\Users\\ana\\AppData\\Local", LOG_FILE: "t.log" }),
    undefined,
    "windows",
  );
  assert.equal(windows.logFile, "C:\\Users\\ana\\AppData\\Local\\taiga-mcp\\t.log");
});

Deno.test("loadConfig: a value from ./.env says so in its error", () => {
  const fromFile = configError(() => load({}, {}, "REQUEST_TIMEOUT=abc\n"));
  assert.equal(fromFile.variable, "REQUEST_TIMEOUT");
  const said = 'Invalid REQUEST_TIMEOUT in ./.env "abc": must be a positive number of seconds';
  assert.equal(fromFile.message, said);
  const url = configError(() => load({}, {}, "TAIGA_API_URL=taiga.example.com"));
  assert.match(url.message, /^Invalid TAIGA_API_URL in \.\/\.env "taiga\.example\.com": /);
  // The environment wins, and its value's error does not blame the file.
  const env = configError(() => load({ MCP_PORT: "x" }, {}, "MCP_PORT=8000"));
  assert.equal(env.message.includes(".env"), false, env.message);
});

Deno.test("loadConfig: a LOG_FILE this process may not write is refused, naming each form", () => {
  const cache = "/home/ana/.cache/taiga-mcp";
  const loadWith = (vars: Record<string, string>, flags: Partial<CliArgs> = {}, dotEnv = "") =>
    loadConfig(
      { ...NO_FLAGS, ...flags },
      envOf({ ...HOME_ONLY, ...vars }),
      dotEnv,
      "linux",
      (path) => path.startsWith(cache),
    );
  assert.equal(loadWith({ LOG_FILE: "t.log" }).logFile, `${cache}/t.log`);
  assert.equal(loadWith({}).logFile, undefined);
  const outside = configError(() => loadWith({ LOG_FILE: "/var/log/t.log" }));
  assert.equal(outside.variable, "LOG_FILE");
  assert.equal(
    outside.message,
    `Invalid LOG_FILE "/var/log/t.log": this process may not write there: \`deno task start\` and the container write only in the token-cache directory ${cache}. Give a file name alone (LOG_FILE=taiga-mcp.log) and it lands there; with \`deno run\`, add --allow-write=/var/log/t.log; the binary may write anywhere.`,
  );
  const flag = configError(() => loadWith({}, { logFile: "/tmp/x.log" }));
  assert.match(flag.message, /^Invalid --log-file .*\(--log-file taiga-mcp\.log\)/);
  const file = configError(() => loadWith({}, {}, "LOG_FILE=/tmp/x.log"));
  assert.match(file.message, /^Invalid LOG_FILE in \.\/\.env "\/tmp\/x\.log"/);
  const dir = configError(() => loadWith({ LOG_FILE: "t.log", TAIGA_CACHE_DIR: "/srv/c" }));
  assert.match(dir.message, /nor in its token-cache directory \/srv\/c\. /);
  assert.match(dir.message, /--allow-read=\/srv\/c --allow-write=\/srv\/c/);
  assert.doesNotMatch(outside.message + dir.message, /[^.]\.\.[^.]|\)\.\)/, "no doubled stops");
});

Deno.test("loadConfig: allowed hosts and origins", () => {
  const config = load({
    MCP_ALLOWED_HOSTS: "Localhost:8000, 127.0.0.1:8000",
    MCP_ALLOWED_ORIGINS: "https://app.example/, http://localhost:3000",
  });
  assert.deepEqual(config.http.allowedHosts, ["localhost:8000", "127.0.0.1:8000"]);
  assert.deepEqual(config.http.allowedOrigins, ["https://app.example", "http://localhost:3000"]);
  // A public bind needs MCP_HTTP_TOKEN to serve, not to run `login` in the container.
  const open = { TAIGA_TRANSPORT: "http", MCP_HOST: "0.0.0.0" };
  assert.equal(configError(() => load(open)).variable, "MCP_HTTP_TOKEN");
  assert.equal(load(open, { command: "login" }).http.host, "0.0.0.0");
});
