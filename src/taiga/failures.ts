/**
 * What went wrong when a request got no answer: our own rate limit, the caller's cancellation,
 * the deadline, or the network — each as a TaigaError that says what to do.
 * @module
 */

import { TaigaError } from "./errors.ts";
import { RateLimitWait } from "./throttle.ts";

/** Where a failed request was going, for the message. */
export interface FailurePlace {
  /** The API base URL. */
  apiUrl: string;
  /** The request deadline, ms. */
  timeoutMs: number;
}

/** Classifies a request that produced no answer. */
export function classifyFailure(
  error: unknown,
  what: string,
  where: FailurePlace,
  signal?: AbortSignal,
): TaigaError {
  if (error instanceof TaigaError) return error;
  if (error instanceof RateLimitWait) {
    return new TaigaError(
      "throttled",
      `taiga-mcp's own limit of ${error.perMinute} Taiga requests per minute (RATE_LIMIT_REQUESTS) is reached, so ${what} was not sent; the next request may start in ${
        Math.ceil(error.waitMs / 1000)
      } s. Wait, or raise RATE_LIMIT_REQUESTS.`,
      { waitSeconds: Math.ceil(error.waitMs / 1000) },
    );
  }
  if (signal?.aborted) {
    return new TaigaError("cancelled", `The request ${what} was cancelled.`, { cause: error });
  }
  const name = (error as { name?: string })?.name;
  if (name === "TimeoutError" || name === "AbortError") {
    const seconds = Math.round(where.timeoutMs / 100) / 10;
    return new TaigaError(
      "timeout",
      `Taiga did not answer ${what} within ${seconds} s (REQUEST_TIMEOUT). Check that ${
        new URL(where.apiUrl).host
      } is up, or raise REQUEST_TIMEOUT.`,
      { cause: error },
    );
  }
  const reason = error instanceof Error ? error.message : String(error);
  return new TaigaError(
    "network",
    `Could not reach Taiga at ${
      new URL(where.apiUrl).origin
    } (${what}): ${reason}. Check TAIGA_API_URL and that the server is running.`,
    { cause: reason },
  );
}
