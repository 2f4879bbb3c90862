/**
 * The HTTP transport's own HTTP/1.1 server on `Deno.listen`, in place of `Deno.serve`, which has
 * no head or body timeout, no connection count, and whose accept loop ends for good on EMFILE
 * (node:http in Deno enforces timeouts but also stops accepting after EMFILE). Here:
 * - every connection is held to the deadlines of {@link ConnectionLimits} (http_conn.ts);
 * - at most `maxConnections` are open: at the cap, the connection that has waited longest for a
 *   request head (idle keep-alive, or a head that is still arriving) is closed to make room, and
 *   only when every connection is busy is the newcomer refused (503);
 * - an accept error is logged (at most every 10 s) and retried after a growing pause; on EMFILE
 *   the cap drops below the connections open for a while, so waiting ones are closed and the
 *   process gets file descriptors back. The loop ends only when the server closes.
 * @module
 */

import type { Logger } from "../log/logger.ts";
import type { Meter } from "./http_backlog.ts";
import { HttpConnection } from "./http_conn.ts";
import type { HttpHandler, ListenerLimits } from "./http_options.ts";
import { refusal } from "./http_wire.ts";

/** Options of {@link listenHttp}. */
export interface ListenerOptions {
  /** Address to bind. */
  hostname: string;
  /** Port; 0 picks a free one. */
  port: number;
  /** The request handler. */
  handler: HttpHandler;
  /** The limits. */
  limits: ListenerLimits;
  /** Where accept errors and refusals are reported. */
  log: Logger;
  /** Counts what each response holds until its client's socket takes it. */
  meter?: (request: Request, response: Response, drop: () => void) => Meter;
}

/** Counters of a running server. */
export interface ListenerStats {
  /** Connections open. */
  open: number;
  /** Of them, those waiting for a request head. */
  waiting: number;
  /** The cap in force (lowered for a while after EMFILE). */
  capacity: number;
  /** Connections refused at the cap since start. */
  refused: number;
  /** Waiting connections closed to make room since start. */
  evicted: number;
  /** Accept errors since start. */
  acceptErrors: number;
}

/** A running server. */
export interface HttpListener {
  /** The address listened on. */
  readonly addr: Deno.NetAddr;
  /** Resolves once {@link shutdown} has finished. */
  readonly finished: Promise<void>;
  /** Current counters. */
  stats(): ListenerStats;
  /** Stops accepting, closes waiting connections, lets busy ones finish for `graceMs`, then closes. */
  shutdown(graceMs?: number): Promise<void>;
}

/** The cap never drops below this after EMFILE. */
const MIN_CAPACITY = 8;
/** How long a cap lowered after EMFILE stays lowered, ms. */
const CAPACITY_RESTORE_MS = 10_000;
const WARN_EVERY_MS = 10_000;
const MAX_BACKOFF_MS = 1000;
/** Deadlines are checked a few times per shortest limit, within these bounds, ms. */
const MIN_TICK_MS = 25;
const MAX_TICK_MS = 1000;

function isFdExhaustion(error: unknown): boolean {
  const message = error instanceof Error ? error.message : String(error);
  return /os error 2[34]\)|too many open files/i.test(message);
}

/** Listens on `hostname`:`port` (throws as `Deno.listen` does) and serves HTTP/1.1 there. */
export function listenHttp(options: ListenerOptions): HttpListener {
  const { limits, log } = options;
  const listener = Deno.listen({ hostname: options.hostname, port: options.port });
  const addr = listener.addr;
  const ctx = {
    handler: options.handler,
    limits,
    log,
    meter: options.meter,
    defaultHost: addr.hostname.includes(":")
      ? `[${addr.hostname}]:${addr.port}`
      : `${addr.hostname}:${addr.port}`,
  };
  const open = new Map<HttpConnection, Promise<void>>();
  const stats = { refused: 0, evicted: 0, acceptErrors: 0 };
  let capacity = limits.maxConnections;
  let restoreAt = 0;
  let closed = false;
  let lastWarning = -Infinity;
  let unreported = 0;
  let wake: (() => void) | undefined;
  let pauseTimer: ReturnType<typeof setTimeout> | undefined;

  /** Closes the connection that has waited longest for a request head; false if none waits. */
  const evictOne = (): boolean => {
    let oldest: HttpConnection | undefined;
    for (const connection of open.keys()) {
      if (connection.waiting && (!oldest || connection.since < oldest.since)) oldest = connection;
    }
    if (!oldest) return false;
    open.delete(oldest);
    oldest.close();
    stats.evicted++;
    return true;
  };

  const refuse = (conn: Deno.Conn): void => {
    stats.refused++;
    const bytes = refusal(503, "Service Unavailable: too many connections; try again later", [
      "retry-after: 1",
    ]);
    conn.write(bytes).catch(() => undefined).finally(() => {
      try {
        conn.close();
      } catch {
        // Already closed.
      }
    });
  };

  const admit = (conn: Deno.Conn): void => {
    if (performance.now() >= restoreAt) capacity = limits.maxConnections;
    while (open.size >= capacity) {
      if (!evictOne()) return refuse(conn);
    }
    try {
      (conn as Deno.TcpConn).setNoDelay(true);
    } catch {
      // Not TCP, or already reset.
    }
    const connection = new HttpConnection(conn, ctx);
    open.set(connection, connection.serve().finally(() => open.delete(connection)));
  };

  const acceptFailed = (error: unknown): void => {
    stats.acceptErrors++;
    const exhausted = isFdExhaustion(error);
    if (exhausted) {
      capacity = Math.max(MIN_CAPACITY, Math.floor(open.size * 0.9));
      restoreAt = performance.now() + CAPACITY_RESTORE_MS;
      while (open.size > capacity && evictOne()) {
        // Frees file descriptors held by connections that are only waiting.
      }
    }
    const now = performance.now();
    if (now - lastWarning < WARN_EVERY_MS) {
      unreported++;
      return;
    }
    const times = unreported > 0 ? ` (and ${unreported} more times since the last report)` : "";
    log.warning(
      `HTTP accept failed${times}: ${error instanceof Error ? error.message : error}; ${
        exhausted ? `serving at most ${capacity} connections for now` : "retrying"
      }`,
      { open: open.size },
    );
    lastWarning = now;
    unreported = 0;
  };

  const pause = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      wake = resolve;
      pauseTimer = setTimeout(resolve, ms);
    });

  const acceptLoop = async (): Promise<void> => {
    let backoff = 0;
    while (!closed) {
      let conn: Deno.Conn;
      try {
        conn = await listener.accept();
      } catch (error) {
        if (closed || error instanceof Deno.errors.BadResource) return;
        acceptFailed(error);
        backoff = Math.min(MAX_BACKOFF_MS, Math.max(10, backoff * 2));
        await pause(backoff);
        continue;
      }
      backoff = 0;
      if (closed) conn.close();
      else admit(conn);
    }
  };
  const accepting = acceptLoop();
  const { headTimeoutMs, idleTimeoutMs, bodyTimeoutMs, writeStallMs } = limits;
  const shortest = Math.min(headTimeoutMs, idleTimeoutMs, bodyTimeoutMs, writeStallMs);
  const ticker = setInterval(() => {
    const now = performance.now();
    for (const connection of open.keys()) connection.tick(now);
  }, Math.min(MAX_TICK_MS, Math.max(MIN_TICK_MS, shortest / 4)));

  let shuttingDown: Promise<void> | undefined;
  let finish: () => void = () => {};
  const finished = new Promise<void>((resolve) => finish = resolve);
  const shutdown = (graceMs = 2000): Promise<void> => {
    shuttingDown ??= (async () => {
      closed = true;
      try {
        listener.close();
      } catch {
        // Already closed.
      }
      clearTimeout(pauseTimer);
      wake?.();
      await accepting;
      for (const connection of open.keys()) connection.drain();
      let graceTimer: ReturnType<typeof setTimeout> | undefined;
      const all = Promise.all(open.values());
      await Promise.race([
        all,
        new Promise((resolve) => graceTimer = setTimeout(resolve, graceMs)),
      ]);
      clearTimeout(graceTimer);
      for (const connection of open.keys()) connection.close();
      await all;
      clearInterval(ticker);
      finish();
    })();
    return shuttingDown;
  };

  return {
    addr,
    finished,
    stats: () => ({
      open: open.size,
      waiting: [...open.keys()].filter((connection) => connection.waiting).length,
      capacity,
      ...stats,
    }),
    shutdown,
  };
}
