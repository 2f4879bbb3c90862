/**
 * Subcommands for people at a terminal: `login` (asks host, username and a hidden password, then
 * caches the token; the password is never stored), `app-token` (an application token in one step,
 * see app_token.ts), `logout` (forgets a host's token) and `tokens` (lists cached tokens, masked,
 * on stdout so the list can be piped; questions and errors go to stderr).
 * @module
 */

import { type Config, normaliseApiUrl } from "../config/load.ts";
import { maskToken } from "../log/redact.ts";
import { TokenCache } from "../sessions/token_cache.ts";
import { appToken } from "./app_token.ts";
import type { CliArgs } from "./args.ts";
import { print, tell } from "./prompt.ts";
import { withPasswordSignIn } from "./sign_in.ts";

function login(args: CliArgs, config: Config, cache: TokenCache): Promise<number> {
  return withPasswordSignIn(args, config, () => Promise.resolve(true), async ({ host, login }) => {
    await cache.put({
      host,
      token: login.auth.token,
      tokenType: "Bearer",
      refresh: login.auth.refresh,
      user: login.user,
      savedAt: new Date().toISOString(),
    });
    tell(`Logged in to ${host} as ${login.user.username}; token cached in ${cache.path}\n`);
    return 0;
  });
}

async function listTokens(cache: TokenCache): Promise<number> {
  const entries = await cache.list();
  if (entries.length === 0) tell(`No cached tokens (${cache.path})\n`);
  for (const entry of entries) {
    print(
      `${entry.host}  ${entry.user.username}  ${entry.tokenType}  ${
        maskToken(entry.token)
      }  saved ${entry.savedAt}\n`,
    );
  }
  return 0;
}

/** Runs `login`, `app-token`, `logout` or `tokens`; returns the exit code. */
export async function runSubcommand(args: CliArgs, config: Config): Promise<number> {
  const cache = new TokenCache(config.cacheDir, { onWarning: (message) => tell(`${message}\n`) });
  switch (args.command) {
    case "login":
      return await login(args, config, cache);
    case "app-token":
      return await appToken(args, config, cache);
    case "logout": {
      const host = args.apiUrl ? normaliseApiUrl(args.apiUrl, "--api-url").host : config.host;
      const removed = await cache.delete(host);
      tell(removed ? `Forgot the token for ${host}\n` : `No cached token for ${host}\n`);
      return 0;
    }
    case "tokens":
      return await listTokens(cache);
    default:
      return 2;
  }
}
