/**
 * The fixed set of environment variables taiga-mcp may read, and the one
 * function through which the program reads them.
 *
 * @module
 */

/**
 * Every environment variable the program may read. This is exactly the list
 * given to `--allow-env=`; reading anything else is a bug.
 */
export const ENV_VARS: readonly string[] = Object.freeze([
  "TAIGA_API_URL",
  "TAIGA_AUTH_TOKEN",
  "TAIGA_TOKEN_TYPE",
  "SESSION_EXPIRY",
  "TAIGA_TRANSPORT",
  "REQUEST_TIMEOUT",
  "MAX_CONNECTIONS",
  "MAX_KEEPALIVE_CONNECTIONS",
  "RATE_LIMIT_REQUESTS",
  "LOG_LEVEL",
  "LOG_FILE",
  "TAIGA_TOOLSETS",
  "TAIGA_READ_ONLY",
  "TAIGA_CACHE_DIR",
  "MCP_HOST",
  "MCP_PORT",
  "FASTMCP_HOST",
  "FASTMCP_PORT",
  "MCP_HTTP_TOKEN",
  "MCP_ALLOWED_HOSTS",
  "MCP_ALLOWED_ORIGINS",
  "MCP_MAX_BODY_BYTES",
  "MCP_SESSION_IDLE_SECONDS",
  "XDG_CACHE_HOME",
  "HOME",
  "LOCALAPPDATA",
  "USERPROFILE",
  "NO_COLOR",
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
