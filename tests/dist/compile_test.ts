import assert from "node:assert/strict";
import { join } from "node:path";
import {
  binaryName,
  cachedDenortPath,
  compileArgs,
  denoCacheDir,
  findDenort,
  parseCompileArgs,
  PERMISSION_FLAGS,
  TARGETS,
} from "../../scripts/compile.ts";
import { ENV_VARS } from "../../src/config/env.ts";
import { VERSION } from "../../src/version.ts";
import { stdioSession } from "./stdio_rpc.ts";

const ROOT = new URL("../../", import.meta.url).pathname;
const DENO = Deno.execPath();
const DENO_DIR = await denoCacheDir();
const HOST = Deno.build.target;

const hostDenort = await findDenort(HOST, {
  denortBin: Deno.env.get("DENORT_BIN"),
  denoDir: DENO_DIR,
  offline: true,
});
const CAN_COMPILE = hostDenort.kind === "env" || hostDenort.kind === "cache";
if (!CAN_COMPILE) {
  // deno-lint-ignore no-console
  console.error(
    `SKIP real compile test: no denort runtime for ${HOST} (DENORT_BIN unset and ${
      cachedDenortPath(DENO_DIR, HOST)
    } missing); deno compile cannot download it here.`,
  );
}

const uncachedTarget = await (async () => {
  for (const target of TARGETS) {
    const found = await findDenort(target, { denoDir: DENO_DIR, offline: true });
    if (found.kind === "missing") return target;
  }
  return undefined;
})();

async function runCompileScript(
  args: string[],
  env: Record<string, string> = {},
): Promise<{ code: number; stderr: string }> {
  const { code, stderr } = await new Deno.Command(DENO, {
    args: ["run", "-A", "scripts/compile.ts", ...args],
    cwd: ROOT,
    env: { NO_COLOR: "1", ...env },
    stdout: "null",
    stderr: "piped",
  }).output();
  return { code, stderr: new TextDecoder().decode(stderr) };
}

Deno.test("compile: the five release targets, host-only and unknown targets", () => {
  assert.deepEqual([...TARGETS].sort(), [
    "aarch64-apple-darwin",
    "aarch64-unknown-linux-gnu",
    "x86_64-apple-darwin",
    "x86_64-pc-windows-msvc",
    "x86_64-unknown-linux-gnu",
  ]);
  assert.deepEqual(parseCompileArgs([]).targets, [...TARGETS]);
  assert.equal(parseCompileArgs([]).outDir, "dist");
  assert.deepEqual(parseCompileArgs(["--host"]).targets, [HOST]);
  assert.deepEqual(
    parseCompileArgs(["--target", "x86_64-apple-darwin", "--target", "x86_64-apple-darwin"])
      .targets,
    ["x86_64-apple-darwin"],
  );
  assert.throws(() => parseCompileArgs(["--target", "riscv64-linux"]), /unknown target/);
  assert.equal(binaryName("x86_64-pc-windows-msvc"), "taiga-mcp-x86_64-pc-windows-msvc.exe");
  assert.equal(binaryName("aarch64-apple-darwin"), "taiga-mcp-aarch64-apple-darwin");
});

Deno.test("compile: deno compile gets exactly the narrow permission set", () => {
  const args = compileArgs("aarch64-unknown-linux-gnu", "dist");
  assert.deepEqual(args.slice(0, 6), [
    "compile",
    "--frozen",
    "--target",
    "aarch64-unknown-linux-gnu",
    "--output",
    join("dist", "taiga-mcp-aarch64-unknown-linux-gnu"),
  ]);
  assert.equal(args.at(-1), "src/main.ts");
  const env = args.find((arg) => arg.startsWith("--allow-env="));
  assert.deepEqual(env?.slice("--allow-env=".length).split(","), [...ENV_VARS]);
  const grants = args.filter((arg) => arg.startsWith("--allow-")).map((arg) => arg.split("=")[0]);
  assert.deepEqual(grants.sort(), ["--allow-env", "--allow-net", "--allow-read", "--allow-write"]);
  assert.ok(args.includes("--no-prompt"));
  assert.ok(!args.some((arg) => arg === "-A" || arg.startsWith("--allow-all")));
});

Deno.test("compile: the program runs under exactly the baked-in permissions", async () => {
  const cache = await Deno.makeTempDir({ prefix: "taiga-mcp-dist-" });
  try {
    const env = { TAIGA_CACHE_DIR: cache, NO_COLOR: "1", LOG_LEVEL: "WARNING", ...denoCacheEnv() };
    const run = ["run", "--cached-only", ...PERMISSION_FLAGS, "src/main.ts"];
    const version = await new Deno.Command(DENO, {
      args: [...run, "--version"],
      cwd: ROOT,
      env,
      clearEnv: true,
      stdout: "piped",
      stderr: "null",
    }).output();
    assert.equal(new TextDecoder().decode(version.stdout).trim(), `taiga-mcp ${VERSION}`);
    const session = await stdioSession(DENO, [...run, "--sandbox"], {
      cwd: ROOT,
      env,
    });
    assert.equal((session.initialize.serverInfo as { name: string }).name, "taiga-mcp");
    assert.ok(session.toolNames.includes("session_status"), session.toolNames.join(","));
    assert.notEqual(session.call.isError, true, JSON.stringify(session.call));
    assert.match(JSON.stringify(session.call.structuredContent), /demo/);
    assert.equal(session.code, 0, session.stderr);
    assert.doesNotMatch(session.stderr, /NotCapable|PermissionDenied|Requires .* access/);
  } finally {
    await Deno.remove(cache, { recursive: true });
  }
});

Deno.test("compile: DENORT_BIN pointing nowhere is refused with a clear message", async () => {
  const { code, stderr } = await runCompileScript(["--host", "--out-dir", "/nonexistent-out"], {
    DENORT_BIN: "/nonexistent/denort",
  });
  assert.equal(code, 1);
  assert.match(stderr, /the Deno runtime \(denort\) for .* is not available/);
  assert.match(stderr, /DENORT_BIN=\/nonexistent\/denort is not a file/);
});

Deno.test("compile: DENORT_BIN with several targets is a usage error", async () => {
  const { code, stderr } = await runCompileScript([], { DENORT_BIN: "/nonexistent/denort" });
  assert.equal(code, 2);
  assert.match(stderr, /pass exactly one --target/);
});

Deno.test({
  name: "compile: --offline without a cached runtime exits 1 naming the fix",
  ignore: uncachedTarget === undefined,
  async fn() {
    const target = uncachedTarget as string;
    const { code, stderr } = await runCompileScript(["--offline", "--target", target]);
    assert.equal(code, 1);
    assert.ok(stderr.includes(`denort-${target}.zip`), stderr);
    assert.ok(stderr.includes(cachedDenortPath(DENO_DIR, target)), stderr);
    assert.match(stderr, /DENORT_BIN/);
  },
});

Deno.test({
  name: "compile: a real binary for this machine serves MCP over stdio",
  ignore: !CAN_COMPILE,
  async fn() {
    const out = await Deno.makeTempDir({ prefix: "taiga-mcp-bin-" });
    const cache = await Deno.makeTempDir({ prefix: "taiga-mcp-dist-" });
    try {
      const { code, stderr } = await runCompileScript(["--host", "--out-dir", out]);
      assert.equal(code, 0, stderr);
      const binary = join(out, binaryName(HOST));
      const version = await new Deno.Command(binary, { args: ["--version"], stdout: "piped" })
        .output();
      assert.equal(new TextDecoder().decode(version.stdout).trim(), `taiga-mcp ${VERSION}`);
      const session = await stdioSession(binary, ["--sandbox"], {
        env: { TAIGA_CACHE_DIR: cache, NO_COLOR: "1", LOG_LEVEL: "WARNING" },
      });
      assert.ok(session.toolNames.includes("session_status"));
      assert.notEqual(session.call.isError, true, JSON.stringify(session.call));
      assert.equal(session.code, 0, session.stderr);
    } finally {
      await Deno.remove(out, { recursive: true });
      await Deno.remove(cache, { recursive: true });
    }
  },
});

/** The variables Deno needs to find its own cache (the test children get a cleared environment). */
function denoCacheEnv(): Record<string, string> {
  const env: Record<string, string> = { DENO_DIR };
  const path = Deno.env.get("PATH");
  if (path) env.PATH = path;
  return env;
}
