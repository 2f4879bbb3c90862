/**
 * The token cache: `<cacheDir>/tokens.json`, one entry per Taiga host.
 *
 * The file is never readable by group or others (created 0600 inside a 0700
 * directory), always replaced atomically (temp file, fsync, rename), and every
 * read-modify-write runs under an exclusive lock on `tokens.lock`, so several
 * taiga-mcp processes can share it without losing entries.
 *
 * @module
 */

import { join } from "node:path";
import { z } from "zod";
import type { TokenType } from "../taiga/client.ts";
import { parseApiUrl } from "../taiga/url.ts";
import { CacheAccessError, ensureCacheDir, isPermissionRefusal } from "./cache_dir.ts";
import { withFileLock } from "./token_cache_lock.ts";

/** One cached login. */
export interface CachedToken {
  /** Normalised host key, e.g. `https://api.taiga.io`. */
  host: string;
  /** The access token (JWT for Bearer, opaque for Application). */
  token: string;
  /** How the token is sent. */
  tokenType: TokenType;
  /** Refresh token, for Bearer logins. */
  refresh?: string;
  /** The Taiga user the token belongs to. */
  user: { id: number; username: string; fullName?: string };
  /** ISO timestamp of when the entry was saved. */
  savedAt: string;
}

/** Options of a {@link TokenCache}. */
export interface TokenCacheOptions {
  /** Receives warnings (a corrupt file set aside); defaults to a line on stderr. */
  onWarning?: (message: string, error?: TokenCacheCorruptError) => void;
  /** How long to wait for the lock held by another process; default 10000 ms. */
  lockTimeoutMs?: number;
  /** Keep the entries in memory, never on disk (`--sandbox`); `path` then says so. */
  inMemory?: boolean;
}

/** Describes a corrupt token file that was moved aside (passed to `onWarning`). */
export class TokenCacheCorruptError extends Error {
  /** Where the corrupt file now is. */
  readonly movedTo: string;

  /** Creates the error; `message` must not contain file content. */
  constructor(message: string, movedTo: string) {
    super(message);
    this.name = "TokenCacheCorruptError";
    this.movedTo = movedTo;
  }
}

/** Version of the file format written by this module. */
export const TOKEN_CACHE_VERSION = 1;

const entrySchema = z.looseObject({
  host: z.string().min(1),
  token: z.string().min(1),
  tokenType: z.enum(["Bearer", "Application"]),
  refresh: z.string().min(1).optional(),
  user: z.looseObject({
    id: z.number().int(),
    username: z.string(),
    fullName: z.string().optional(),
  }),
  savedAt: z.string().min(1),
});

const fileSchema = z.looseObject({
  version: z.literal(TOKEN_CACHE_VERSION),
  tokens: z.record(z.string(), entrySchema),
});

type TokenMap = Record<string, CachedToken>;

/** Names where a zod validation failed, never the values (they may be secrets). */
function describeIssues(error: z.ZodError): string {
  const issue = error.issues[0];
  const where = issue.path.map((part) =>
    typeof part === "number" ? `[${part}]` : `.${String(part)}`
  )
    .join("");
  return `wrong shape at ${
    where === "" ? "top level" : where.slice(where.startsWith(".") ? 1 : 0)
  }`;
}

/** Parses file text into entries keyed by normalised host, or explains why it cannot. */
function parseFile(text: string): { tokens: TokenMap } | { problem: string } | { future: number } {
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    // The SyntaxError message quotes file content, which may be a token: keep it out.
    return { problem: text.trim() === "" ? "empty file" : "not valid JSON" };
  }
  const version = (json as { version?: unknown } | null)?.version;
  if (typeof version === "number" && version > TOKEN_CACHE_VERSION) return { future: version };
  const parsed = fileSchema.safeParse(json);
  if (!parsed.success) return { problem: describeIssues(parsed.error) };
  const tokens: TokenMap = {};
  for (const [key, entry] of Object.entries(parsed.data.tokens)) {
    let host: string;
    try {
      host = parseApiUrl(key).host;
    } catch {
      return { problem: `wrong shape at tokens: a key is not an http(s) URL` };
    }
    tokens[host] = { ...entry, host } as CachedToken;
  }
  return { tokens };
}

function defaultWarning(message: string): void {
  try {
    Deno.stderr.writeSync(new TextEncoder().encode(`WARNING ${message}\n`));
  } catch {
    // stderr is closed: nowhere left to report.
  }
}

async function exists(path: string): Promise<boolean> {
  try {
    await Deno.lstat(path);
    return true;
  } catch (error) {
    if (error instanceof Deno.errors.NotFound) return false;
    throw error;
  }
}

/** The per-user token cache file, shared safely between processes. */
export class TokenCache {
  /** Path of `tokens.json`. */
  readonly path: string;
  readonly #dir: string;
  readonly #lockPath: string;
  readonly #onWarning: (message: string, error?: TokenCacheCorruptError) => void;
  readonly #lockTimeoutMs: number;
  #memory: TokenMap | undefined; // the entries of an in-memory cache

  /** Uses `<dir>/tokens.json`; nothing is touched on disk until the first call (or ever, inMemory). */
  constructor(dir: string, opts: TokenCacheOptions = {}) {
    this.#dir = dir;
    this.#memory = opts.inMemory ? {} : undefined;
    this.path = opts.inMemory
      ? "(in memory only: a --sandbox server writes no token to disk)"
      : join(dir, "tokens.json");
    this.#lockPath = join(dir, "tokens.lock");
    this.#onWarning = opts.onWarning ?? defaultWarning;
    this.#lockTimeoutMs = opts.lockTimeoutMs ?? 10_000;
  }

  /** The entry for `host` (any URL form of it), if cached. */
  async get(host: string): Promise<CachedToken | undefined> {
    const key = parseApiUrl(host).host;
    return await this.#locked(async () => (await this.#read())[key]);
  }

  /** Every cached entry, sorted by host. */
  async list(): Promise<CachedToken[]> {
    const tokens = await this.#locked(() => this.#read());
    return Object.values(tokens).sort((a, b) => a.host.localeCompare(b.host));
  }

  /** Saves `entry`, replacing any entry for the same normalised host. */
  async put(entry: CachedToken): Promise<void> {
    const checked = entrySchema.safeParse(entry);
    if (!checked.success) {
      throw new TypeError(`Invalid token cache entry: ${describeIssues(checked.error)}`);
    }
    const host = parseApiUrl(entry.host).host;
    await this.#locked(async () => {
      const tokens = await this.#read();
      tokens[host] = { ...entry, host };
      await this.#write(tokens);
    });
  }

  /**
   * Replaces the tokens of `host`'s entry only if it still holds `previousToken` (compare and
   * swap under one lock): a rotation by Taiga is kept, a newer login by someone else is not undone.
   */
  async rotate(
    host: string,
    previousToken: string,
    next: { token: string; refresh?: string },
  ): Promise<boolean> {
    const key = parseApiUrl(host).host;
    return await this.#locked(async () => {
      const tokens = await this.#read();
      const entry = tokens[key];
      if (!entry || entry.token !== previousToken) return false;
      tokens[key] = { ...entry, token: next.token, refresh: next.refresh };
      await this.#write(tokens);
      return true;
    });
  }

  /** Removes the entry for `host`; returns whether there was one. */
  async delete(host: string): Promise<boolean> {
    const key = parseApiUrl(host).host;
    return await this.#locked(async () => {
      const tokens = await this.#read();
      if (!(key in tokens)) return false;
      delete tokens[key];
      await this.#write(tokens);
      return true;
    });
  }

  async #locked<T>(fn: () => Promise<T>): Promise<T> {
    if (this.#memory !== undefined) return await fn();
    try {
      await ensureCacheDir(this.#dir);
      return await withFileLock(this.#lockPath, this.#lockTimeoutMs, fn);
    } catch (error) {
      if (isPermissionRefusal(error)) throw new CacheAccessError(this.#dir);
      throw error;
    }
  }

  /** Reads the file (call under the lock); a corrupt file is set aside and reads as empty. */
  async #read(): Promise<TokenMap> {
    if (this.#memory !== undefined) return { ...this.#memory };
    let text: string;
    try {
      text = await Deno.readTextFile(this.path);
    } catch (error) {
      if (error instanceof Deno.errors.NotFound) return {};
      throw error;
    }
    const result = parseFile(text);
    if ("tokens" in result) {
      await this.#tightenFileMode();
      return result.tokens;
    }
    if ("future" in result) {
      throw new Error(
        `Token cache ${this.path} has format version ${result.future}, newer than this ` +
          `taiga-mcp understands (${TOKEN_CACHE_VERSION}); upgrade taiga-mcp or remove the file`,
      );
    }
    const movedTo = await this.#setAside();
    const error = new TokenCacheCorruptError(
      `Token cache ${this.path} is corrupt (${result.problem}); moved it to ${movedTo} and ` +
        "continued with an empty cache. Log in again, or repair that file and move it back.",
      movedTo,
    );
    this.#onWarning(error.message, error);
    return {};
  }

  /** A file copied in with group/world access is narrowed to 0600 before it is trusted further. */
  async #tightenFileMode(): Promise<void> {
    if (Deno.build.os === "windows") return;
    const info = await Deno.stat(this.path);
    if (info.mode !== null && (info.mode & 0o077) !== 0) await Deno.chmod(this.path, 0o600);
  }

  async #setAside(): Promise<string> {
    const stamp = new Date().toISOString().replace(/[:.]/g, "-");
    let target = `${this.path}.corrupt-${stamp}`;
    for (let n = 1; await exists(target); n++) target = `${this.path}.corrupt-${stamp}-${n}`;
    await Deno.rename(this.path, target);
    return target;
  }

  /** Atomically replaces the file (call under the lock). */
  async #write(tokens: TokenMap): Promise<void> {
    if (this.#memory !== undefined) return void (this.#memory = { ...tokens });
    const sorted = Object.fromEntries(
      Object.entries(tokens).sort(([a], [b]) => a.localeCompare(b)),
    );
    const body = JSON.stringify({ version: TOKEN_CACHE_VERSION, tokens: sorted }, null, 2) + "\n";
    const temp = join(this.#dir, `tokens.json.tmp-${Deno.pid}-${crypto.randomUUID()}`);
    // createNew + mode 0600: the file never exists with wider permissions, not even briefly.
    const file = await Deno.open(temp, { write: true, createNew: true, mode: 0o600 });
    try {
      try {
        if (Deno.build.os !== "windows") await Deno.chmod(temp, 0o600);
        const bytes = new TextEncoder().encode(body);
        let offset = 0;
        while (offset < bytes.length) offset += await file.write(bytes.subarray(offset));
        await file.sync();
      } finally {
        file.close();
      }
      await Deno.rename(temp, this.path);
    } catch (error) {
      await Deno.remove(temp).catch(() => {});
      throw error;
    }
  }
}
