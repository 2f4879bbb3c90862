/**
 * What went wrong when a request got no complete answer: our own rate limit, the caller's
 * cancellation, the deadline, or the network — each as a TaigaError that says what to do. A
 * write whose connection broke after it went out may have been done: the error says so, so
 * nobody retries it blindly.
 * @module
 */

import { TaigaError } from "./errors.ts";
import type { SendPhase } from "./send.ts";
import { RateLimitWait } from "./throttle.ts";

/** Where a failed request was going, for the message. */
export interface FailurePlace {
  /** The API base URL. */
  apiUrl: string;
  /** The request deadline, ms. */
  timeoutMs: number;
}

/** How far the failed attempt got. */
export interface FailedAttempt {
  /** HTTP method, upper case. */
  method: string;
  /** The phase it reached (see {@link SendPhase}). */
  phase: SendPhase;
  /** The status Taiga sent before the body failed, if it did. */
  status?: number;
}

const DOUBT =
  "It may have been done anyway: read it back before trying again, a blind retry could do it twice.";

/**
 * `error` (a gateway's 502/504 to a write: the gateway may have passed the write on before it
 * failed) saying that the write may have happened.
 */
export function withDoubt(error: TaigaError): TaigaError {
  return new TaigaError(error.type, `${error.message} ${DOUBT}`, {
    status: error.status,
    details: { ...error.details, may_have_happened: true },
  });
}

/** Methods that change nothing: re-sending them is harmless. */
const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/** Fetch's message for a connection that was never made (refused, DNS): nothing reached Taiga. */
export const CONNECT_FAILURE = /\(Connect\)|connection refused|dns error|failed to lookup/i;

/** Whether the failed attempt may have reached Taiga and changed something. */
export function mayHaveHappened(attempt: FailedAttempt, cause: unknown): boolean {
  if (READS.has(attempt.method) || attempt.phase === "queued") return false;
  return attempt.phase === "answered" || !CONNECT_FAILURE.test(describe(cause));
}

/**
 * An error's message with its causes' (fetch says only "fetch failed"; the why is in `cause`),
 * without the request URL fetch repeats (its query may hold anything).
 */
function describe(error: unknown): string {
  const parts: string[] = [];
  for (let at = error, depth = 0; at !== undefined && at !== null && depth < 4; depth++) {
    parts.push(at instanceof Error ? at.message : String(at));
    at = at instanceof Error ? at.cause : undefined;
  }
  const text = parts.join(": ").replace(/ for url \([^)]*\)/g, "");
  return text.length > 300 ? `${text.slice(0, 300)}…` : text;
}

/** Classifies a request that produced no complete answer. */
export function classifyFailure(
  error: unknown,
  what: string,
  where: FailurePlace,
  signal?: AbortSignal,
  attempt: FailedAttempt = { method: "GET", phase: "sent" },
): TaigaError {
  if (error instanceof TaigaError) return error;
  if (error instanceof RateLimitWait) {
    const seconds = Math.ceil(error.waitMs / 1000);
    return new TaigaError(
      "throttled",
      `taiga-mcp's own limit of ${error.perMinute} Taiga requests per minute (RATE_LIMIT_REQUESTS) would make ${what} wait ${seconds} s for its turn, past REQUEST_TIMEOUT, so it was not sent. Try again in ${seconds} s, or raise RATE_LIMIT_REQUESTS.`,
      { waitSeconds: seconds },
    );
  }
  // fetch quotes a refused header whole — it would be a token — so its words are not repeated.
  const reason = /header/i.test(describe(error)) ? "a request header was refused" : describe(error);
  const maybe = mayHaveHappened(attempt, error);
  const doubt = maybe ? ` ${DOUBT}` : "";
  const init = {
    cause: reason,
    status: attempt.status,
    ...(maybe ? { details: { may_have_happened: true } } : {}),
  };
  if (signal?.aborted) {
    return new TaigaError("cancelled", `The request ${what} was cancelled.${doubt}`, init);
  }
  const origin = new URL(where.apiUrl).origin;
  const name = (error as { name?: string })?.name;
  if (name === "TimeoutError" || name === "AbortError") {
    const seconds = Math.round(where.timeoutMs / 100) / 10;
    return new TaigaError(
      "timeout",
      `Taiga did not answer ${what} within ${seconds} s (REQUEST_TIMEOUT). Check that ${
        new URL(where.apiUrl).host
      } is up, or raise REQUEST_TIMEOUT.${doubt}`,
      init,
    );
  }
  if (attempt.phase === "answered") {
    return new TaigaError(
      "network",
      `Taiga's answer to ${what} (HTTP ${attempt.status}) was cut off: ${reason}.${
        maybe ? doubt : " Try again."
      }`,
      init,
    );
  }
  if (maybe) {
    return new TaigaError(
      "network",
      `The connection to Taiga at ${origin} broke after ${what} was sent (${reason}).${doubt}`,
      init,
    );
  }
  return new TaigaError(
    "network",
    `Could not reach Taiga at ${origin} (${what}): ${reason}. Check TAIGA_API_URL and that the server is running.`,
    init,
  );
}
