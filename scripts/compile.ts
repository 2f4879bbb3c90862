/**
 * Builds the standalone taiga-mcp binaries with `deno compile`, one per release target, into
 * `dist/taiga-mcp-<target>[.exe]`.
 *
 * ```sh
 * deno task compile                                   # every target in TARGETS
 * deno task compile --target x86_64-unknown-linux-gnu # one target (repeatable)
 * deno task compile --host                            # the target of this machine only
 * deno task compile --offline                         # never download the runtime
 * deno task compile --out-dir build
 * ```
 *
 * `deno compile` glues the program onto "denort", Deno's runtime for the target, which it
 * downloads on first use into `$DENO_DIR/dl/release/v<deno version>/denort-<target>.zip`.
 * `DENORT_BIN=/path/to/denort` replaces that download (for one target per run). Where neither the
 * cached runtime nor the download is available the script says so and exits 1: it never builds a
 * binary from anything else.
 *
 * @module
 */

import { join } from "node:path";
import { parseArgs } from "node:util";
import { ENV_VARS } from "../src/config/env.ts";

/** The release targets, as `deno compile --target` names them. */
export const TARGETS: readonly string[] = Object.freeze([
  "x86_64-unknown-linux-gnu",
  "aarch64-unknown-linux-gnu",
  "x86_64-apple-darwin",
  "aarch64-apple-darwin",
  "x86_64-pc-windows-msvc",
]);

/**
 * Permissions baked into every binary. A compiled binary cannot take permission flags at run
 * time, and permission paths cannot contain `$HOME` or `%LOCALAPPDATA%` (they are fixed when
 * compiling), so read/write cannot be scoped to each user's cache directory: they are granted
 * without a path. The program itself only touches the cache directory, `./.env` and `LOG_FILE`;
 * no subprocess, FFI, system-information or dynamic-import permission is granted, and no prompt
 * can ever block stdio. docs/developer-guide/releasing.md discusses the trade-off.
 */
export const PERMISSION_FLAGS: readonly string[] = Object.freeze([
  "--allow-net",
  `--allow-env=${ENV_VARS.join(",")}`,
  "--allow-read",
  "--allow-write",
  "--no-prompt",
]);

/** The program compiled into every binary. */
export const ENTRYPOINT = "src/main.ts";

/** The file name of the binary for `target`. */
export function binaryName(target: string): string {
  return `taiga-mcp-${target}${target.includes("windows") ? ".exe" : ""}`;
}

/** The `deno compile` arguments (without the `deno` executable) that build `target` into `outDir`. */
export function compileArgs(target: string, outDir: string): string[] {
  return [
    "compile",
    "--frozen",
    "--target",
    target,
    "--output",
    join(outDir, binaryName(target)),
    ...PERMISSION_FLAGS,
    ENTRYPOINT,
  ];
}

/** Where `deno compile` caches the runtime of `target` under `denoDir`. */
export function cachedDenortPath(denoDir: string, target: string): string {
  return join(denoDir, "dl", "release", `v${Deno.version.deno}`, `denort-${target}.zip`);
}

/** Deno's cache directory (`DENO_DIR`), as `deno info` reports it. */
export async function denoCacheDir(env: Record<string, string> = {}): Promise<string> {
  const { code, stdout } = await new Deno.Command(Deno.execPath(), {
    args: ["info", "--json"],
    env: { NO_COLOR: "1", ...env },
    stdout: "piped",
    stderr: "null",
  }).output();
  if (code !== 0) throw new Error("`deno info --json` failed");
  return (JSON.parse(new TextDecoder().decode(stdout)) as { denoDir: string }).denoDir;
}

async function isFile(path: string): Promise<boolean> {
  try {
    return (await Deno.stat(path)).isFile;
  } catch {
    return false;
  }
}

/** Where the runtime for one target comes from. */
export type DenortSource =
  | { kind: "env"; path: string }
  | { kind: "cache"; path: string }
  | { kind: "download"; path: string }
  | { kind: "missing"; reason: string };

/**
 * Finds the runtime for `target`: `DENORT_BIN` when set (it must exist), else Deno's cache; when
 * neither has it, a download (by `deno compile` itself) unless `offline`.
 */
export async function findDenort(
  target: string,
  options: { denortBin?: string; denoDir: string; offline: boolean },
): Promise<DenortSource> {
  if (options.denortBin !== undefined && options.denortBin !== "") {
    if (await isFile(options.denortBin)) return { kind: "env", path: options.denortBin };
    return { kind: "missing", reason: `DENORT_BIN=${options.denortBin} is not a file` };
  }
  const cached = cachedDenortPath(options.denoDir, target);
  if (await isFile(cached)) return { kind: "cache", path: cached };
  if (options.offline) return { kind: "missing", reason: `${cached} does not exist (--offline)` };
  return { kind: "download", path: cached };
}

/** The message printed when the runtime for `target` cannot be had. */
export function missingDenortMessage(target: string, reason: string, denoDir: string): string {
  return [
    `compile: cannot build ${
      binaryName(target)
    }: the Deno runtime (denort) for ${target} is not available.`,
    `  why: ${reason}`,
    `  deno compile downloads denort-${target}.zip from https://dl.deno.land on first use.`,
    "  fix one of:",
    `    - place denort-${target}.zip at ${cachedDenortPath(denoDir, target)}`,
    `    - set DENORT_BIN=/path/to/denort (an unpacked runtime for ${target}) and pass --target ${target}`,
    "    - run on a machine that can reach dl.deno.land (the release workflow does)",
  ].join("\n");
}

/** Parsed command line of this script. */
export interface CompileOptions {
  /** Targets to build, in order. */
  targets: string[];
  /** Output directory. */
  outDir: string;
  /** Fail instead of letting `deno compile` download a runtime. */
  offline: boolean;
}

/** Parses this script's arguments; throws with a one-line message on bad input. */
export function parseCompileArgs(argv: string[]): CompileOptions {
  const { values } = parseArgs({
    args: argv,
    options: {
      target: { type: "string", multiple: true },
      host: { type: "boolean", default: false },
      "out-dir": { type: "string", default: "dist" },
      offline: { type: "boolean", default: false },
    },
    strict: true,
    allowPositionals: false,
  });
  const targets = [...(values.target ?? [])];
  if (values.host) targets.push(Deno.build.target);
  for (const target of targets) {
    if (!TARGETS.includes(target)) {
      throw new Error(`unknown target ${JSON.stringify(target)}; use one of ${TARGETS.join(", ")}`);
    }
  }
  return {
    targets: targets.length > 0 ? [...new Set(targets)] : [...TARGETS],
    outDir: values["out-dir"],
    offline: values.offline,
  };
}

const DOWNLOAD_FAILURE = /Setting up base binary|denort|dl\.deno\.land/i;

/** Runs `deno compile` for one target, streaming its output; returns the exit code and stderr. */
async function compileOne(target: string, outDir: string): Promise<{ code: number; err: string }> {
  const child = new Deno.Command(Deno.execPath(), {
    args: compileArgs(target, outDir),
    stdout: "inherit",
    stderr: "piped",
  }).spawn();
  const decoder = new TextDecoder();
  let err = "";
  for await (const chunk of child.stderr) {
    err += decoder.decode(chunk, { stream: true });
    await Deno.stderr.write(chunk);
  }
  const { code } = await child.status;
  return { code, err: err + decoder.decode() };
}

function say(text: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${text}\n`));
}

/** Builds every requested target; returns the process exit code. */
export async function main(argv: string[]): Promise<number> {
  let options: CompileOptions;
  try {
    options = parseCompileArgs(argv);
  } catch (error) {
    say(`compile: ${error instanceof Error ? error.message : String(error)}`);
    return 2;
  }
  const denortBin = Deno.env.get("DENORT_BIN");
  if (denortBin && options.targets.length !== 1) {
    say(
      "compile: DENORT_BIN holds the runtime of one platform; pass exactly one --target (or --host)",
    );
    return 2;
  }
  const denoDir = await denoCacheDir();
  for (const target of options.targets) {
    const source = await findDenort(target, { denortBin, denoDir, offline: options.offline });
    if (source.kind === "missing") {
      say(missingDenortMessage(target, source.reason, denoDir));
      return 1;
    }
    say(`compile: ${target} (runtime: ${source.kind} ${source.path})`);
    await Deno.mkdir(options.outDir, { recursive: true });
    const { code, err } = await compileOne(target, options.outDir);
    if (code !== 0) {
      if (source.kind === "download" && DOWNLOAD_FAILURE.test(err)) {
        say(missingDenortMessage(target, "the download failed (see above)", denoDir));
      } else {
        say(`compile: deno compile failed for ${target} (exit ${code})`);
      }
      return 1;
    }
    say(`compile: wrote ${join(options.outDir, binaryName(target))}`);
  }
  return 0;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
