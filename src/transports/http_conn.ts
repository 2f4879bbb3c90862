/**
 * One HTTP/1.1 connection of the HTTP transport's own server (http_listener.ts): reads request
 * heads under a deadline, hands each request to the handler as a web `Request`, writes the
 * `Response` (bodies of known size with Content-Length, event streams chunked), keeps the
 * connection alive between requests for a while, and closes it when a head, a body or a write
 * stalls, or when the client goes away (the request's signal is aborted and its stream cancelled).
 * @module
 */

import type { Logger } from "../log/logger.ts";
import type { Meter } from "./http_backlog.ts";
import type { ConnectionLimits, HttpHandler } from "./http_options.ts";
import { ConnReader, readRequest } from "./http_reader.ts";
import { writeResponse } from "./http_respond.ts";
import {
  jsonError,
  parseHead,
  reasonOf,
  refusal,
  type RequestHead,
  requestUrl,
} from "./http_wire.ts";

/** What a connection needs from its server. */
export interface ConnectionContext {
  /** The request handler. */
  handler: HttpHandler;
  /** The limits. */
  limits: ConnectionLimits;
  /** Where failures are reported. */
  log: Logger;
  /** Host of the URL of an HTTP/1.0 request without a Host header. */
  defaultHost: string;
  /** Counts the bytes of `response` written but not yet taken by the socket; `drop` closes. */
  meter?: (request: Request, response: Response, drop: () => void) => Meter;
}

const CONTINUE = new TextEncoder().encode("HTTP/1.1 100 Continue\r\n\r\n");
/** Request body bytes read and thrown away after the answer, before closing (lingering close). */
const LINGER_BYTES = 4 * 1024 * 1024;
const LINGER_MS = 2000;

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/** One accepted connection and its request loop. */
export class HttpConnection {
  readonly #conn: Deno.Conn;
  readonly #reader: ConnReader;
  readonly #ctx: ConnectionContext;
  #waiting = true;
  #since = performance.now();
  #closed = false;
  #draining = false;
  #exchanges = 0;
  /** When the current wait for the client (head, body, lingering) runs out, and what then. */
  #readDeadline = Infinity;
  #onReadDeadline: () => void = () => {};
  /** When the write in flight counts as stalled. */
  #writeDeadline = Infinity;
  #cancelStream: (() => void) | undefined;

  /** Wraps an accepted connection; {@link serve} runs it. */
  constructor(conn: Deno.Conn, ctx: ConnectionContext) {
    this.#conn = conn;
    this.#reader = new ConnReader(conn);
    this.#ctx = ctx;
  }

  /** Whether it waits for a request head (idle between requests, or a head still arriving). */
  get waiting(): boolean {
    return this.#waiting;
  }

  /** When it started waiting, or its current exchange started (performance.now). */
  get since(): number {
    return this.#since;
  }

  /**
   * Enforces the deadlines; the server calls it on every tick (one timer for all connections is
   * much cheaper than timers set and cleared around every read and write).
   */
  tick(now: number): void {
    if (now >= this.#writeDeadline) {
      this.#ctx.log.debug("HTTP client stopped reading its response: connection closed");
      this.close();
    } else if (now >= this.#readDeadline) {
      this.#readDeadline = Infinity;
      this.#onReadDeadline();
    }
  }

  /** Closes the socket now; a read or write in flight fails and the loop ends. */
  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#readDeadline = this.#writeDeadline = Infinity;
    this.#cancelStream?.();
    try {
      this.#conn.close();
    } catch {
      // Already closed.
    }
  }

  /** Closes it now when waiting, else once the current exchange has been answered. */
  drain(): void {
    this.#draining = true;
    if (this.#waiting) this.close();
  }

  /** Serves requests until the connection closes. */
  async serve(): Promise<void> {
    try {
      for (let first = true; !this.#closed && !this.#draining; first = false) {
        const head = await this.#nextHead(first);
        if (head === undefined || !(await this.#exchange(head))) break;
      }
    } catch (error) {
      this.#ctx.log.debug(`HTTP connection failed: ${errorText(error)}`);
    } finally {
      this.close();
    }
  }

  #arm(ms: number, expire: () => void): void {
    this.#readDeadline = performance.now() + ms;
    this.#onReadDeadline = expire;
  }

  #disarm(): void {
    this.#readDeadline = Infinity;
  }

  /** Ends a wait that ran out: 408 when part of a head arrived, silently otherwise. */
  #expire(started: () => boolean): () => void {
    return () => {
      this.#draining = true;
      if (!started()) return this.close();
      const seconds = this.#ctx.limits.headTimeoutMs / 1000;
      const message = `Request Timeout: the request head did not arrive within ${seconds} s`;
      void this.#write(refusal(408, message)).finally(() => this.close());
    };
  }

  async #nextHead(first: boolean): Promise<RequestHead | undefined> {
    const { limits } = this.#ctx;
    const reader = this.#reader;
    this.#waiting = true;
    this.#since = performance.now();
    let started = first;
    const expire = this.#expire(() => reader.buffered > 0);
    this.#arm(started ? limits.headTimeoutMs : limits.idleTimeoutMs, expire);
    for (let scanned = 0;;) {
      if (scanned === 0) reader.skipBlankLines();
      if (!started && reader.buffered > 0) {
        started = true;
        this.#arm(limits.headTimeoutMs, expire);
      }
      const length = reader.headLength(scanned);
      scanned = length >= 0 ? length : reader.buffered;
      if (scanned > limits.maxHeadBytes) {
        this.#disarm();
        const limit = `the request head must not exceed ${limits.maxHeadBytes} bytes`;
        return void await this.#refuse(431, `Request Header Fields Too Large: ${limit}`);
      }
      if (length >= 0) {
        this.#disarm();
        const parsed = parseHead(reader.takeText(length));
        if (parsed.ok) return parsed.head;
        return void await this.#refuse(parsed.status, `${reasonOf(parsed.status)}: ${parsed.why}`);
      }
      if (!(await reader.fill()) || this.#draining) return undefined;
    }
  }

  /** Serves one request; resolves whether the connection may carry another. */
  async #exchange(head: RequestHead): Promise<boolean> {
    this.#waiting = false;
    this.#since = performance.now();
    const id = ++this.#exchanges;
    const url = requestUrl(head, this.#ctx.defaultHost);
    if (url === undefined) {
      await this.#refuse(400, "Bad Request: invalid Host header or request target");
      return false;
    }
    const abort = new AbortController();
    let bodyDone = false;
    const hooks = {
      start: () => head.expectContinue ? this.#write(CONTINUE).then(() => {}) : Promise.resolve(),
      done: () => {
        bodyDone = true;
        this.#disarm();
        this.#watch(id, abort);
      },
    };
    let request: Request;
    try {
      ({ request, bodyDone } = readRequest(url, head, this.#reader, hooks, abort.signal));
    } catch (error) {
      await this.#refuse(400, `Bad Request: ${errorText(error)}`);
      return false;
    }
    if (bodyDone) this.#watch(id, abort);
    else {
      this.#arm(this.#ctx.limits.bodyTimeoutMs, () => {
        this.#ctx.log.debug("HTTP request body did not arrive in time: connection closed");
        this.close();
      });
    }
    let response: Response;
    try {
      response = await this.#ctx.handler(request);
    } catch (error) {
      this.#ctx.log.error(`HTTP request failed: ${errorText(error)}`);
      response = jsonError(500, -32603, "Internal error");
    }
    const keep = () => bodyDone && !head.close && !this.#draining && !this.#closed;
    const meter = this.#ctx.meter?.(request, response, () => this.close());
    const written = await writeResponse(head, response, {
      write: (bytes) => this.#write(bytes, meter),
      closed: () => this.#closed,
      keep,
      idleSeconds: Math.floor(this.#ctx.limits.idleTimeoutMs / 1000),
      onCancel: (cancel) => this.#cancelStream = cancel,
    });
    meter?.close();
    this.#disarm();
    if (written && !bodyDone) await this.#linger();
    return written && keep();
  }

  /** Starts watching the socket while a request is served: pipelined bytes are kept, EOF aborts. */
  #watch(id: number, abort: AbortController): void {
    const current = () => this.#exchanges === id && !this.#waiting && !this.#closed;
    void (async () => {
      while (current() && this.#reader.buffered < this.#ctx.limits.maxHeadBytes) {
        if (await this.#reader.fill()) continue;
        if (current()) {
          abort.abort();
          this.#cancelStream?.();
        }
        return;
      }
    })();
  }

  /**
   * Writes all of `bytes`, counted by `meter` until the socket takes them; false (and the
   * connection closed) when the write fails or stalls, or the meter is over its bound.
   */
  async #write(bytes: Uint8Array, meter?: Meter): Promise<boolean> {
    if (meter && !meter.add(bytes.length)) return false;
    for (let offset = 0; offset < bytes.length;) {
      if (this.#closed) return false;
      this.#writeDeadline = performance.now() + this.#ctx.limits.writeStallMs;
      try {
        const written = await this.#conn.write(bytes.subarray(offset));
        offset += written;
        meter?.remove(written);
      } catch {
        this.close();
        return false;
      } finally {
        this.#writeDeadline = Infinity;
      }
    }
    return true;
  }

  /** Sends a transport-level refusal and closes. */
  async #refuse(status: number, message: string): Promise<void> {
    this.#draining = true;
    if (await this.#write(refusal(status, message))) await this.#linger();
    this.close();
  }

  /**
   * After answering a request whose body was not read: stop sending, read and drop what the
   * client still sends (up to a bound), then close — closing with unread bytes would reset the
   * connection and could destroy the answer before the client reads it.
   */
  async #linger(): Promise<void> {
    this.#draining = true;
    const conn = this.#conn as Deno.TcpConn;
    try {
      await conn.closeWrite();
    } catch {
      return this.close();
    }
    this.#arm(LINGER_MS, () => this.close());
    await this.#reader.discard(LINGER_BYTES);
    this.close();
  }
}
