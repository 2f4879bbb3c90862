/**
 * The command lines the benchmarks start our server with: the permissions of the documented
 * direct form (and of `deno task start`), from the program's own list of environment variables.
 * @module
 */

import { ENV_VARS } from "../../src/config/env.ts";

/** `deno run` permission flags of our server with token cache `cacheDir` (relative `.env`). */
export function serverFlags(cacheDir: string): string[] {
  return [
    "--no-prompt",
    "--allow-net",
    `--allow-env=${ENV_VARS.join(",")}`,
    `--allow-read=.env,${cacheDir}`,
    `--allow-write=${cacheDir}`,
  ];
}

/** The `start` task's command line as deno.json has it (undefined when there is none). */
export function startTask(root: string): string | undefined {
  try {
    const config = JSON.parse(Deno.readTextFileSync(`${root}deno.json`));
    const task = config?.tasks?.start;
    return typeof task === "string" ? task : task?.command;
  } catch {
    return undefined;
  }
}

/** How many `deno` processes a task command line starts (`deno` words, roughly). */
export function denoProcessesIn(command: string): number {
  return command.match(/(^|[\s;&|(`$])deno\s/g)?.length ?? 0;
}
