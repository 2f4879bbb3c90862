/**
 * Runs a Deno script in a child process the way the permission and logging tests need it:
 * `deno run -q --no-prompt --config <this repo's deno.json> <flags> <script> <args>`, stdin closed,
 * stdout and stderr captured, exit code 0 required.
 * @module
 */

import assert from "node:assert/strict";

/** The repository's deno.json, so a child resolves the same imports as the tests. */
export const DENO_JSON: string = new URL("../../deno.json", import.meta.url).pathname;

/** Options of {@link runDeno}. */
export interface DenoRunOptions {
  /** Flags before the script (permissions such as `--allow-read=.env`). */
  flags?: readonly string[];
  /** Arguments after the script. */
  args?: readonly string[];
  /** Working directory of the child. */
  cwd?: string;
  /** Environment of the child (added to the inherited one unless `clearEnv`). */
  env?: Record<string, string>;
  /** Start the child with only `env`. */
  clearEnv?: boolean;
}

/** What a child wrote, decoded. */
export interface DenoRunOutput {
  /** Its stdout. */
  stdout: string;
  /** Its stderr. */
  stderr: string;
}

/** Runs `script` (a path or file URL) in a child Deno; asserts it exits 0 (stderr as the message). */
export async function runDeno(
  script: string | URL,
  options: DenoRunOptions = {},
): Promise<DenoRunOutput> {
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-q",
      "--no-prompt",
      "--config",
      DENO_JSON,
      ...options.flags ?? [],
      script instanceof URL ? script.pathname : script,
      ...options.args ?? [],
    ],
    cwd: options.cwd,
    env: options.env,
    clearEnv: options.clearEnv,
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  const result = {
    stdout: new TextDecoder().decode(out.stdout),
    stderr: new TextDecoder().decode(out.stderr),
  };
  assert.equal(out.code, 0, result.stderr);
  return result;
}
