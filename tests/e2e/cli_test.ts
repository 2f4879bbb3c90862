import assert from "node:assert/strict";
import { startTestSandbox } from "../../sandbox/testing.ts";

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

Deno.test("cli: login caches a token (never the password), tokens masks it, logout forgets it", async () => {
  const sandbox = await startTestSandbox();
  // `deno task start` grants the platform cache dir: point it at a temporary one.
  const home = await Deno.makeTempDir();
  const cacheDir = `${home}/taiga-mcp`;
  const env = { XDG_CACHE_HOME: home, TAIGA_API_URL: sandbox.origin };
  try {
    const login = await run(["login"], env, `\ndemo\ndemo123\n`);
    assert.equal(login.code, 0, login.stderr);
    assert.match(login.stderr, /Logged in to http:\/\/127\.0\.0\.1:\d+ as demo/);
    const file = await Deno.readTextFile(`${cacheDir}/tokens.json`);
    assert.ok(!file.includes("demo123"), "the password must never be stored");
    const token = JSON.parse(file).tokens[sandbox.origin].token as string;
    assert.equal((await Deno.stat(`${cacheDir}/tokens.json`)).mode! & 0o777, 0o600);

    const tokens = await run(["tokens"], env);
    assert.equal(tokens.code, 0);
    assert.match(tokens.stderr, /demo\s+Bearer/);
    assert.ok(!tokens.stderr.includes(token) && !tokens.stdout.includes(token));

    const wrong = await run(["login"], env, `\ndemo\nnot-the-password\n`);
    assert.notEqual(wrong.code, 0);
    assert.match(wrong.stderr, /wrong username or password/);
    assert.ok(!wrong.stderr.includes("not-the-password"));

    const logout = await run(["logout"], env);
    assert.equal(logout.code, 0);
    assert.match(logout.stderr, /Forgot the token/);
    assert.equal(
      Object.keys(JSON.parse(await Deno.readTextFile(`${cacheDir}/tokens.json`)).tokens).length,
      0,
    );
  } finally {
    await sandbox.close();
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
      assert.match(tokens.stderr + tokens.stdout, /demo\s+Bearer/);
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
  const version = await run(["--version"], {});
  assert.match(version.stdout, /^taiga-mcp \d+\.\d+\.\d+/);
});
