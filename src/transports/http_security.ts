/**
 * The HTTP transport's safety checks: Host and Origin validation against DNS rebinding, the bearer token (compared in constant time), CORS
 * headers for allowed browser origins, and a size-limited body reader.
 * @module
 */

import { isLoopbackHost } from "../config/rules.ts";
import type { HttpConfig } from "../config/settings.ts";
import type { Logger } from "../log/logger.ts";

/** Splits a Host header value into lower-case hostname and port ("" when absent). */
function splitHost(value: string): { hostname: string; port: string } | undefined {
  const match = /^(\[[0-9a-f:.]+\]|[^:[\]]+)(?::(\d{1,5}))?$/i.exec(value.trim());
  if (!match) return undefined;
  return { hostname: match[1].toLowerCase(), port: match[2] ?? "" };
}

/** Lower-cases a host entry and puts a bare IPv6 literal in brackets, as Host headers carry it. */
function bracketIpv6(entry: string): string {
  const name = entry.trim().toLowerCase();
  return (name.match(/:/g)?.length ?? 0) > 1 && !name.startsWith("[") ? `[${name}]` : name;
}

function originOf(value: string): string | undefined {
  try {
    const url = new URL(value);
    return url.protocol === "http:" || url.protocol === "https:" ? url.origin : undefined;
  } catch {
    return undefined;
  }
}

/** Decides which Host and Origin headers are accepted. */
class OriginPolicy {
  readonly #hosts: string[];
  readonly #anyHost: boolean;
  readonly #origins: Set<string>;
  readonly #anyOrigin: boolean;

  /**
   * Loopback names (any port) are always accepted; `allowedHosts` adds `name` (any port) or
   * `name:port` entries, `allowedOrigins` adds full origins; `*` in either accepts anything.
   * `bindHost`, when a specific address, is accepted as a Host too.
   */
  constructor(http: Pick<HttpConfig, "host" | "allowedHosts" | "allowedOrigins">) {
    this.#anyHost = http.allowedHosts.includes("*");
    this.#hosts = http.allowedHosts.filter((entry) => entry !== "*").map(bracketIpv6);
    const bind = bracketIpv6(http.host);
    if (bind !== "0.0.0.0" && bind !== "[::]") this.#hosts.push(bind);
    this.#anyOrigin = http.allowedOrigins.includes("*");
    this.#origins = new Set(
      http.allowedOrigins.map(originOf).filter((entry): entry is string => entry !== undefined),
    );
  }

  /** Whether a request with this Host header may be served. */
  hostAllowed(header: string | null): boolean {
    if (this.#anyHost) return true;
    if (header === null) return false;
    const parsed = splitHost(header);
    if (!parsed) return false;
    if (isLoopbackHost(parsed.hostname)) return true;
    const withPort = parsed.port ? `${parsed.hostname}:${parsed.port}` : parsed.hostname;
    return this.#hosts.some((entry) => entry === parsed.hostname || entry === withPort);
  }

  /** Whether a request with this Origin header may be served (no Origin: not a browser, allowed). */
  originAllowed(header: string | null): boolean {
    if (header === null) return true;
    if (this.#anyOrigin) return true;
    const origin = originOf(header);
    if (origin === undefined) return false;
    return isLoopbackHost(new URL(origin).hostname) || this.#origins.has(origin);
  }
}

const encoder = new TextEncoder();

async function digest(text: string): Promise<Uint8Array> {
  return new Uint8Array(await crypto.subtle.digest("SHA-256", encoder.encode(text)));
}

/** Checks `Authorization: Bearer <token>` headers against the configured token. */
class BearerCheck {
  readonly #expected: Promise<Uint8Array>;

  /** `token` is the configured secret; it is kept only as a SHA-256 digest. */
  constructor(token: string) {
    this.#expected = digest(token);
  }

  /**
   * "ok", "missing" (no bearer credentials) or "invalid". Both sides are hashed first so the
   * comparison takes the same time whatever the token's length or content.
   */
  async check(header: string | null): Promise<"ok" | "missing" | "invalid"> {
    const match = header === null ? null : /^Bearer\s+(\S+)\s*$/i.exec(header);
    if (!match) return "missing";
    const [given, expected] = await Promise.all([digest(match[1]), this.#expected]);
    let difference = 0;
    for (let i = 0; i < expected.length; i++) difference |= given[i] ^ expected[i];
    return difference === 0 ? "ok" : "invalid";
  }
}

/** Headers a browser needs to call us from an allowed origin (none for non-browser clients). */
export function corsHeaders(origin: string | null): Record<string, string> {
  if (origin === null) return {};
  return {
    "Access-Control-Allow-Origin": origin,
    "Access-Control-Expose-Headers": "Mcp-Session-Id, WWW-Authenticate",
    Vary: "Origin",
  };
}

/** The answer to a CORS preflight from an allowed origin. */
function preflightResponse(origin: string | null): Response {
  return new Response(null, {
    status: 204,
    headers: {
      ...corsHeaders(origin),
      "Access-Control-Allow-Methods": "GET, POST, DELETE, OPTIONS",
      "Access-Control-Allow-Headers":
        "Authorization, Content-Type, Accept, Mcp-Session-Id, Mcp-Protocol-Version, Last-Event-ID",
      "Access-Control-Max-Age": "600",
    },
  });
}

/**
 * Builds the check every request but `/healthz` passes first: Host, then Origin (a preflight
 * from an allowed origin is answered here), then the bearer token when one is configured.
 * Resolves to the refusal to send, or undefined to go on.
 */
export function createGuard(
  http: Pick<HttpConfig, "host" | "allowedHosts" | "allowedOrigins" | "token">,
  log: Logger,
): (req: Request, path: string) => Promise<Response | undefined> {
  const policy = new OriginPolicy(http);
  const bearer = http.token ? new BearerCheck(http.token) : undefined;
  const refuse = (status: 401 | 403, path: string, why: string, headers = {}): Response => {
    log.warning(`HTTP ${status} for ${path}: ${why}`);
    const message = status === 401 ? "Unauthorized" : `Forbidden: ${why}`;
    return jsonRpcError(status, -32000, message, headers);
  };
  return async (req, path) => {
    const host = req.headers.get("host");
    if (!policy.hostAllowed(host)) {
      return refuse(403, path, `Host ${JSON.stringify(host)} is not allowed (MCP_ALLOWED_HOSTS)`);
    }
    const origin = req.headers.get("origin");
    if (!policy.originAllowed(origin)) {
      return refuse(
        403,
        path,
        `Origin ${JSON.stringify(origin)} is not allowed (MCP_ALLOWED_ORIGINS)`,
      );
    }
    if (req.method === "OPTIONS") return preflightResponse(origin);
    if (!bearer) return undefined;
    const verdict = await bearer.check(req.headers.get("authorization"));
    if (verdict === "ok") return undefined;
    return refuse(401, path, `${verdict} bearer token`, {
      ...corsHeaders(origin),
      "WWW-Authenticate": verdict === "missing"
        ? 'Bearer realm="taiga-mcp"'
        : 'Bearer realm="taiga-mcp", error="invalid_token"',
    });
  };
}

/** A JSON-RPC error envelope as an HTTP response (the shape the SDK transport uses). */
export function jsonRpcError(
  status: number,
  code: number,
  message: string,
  headers: Record<string, string> = {},
): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }), {
    status,
    headers: { "Content-Type": "application/json", ...headers },
  });
}

/** What {@link readJsonBody} gives: the parsed value, or the error response to send. */
export type BodyResult = { ok: true; value: unknown } | { ok: false; response: Response };

/**
 * Reads a JSON request body of at most `maxBytes`: a larger Content-Length is refused before
 * reading, and a body without one is cut off as soon as it passes the limit (413 either way).
 */
export async function readJsonBody(req: Request, maxBytes: number): Promise<BodyResult> {
  const tooLarge = (): BodyResult => ({
    ok: false,
    response: jsonRpcError(
      413,
      -32000,
      `Payload Too Large: the body must not exceed ${maxBytes} bytes`,
    ),
  });
  const declared = req.headers.get("content-length");
  if (declared !== null && Number(declared) > maxBytes) return tooLarge();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (req.body) {
    const reader = req.body.getReader();
    try {
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        size += value.byteLength;
        if (size > maxBytes) {
          await reader.cancel().catch(() => undefined);
          return tooLarge();
        }
        chunks.push(value);
      }
    } catch {
      return { ok: false, response: jsonRpcError(400, -32700, "Parse error: unreadable body") };
    }
  }
  const bytes = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    bytes.set(chunk, offset);
    offset += chunk.byteLength;
  }
  try {
    return { ok: true, value: JSON.parse(new TextDecoder().decode(bytes)) };
  } catch {
    return { ok: false, response: jsonRpcError(400, -32700, "Parse error: Invalid JSON") };
  }
}
