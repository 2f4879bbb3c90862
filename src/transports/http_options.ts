/**
 * Knobs, defaults and handle of the HTTP transport (http.ts).
 * @module
 */

import type { BacklogLimits } from "./http_backlog.ts";
import type { EventStoreLimits } from "./http_event_store.ts";

/** Deadlines and sizes every connection is held to. */
export interface ConnectionLimits {
  /** A request head must arrive whole within this, from its first byte (or the accept), ms. */
  headTimeoutMs: number;
  /** A kept-alive connection with no new request for this long is closed, ms. */
  idleTimeoutMs: number;
  /** A request body must arrive whole within this, from the end of its head, ms. */
  bodyTimeoutMs: number;
  /** A response write that makes no progress for this long drops the client, ms. */
  writeStallMs: number;
  /** Largest request head, bytes (431 beyond). */
  maxHeadBytes: number;
}

/** Serves one request; it should not throw (a throw is logged and answered 500). */
export type HttpHandler = (req: Request) => Promise<Response>;

/** Limits of the server: the per-connection ones and the connection cap. */
export interface ListenerLimits extends ConnectionLimits {
  /** Most connections open at once. */
  maxConnections: number;
}

/** Test and tuning knobs of `startHttpServer`; the configuration gives everything else. */
export interface HttpServerOptions {
  /** Clock for session idleness (epoch ms); default `Date.now`. */
  now?: () => number;
  /** Idle time after which a session is closed, ms; default `config.http.sessionIdleSeconds`. */
  sessionIdleMs?: number;
  /** How often idle sessions are looked for, ms; default a quarter of the idle time, at most 60 s. */
  sweepIntervalMs?: number;
  /** Interval of SSE keep-alive comments, ms; default 15000. */
  keepAliveMs?: number;
  /** Most MCP sessions at once; default 1000. */
  maxSessions?: number;
  /** SSE `retry:` interval suggested to Streamable HTTP clients, ms; default 2000. */
  sseRetryMs?: number;
  /** Bounds of each session's SSE event store; default `DEFAULT_EVENT_STORE_LIMITS`. */
  eventStoreLimits?: Partial<EventStoreLimits>;
  /** Connection cap, deadlines and head size of the HTTP server; default {@link DEFAULT_LIMITS}. */
  limits?: Partial<ListenerLimits>;
  /** Bounds of what unread answers may hold; default `DEFAULT_BACKLOG_LIMITS` (http_backlog.ts). */
  backlogLimits?: Partial<BacklogLimits>;
}

/**
 * Connection limits. Not settings yet (candidates: MCP_MAX_CONNECTIONS, MCP_HEADER_TIMEOUT_SECONDS).
 * 4096 connections leave room for the 1000 sessions' streams and their requests, far below the
 * file-descriptor limit Deno raises itself to; a head is a few hundred bytes, so 10 s is generous
 * even on a bad link, as 30 s are for a body of at most MCP_MAX_BODY_BYTES.
 */
export const DEFAULT_LIMITS: Readonly<ListenerLimits> = Object.freeze({
  maxConnections: 4096,
  headTimeoutMs: 10_000,
  idleTimeoutMs: 30_000,
  bodyTimeoutMs: 30_000,
  writeStallMs: 30_000,
  maxHeadBytes: 32 * 1024,
});

/** Counters of the HTTP server, for probes and tests. */
export interface HttpServerStats {
  /** Connections open. */
  connections: number;
  /** Of them, those waiting for a request head (idle, or a head still arriving). */
  waiting: number;
  /** Connections refused at the cap, since start. */
  refused: number;
  /** Waiting connections closed to make room, since start. */
  evicted: number;
  /** Accept errors (e.g. EMFILE), since start. */
  acceptErrors: number;
  /** Bytes of answers produced and not yet taken by the clients' sockets. */
  backlogBytes: number;
  /** Clients dropped for not reading their answers, since start. */
  droppedClients: number;
}

/** A running HTTP transport. */
export interface HttpServerHandle {
  /** Base URL, e.g. `http://127.0.0.1:8000` (a wildcard bind is reported as loopback). */
  readonly url: string;
  /** The port listened on. */
  readonly port: number;
  /** Resolves once the server has shut down. */
  readonly finished: Promise<void>;
  /** Number of live MCP sessions (both transports). */
  sessionCount(): number;
  /** Connection and backlog counters. */
  stats(): HttpServerStats;
  /** Closes sessions idle for the idle time now, instead of waiting for the next sweep. */
  sweepIdleSessions(): Promise<number>;
  /** Ends every session, stops listening and waits for open responses to finish. */
  close(): Promise<void>;
}
