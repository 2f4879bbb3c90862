import assert from "node:assert/strict";
import { join } from "node:path";
import { cacheDir } from "../../src/config/cache_dir.ts";
import { ENV_VARS } from "../../src/config/env.ts";
import { ConfigError } from "../../src/config/parse.ts";
import { ensureCacheDir } from "../../src/sessions/cache_dir.ts";
import { runDeno } from "../helpers/deno_child.ts";

function envOf(vars: Record<string, string>): (name: string) => string | undefined {
  return (name) => vars[name];
}

Deno.test("cacheDir: TAIGA_CACHE_DIR is used as-is on every OS", () => {
  for (const os of ["linux", "darwin", "windows"] as const) {
    assert.equal(
      cacheDir(envOf({ TAIGA_CACHE_DIR: "relative/dir", XDG_CACHE_HOME: "/x", HOME: "/h" }), os),
      "relative/dir",
    );
  }
});

Deno.test("cacheDir: XDG_CACHE_HOME wins on any OS when absolute", () => {
  assert.equal(cacheDir(envOf({ XDG_CACHE_HOME: "/xdg", HOME: "/h" }), "linux"), "/xdg/taiga-mcp");
  assert.equal(cacheDir(envOf({ XDG_CACHE_HOME: "/xdg", HOME: "/h" }), "darwin"), "/xdg/taiga-mcp");
  assert.equal(
    cacheDir(envOf({ XDG_CACHE_HOME: "D:\\cache", LOCALAPPDATA: "C:\\L" }), "windows"),
    "D:\\cache\\taiga-mcp",
  );
  // A relative XDG_CACHE_HOME is invalid per the XDG spec and ignored.
  assert.equal(
    cacheDir(envOf({ XDG_CACHE_HOME: "rel", HOME: "/h" }), "linux"),
    "/h/.cache/taiga-mcp",
  );
  assert.equal(cacheDir(envOf({ XDG_CACHE_HOME: "", HOME: "/h" }), "linux"), "/h/.cache/taiga-mcp");
});

Deno.test("cacheDir: platform defaults", () => {
  assert.equal(cacheDir(envOf({ HOME: "/home/ana" }), "linux"), "/home/ana/.cache/taiga-mcp");
  assert.equal(cacheDir(envOf({ HOME: "/home/ana" }), "freebsd"), "/home/ana/.cache/taiga-mcp");
  assert.equal(
    cacheDir(envOf({ HOME: "/Users/ana" }), "darwin"),
    "/Users/ana/Library/Caches/taiga-mcp",
  );
  assert.equal(
    cacheDir(
      envOf({ LOCALAPPDATA: "C:\\Users\\ana\\AppData\\Local", USERPROFILE: "X" }),
      "windows",
    ),
    "C:\\Users\\ana\\AppData\\Local\\taiga-mcp",
  );
  assert.equal(
    cacheDir(envOf({ USERPROFILE: "C:\\Users\\ana" }), "windows"),
    "C:\\Users\\ana\\AppData\\Local\\taiga-mcp",
  );
});

Deno.test("cacheDir: no home at all is a ConfigError pointing at TAIGA_CACHE_DIR", () => {
  for (const os of ["linux", "windows"] as const) {
    assert.throws(
      () => cacheDir(envOf({}), os),
      (error: unknown) => error instanceof ConfigError && error.variable === "TAIGA_CACHE_DIR",
    );
  }
});

Deno.test({
  name:
    "ensureCacheDir: creates nested dirs 0700, tightens our loose dir, leaves a shared one alone",
  ignore: Deno.build.os === "windows",
  fn: async () => {
    const root = await Deno.makeTempDir();
    try {
      const dir = join(root, "a", "b", "taiga-mcp");
      await ensureCacheDir(dir);
      assert.equal((await Deno.stat(dir)).mode! & 0o777, 0o700);
      await ensureCacheDir(dir);
      const loose = join(root, "loose", "taiga-mcp");
      await Deno.mkdir(loose, { recursive: true });
      await Deno.chmod(loose, 0o755);
      await ensureCacheDir(loose);
      assert.equal((await Deno.stat(loose)).mode! & 0o777, 0o700);
      // TAIGA_CACHE_DIR may name a directory that is not ours (even $HOME): never chmod it.
      const shared = join(root, "shared");
      await Deno.mkdir(shared);
      await Deno.chmod(shared, 0o755);
      await ensureCacheDir(shared);
      assert.equal((await Deno.stat(shared)).mode! & 0o777, 0o755);
    } finally {
      await Deno.remove(root, { recursive: true });
    }
  },
});

/** Deno's own cache dir, passed on so the child (with a cleared, fake HOME) finds cached npm modules. */
async function denoDir(): Promise<string> {
  const out = await new Deno.Command(Deno.execPath(), { args: ["info", "--json"], stdin: "null" })
    .output();
  return JSON.parse(new TextDecoder().decode(out.stdout)).denoDir;
}

async function runMain(
  cwd: string,
  env: Record<string, string>,
  extra: string[] = [],
): Promise<string> {
  const { stdout } = await runDeno(new URL("../../src/config/cache_dir.ts", import.meta.url), {
    flags: [`--allow-env=${ENV_VARS.join(",")}`, ...extra],
    cwd,
    env: { ...env, DENO_DIR: await denoDir(), NO_COLOR: "1" },
    clearEnv: true,
  });
  return stdout;
}

Deno.test("cache_dir.ts as a script prints the directory (and honours .env when readable)", async () => {
  const dir = await Deno.makeTempDir();
  try {
    assert.equal(await runMain(dir, { HOME: "/home/ana" }), "/home/ana/.cache/taiga-mcp\n");
    assert.equal(await runMain(dir, { TAIGA_CACHE_DIR: "/srv/t" }), "/srv/t\n");
    await Deno.writeTextFile(join(dir, ".env"), "TAIGA_CACHE_DIR=/from/dotenv\n");
    assert.equal(await runMain(dir, { HOME: "/h" }, ["--allow-read=.env"]), "/from/dotenv\n");
    assert.equal(
      await runMain(dir, { TAIGA_CACHE_DIR: "/env/wins" }, ["--allow-read=.env"]),
      "/env/wins\n",
    );
    // Without read permission for .env it is skipped, not an error.
    assert.equal(await runMain(dir, { HOME: "/h" }), "/h/.cache/taiga-mcp\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
