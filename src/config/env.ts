/**
 * The fixed set of environment variables taiga-mcp may read, and the one
 * function through which the program reads them.
 *
 * @module
 */

import { allSettings, PLATFORM_ENV_VARS } from "./settings.ts";

/**
 * Every environment variable the program may read, from the settings table. This is exactly the
 * list given to `--allow-env=`; reading anything else is a bug.
 */
export const ENV_VARS: readonly string[] = Object.freeze([
  ...new Set([...allSettings().flatMap((spec) => spec.env), ...PLATFORM_ENV_VARS]),
]);

/** A lookup of one environment variable by name; `undefined` when unset. */
export type EnvReader = (name: string) => string | undefined;

/**
 * Reads one environment variable from the process environment.
 *
 * Returns `undefined` when the variable is unset, or when the process was not
 * granted permission to read it (`NotCapable`/`PermissionDenied`), so a
 * narrower `--allow-env` list degrades to defaults instead of crashing.
 */
export function readEnv(name: string): string | undefined {
  try {
    return Deno.env.get(name);
  } catch (error) {
    if (error instanceof Deno.errors.NotCapable || error instanceof Deno.errors.PermissionDenied) {
      return undefined;
    }
    throw error;
  }
}

/** Builds the `--allow-env=` flag value for the variables in {@link ENV_VARS}. */
export function allowEnvFlag(): string {
  return `--allow-env=${ENV_VARS.join(",")}`;
}
