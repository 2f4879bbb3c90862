/**
 * HTTP/1.1 on the wire for the HTTP transport's own server (http_listener.ts): parsing a request
 * head into method, target, headers and body framing (RFC 9112), and writing response heads and
 * the transport-level refusals (400, 408, 431, 503...) as JSON-RPC error bodies.
 * @module
 */

/** A parsed request head. */
export interface RequestHead {
  /** Request method, as sent. */
  readonly method: string;
  /** Request target: an origin-form path (`/mcp?x=1`), an absolute URL, or `*`. */
  readonly target: string;
  /** 0 for HTTP/1.0, 1 for HTTP/1.1. */
  readonly minor: number;
  /**
   * The header fields as [lower-case name, value] pairs: a `Request` takes these much faster than
   * a `Headers`, and checks the values itself.
   */
  readonly headers: [string, string][];
  /** The Host header; null when absent (HTTP/1.0 only). */
  readonly host: string | null;
  /** Body framing: the Content-Length (0 when none), or `"chunked"`. */
  readonly body: number | "chunked";
  /** Whether the connection closes after this exchange (`Connection: close`, or HTTP/1.0). */
  readonly close: boolean;
  /** Whether the client waits for `100 Continue` before sending the body. */
  readonly expectContinue: boolean;
}

/** A parsed head, or why the request is refused (the connection is closed after the refusal). */
export type HeadResult =
  | { readonly ok: true; readonly head: RequestHead }
  | { readonly ok: false; readonly status: 400 | 501 | 505; readonly why: string };

const REQUEST_LINE = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+) ([\x21-\x7e]+) HTTP\/(\d)\.(\d)$/;
const TOKEN = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;
const EDGE_SPACE = /^[ \t]+|[ \t]+$/g;

function bad(why: string): HeadResult {
  return { ok: false, status: 400, why };
}

/** Parses a request head: `text` is its bytes (Latin-1) up to and including the blank line. */
export function parseHead(text: string): HeadResult {
  const lines = text.split("\r\n");
  const match = REQUEST_LINE.exec(lines[0]);
  if (!match) return bad("malformed request line");
  if (match[3] !== "1") return { ok: false, status: 505, why: "only HTTP/1.0 and 1.1 are served" };
  const minor = match[4] === "0" ? 0 : 1;
  const headers: [string, string][] = [];
  const hosts: string[] = [];
  const lengths: string[] = [];
  let encoding: string | null = null;
  let connection = "";
  let expect = "";
  for (let i = 1; i < lines.length - 2; i++) {
    const line = lines[i];
    const colon = line.indexOf(":");
    const name = colon > 0 ? line.slice(0, colon).toLowerCase() : "";
    if (!TOKEN.test(name)) return bad("malformed header line");
    const value = line.slice(colon + 1).replace(EDGE_SPACE, "");
    headers.push([name, value]);
    if (name === "host") hosts.push(value);
    else if (name === "content-length") lengths.push(...value.split(","));
    else if (name === "transfer-encoding") {
      encoding = encoding === null ? value : `${encoding},${value}`;
    } else if (name === "connection") connection += `,${value.toLowerCase()}`;
    else if (name === "expect") expect = value.toLowerCase();
  }
  if (hosts.length > 1 || (hosts.length === 0 && minor === 1)) {
    return bad("one Host header is required");
  }
  let body: number | "chunked" = 0;
  if (encoding !== null) {
    if (encoding.trim().toLowerCase() !== "chunked") {
      return { ok: false, status: 501, why: "only the chunked transfer coding is accepted" };
    }
    if (lengths.length > 0) return bad("both Transfer-Encoding and Content-Length");
    body = "chunked";
  } else if (lengths.length > 0) {
    const values = new Set(lengths.map((value) => value.trim()));
    const [value] = values;
    if (values.size !== 1 || !/^\d{1,15}$/.test(value)) return bad("invalid Content-Length");
    body = Number(value);
  }
  return {
    ok: true,
    head: {
      method: match[1],
      target: match[2],
      minor,
      headers,
      host: hosts[0] ?? null,
      body,
      close: minor === 0 || connection.split(",").some((token) => token.trim() === "close"),
      expectContinue: minor === 1 && expect === "100-continue",
    },
  };
}

const HOST = /^(?:\[[0-9A-Fa-f:.]+\]|[A-Za-z0-9._~%!$&'()*+;=-]+)(?::(\d{1,5}))?$/;

/**
 * The URL of a request (the Request constructor checks it further), or undefined when its Host
 * is malformed or its port out of range (`defaultHost` stands in for a missing Host, HTTP/1.0).
 */
export function requestUrl(head: RequestHead, defaultHost: string): string | undefined {
  const host = head.host ?? defaultHost;
  const match = HOST.exec(host);
  if (!match || (match[1] !== undefined && Number(match[1]) > 65535)) return undefined;
  const target = head.target;
  if (target.startsWith("/")) return `http://${host}${target}`;
  if (target === "*") return `http://${host}/`;
  const path = /^https?:\/\/[^/?#]+(.*)$/i.exec(target)?.[1];
  if (path === undefined) return undefined;
  return `http://${host}${path.startsWith("/") ? path : `/${path}`}`;
}

const REASONS: Record<number, string> = {
  100: "Continue",
  200: "OK",
  202: "Accepted",
  204: "No Content",
  400: "Bad Request",
  401: "Unauthorized",
  403: "Forbidden",
  404: "Not Found",
  405: "Method Not Allowed",
  406: "Not Acceptable",
  408: "Request Timeout",
  409: "Conflict",
  413: "Content Too Large",
  415: "Unsupported Media Type",
  431: "Request Header Fields Too Large",
  500: "Internal Server Error",
  501: "Not Implemented",
  503: "Service Unavailable",
  505: "HTTP Version Not Supported",
};

/** The reason phrase of `status` ("" when not one this server sends). */
export function reasonOf(status: number): string {
  return REASONS[status] ?? "";
}

/** Framing fields this server writes itself; a handler's own values for them are dropped. */
const FRAMING = new Set(["connection", "keep-alive", "transfer-encoding", "content-length"]);

const encoder = new TextEncoder();

/** A response head: status line, the handler's headers (but framing ones), then `framing` lines. */
export function responseHead(
  status: number,
  statusText: string,
  headers: Headers,
  framing: string[],
): string {
  let text = `HTTP/1.1 ${status} ${statusText || REASONS[status] || ""}\r\n`;
  for (const [name, value] of headers) {
    if (!FRAMING.has(name)) text += `${name}: ${value}\r\n`;
  }
  for (const line of framing) text += `${line}\r\n`;
  return `${text}\r\n`;
}

/** `head` (ASCII) followed by `body`, as one buffer for one write. */
export function joinBytes(head: string, body?: Uint8Array): Uint8Array {
  const bytes = encoder.encode(head);
  if (!body || body.length === 0) return bytes;
  const out = new Uint8Array(bytes.length + body.length);
  out.set(bytes);
  out.set(body, bytes.length);
  return out;
}

/** One chunk of a chunked body. */
export function chunkFrame(data: Uint8Array): Uint8Array {
  const size = `${data.length.toString(16)}\r\n`;
  const out = new Uint8Array(size.length + data.length + 2);
  encoder.encodeInto(size, out);
  out.set(data, size.length);
  out[out.length - 2] = 13;
  out[out.length - 1] = 10;
  return out;
}

/** A JSON-RPC error envelope as a response (the shape the SDK transport uses). */
export function jsonError(status: number, code: number, message: string): Response {
  return new Response(JSON.stringify({ jsonrpc: "2.0", error: { code, message }, id: null }), {
    status,
    headers: { "Content-Type": "application/json" },
  });
}

/** A complete refusal with a JSON-RPC error body, closing the connection. */
export function refusal(status: number, message: string, extra: string[] = []): Uint8Array {
  const body = encoder.encode(
    JSON.stringify({ jsonrpc: "2.0", error: { code: -32000, message }, id: null }),
  );
  const headers = new Headers({ "content-type": "application/json" });
  const framing = [`content-length: ${body.length}`, "connection: close", ...extra];
  return joinBytes(responseHead(status, "", headers, framing), body);
}
