/**
 * Writes `SHA256SUMS` for the release assets in a directory, in the format of `sha256sum`, so
 * users verify a download with `sha256sum -c SHA256SUMS --ignore-missing` (or
 * `shasum -a 256 -c` on macOS).
 *
 * ```sh
 * deno run --allow-read=dist --allow-write=dist scripts/release_checksums.ts dist
 * ```
 *
 * @module
 */

import { join } from "node:path";

/** The name of the checksum file written into the asset directory. */
export const CHECKSUM_FILE = "SHA256SUMS";

/** Lower-case hex SHA-256 of `data`. */
export async function sha256Hex(data: Uint8Array<ArrayBuffer>): Promise<string> {
  const digest = new Uint8Array(await crypto.subtle.digest("SHA-256", data));
  return Array.from(digest, (byte) => byte.toString(16).padStart(2, "0")).join("");
}

/**
 * Hashes every regular file in `dir` (not recursing, skipping the checksum file itself) and
 * returns the `SHA256SUMS` text: one `<hex>  <name>` line per file, sorted by name.
 */
export async function checksumText(dir: string): Promise<string> {
  const names: string[] = [];
  for await (const entry of Deno.readDir(dir)) {
    if (entry.isFile && entry.name !== CHECKSUM_FILE) names.push(entry.name);
  }
  names.sort();
  const lines: string[] = [];
  for (const name of names) {
    lines.push(`${await sha256Hex(await Deno.readFile(join(dir, name)))}  ${name}`);
  }
  return lines.map((line) => `${line}\n`).join("");
}

/** Writes `dir/SHA256SUMS`; returns the number of files listed. */
export async function writeChecksums(dir: string): Promise<number> {
  const text = await checksumText(dir);
  if (text === "") throw new Error(`no files to checksum in ${dir}`);
  await Deno.writeTextFile(join(dir, CHECKSUM_FILE), text);
  return text.split("\n").length - 1;
}

if (import.meta.main) {
  const dir = Deno.args[0] ?? "dist";
  try {
    const count = await writeChecksums(dir);
    Deno.stderr.writeSync(
      new TextEncoder().encode(`wrote ${join(dir, CHECKSUM_FILE)} (${count} files)\n`),
    );
  } catch (error) {
    Deno.stderr.writeSync(
      new TextEncoder().encode(
        `release_checksums: ${error instanceof Error ? error.message : error}\n`,
      ),
    );
    Deno.exit(1);
  }
}
