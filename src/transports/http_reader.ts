/**
 * Buffered reading of one HTTP/1.1 connection for the HTTP transport's own server
 * (http_listener.ts): the bytes read but not yet consumed, the end of a request head, and request
 * bodies (Content-Length or chunked) as web streams that read the socket only when pulled.
 * @module
 */

import type { RequestHead } from "./http_wire.ts";

const CR = 13;
const LF = 10;
/** Free space a body read asks for: big reads for bodies, small buffers for waiting connections. */
const BODY_READ = 16 * 1024;

/** The unconsumed bytes of one connection and the one socket read in flight. */
export class ConnReader {
  readonly #conn: Deno.Conn;
  #buf: Uint8Array<ArrayBuffer>;
  #start = 0;
  #end = 0;
  #pending: Promise<boolean> | undefined;
  #eof = false;

  /** Reads from `conn` into a buffer of `initialSize` bytes, grown on demand. */
  constructor(conn: Deno.Conn, initialSize = 2048) {
    this.#conn = conn;
    this.#buf = new Uint8Array(initialSize);
  }

  /** Bytes read and not consumed yet. */
  get buffered(): number {
    return this.#end - this.#start;
  }

  /**
   * Reads once more from the socket (at least `minFree` bytes of room); resolves false at the end
   * of the stream or on an error. Callers share a read already in flight.
   */
  fill(minFree = 1024): Promise<boolean> {
    this.#pending ??= this.#read(minFree).finally(() => this.#pending = undefined);
    return this.#pending;
  }

  async #read(minFree: number): Promise<boolean> {
    if (this.#eof) return false;
    this.#makeRoom(minFree);
    let count: number | null;
    try {
      count = await this.#conn.read(this.#buf.subarray(this.#end));
    } catch {
      count = null;
    }
    if (count === null) {
      this.#eof = true;
      return false;
    }
    this.#end += count;
    return true;
  }

  #makeRoom(minFree: number): void {
    if (this.#start === this.#end) this.#start = this.#end = 0;
    if (this.#buf.length - this.#end >= minFree) return;
    const size = this.#end - this.#start;
    if (this.#buf.length - size >= minFree) {
      this.#buf.copyWithin(0, this.#start, this.#end);
    } else {
      const grown = new Uint8Array(Math.max(this.#buf.length * 2, size + minFree));
      grown.set(this.#buf.subarray(this.#start, this.#end));
      this.#buf = grown;
    }
    this.#start = 0;
    this.#end = size;
  }

  /** Drops empty lines before a request line (RFC 9112 §2.2 lets a server ignore them). */
  skipBlankLines(): void {
    while (this.#end - this.#start >= 2 && this.#buf[this.#start] === CR) {
      if (this.#buf[this.#start + 1] !== LF) return;
      this.#start += 2;
    }
  }

  /** Length of the head up to and including its blank line, or -1; scanning starts at `from`. */
  headLength(from: number): number {
    const buf = this.#buf;
    for (let i = this.#start + Math.max(0, from - 3); i + 3 < this.#end; i++) {
      if (buf[i + 3] !== LF) continue;
      if (buf[i] === CR && buf[i + 1] === LF && buf[i + 2] === CR) return i + 4 - this.#start;
    }
    return -1;
  }

  /** Removes `length` bytes and returns them as a Latin-1 string (header bytes, one char each). */
  takeText(length: number): string {
    const bytes = this.#buf.subarray(this.#start, this.#start + length);
    this.#start += length;
    let text = "";
    for (let i = 0; i < bytes.length; i += 4096) {
      text += String.fromCharCode(...bytes.subarray(i, i + 4096));
    }
    return text;
  }

  /** Removes and returns (a copy of) `length` bytes, all of them buffered already. */
  takeBytes(length: number): Uint8Array<ArrayBuffer> {
    const bytes = this.#buf.slice(this.#start, this.#start + length);
    this.#start += length;
    return bytes;
  }

  /** Removes and returns (a copy of) at most `max` buffered bytes, reading first if none are. */
  async take(max: number): Promise<Uint8Array | null> {
    if (this.buffered === 0 && !(await this.fill(BODY_READ))) return null;
    const length = Math.min(max, this.buffered);
    const chunk = this.#buf.slice(this.#start, this.#start + length);
    this.#start += length;
    return chunk;
  }

  /** Reads and drops everything until the end of the stream, or `max` bytes. */
  async discard(max: number): Promise<void> {
    for (let dropped = 0; dropped < max;) {
      const chunk = await this.take(64 * 1024);
      if (chunk === null) return;
      dropped += chunk.length;
    }
  }

  /** Removes and returns one CRLF-terminated line (without it), or null at EOF or past `max`. */
  async line(max: number): Promise<string | null> {
    for (;;) {
      for (let i = this.#start; i + 1 < this.#end; i++) {
        if (this.#buf[i] === CR && this.#buf[i + 1] === LF) {
          const text = this.takeText(i - this.#start);
          this.#start += 2;
          return text;
        }
      }
      if (this.buffered > max || !(await this.fill())) return null;
    }
  }
}

/** What a request body stream tells its connection. */
export interface BodyHooks {
  /** Before the first read (sends `100 Continue` when the client asked for it). */
  start(): Promise<void>;
  /** The whole body has been read. */
  done(): void;
}

function bodyStream(
  read: (controller: ReadableStreamDefaultController<Uint8Array>) => Promise<void>,
  hooks: BodyHooks,
): ReadableStream<Uint8Array> {
  let started = false;
  return new ReadableStream<Uint8Array>({
    async pull(controller): Promise<void> {
      if (!started) {
        started = true;
        await hooks.start();
      }
      await read(controller);
    },
  }, { highWaterMark: 0 });
}

/** A body of exactly `length` bytes. */
export function lengthBody(
  reader: ConnReader,
  length: number,
  hooks: BodyHooks,
): ReadableStream<Uint8Array> {
  let left = length;
  return bodyStream(async (controller) => {
    const chunk = await reader.take(left);
    if (chunk === null) throw new Error("the connection closed in the middle of the body");
    left -= chunk.length;
    controller.enqueue(chunk);
    if (left === 0) {
      hooks.done();
      controller.close();
    }
  }, hooks);
}

/** A `Transfer-Encoding: chunked` body (chunk extensions and trailers are read and ignored). */
export function chunkedBody(reader: ConnReader, hooks: BodyHooks): ReadableStream<Uint8Array> {
  let left = 0;
  let trailerLines = 0;
  const broken = (why: string) => new Error(`malformed chunked body: ${why}`);
  return bodyStream(async (controller) => {
    for (;;) {
      if (left > 0) {
        const chunk = await reader.take(left);
        if (chunk === null) throw broken("the connection closed in a chunk");
        left -= chunk.length;
        if (left === 0 && (await reader.line(2)) !== "") throw broken("no CRLF after a chunk");
        controller.enqueue(chunk);
        return;
      }
      const line = await reader.line(1024);
      if (line === null) throw broken("no chunk size");
      const digits = line.split(";")[0].trim();
      if (!/^[0-9a-fA-F]{1,12}$/.test(digits)) throw broken(`chunk size ${JSON.stringify(digits)}`);
      left = parseInt(digits, 16);
      if (left > 0) continue;
      for (;;) {
        const trailer = await reader.line(8192);
        if (trailer === null || ++trailerLines > 100) throw broken("trailers");
        if (trailer === "") break;
      }
      hooks.done();
      controller.close();
      return;
    }
  }, hooks);
}

/**
 * The `Request` for `head` at `url`, with `signal`; its body is taken at once when it is all
 * buffered already (`bodyDone`), else streamed from `reader`. Throws as the Request constructor
 * does (e.g. a GET with a body, an invalid header value).
 */
export function readRequest(
  url: string,
  head: RequestHead,
  reader: ConnReader,
  hooks: BodyHooks,
  signal: AbortSignal,
): { request: Request; bodyDone: boolean } {
  let body: BodyInit | null = null;
  let bodyDone = head.body === 0;
  if (typeof head.body === "number" && head.body > 0 && reader.buffered >= head.body) {
    body = reader.takeBytes(head.body);
    bodyDone = true;
  } else if (head.body !== 0) {
    body = head.body === "chunked"
      ? chunkedBody(reader, hooks)
      : lengthBody(reader, head.body, hooks);
  }
  const init = { method: head.method, headers: head.headers, body, duplex: "half" };
  const request = new Request(url, init as RequestInit);
  // The `signal` option would cost ~25 µs a request (a dependent AbortSignal); this is free.
  Object.defineProperty(request, "signal", { value: signal });
  return { request, bodyDone };
}
