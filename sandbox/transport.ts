/**
 * Serves a Web-standard handler over real HTTP on loopback.
 *
 * Why `node:http` and not `Deno.serve`: a "drop" fault must make the client's `fetch`
 * reject. `Deno.serve` always sends the response head before the body, so the most it can
 * do is break the body after a 200 head (fetch resolves, reading the body fails).
 * `node:http` hands us the socket, and destroying it before writing anything is exactly a
 * dropped connection. The cost is about 0.2 ms per request on loopback, against ~75-125 ms
 * for a real Taiga.
 *
 * One more subtlety: HTTP clients (hyper, behind Deno's `fetch`) silently retry a request
 * whose *reused* keep-alive connection was closed, so a drop on a reused connection would
 * never reach the caller. While a "drop" fault is queued the server therefore answers with
 * `Connection: close`, and queuing one closes the idle keep-alive connections
 * (`closeAfter` / `closeIdle`): the dropped request always arrives on a fresh connection.
 *
 * The same socket access lets a fault cut a body short or stall it ({@link shapeAnswer}).
 *
 * @module
 */

import http from "node:http";
import type { AddressInfo } from "node:net";

/**
 * How the transport sends one answer's body (fault injection): "truncate" sends `keepBytes`
 * (default half) while Content-Length announces all, then closes; "stall" sends half, then the
 * rest `ms` later.
 */
export type AnswerShape = { kind: "truncate"; keepBytes?: number } | { kind: "stall"; ms: number };

const shapes = new WeakMap<Response, AnswerShape>();

/** Marks `response` to be sent with `shape`; returns it. */
export function shapeAnswer(response: Response, shape: AnswerShape): Response {
  shapes.set(response, shape);
  return response;
}

/** A running HTTP server. */
export interface Served {
  /** `http://host:port`. */
  origin: string;
  /** Closes the keep-alive connections that are idle now. */
  closeIdle(): void;
  /** Stops listening and closes every connection. */
  close(): Promise<void>;
}

/** Options of `serve`. */
export interface ServeOptions {
  port?: number;
  hostname?: string;
  /** When it returns true, the response closes its connection (`Connection: close`). */
  closeAfter?: () => boolean;
}

function toRequest(req: http.IncomingMessage, body: Uint8Array, origin: string): Request {
  const headers = new Headers();
  const raw = req.rawHeaders;
  for (let i = 0; i + 1 < raw.length; i += 2) headers.append(raw[i], raw[i + 1]);
  const method = (req.method ?? "GET").toUpperCase();
  const host = headers.get("host");
  const base = host ? `http://${host}` : origin;
  const init: RequestInit = { method, headers };
  if (method !== "GET" && method !== "HEAD" && body.length > 0) {
    init.body = body as Uint8Array<ArrayBuffer>;
  }
  return new Request(new URL(req.url ?? "/", base), init);
}

async function answer(
  handler: (req: Request) => Promise<Response>,
  req: http.IncomingMessage,
  res: http.ServerResponse,
  origin: string,
  closeAfter: () => boolean,
): Promise<void> {
  const chunks: Uint8Array[] = [];
  for await (const chunk of req) chunks.push(chunk as Uint8Array);
  const size = chunks.reduce((n, c) => n + c.length, 0);
  const body = new Uint8Array(size);
  let offset = 0;
  for (const c of chunks) {
    body.set(c, offset);
    offset += c.length;
  }
  let response: Response;
  try {
    response = await handler(toRequest(req, body, origin));
  } catch {
    // The handler answers every request it can; a rejection means "drop the connection".
    req.socket.destroy();
    return;
  }
  const payload = new Uint8Array(await response.arrayBuffer());
  const headers: [string, string][] = [];
  response.headers.forEach((value, key) => headers.push([key, value]));
  if (response.status !== 204 && response.status !== 304) {
    headers.push(["content-length", String(payload.length)]);
  }
  if (closeAfter()) headers.push(["connection", "close"]);
  res.writeHead(response.status, headers.flat());
  const shape = shapes.get(response);
  if (req.method === "HEAD" || response.status === 204) res.end();
  else if (shape?.kind === "truncate") {
    const keep = Math.min(shape.keepBytes ?? Math.floor(payload.length / 2), payload.length - 1);
    res.write(payload.subarray(0, Math.max(0, keep)), () => req.socket.destroy());
  } else if (shape?.kind === "stall") {
    const half = Math.floor(payload.length / 2);
    res.write(payload.subarray(0, half));
    const timer = setTimeout(() => res.end(payload.subarray(half)), shape.ms);
    res.once("close", () => clearTimeout(timer));
  } else res.end(payload);
}

/** Listens on `hostname:port` (0 = any free port) and serves `handler`. */
export async function serve(
  handler: (req: Request) => Promise<Response>,
  options: ServeOptions = {},
): Promise<Served> {
  const hostname = options.hostname ?? "127.0.0.1";
  const closeAfter = options.closeAfter ?? (() => false);
  let origin = "";
  const server = http.createServer((req, res) => {
    answer(handler, req, res, origin, closeAfter).catch(() => req.socket.destroy());
  });
  server.keepAliveTimeout = 5000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, hostname, () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === "IPv6" ? `[${address.address}]` : address.address;
  origin = `http://${host}:${address.port}`;
  return {
    origin,
    closeIdle: () => server.closeIdleConnections(),
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
