/**
 * Writing one `Response` on an HTTP/1.1 connection of the HTTP transport's own server
 * (http_conn.ts): a body of known size in one write with Content-Length, an event stream chunk by
 * chunk (chunked, or until the connection closes for HTTP/1.0), no body for HEAD, 1xx, 204, 304.
 * @module
 */

import { chunkFrame, joinBytes, type RequestHead, responseHead } from "./http_wire.ts";

const LAST_CHUNK = new TextEncoder().encode("0\r\n\r\n");

/** The connection as the response writer sees it. */
export interface ResponseSink {
  /** Writes all of `bytes`; false when the connection failed, stalled or was dropped. */
  write(bytes: Uint8Array): Promise<boolean>;
  /** Whether the connection is closed. */
  closed(): boolean;
  /** Whether the connection may carry another request after this one. */
  keep(): boolean;
  /** The keep-alive idle time announced to the client, seconds. */
  idleSeconds: number;
  /** Told how to cancel the event stream being written (undefined once it is over). */
  onCancel(cancel: (() => void) | undefined): void;
}

/** Writes `response` to the request `head`; resolves whether it was written whole. */
export async function writeResponse(
  head: RequestHead,
  response: Response,
  sink: ResponseSink,
): Promise<boolean> {
  const { status, statusText, headers } = response;
  const persistence = () =>
    sink.keep() ? `keep-alive: timeout=${sink.idleSeconds}` : "connection: close";
  const bodyless = head.method === "HEAD" || status === 204 || status === 304 || status < 200;
  if (response.body === null || bodyless) {
    await response.body?.cancel().catch(() => undefined);
    const framing = bodyless ? [persistence()] : ["content-length: 0", persistence()];
    return await sink.write(joinBytes(responseHead(status, statusText, headers, framing)));
  }
  if (!(headers.get("content-type") ?? "").toLowerCase().startsWith("text/event-stream")) {
    let bytes: Uint8Array;
    try {
      bytes = new Uint8Array(await response.arrayBuffer());
    } catch {
      return false;
    }
    const framing = [`content-length: ${bytes.length}`, persistence()];
    return await sink.write(joinBytes(responseHead(status, statusText, headers, framing), bytes));
  }
  const chunked = head.minor === 1;
  const framing = chunked ? ["transfer-encoding: chunked", persistence()] : ["connection: close"];
  const reader = response.body.getReader();
  const cancel = () => void reader.cancel().catch(() => undefined);
  sink.onCancel(cancel);
  try {
    if (!(await sink.write(joinBytes(responseHead(status, statusText, headers, framing))))) {
      return false;
    }
    for (;;) {
      const { done, value } = await reader.read();
      if (done) return chunked && !sink.closed() && await sink.write(LAST_CHUNK);
      if (value.length > 0 && !(await sink.write(chunked ? chunkFrame(value) : value))) {
        return false;
      }
    }
  } catch {
    return false;
  } finally {
    cancel();
    sink.onCancel(undefined);
  }
}
