/**
 * TaigaClient: the one request path every Taiga call takes — base URL, auth header, timeout,
 * cancellation, retries with backoff and jitter (never a silent second write), throttling,
 * refresh on 401, answers checked to be Taiga's, and typed errors.
 * @module
 */

import {
  describeBody,
  isForeignError,
  isRecord,
  notTaigaError,
  readBody,
  successData,
} from "./answers.ts";
import { checkToken } from "./credentials.ts";
import { errorFromResponse, TaigaError } from "./errors.ts";
import { classifyFailure, type FailurePlace, mayHaveHappened, withDoubt } from "./failures.ts";
import type { RequestPolicy } from "./policy.ts";
import { SendFailure, sendOnce, toOutgoing } from "./send.ts";
import { sleep } from "./throttle.ts";
import { buildUrl, type QueryValue } from "./url.ts";

/** How the token is presented: `Authorization: Bearer <jwt>` or `Authorization: Application <token>`. */
export type TokenType = "Bearer" | "Application";

/** Credentials a client sends. */
export interface TaigaAuth {
  /** The access token (JWT) or application token. */
  token: string;
  /** Header scheme. */
  tokenType: TokenType;
  /** Refresh JWT, for Bearer logins by password. */
  refresh?: string;
}

/** Options for one request. */
export interface RequestOptions {
  /** Query parameters; undefined values are left out. */
  query?: Record<string, QueryValue>;
  /** JSON body. */
  body?: unknown;
  /** Multipart body (attachments). */
  form?: FormData;
  /** Extra headers (e.g. `x-disable-pagination`). */
  headers?: Record<string, string>;
  /** Cancellation from the caller (the MCP request). */
  signal?: AbortSignal;
  /** Send credentials (default true). */
  auth?: boolean;
}

/** A successful answer. */
export interface TaigaResponse<T> {
  /** HTTP status (2xx). */
  status: number;
  /** Parsed JSON body; null when the body was empty. */
  data: T;
  /** Response headers (pagination, Taiga-Info-*). */
  headers: Headers;
}

const IDEMPOTENT = new Set(["GET", "HEAD", "PUT", "DELETE", "OPTIONS"]);
const RETRY_STATUSES = new Set([502, 503, 504]);
/** Gateway answers after which the request may have reached Taiga. */
const GATEWAY_FAILURES = new Set([502, 504]);

/** What one call went through, for the DEBUG line. */
interface Trace {
  retries: number;
  /** A failed attempt may have reached Taiga (a DELETE then answering 404 was done). */
  maybeDone: boolean;
}

/** Talks to one Taiga API with one set of credentials. */
export class TaigaClient {
  /** API base URL ending in `/api/v1`. */
  readonly apiUrl: string;
  #auth?: TaigaAuth;
  readonly #policy: RequestPolicy;
  readonly #onRefresh?: (auth: TaigaAuth) => void | Promise<void>;
  #refreshing?: Promise<void>;

  /** A client for `apiUrl`, optionally authenticated, sharing `policy` with other clients. */
  constructor(
    apiUrl: string,
    policy: RequestPolicy,
    auth?: TaigaAuth,
    onRefresh?: (auth: TaigaAuth) => void | Promise<void>,
  ) {
    this.apiUrl = apiUrl;
    this.#policy = policy;
    this.#auth = auth;
    this.#onRefresh = onRefresh;
  }

  /** The credentials in use (rotated after a refresh). */
  get auth(): TaigaAuth | undefined {
    return this.#auth;
  }

  /** GET and return the body. */
  async get<T>(path: string, query?: Record<string, QueryValue>, signal?: AbortSignal): Promise<T> {
    return (await this.request<T>("GET", path, { query, signal })).data;
  }

  /** POST a JSON body and return the answer's body. */
  async post<T>(path: string, body?: unknown, signal?: AbortSignal): Promise<T> {
    return (await this.request<T>("POST", path, { body, signal })).data;
  }

  /** PATCH a JSON body and return the answer's body. */
  async patch<T>(path: string, body: unknown, signal?: AbortSignal): Promise<T> {
    return (await this.request<T>("PATCH", path, { body, signal })).data;
  }

  /** DELETE (Taiga answers 204). */
  async delete(
    path: string,
    query?: Record<string, QueryValue>,
    signal?: AbortSignal,
  ): Promise<void> {
    await this.request<null>("DELETE", path, { query, signal });
  }

  /**
   * The single request path: every call to Taiga goes through here. At DEBUG it logs one line
   * per call — method, path (never the query), status, time and retries; never a credential.
   */
  async request<T>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<TaigaResponse<T>> {
    const url = buildUrl(this.apiUrl, path, options.query);
    const route = url.pathname.replace(/^.*\/api\/v1/, "");
    const trace: Trace = { retries: 0, maybeDone: false };
    const started = performance.now();
    const done = (status: number | string): void =>
      this.#policy.log?.debug(`Taiga ${method} ${route} → ${status}`, {
        method,
        path: route,
        status,
        ms: Math.round(performance.now() - started),
        retries: trace.retries,
      });
    try {
      const answer = await this.#attempts<T>(method, url, route, options, trace);
      done(answer.status);
      return answer;
    } catch (error) {
      done(error instanceof TaigaError ? error.status ?? error.type : "error");
      throw error;
    }
  }

  async #attempts<T>(
    method: string,
    url: URL,
    route: string,
    options: RequestOptions,
    trace: Trace,
  ): Promise<TaigaResponse<T>> {
    const what = `${method} ${route}`;
    const deadline = Date.now() + this.#policy.timeoutMs;
    let refreshed = false;
    for (let attempt = 0;; attempt++) {
      const canRetry = attempt < this.#policy.maxRetries;
      const retry = async (why: string, data: Record<string, unknown>): Promise<boolean> => {
        if (!canRetry || !(await this.#backoff(attempt, deadline, options.signal))) return false;
        this.#policy.log?.debug(why, { what, attempt, ...data });
        trace.retries++;
        return true;
      };
      let response: Response;
      let text: string;
      try {
        const outgoing = toOutgoing(method, url, options, this.#authorization(options));
        ({ response, text } = await sendOnce(this.#policy, outgoing, deadline, options.signal));
      } catch (error) {
        if (!(error instanceof SendFailure)) throw error;
        const failed = { method, phase: error.phase, status: error.status };
        const failure = classifyFailure(error.cause, what, this.#where(), options.signal, failed);
        const maybe = mayHaveHappened(failed, error.cause);
        trace.maybeDone ||= maybe;
        const retryable = failure.type === "network" && (IDEMPOTENT.has(method) || !maybe);
        if (retryable && (await retry("retrying after a connection failure", {}))) continue;
        throw failure;
      }
      const body = readBody(response.headers, text);
      const status = response.status;
      if (response.ok) {
        const request = { apiUrl: this.apiUrl, method, path: route, what, status };
        return { status, data: successData(body, request) as T, headers: response.headers };
      }
      if (status === 404 && method === "DELETE" && trace.maybeDone) {
        // An earlier attempt reached Taiga and deleted it; only its answer was lost.
        this.#policy.log?.debug("DELETE answered 404 after a lost answer: it was done", { what });
        return { status: 204, data: null as T, headers: response.headers };
      }
      if (isForeignError(body, status)) {
        const answered = body.kind === "json"
          ? "an error without _error_message"
          : describeBody(body);
        throw notTaigaError(this.apiUrl, what, answered, status);
      }
      const said = body.kind === "json"
        ? body.value
        : body.kind === "empty"
        ? null
        : describeBody(body);
      if (status === 401 && !refreshed && this.#auth?.refresh && options.auth !== false) {
        refreshed = true;
        await this.#refreshTokens();
        continue;
      }
      const error = errorFromResponse(status, said, response.headers, what);
      if (status === 429 && canRetry && error.waitSeconds !== undefined) {
        const waitMs = error.waitSeconds * 1000 + 50 + this.#jitter() * 200;
        if (Date.now() + waitMs < deadline) {
          this.#policy.log?.warning("Taiga throttled us; waiting as told", {
            what,
            waitSeconds: error.waitSeconds,
          });
          await sleep(waitMs, options.signal).catch(() => {
            throw classifyFailure(options.signal?.reason, what, this.#where(), options.signal);
          });
          trace.retries++;
          continue;
        }
      }
      if (RETRY_STATUSES.has(status) && IDEMPOTENT.has(method)) {
        trace.maybeDone ||= GATEWAY_FAILURES.has(status);
        if (await retry("retrying after a gateway error", { status })) continue;
      }
      if (GATEWAY_FAILURES.has(status) && !IDEMPOTENT.has(method)) throw withDoubt(error);
      throw error;
    }
  }

  /** The `Authorization` header value, the token checked first; none for `auth: false`. */
  #authorization(options: RequestOptions): string | undefined {
    if (!this.#auth || options.auth === false) return undefined;
    checkToken(this.#auth.token, "the session's token");
    return `${this.#auth.tokenType} ${this.#auth.token}`;
  }

  #where(): FailurePlace {
    return { apiUrl: this.apiUrl, timeoutMs: this.#policy.timeoutMs };
  }

  #jitter(): number {
    return (this.#policy.random ?? Math.random)();
  }

  /** Sleeps before the next attempt; false when the deadline leaves no room for one. */
  async #backoff(attempt: number, deadline: number, signal?: AbortSignal): Promise<boolean> {
    const base = 200 * 2 ** attempt;
    const waitMs = base / 2 + this.#jitter() * base / 2;
    if (Date.now() + waitMs >= deadline) return false;
    await sleep(waitMs, signal).catch(() => undefined);
    return !signal?.aborted;
  }

  async #refreshTokens(): Promise<void> {
    // Not tied to the first caller's cancellation: once Taiga rotates the pair, losing the
    // answer would end the session for every caller.
    this.#refreshing ??= this.#doRefresh().finally(() => {
      this.#refreshing = undefined;
    });
    await this.#refreshing;
  }

  async #doRefresh(): Promise<void> {
    const current = this.#auth;
    if (!current?.refresh) return;
    try {
      checkToken(current.refresh, "the refresh token");
      const { data } = await this.request<unknown>("POST", "auth/refresh", {
        body: { refresh: current.refresh },
        auth: false,
      });
      if (
        !isRecord(data) || typeof data.auth_token !== "string" || typeof data.refresh !== "string"
      ) {
        throw notTaigaError(this.apiUrl, "POST /auth/refresh", "JSON without the new tokens");
      }
      this.#auth = { token: data.auth_token, tokenType: "Bearer", refresh: data.refresh };
      this.#policy.log?.debug("access token refreshed");
      await this.#onRefresh?.(this.#auth);
    } catch (error) {
      if (error instanceof TaigaError && error.type !== "auth") throw error;
      throw new TaigaError(
        "auth",
        "Your Taiga session expired and the refresh token was refused. Log in again (login or login_with_token).",
        { status: 401 },
      );
    }
  }
}
