/**
 * What every generator script shares: formatting text exactly as `deno fmt` (this repository's
 * deno.json) would, so a generated file passes `deno fmt --check`, and the command line that
 * writes a generated file or, with `--check`, exits 1 when the committed one is stale.
 * @module
 */

import { parseArgs } from "node:util";

const ROOT = new URL("..", import.meta.url);

/** `text` formatted by `deno fmt` as a file with extension `ext` ("md", "json"). */
export async function formatAs(ext: "md" | "json", text: string): Promise<string> {
  const child = new Deno.Command(Deno.execPath(), {
    args: ["fmt", "--ext", ext, "-"],
    cwd: ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  await writer.write(new TextEncoder().encode(text));
  await writer.close();
  const { success, stdout, stderr } = await child.output();
  if (!success) throw new Error(`deno fmt failed: ${new TextDecoder().decode(stderr)}`);
  return new TextDecoder().decode(stdout);
}

/** Writes one line to stderr: generators keep stdout free for piping. */
export function say(text: string): void {
  Deno.stderr.writeSync(new TextEncoder().encode(`${text}\n`));
}

async function readText(path: URL | string): Promise<string | undefined> {
  try {
    return await Deno.readTextFile(path);
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return undefined;
    throw error;
  }
}

/** One generated file: where it lives, how it is rebuilt and what to tell the person. */
export interface GeneratedFile {
  /** The committed file. */
  defaultOut: URL;
  /** Its path as shown in messages, relative to the repository root. */
  shown: string;
  /** The deno task that rewrites it. */
  task: string;
  /** The file's whole text as the current code would write it. */
  build: () => Promise<string>;
  /** Said after writing, e.g. "86 tools". */
  summary: () => string;
}

/**
 * Command-line entry of a generator: `--out PATH` writes elsewhere, `--check` writes nothing and
 * returns 1 when the file differs from what `build` produces. Returns the exit code.
 */
export async function writeOrCheck(file: GeneratedFile, args: string[]): Promise<number> {
  const { values } = parseArgs({
    args,
    options: { check: { type: "boolean", default: false }, out: { type: "string" } },
  });
  const out = values.out ?? file.defaultOut;
  const shown = typeof out === "string" ? out : file.shown;
  const text = await file.build();
  if (values.check) {
    if (await readText(out) === text) return 0;
    say(`${shown} is out of date: run \`deno task ${file.task}\` and commit the result.`);
    return 1;
  }
  await Deno.writeTextFile(out, text);
  say(`wrote ${shown} (${file.summary()})`);
  return 0;
}
