/**
 * One attempt of one Taiga request: wait for the rate limit and a free connection, send, read
 * the whole answer — all within the call's deadline and the caller's cancellation.
 *
 * A write (POST, PATCH, PUT, DELETE) goes out on a connection of its own that is never reused:
 * when a reused keep-alive connection breaks, Deno's fetch (hyper) silently sends the request
 * again on a new one — a POST that Taiga already processed would create a second item, and
 * neither we nor the caller would know. Measured: `Connection: close` on the request does not
 * stop that when the pool already holds a live connection; a client with `poolMaxIdlePerHost: 0`
 * does. The cost is a new connection per write.
 * @module
 */

import type { RequestPolicy } from "./policy.ts";

/** Methods that only read: safe on a pooled connection that may be re-sent silently. */
const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/** How far an attempt got before it failed. */
export type SendPhase =
  /** Still waiting for the rate limit or a free connection: nothing went out. */
  | "queued"
  /** Handed to fetch: the request may have reached Taiga. */
  | "sent"
  /** Taiga's status line and headers arrived, the body did not (cut off, stalled). */
  | "answered";

/** An attempt that produced no complete answer. */
export class SendFailure extends Error {
  /** How far it got. */
  readonly phase: SendPhase;
  /** The status Taiga sent, when the head arrived. */
  readonly status?: number;

  /** Wraps `cause` (fetch's or the limiter's error). */
  constructor(cause: unknown, phase: SendPhase, status?: number) {
    super(cause instanceof Error ? cause.message : String(cause), { cause });
    this.name = "SendFailure";
    this.phase = phase;
    this.status = status;
  }
}

/** What to send. */
export interface Outgoing {
  /** HTTP method, upper case. */
  method: string;
  /** Full URL. */
  url: URL;
  /** Request headers. */
  headers: Headers;
  /** Request body, if any. */
  body?: BodyInit;
}

/** The request as sent: `accept` JSON, the authorization, a JSON or multipart body. */
export function toOutgoing(
  method: string,
  url: URL,
  options: { headers?: Record<string, string>; body?: unknown; form?: FormData },
  authorization?: string,
): Outgoing {
  const headers = new Headers(options.headers);
  headers.set("accept", "application/json");
  if (authorization !== undefined) headers.set("authorization", authorization);
  let body: BodyInit | undefined;
  if (options.form) body = options.form;
  else if (options.body !== undefined) {
    headers.set("content-type", "application/json");
    body = JSON.stringify(options.body);
  }
  return { method, url, headers, body };
}

/**
 * Sends `request` once under `policy` and reads the whole answer before `deadline` (epoch ms).
 * @throws {SendFailure} with the phase it reached.
 */
export async function sendOnce(
  policy: RequestPolicy,
  request: Outgoing,
  deadline: number,
  signal?: AbortSignal,
): Promise<{ response: Response; text: string }> {
  // A cleared timer rather than AbortSignal.timeout, which keeps every request's signal alive
  // for the whole REQUEST_TIMEOUT after the answer; the caller's cancellation is forwarded by a
  // listener removed afterwards, not AbortSignal.any (about 12 µs and weak references a call).
  const stop = new AbortController();
  const joined = stop.signal;
  const timer = setTimeout(
    () => stop.abort(new DOMException("request timed out", "TimeoutError")),
    Math.max(1, deadline - Date.now()),
  );
  const cancel = (): void => stop.abort(signal?.reason);
  if (signal?.aborted) cancel();
  else signal?.addEventListener("abort", cancel, { once: true });
  let phase: SendPhase = "queued";
  let status: number | undefined;
  let release: (() => void) | undefined;
  const single = READS.has(request.method)
    ? undefined
    : Deno.createHttpClient({ poolMaxIdlePerHost: 0 });
  try {
    // A slot that would leave Taiga no time to answer fails now, as our limit, not later as a
    // timeout blamed on Taiga.
    await policy.rateLimiter.acquire(joined, deadline - Math.min(1000, policy.timeoutMs / 4));
    release = await policy.semaphore.acquire(joined);
    phase = "sent";
    const response = await fetch(request.url, {
      method: request.method,
      headers: request.headers,
      body: request.body,
      signal: joined,
      client: single ?? policy.httpClient,
    });
    phase = "answered";
    status = response.status;
    return { response, text: await response.text() };
  } catch (error) {
    throw new SendFailure(error, phase, status);
  } finally {
    release?.();
    single?.close();
    clearTimeout(timer);
    signal?.removeEventListener("abort", cancel);
  }
}
