import assert from "node:assert/strict";
import { HELP_TEXT, parseCli } from "../src/cli/args.ts";
import { ENV_VARS } from "../src/config/env.ts";
import { ConfigError } from "../src/config/parse.ts";

function usageError(argv: string[]): ConfigError {
  try {
    parseCli(argv);
  } catch (error) {
    assert.ok(error instanceof ConfigError, `expected ConfigError, got ${error}`);
    assert.ok(!error.message.includes("\n"), error.message);
    return error;
  }
  assert.fail(`expected ${JSON.stringify(argv)} to be rejected`);
}

Deno.test("parseCli: no arguments means serve with nothing set", () => {
  const { command, ...rest } = parseCli([]);
  assert.equal(command, "serve");
  // Every flag of the settings table and of the program is unset (undefined, or false for a switch).
  for (const [key, value] of Object.entries(rest)) {
    assert.ok(value === undefined || value === false, `${key} is ${value}`);
  }
  for (const key of ["sandbox", "version", "help", "readOnly", "print"]) {
    assert.equal((rest as Record<string, unknown>)[key], false, key);
  }
});

Deno.test("parseCli: every serve flag, both --flag value and --flag=value", () => {
  const args = parseCli([
    "serve",
    "--transport",
    "http",
    "--log-level=debug",
    "--log-file",
    "/tmp/t.log",
    "--sandbox",
    "--toolsets=projects,items",
    "--read-only",
    "--host",
    "0.0.0.0",
    "--port=8123",
    "--api-url",
    "https://api.taiga.io",
    "--token-type",
    "Application",
  ]);
  assert.deepEqual({ ...args }, {
    ...parseCli([]),
    command: "serve",
    transport: "http",
    logLevel: "debug",
    logFile: "/tmp/t.log",
    sandbox: true,
    toolsets: "projects,items",
    readOnly: true,
    host: "0.0.0.0",
    port: "8123",
    apiUrl: "https://api.taiga.io",
    tokenType: "Application",
  });
});

Deno.test("parseCli: help and version", () => {
  assert.equal(parseCli(["-h"]).help, true);
  assert.equal(parseCli(["--help"]).help, true);
  assert.equal(parseCli(["login", "--help"]).help, true);
  assert.equal(parseCli(["--version"]).version, true);
});

Deno.test("parseCli: subcommands", () => {
  const login = parseCli(["login", "--api-url", "https://t.example", "--username", "ana"]);
  assert.equal(login.command, "login");
  assert.equal(login.apiUrl, "https://t.example");
  assert.equal(login.username, "ana");
  assert.equal(parseCli(["logout"]).command, "logout");
  assert.equal(parseCli(["logout", "--api-url=https://t.example"]).apiUrl, "https://t.example");
  assert.equal(parseCli(["tokens", "--log-level", "DEBUG"]).command, "tokens");
  assert.equal(parseCli(["--api-url", "https://t.example", "login"]).command, "login");
  const app = parseCli(["app-token", "--application", "7b0d", "--username=ana", "--print"]);
  assert.equal(app.command, "app-token");
  assert.equal(app.application, "7b0d");
  assert.equal(app.username, "ana");
  assert.equal(app.print, true);
  // `deno task start -- login` hands the separator on.
  assert.equal(parseCli(["--", "login"]).command, "login");
});

Deno.test("parseCli: bad usage names the flag", () => {
  const unknown = usageError(["--verbose"]);
  assert.equal(unknown.variable, "--verbose");
  assert.equal(unknown.message, "Unknown flag --verbose (see --help)");
  assert.equal(usageError(["-x"]).variable, "-x");
  const missing = usageError(["--port"]);
  assert.equal(missing.variable, "--port");
  assert.match(missing.message, /^Flag --port needs a value/);
  assert.equal(usageError(["--port", "--sandbox"]).variable, "--port");
  const noValue = usageError(["--sandbox=yes"]);
  assert.equal(noValue.variable, "--sandbox");
  assert.equal(noValue.message, "Flag --sandbox takes no value");
});

Deno.test("parseCli: bad subcommands and misplaced flags", () => {
  const command = usageError(["start"]);
  assert.equal(command.variable, "command");
  assert.match(
    command.message,
    /Unknown command "start": use serve, login, app-token, logout, tokens/,
  );
  assert.match(usageError(["login", "extra"]).message, /Unexpected argument "extra"/);
  assert.equal(usageError(["login", "--transport", "http"]).variable, "--transport");
  assert.equal(usageError(["tokens", "--read-only"]).variable, "--read-only");
  const username = usageError(["--username", "ana"]);
  assert.equal(username.variable, "--username");
  assert.match(username.message, /belongs to "login" and "app-token"/);
  assert.match(usageError(["login", "--application", "x"]).message, /belongs to "app-token"/);
  assert.equal(usageError(["tokens", "--print"]).variable, "--print");
  assert.equal(usageError(["app-token", "--sandbox"]).variable, "--sandbox");
});

Deno.test("HELP_TEXT: names every flag, subcommand and variable", () => {
  const flags = [
    "--transport",
    "--log-level",
    "--log-file",
    "--sandbox",
    "--version",
    "--help",
    "-h",
    "--toolsets",
    "--read-only",
    "--host",
    "--port",
    "--api-url",
    "--username",
    "--application",
    "--print",
    "--token-type",
  ];
  for (
    const word of [...flags, "login", "app-token", "logout", "tokens", "EXAMPLES", "USAGE"]
  ) {
    assert.ok(HELP_TEXT.includes(word), `help lacks ${word}`);
  }
  for (const name of ENV_VARS.filter((n) => n !== "HOME" && n !== "NO_COLOR")) {
    assert.ok(HELP_TEXT.includes(name), `help lacks ${name}`);
  }
  for (const line of HELP_TEXT.split("\n")) assert.ok(line.length <= 100, line);
  assert.match(HELP_TEXT, /`deno task start` from a checkout/, "the command each form has");
});
