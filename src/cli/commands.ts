/**
 * Subcommands for people at a terminal: `login` (asks host, username and a hidden password, then
 * caches the token; the password is never stored), `logout` (forgets a host's token) and `tokens`
 * (lists cached tokens, masked).
 * @module
 */

import { type Config, normaliseApiUrl } from "../config/load.ts";
import { maskToken } from "../log/redact.ts";
import { loginWithPassword } from "../sessions/auth.ts";
import { TokenCache } from "../sessions/token_cache.ts";
import { createRequestPolicy } from "../taiga/policy.ts";
import type { CliArgs } from "./args.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function write(text: string): void {
  Deno.stderr.writeSync(encoder.encode(text));
}

/** Reads one line from stdin; with `hidden`, the terminal does not echo what is typed. */
export async function readLine(question: string, hidden = false): Promise<string> {
  write(question);
  const raw = hidden && Deno.stdin.isTerminal();
  if (raw) Deno.stdin.setRaw(true);
  const bytes: number[] = [];
  const buffer = new Uint8Array(1);
  try {
    while (true) {
      const read = await Deno.stdin.read(buffer);
      if (read === null || read === 0) break;
      const byte = buffer[0];
      if (byte === 3) throw new Error("cancelled");
      if (byte === 10 || byte === 13) break;
      if (byte === 127 || byte === 8) bytes.pop();
      else bytes.push(byte);
    }
  } finally {
    if (raw) {
      Deno.stdin.setRaw(false);
      write("\n");
    }
  }
  return decoder.decode(new Uint8Array(bytes)).trim();
}

async function login(args: CliArgs, config: Config, cache: TokenCache): Promise<number> {
  const hostAnswer = args.apiUrl ?? (await readLine(`Taiga URL [${config.host}]: `) || config.host);
  const { apiUrl, host } = normaliseApiUrl(hostAnswer);
  const username = args.username ?? await readLine("Username or email: ");
  const password = await readLine("Password (not shown): ", true);
  if (!username || !password) {
    write("taiga-mcp: username and password are required\n");
    return 2;
  }
  const policy = createRequestPolicy(config);
  try {
    const login = await loginWithPassword(apiUrl, policy, username, password);
    await cache.put({
      host,
      token: login.auth.token,
      tokenType: "Bearer",
      refresh: login.auth.refresh,
      user: login.user,
      savedAt: new Date().toISOString(),
    });
    write(`Logged in to ${host} as ${login.user.username}; token cached in ${cache.path}\n`);
    return 0;
  } finally {
    policy.httpClient?.close();
  }
}

/** Runs `login`, `logout` or `tokens`; returns the exit code. */
export async function runSubcommand(args: CliArgs, config: Config): Promise<number> {
  const cache = new TokenCache(config.cacheDir, { onWarning: (message) => write(`${message}\n`) });
  switch (args.command) {
    case "login":
      return await login(args, config, cache);
    case "logout": {
      const host = args.apiUrl ? normaliseApiUrl(args.apiUrl).host : config.host;
      const removed = await cache.delete(host);
      write(removed ? `Forgot the token for ${host}\n` : `No cached token for ${host}\n`);
      return 0;
    }
    case "tokens": {
      const entries = await cache.list();
      if (entries.length === 0) write(`No cached tokens (${cache.path})\n`);
      for (const entry of entries) {
        write(
          `${entry.host}  ${entry.user.username}  ${entry.tokenType}  ${
            maskToken(entry.token)
          }  saved ${entry.savedAt}\n`,
        );
      }
      return 0;
    }
    default:
      return 2;
  }
}
