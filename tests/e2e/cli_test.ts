/**
 * The subcommands as a person runs them from a checkout (`deno task start <command>`), against
 * the sandbox Taiga: login, app-token, tokens, logout, and the server then starting from the
 * cache with no token in its configuration.
 */

import assert from "node:assert/strict";
import { SANDBOX_APPLICATION_ID as APPLICATION, startTestSandbox } from "../../sandbox/testing.ts";
import { spawnStdio } from "../helpers/stdio_process.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const decoder = new TextDecoder();
/** Deno's own cache, kept when a test changes HOME (else every run downloads the packages). */
const DENO_DIR: string = JSON.parse(
  decoder.decode(
    (await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdin: "null" }).output())
      .stdout,
  ),
).denoDir;

async function run(
  args: string[],
  env: Record<string, string>,
  input = "",
): Promise<{ code: number; stdout: string; stderr: string }> {
  const child = new Deno.Command("deno", {
    args: ["task", "-q", "start", ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1", DENO_DIR, ...env },
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(input));
  await writer.close();
  const output = await child.output();
  return {
    code: output.code,
    stdout: decoder.decode(output.stdout),
    stderr: decoder.decode(output.stderr),
  };
}

/** The cached entries of a cache directory. */
async function cached(dir: string): Promise<Record<string, Record<string, unknown>>> {
  return JSON.parse(await Deno.readTextFile(`${dir}/tokens.json`)).tokens;
}

/** `session_status` of `deno task start` (stdio) run with `env`, no token given. */
async function statusOfServer(env: Record<string, string>, args: string[] = []): Promise<string> {
  const server = spawnStdio("deno", ["task", "-q", "start", ...args], {
    NO_COLOR: "1",
    DENO_DIR,
    ...env,
  }, ROOT);
  try {
    await server.initialize();
    return JSON.stringify(await server.callTool("session_status"));
  } finally {
    await server.close();
  }
}

Deno.test("cli: login caches a token (never the password), tokens lists it on stdout, logout forgets it", async () => {
  const sandbox = await startTestSandbox();
  // `deno task start` grants the platform cache dir: point it at a temporary one.
  const home = await Deno.makeTempDir();
  const cacheDir = `${home}/taiga-mcp`;
  const env = { XDG_CACHE_HOME: home, TAIGA_API_URL: sandbox.origin };
  try {
    const login = await run(["login"], env, `\ndemo\ndemo123\n`);
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stderr, /Logged in to http:\/\/127\.0\.0\.1:\d+ as demo/);
    assert.equal(login.stdout, "", "questions and messages go to stderr");
    const file = await Deno.readTextFile(`${cacheDir}/tokens.json`);
    assert.ok(!file.includes("demo123"), "the password must never be stored");
    const token = JSON.parse(file).tokens[sandbox.origin].token as string;
    assert.equal((await Deno.stat(`${cacheDir}/tokens.json`)).mode! & 0o777, 0o600);

    // The README's route: no token in the client's configuration, the server starts from the cache.
    assert.match(await statusOfServer(env), /"username":"demo"/);

    const tokens = await run(["tokens"], env);
    assert.equal(tokens.code, 0);
    assert.match(tokens.stdout, /^http:\/\/127\.0\.0\.1:\d+ {2}demo {2}Bearer /, "pipeable");
    assert.equal(tokens.stderr, "");
    assert.ok(!tokens.stderr.includes(token) && !tokens.stdout.includes(token));

    const wrong = await run(["login"], env, `\ndemo\nnot-the-password\n`);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /wrong username or password/);
    assert.ok(!wrong.stderr.includes("not-the-password"));

    const logout = await run(["logout"], env);
    assert.equal(logout.code, 0);
    assert.match(logout.stderr, /Forgot the token/);
    assert.equal(Object.keys(await cached(cacheDir)).length, 0);
    assert.match((await run(["tokens"], env)).stderr, /^No cached tokens/);
  } finally {
    await sandbox.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("cli: the login prompt asks again for a URL without a scheme, offering https://", async () => {
  const sandbox = await startTestSandbox();
  const home = await Deno.makeTempDir();
  const bare = sandbox.origin.replace("http://", "");
  try {
    const env = { XDG_CACHE_HOME: home, TAIGA_API_URL: "https://unused.example" };
    const login = await run(["login"], env, `${bare}\n${sandbox.origin}\ndemo\ndemo123\n`);
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stderr, /must be an http:\/\/ or https:\/\/ URL/);
    assert.ok(login.stderr.includes(`Press Enter for https://${bare}`), login.stderr);
    assert.match(login.stderr, /Taiga URL \[https:\/\/127\.0\.0\.1:\d+\]: /, "offered next");
    assert.ok(sandbox.origin in await cached(`${home}/taiga-mcp`));
    assert.doesNotMatch(login.stderr, /\.\./, "no doubled punctuation");
  } finally {
    await sandbox.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("cli: app-token logs in, authorizes, validates and caches an Application token", async () => {
  // The sandbox's own /application-tokens routes and its seeded Application (taiga-back 6.10).
  const sandbox = await startTestSandbox();
  const home = await Deno.makeTempDir();
  const env = { XDG_CACHE_HOME: home, TAIGA_API_URL: sandbox.origin };
  try {
    const got = await run(["app-token", "--application", APPLICATION, "--print"], env, "\ndemo\n");
    // No password line was given: the prompt reads EOF and refuses.
    assert.equal(got.code, 2, got.stderr);
    assert.match(got.stderr, /username and password are required/);

    const ok = await run(
      ["app-token", "--application", APPLICATION, "--print"],
      env,
      "\ndemo\ndemo123\n",
    );
    assert.equal(ok.code, 0, ok.stderr);
    assert.match(ok.stderr, /Application token for demo at http:\/\/127\.0\.0\.1:\d+ cached in/);
    const entry = (await cached(`${home}/taiga-mcp`))[sandbox.origin];
    assert.equal(entry.tokenType, "Application");
    assert.equal(entry.refresh, undefined);
    assert.equal(ok.stdout, `${entry.token}\n`, "--print: the token alone, on stdout");
    assert.ok(!ok.stderr.includes(entry.token as string), "never on stderr");
    assert.ok(!JSON.stringify(entry).includes("demo123"));
    const me = await fetch(`${sandbox.apiUrl}/users/me`, {
      headers: { authorization: `Application ${entry.token}` },
    });
    assert.equal((await me.json()).username, "demo", "the token is Taiga's own");

    // The route for teams: the server logs in with the cached Application token at start-up.
    assert.match(await statusOfServer(env), /"username":"demo"/);

    const quiet = await run(["app-token", "--application", APPLICATION], env, "\ndemo\ndemo123\n");
    assert.equal(quiet.code, 0, quiet.stderr);
    assert.equal(quiet.stdout, "", "without --print nothing reaches stdout");
    const again = (await cached(`${home}/taiga-mcp`))[sandbox.origin];
    assert.equal(again.token, entry.token, "Taiga makes the token once per user and application");
    assert.equal(sandbox.state.applicationTokens.size, 1);

    const unknown = await run(
      ["app-token", "--application", "not-an-app"],
      env,
      "\ndemo\ndemo123\n",
    );
    assert.equal(unknown.code, 1);
    assert.match(unknown.stderr, /has no Application with id not-an-app/);
    assert.match(unknown.stderr, /admin\/external_apps\/application/);

    const blank = await run(["app-token"], env, "\n");
    assert.equal(blank.code, 2);
    assert.match(blank.stderr, /an Application id is required/);
  } finally {
    await sandbox.close();
    await Deno.remove(home, { recursive: true });
  }
});

Deno.test("cli: --sandbox keeps saved tokens in memory, never in the real token cache", async () => {
  const home = await Deno.makeTempDir();
  const server = spawnStdio("deno", ["task", "-q", "start", "--sandbox"], {
    NO_COLOR: "1",
    DENO_DIR,
    XDG_CACHE_HOME: home,
  }, ROOT);
  try {
    await server.initialize();
    const saved = JSON.stringify(await server.callTool("save_session_token"));
    assert.match(saved, /in memory only/, saved);
    const listed = JSON.stringify(await server.callTool("list_cached_tokens"));
    assert.match(listed, /"username":"demo"/);
    assert.match(listed, /in memory only/);
  } finally {
    await server.close();
  }
  try {
    const left = [...Deno.readDirSync(`${home}/taiga-mcp`)].map((entry) => entry.name);
    assert.ok(!left.includes("tokens.json"), `the real cache holds ${left}`);
  } catch (error) {
    if (!(error instanceof Deno.errors.NotFound)) throw error;
  } finally {
    await Deno.remove(home, { recursive: true });
  }
});

for (
  const [variable, name] of [["HOME", "a home with spaces/Jöhn Smïth"], [
    "XDG_CACHE_HOME",
    "caché dir/with spaces",
  ]]
) {
  Deno.test(`cli: a ${variable} with spaces and non-ASCII letters works under deno task start`, async () => {
    const sandbox = await startTestSandbox();
    const root = await Deno.makeTempDir();
    const base = `${root}/${name}`;
    await Deno.mkdir(base, { recursive: true });
    const cacheDir = variable === "HOME" ? `${base}/.cache/taiga-mcp` : `${base}/taiga-mcp`;
    const env = { [variable]: base, TAIGA_API_URL: sandbox.origin };
    try {
      const login = await run(["login"], env, `\ndemo\ndemo123\n`);
      assert.equal(login.code, 0, login.stderr);
      assert.ok((await Deno.stat(`${cacheDir}/tokens.json`)).isFile);
      const tokens = await run(["tokens"], env);
      assert.equal(tokens.code, 0, tokens.stderr);
      assert.match(tokens.stdout, /demo\s+Bearer/);
    } finally {
      await sandbox.close();
      await Deno.remove(root, { recursive: true });
    }
  });
}

Deno.test("cli: --help and --version print to stdout and exit 0", async () => {
  const help = await run(["--help"], {});
  assert.equal(help.code, 0);
  assert.match(help.stdout, /--sandbox/);
  assert.match(help.stdout, /app-token --application ID/);
  const version = await run(["--version"], {});
  assert.match(version.stdout, /^taiga-mcp \d+\.\d+\.\d+/);
});
