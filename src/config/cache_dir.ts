/**
 * The per-user cache directory of taiga-mcp (token cache, lock, log file).
 *
 * Run as a script it prints the directory, so `deno task start` can scope
 * `--allow-read`/`--allow-write` to it:
 * `deno run -q --allow-env=... src/config/cache_dir.ts`.
 *
 * @module
 */

import { posix, win32 } from "node:path";
import { APP_DIR_NAME } from "../sessions/cache_dir.ts";
import { parseDotEnv, readDotEnv } from "./dotenv.ts";
import { type EnvReader, readEnv } from "./env.ts";
import { ConfigError } from "./parse.ts";

function nonEmpty(value: string | undefined): string | undefined {
  return value === undefined || value.trim() === "" ? undefined : value;
}

/**
 * The cache directories `deno task start` grants read and write on, as the task writes them
 * (its shell expands the variables; an unset one leaves a harmless path such as `/taiga-mcp`):
 * every place {@link cacheDir} can pick without TAIGA_CACHE_DIR, on every platform. One Deno
 * process, no helper process to compute the path first.
 */
export const START_TASK_CACHE_DIRS: readonly string[] = [
  `$XDG_CACHE_HOME/${APP_DIR_NAME}`,
  `$HOME/.cache/${APP_DIR_NAME}`,
  `$HOME/Library/Caches/${APP_DIR_NAME}`,
  `$LOCALAPPDATA/${APP_DIR_NAME}`,
  `$USERPROFILE/AppData/Local/${APP_DIR_NAME}`,
];

/**
 * Resolves the cache directory: `TAIGA_CACHE_DIR` as-is when set; otherwise
 * `XDG_CACHE_HOME` (on any OS, when absolute), else `~/.cache` on Linux and
 * other Unixes, `~/Library/Caches` on macOS, `%LOCALAPPDATA%` (falling back to
 * `%USERPROFILE%\AppData\Local`) on Windows, followed by `taiga-mcp`.
 *
 * @throws {ConfigError} when no home directory can be found.
 */
export function cacheDir(env: EnvReader, os: typeof Deno.build.os = Deno.build.os): string {
  const explicit = nonEmpty(env("TAIGA_CACHE_DIR"));
  if (explicit !== undefined) return explicit;

  const path = os === "windows" ? win32 : posix;
  const xdg = nonEmpty(env("XDG_CACHE_HOME"));
  if (xdg !== undefined && path.isAbsolute(xdg)) return path.join(xdg, APP_DIR_NAME);

  if (os === "windows") {
    const local = nonEmpty(env("LOCALAPPDATA"));
    if (local !== undefined) return path.join(local, APP_DIR_NAME);
    const profile = nonEmpty(env("USERPROFILE"));
    if (profile !== undefined) return path.join(profile, "AppData", "Local", APP_DIR_NAME);
    throw new ConfigError(
      "TAIGA_CACHE_DIR",
      "Cannot find the cache directory: LOCALAPPDATA and USERPROFILE are unset; set TAIGA_CACHE_DIR",
    );
  }

  const home = nonEmpty(env("HOME"));
  if (home === undefined) {
    throw new ConfigError(
      "TAIGA_CACHE_DIR",
      "Cannot find the cache directory: HOME is unset; set TAIGA_CACHE_DIR",
    );
  }
  if (os === "darwin") return path.join(home, "Library", "Caches", APP_DIR_NAME);
  return path.join(home, ".cache", APP_DIR_NAME);
}

if (import.meta.main) {
  // Honour TAIGA_CACHE_DIR from ./.env too, so the permission scope matches what the server computes.
  const dotEnv = parseDotEnv(readDotEnv() ?? "");
  try {
    const dir = cacheDir((name) => nonEmpty(readEnv(name)) ?? dotEnv[name]);
    Deno.stdout.writeSync(new TextEncoder().encode(`${dir}\n`));
  } catch (error) {
    // deno-lint-ignore no-console
    console.error(error instanceof Error ? error.message : String(error));
    Deno.exit(1);
  }
}
