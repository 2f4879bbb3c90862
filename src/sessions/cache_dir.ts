/**
 * The token-cache directory on disk: created private (0700), and tightened when it is ours.
 * Where it is comes from the configuration (config/cache_dir.ts).
 * @module
 */

/** The directory name taiga-mcp uses inside the platform cache directory. */
export const APP_DIR_NAME = "taiga-mcp";

/**
 * Creates `dir` (and missing parents) with mode 0700. An existing `taiga-mcp` directory with
 * group or world access is tightened to 0700; any other existing directory is left as it is
 * (not on Windows, which has no such modes).
 */
export async function ensureCacheDir(dir: string): Promise<void> {
  const existed = await Deno.stat(dir).then(() => true, () => false);
  await Deno.mkdir(dir, { recursive: true, mode: 0o700 });
  if (Deno.build.os === "windows") return;
  // Only our own directory is tightened: TAIGA_CACHE_DIR may name a shared one (even $HOME),
  // whose mode is not ours to change; the token file itself is 0600 either way.
  if (existed && !dir.replace(/[\\/]+$/, "").endsWith(APP_DIR_NAME)) return;
  const info = await Deno.stat(dir);
  if (info.mode !== null && (info.mode & 0o077) !== 0) await Deno.chmod(dir, 0o700);
}

/**
 * The token-cache directory is not readable and writable by this process: its permission flags
 * name another path. A configuration problem, said with the path the flags must allow.
 */
export class CacheAccessError extends Error {
  /** Reported as `error_type`. */
  readonly type = "config" as const;

  /** For the cache directory `dir`. */
  constructor(dir: string) {
    super(
      `The token cache directory ${dir} is not allowed by this process's permissions. Start taiga-mcp with --allow-read=${dir} --allow-write=${dir} (deno run form), set TAIGA_CACHE_DIR to a directory the flags allow, or run the binary (see docs/user-guide/install.md).`,
    );
    this.name = "CacheAccessError";
  }
}

/** Whether `error` is Deno refusing access for lack of a permission flag. */
export function isPermissionRefusal(error: unknown): boolean {
  return error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied;
}
