/**
 * The process-wide rules every Taiga request follows: deadline, retries, rate limit, concurrency
 * cap and the pooled HTTP client, built once from the configuration.
 * @module
 */

import { RateLimiter, Semaphore } from "./throttle.ts";

/** Minimal logger the client reports retries to. */
export interface ClientLog {
  /** Detail for troubleshooting. */
  debug(message: string, data?: Record<string, unknown>): void;
  /** Something went wrong but was handled. */
  warning(message: string, data?: Record<string, unknown>): void;
}

/** Process-wide request policy shared by every client: limits, timeouts, connection pool. */
export interface RequestPolicy {
  /** Whole-request budget in ms, retries and waits included. */
  timeoutMs: number;
  /** Retries after the first attempt. */
  maxRetries: number;
  /** Per-minute request limit. */
  rateLimiter: RateLimiter;
  /** Cap on requests in flight. */
  semaphore: Semaphore;
  /** Pooled HTTP client (keep-alive size), if any. */
  httpClient?: Deno.HttpClient;
  /** Where retries are reported. */
  log?: ClientLog;
  /** Source of jitter; replaceable in tests. */
  random?: () => number;
}

/** Settings that build a {@link RequestPolicy}. */
export interface PolicySettings {
  /** Seconds per request. */
  requestTimeoutSeconds: number;
  /** Requests per minute (0 = unlimited). */
  rateLimitPerMinute: number;
  /** Requests in flight at once. */
  maxConnections: number;
  /** Idle keep-alive connections kept per host. */
  maxKeepaliveConnections: number;
}

/** Builds the shared request policy from configuration. */
export function createRequestPolicy(settings: PolicySettings, log?: ClientLog): RequestPolicy {
  return {
    timeoutMs: settings.requestTimeoutSeconds * 1000,
    maxRetries: 3,
    rateLimiter: new RateLimiter(settings.rateLimitPerMinute),
    semaphore: new Semaphore(settings.maxConnections),
    httpClient: Deno.createHttpClient({ poolMaxIdlePerHost: settings.maxKeepaliveConnections }),
    log,
  };
}
