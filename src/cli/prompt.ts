/**
 * The terminal side of the subcommands: questions and messages go to stderr (stdout stays for
 * what a person may pipe, such as `tokens`), answers come from stdin, a password without echo.
 * @module
 */

import { type Config, normaliseApiUrl } from "../config/load.ts";
import { ConfigError } from "../config/parse.ts";
import type { TaigaUrl } from "../taiga/url.ts";

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** Writes `text` to stderr as it is (questions, messages, errors). */
export function tell(text: string): void {
  Deno.stderr.writeSync(encoder.encode(text));
}

/** Writes `text` to stdout as it is (results meant for a pipe). */
export function print(text: string): void {
  Deno.stdout.writeSync(encoder.encode(text));
}

/** Reads one line from stdin; with `hidden`, the terminal does not echo what is typed. */
export async function readLine(question: string, hidden = false): Promise<string> {
  tell(question);
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
      tell("\n");
    }
  }
  return decoder.decode(new Uint8Array(bytes)).trim();
}

/** How many times a question is asked again after an answer it cannot use. */
const ATTEMPTS = 3;

/**
 * The Taiga to log in to: `--api-url` when given (an invalid one stops, as any flag does), else
 * asked, with the configured URL as the default. An answer that is not a Taiga URL (a host
 * without `https://`, say) is explained and asked again.
 */
export async function askTaiga(given: string | undefined, config: Config): Promise<TaigaUrl> {
  if (given !== undefined) return normaliseApiUrl(given, "--api-url");
  let offered = config.host;
  for (let attempt = 1;; attempt++) {
    const answer = await readLine(`Taiga URL [${offered}]: `) || offered;
    try {
      return normaliseApiUrl(answer, "Taiga URL");
    } catch (error) {
      if (!(error instanceof ConfigError) || attempt >= ATTEMPTS) throw error;
      // A bare host name (the usual slip): offer it with https:// as the next default.
      const bareHost = /^[\w.-]+(:\d+)?(\/\S*)?$/.test(answer);
      if (bareHost) offered = `https://${answer}`;
      const hint = bareHost ? ` Press Enter for ${offered}, or type another URL.` : " Try again.";
      tell(`${error.message.replace(/[.\s]+$/, "")}.${hint}\n`);
    }
  }
}

/** A username (`--username` or asked) and a password (asked, never echoed, never stored). */
export async function askCredentials(
  username: string | undefined,
): Promise<{ username: string; password: string } | undefined> {
  const name = username ?? await readLine("Username or email: ");
  const password = await readLine("Password (not shown): ", true);
  if (!name || !password) {
    tell("taiga-mcp: username and password are required\n");
    return undefined;
  }
  return { username: name, password };
}
