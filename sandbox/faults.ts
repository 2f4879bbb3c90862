/**
 * Fault injection for reliability tests: throttling (429 + `X-Throttle-Wait-Seconds`, no
 * `Retry-After`, Taiga's body), plain 5xx, canned answers, slow answers, slow or truncated
 * bodies and dropped connections.
 *
 * @module
 */

import { shapeAnswer } from "./transport.ts";

/**
 * One fault to inject. `times` defaults to 1; `match` (default: all) is tested against
 * `"METHOD /api/v1/path"` (no query string).
 *
 * - "drop" / "drop_after": the socket is destroyed before / after the request was processed.
 *   By default the dropped request arrives on a fresh connection (see `hasDrop`); with
 *   `keepAlive: true` it arrives on whatever connection the client reuses — what a real network
 *   does, and what makes an HTTP client re-send it silently.
 * - "truncate": the request is processed, the head announces the whole body
 *   (`Content-Length`), `keepBytes` of it (default: half) are sent, then the socket closes.
 * - "slow_body": the request is processed, the head and half the body are sent, the rest `ms`
 *   later.
 */
export type Fault =
  | { kind: "throttle"; waitSeconds: number; times?: number; match?: RegExp }
  | { kind: "status"; status: number; times?: number; match?: RegExp }
  | { kind: "delay"; ms: number; times?: number; match?: RegExp }
  | { kind: "drop"; keepAlive?: boolean; times?: number; match?: RegExp }
  | { kind: "drop_after"; keepAlive?: boolean; times?: number; match?: RegExp }
  | { kind: "truncate"; keepBytes?: number; times?: number; match?: RegExp }
  | { kind: "slow_body"; ms: number; times?: number; match?: RegExp }
  | {
    kind: "respond";
    status: number;
    body: string;
    contentType?: string;
    times?: number;
    match?: RegExp;
  };

/** Queues faults for the next matching requests. */
export interface FaultInjector {
  /** Queue a fault for the next `times` (default 1) requests whose "METHOD /api/v1/path" matches `match` (default all). */
  add(fault: Fault): void;
  /** Forget every queued fault. */
  clear(): void;
}

interface Queued {
  fault: Fault;
  left: number;
}

/** A drop that must arrive on a fresh connection to reach the client. */
function freshDrop(fault: Fault): boolean {
  return (fault.kind === "drop" || fault.kind === "drop_after") && fault.keepAlive !== true;
}

/** The sandbox's fault queue. The first queued fault that matches a request is used. */
export class FaultQueue implements FaultInjector {
  private queue: Queued[] = [];
  /** Called when a "drop" fault is queued (the transport closes idle keep-alive sockets). */
  onDropQueued: () => void = () => {};

  /** Queues a fault. */
  add(fault: Fault): void {
    const times = fault.times ?? 1;
    if (!Number.isInteger(times) || times < 1) throw new RangeError("times must be ≥ 1");
    this.queue.push({ fault, left: times });
    if (freshDrop(fault)) this.onDropQueued();
  }

  /**
   * Whether a "drop" fault is queued. While one is, the transport answers with
   * `Connection: close`, so the dropped request arrives on a fresh connection: HTTP clients
   * (hyper, behind Deno's fetch) silently retry a request whose *reused* connection was
   * closed, and the drop would never reach the caller.
   */
  hasDrop(): boolean {
    return this.queue.some((q) => freshDrop(q.fault));
  }

  /** Forgets all faults. */
  clear(): void {
    this.queue = [];
  }

  /** Takes the fault for a request, if one matches (consuming one of its `times`). */
  take(method: string, path: string): Fault | undefined {
    const subject = `${method} ${path}`;
    const index = this.queue.findIndex((q) => {
      const re = q.fault.match;
      if (!re) return true;
      re.lastIndex = 0;
      return re.test(subject);
    });
    if (index < 0) return undefined;
    const queued = this.queue[index];
    queued.left -= 1;
    if (queued.left === 0) this.queue.splice(index, 1);
    return queued.fault;
  }
}

/** Thrown (rejected) by the handler when a "drop" fault asks to abort the connection. */
export class ConnectionDropped extends TypeError {
  /** A network-error-like TypeError, as `fetch` rejects with. */
  constructor() {
    super("sandbox: connection dropped (injected fault)");
    this.name = "ConnectionDropped";
  }
}

/** The 429 answer of a throttle fault (taiga-back `exceptions.Throttled`). */
export function throttledResponse(waitSeconds: number): Response {
  const wait = Math.ceil(waitSeconds);
  const body = {
    _error_message: `Request was throttled.Expected available in ${wait} seconds.`,
    _error_type: "taiga.base.exceptions.Throttled",
  };
  return new Response(JSON.stringify(body), {
    status: 429,
    headers: { "Content-Type": "application/json", "X-Throttle-Wait-Seconds": String(wait) },
  });
}

const REASONS: Record<number, string> = {
  500: "Internal Server Error",
  502: "Bad Gateway",
  503: "Service Unavailable",
  504: "Gateway Timeout",
};

/** The plain-text answer of a status fault (what a proxy in front of Taiga sends). */
export function statusResponse(status: number): Response {
  const reason = REASONS[status] ?? "Error";
  return new Response(`${status} ${reason}\n`, {
    status,
    headers: { "Content-Type": "text/plain" },
  });
}

function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    if (signal?.aborted) return resolve();
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal?.removeEventListener("abort", done);
      resolve();
    }
    signal?.addEventListener("abort", done, { once: true });
  });
}

/**
 * The sandbox interceptor that applies `queue`'s faults: a throttle, status or canned answer
 * replaces the sandbox's; "drop" rejects before the request is handled, "drop_after" after it
 * was (the write happened, the answer is lost); "delay" waits (cut short when `signal` aborts);
 * "truncate" and "slow_body" mark the sandbox's answer for the transport to cut or stall.
 */
export function faultInterceptor(
  queue: FaultQueue,
  signal?: AbortSignal,
): (req: Request, next: () => Promise<Response>) => Promise<Response> {
  return async (req, next) => {
    const fault = queue.take(req.method.toUpperCase(), new URL(req.url).pathname);
    switch (fault?.kind) {
      case "throttle":
        return throttledResponse(fault.waitSeconds);
      case "status":
        return statusResponse(fault.status);
      case "respond":
        return new Response(fault.body, {
          status: fault.status,
          headers: { "Content-Type": fault.contentType ?? "text/html; charset=utf-8" },
        });
      case "drop":
        throw new ConnectionDropped();
      case "drop_after":
        await next();
        throw new ConnectionDropped();
      case "delay":
        await sleep(fault.ms, signal);
        return await next();
      case "truncate":
        return shapeAnswer(await next(), { kind: "truncate", keepBytes: fault.keepBytes });
      case "slow_body":
        return shapeAnswer(await next(), { kind: "stall", ms: fault.ms });
      default:
        return await next();
    }
  };
}
