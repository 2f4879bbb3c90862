/**
 * Client ID Metadata Documents (draft-ietf-oauth-client-id-metadata-document): a client_id that
 * is an https URL names a JSON document describing the client, fetched here — with SSRF care:
 * https only, public addresses only (unless the operator allows private ones, for tests), no
 * redirects, 5 s and 5 KB at most, and kept briefly (never a failure).
 * @module
 */

import { isIpLiteral, isPublicAddress } from "./addresses.ts";
import { OAuthError } from "./errors.ts";
import { redirectProblem } from "./redirects.ts";
import { readCapped } from "../taiga/read_capped.ts";

/** What a client's metadata says (registered or fetched), as the server uses it. */
export interface ClientInfo {
  /** The client_id. */
  id: string;
  /** Its name, as it calls itself (unverified). */
  name: string;
  /** Where its authorization responses may go. */
  redirectUris: string[];
  /** Which kind of client_id: a metadata document URL or a registration. */
  kind: "document" | "registered";
}

/** How documents are fetched (injectable for tests). */
export interface DocumentFetchOptions {
  /** fetch (default: the global one). */
  fetch?: typeof fetch;
  /** The addresses of a host name (default: Deno.resolveDns, A and AAAA). */
  resolve?: (host: string) => Promise<string[]>;
  /** Allow private, loopback and link-local addresses (tests only). */
  allowPrivate?: boolean;
  /** Clock (epoch ms). */
  now?: () => number;
}

/** Largest document read (the draft recommends 5 KB). */
const MAX_BYTES = 5120;
const TIMEOUT_MS = 5000;
/** A good document is kept at least this long and at most that long (per process). */
const MIN_KEEP_MS = 60_000;
const MAX_KEEP_MS = 300_000;
const MAX_KEPT = 256;

/** Whether `clientId` is a metadata-document URL (else it must be a registration). */
export function isDocumentClientId(clientId: string): boolean {
  return clientId.startsWith("https://");
}

function refuse(why: string): OAuthError {
  return new OAuthError("invalid_client", `client metadata document ${why}`, 401);
}

/** The URL of a document client_id, or a refusal saying what is wrong with it. */
function documentUrl(clientId: string): URL {
  let url: URL;
  try {
    url = new URL(clientId);
  } catch {
    throw refuse("URL is not a URL");
  }
  if (url.protocol !== "https:") throw refuse("URL must use https");
  if (url.username || url.password) throw refuse("URL must not carry credentials");
  if (url.hash || clientId.includes("#")) throw refuse("URL must not have a fragment");
  if (url.search) throw refuse("URL must not have a query");
  if (url.pathname === "/") throw refuse("URL needs a path");
  // The parser removes . and .. segments, lower-cases the host and drops a default port: a
  // client_id it would change is not in the one form clients and documents compare by.
  if (url.href !== clientId) throw refuse("URL must be in normal form (no . or .. segments)");
  return url;
}

async function systemResolve(host: string): Promise<string[]> {
  const found = await Promise.all(
    (["A", "AAAA"] as const).map((type) => Deno.resolveDns(host, type).catch(() => [] as string[])),
  );
  return found.flat();
}

async function readDocument(response: Response): Promise<string> {
  const bytes = await readCapped(response, MAX_BYTES);
  if (!bytes) throw refuse(`is larger than ${MAX_BYTES} bytes`);
  return new TextDecoder().decode(bytes);
}

/** The ClientInfo of a parsed document, or a refusal naming the first problem. */
export function infoOfDocument(clientId: string, doc: unknown): ClientInfo {
  if (doc === null || typeof doc !== "object" || Array.isArray(doc)) {
    throw refuse("is not a JSON object");
  }
  const record = doc as Record<string, unknown>;
  if (record.client_id !== clientId) throw refuse("has a client_id other than its own URL");
  const uris = record.redirect_uris;
  if (!Array.isArray(uris) || uris.length === 0 || uris.some((uri) => typeof uri !== "string")) {
    throw refuse("needs redirect_uris, a non-empty list of strings");
  }
  const bad = (uris as string[]).find((uri) => redirectProblem(uri) !== undefined);
  if (bad !== undefined) throw refuse(`has a redirect URI that ${redirectProblem(bad)}`);
  if (typeof record.client_name !== "string" || record.client_name.trim() === "") {
    throw refuse("needs a client_name");
  }
  const method = record.token_endpoint_auth_method;
  if (method !== undefined && method !== "none") {
    throw refuse(`asks for ${String(method)}: only public clients (none) are served`);
  }
  if ("client_secret" in record || "client_secret_expires_at" in record) {
    throw refuse("must not hold a client_secret");
  }
  return {
    id: clientId,
    name: record.client_name.trim().slice(0, 100),
    redirectUris: uris as string[],
    kind: "document",
  };
}

function keepMs(response: Response): number {
  const control = response.headers.get("cache-control") ?? "";
  if (/no-store/i.test(control)) return 0;
  const age = Number(/max-age=(\d+)/i.exec(control)?.[1] ?? "0") * 1000;
  return Math.min(MAX_KEEP_MS, Math.max(MIN_KEEP_MS, age));
}

/** Fetches and keeps client metadata documents. */
export class DocumentFetcher {
  readonly #options: DocumentFetchOptions;
  readonly #kept = new Map<string, { info: ClientInfo; until: number }>();

  /** A fetcher with `options` (defaults: the network, public addresses only). */
  constructor(options: DocumentFetchOptions = {}) {
    this.#options = options;
  }

  #now(): number {
    return (this.#options.now ?? Date.now)();
  }

  /** The client of `clientId`, fetched unless kept; an `invalid_client` OAuthError otherwise. */
  async get(clientId: string): Promise<ClientInfo> {
    const known = this.#kept.get(clientId);
    if (known && known.until > this.#now()) return known.info;
    this.#kept.delete(clientId);
    const url = documentUrl(clientId);
    await this.#checkAddresses(url.hostname);
    let response: Response;
    try {
      response = await (this.#options.fetch ?? fetch)(url, {
        redirect: "manual",
        signal: AbortSignal.timeout(TIMEOUT_MS),
        headers: { Accept: "application/json" },
      });
    } catch {
      throw refuse(`could not be fetched from ${url.host}`);
    }
    if (response.status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      throw refuse(`answered HTTP ${response.status} (redirects are not followed)`);
    }
    const type = response.headers.get("content-type")?.split(";")[0].trim().toLowerCase() ?? "";
    if (type !== "application/json" && !/^application\/[\w.+-]+\+json$/.test(type)) {
      await response.body?.cancel().catch(() => undefined);
      throw refuse(`is served as ${type || "no type"}, not application/json`);
    }
    let doc: unknown;
    try {
      doc = JSON.parse(await readDocument(response));
    } catch (error) {
      if (error instanceof OAuthError) throw error;
      throw refuse("is not valid JSON (or took longer than 5 s)");
    }
    const info = infoOfDocument(clientId, doc);
    const keep = keepMs(response);
    if (keep > 0) {
      this.#kept.set(clientId, { info, until: this.#now() + keep });
      while (this.#kept.size > MAX_KEPT) this.#kept.delete(this.#kept.keys().next().value!);
    }
    return info;
  }

  async #checkAddresses(hostname: string): Promise<void> {
    if (this.#options.allowPrivate) return;
    const host = hostname.replace(/^\[|\]$/g, "");
    // fetch resolves the name again, so a rebinding DNS server can still answer differently
    // then: this check is best effort, documented as such.
    const addresses = isIpLiteral(host)
      ? [host]
      : await (this.#options.resolve ?? systemResolve)(host);
    if (addresses.length === 0) throw refuse(`host ${hostname} does not resolve`);
    if (addresses.some((address) => !isPublicAddress(address))) {
      throw refuse(`host ${hostname} resolves to a private or reserved address`);
    }
  }
}
