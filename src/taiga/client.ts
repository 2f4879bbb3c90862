/**
 * TaigaClient: the one request path every Taiga call takes — base URL, auth header, timeout,
 * cancellation, retries with backoff and jitter, throttling, refresh on 401 and typed errors.
 * @module
 */

import { errorFromResponse, TaigaError } from "./errors.ts";
import { classifyFailure, type FailurePlace } from "./failures.ts";
import type { RequestPolicy } from "./policy.ts";
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
const CONNECT_FAILURE = /\(Connect\)|connection refused|dns error|failed to lookup/i;

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

  /** The single request path: every call to Taiga goes through here. */
  async request<T>(
    method: string,
    path: string,
    options: RequestOptions = {},
  ): Promise<TaigaResponse<T>> {
    const url = buildUrl(this.apiUrl, path, options.query);
    const what = `${method} ${url.pathname.replace(/^.*\/api\/v1/, "")}`;
    const deadline = Date.now() + this.#policy.timeoutMs;
    let refreshed = false;
    for (let attempt = 0;; attempt++) {
      const canRetry = attempt < this.#policy.maxRetries;
      let response: Response;
      let text: string;
      try {
        [response, text] = await this.#send(method, url, options, deadline);
      } catch (error) {
        const failure = classifyFailure(error, what, this.#where(), options.signal);
        const retryable = failure.type === "network" &&
          (IDEMPOTENT.has(method) || CONNECT_FAILURE.test(String(failure.cause)));
        if (retryable && canRetry && (await this.#backoff(attempt, deadline, options.signal))) {
          this.#policy.log?.debug("retrying after a connection failure", { what, attempt });
          continue;
        }
        throw failure;
      }
      if (response.ok) {
        return { status: response.status, data: parseBody(text) as T, headers: response.headers };
      }
      const body = parseBody(text);
      if (response.status === 401 && !refreshed && this.#auth?.refresh && options.auth !== false) {
        refreshed = true;
        await this.#refreshTokens();
        continue;
      }
      const error = errorFromResponse(response.status, body, response.headers, what);
      if (response.status === 429 && canRetry && error.waitSeconds !== undefined) {
        const waitMs = error.waitSeconds * 1000 + 50 + this.#jitter() * 200;
        if (Date.now() + waitMs < deadline) {
          this.#policy.log?.warning("Taiga throttled us; waiting as told", {
            what,
            waitSeconds: error.waitSeconds,
          });
          await sleep(waitMs, options.signal).catch(() => {
            throw classifyFailure(options.signal?.reason, what, this.#where(), options.signal);
          });
          continue;
        }
      }
      if (RETRY_STATUSES.has(response.status) && IDEMPOTENT.has(method) && canRetry) {
        if (await this.#backoff(attempt, deadline, options.signal)) {
          this.#policy.log?.debug("retrying after a gateway error", {
            what,
            status: response.status,
          });
          continue;
        }
      }
      throw error;
    }
  }

  async #send(
    method: string,
    url: URL,
    options: RequestOptions,
    deadline: number,
  ): Promise<[Response, string]> {
    const headers = new Headers(options.headers);
    headers.set("accept", "application/json");
    if (this.#auth && options.auth !== false) {
      headers.set("authorization", `${this.#auth.tokenType} ${this.#auth.token}`);
    }
    let body: BodyInit | undefined;
    if (options.form) body = options.form;
    else if (options.body !== undefined) {
      headers.set("content-type", "application/json");
      body = JSON.stringify(options.body);
    }
    // A cleared timer rather than AbortSignal.timeout, which keeps every request's signal alive
    // for the whole REQUEST_TIMEOUT after the answer.
    const timeout = new AbortController();
    const timer = setTimeout(
      () => timeout.abort(new DOMException("request timed out", "TimeoutError")),
      Math.max(1, deadline - Date.now()),
    );
    const signal = options.signal
      ? AbortSignal.any([options.signal, timeout.signal])
      : timeout.signal;
    try {
      await this.#policy.rateLimiter.acquire(signal, deadline);
      const release = await this.#policy.semaphore.acquire(signal);
      try {
        const response = await fetch(url, {
          method,
          headers,
          body,
          signal,
          client: this.#policy.httpClient,
        });
        return [response, await response.text()];
      } finally {
        release();
      }
    } finally {
      clearTimeout(timer);
    }
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
      const { data } = await this.request<{ auth_token: string; refresh: string }>(
        "POST",
        "auth/refresh",
        { body: { refresh: current.refresh }, auth: false },
      );
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

function parseBody(text: string): unknown {
  if (text.trim() === "") return null;
  try {
    return JSON.parse(text);
  } catch {
    return text;
  }
}
