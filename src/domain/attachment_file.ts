/**
 * Reading an attachment's file from Taiga's media host, safely: only from the origin of the
 * session's API (a url on any other host is refused — no request to an arbitrary address on
 * Taiga's word), redirects followed only within that origin, the body read up to a cap chosen
 * from the served type (a binary type reads nothing) and dropped past it, kept in memory only.
 * Media lives outside `/api/v1` and is not Taiga's JSON, so this cannot go through TaigaClient;
 * it keeps the same rate limit, connection cap, deadline and cancellation.
 * @module
 */

import { InputError, TaigaError } from "../taiga/errors.ts";
import { classifyFailure } from "../taiga/failures.ts";
import type { RequestPolicy } from "../taiga/policy.ts";
import { readCapped } from "../taiga/read_capped.ts";

const MAX_REDIRECTS = 3;

/** The file url of an attachment, refused unless it is on the host of the session's API. */
export function checkedFileUrl(raw: string, apiUrl: string): URL {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw new TaigaError("server", "Taiga gave this attachment no usable file url.");
  }
  url.hash = "";
  const home = new URL(apiUrl).origin;
  if (url.origin !== home || url.username !== "" || url.password !== "") {
    throw new InputError(
      `This attachment's file is served from ${url.origin}, not from the Taiga host this session uses (${home}); only files from that host are read. Open its url yourself if you trust it.`,
      { argument: "attachment_id", file_host: url.origin },
    );
  }
  return url;
}

/** What a download gave: the served type and the bytes, unless the body was over the cap. */
export interface Fetched {
  /** Content type as served, without parameters, lower case ("" when none). */
  mime: string;
  /** The whole body; undefined when it was longer than the cap (reading stopped there). */
  bytes?: Uint8Array;
}

function failure(status: number): TaigaError {
  const type = status === 404
    ? "not_found"
    : status === 401 || status === 403
    ? "permission"
    : "server";
  const hint = type === "permission" ? " (a signed url may have expired: try again)" : "";
  return new TaigaError(
    type,
    `The Taiga host answered HTTP ${status} for this attachment's file${hint}.`,
    { status },
  );
}

/**
 * GETs `start` (checked with {@link checkedFileUrl}) without credentials — Taiga serves media
 * without them, or signs the url itself (`?token=`) — reading at most `capFor(servedType)`
 * bytes.
 */
export async function fetchAttachmentFile(
  policy: RequestPolicy,
  apiUrl: string,
  start: URL,
  capFor: (mime: string) => number,
  cancel?: AbortSignal,
): Promise<Fetched> {
  const deadline = Date.now() + policy.timeoutMs;
  // A cleared timer, as in taiga/send.ts: AbortSignal.timeout would outlive the download.
  const timeout = new AbortController();
  const timer = setTimeout(
    () => timeout.abort(new DOMException("request timed out", "TimeoutError")),
    policy.timeoutMs,
  );
  const signal = cancel ? AbortSignal.any([cancel, timeout.signal]) : timeout.signal;
  let url = start;
  try {
    for (let hop = 0;; hop++) {
      await policy.rateLimiter.acquire(signal, deadline);
      const release = await policy.semaphore.acquire(signal);
      try {
        const response = await fetch(url, {
          redirect: "manual",
          signal,
          client: policy.httpClient,
        });
        const location = response.headers.get("location");
        if (response.status >= 300 && response.status < 400 && location) {
          await response.body?.cancel();
          if (hop >= MAX_REDIRECTS) {
            throw new TaigaError(
              "server",
              `The file url redirected more than ${MAX_REDIRECTS} times.`,
            );
          }
          url = checkedFileUrl(new URL(location, url).href, apiUrl);
          continue;
        }
        if (!response.ok) {
          await response.body?.cancel();
          throw failure(response.status);
        }
        const mime = (response.headers.get("content-type") ?? "").split(";")[0].trim()
          .toLowerCase();
        return { mime, bytes: await readCapped(response, capFor(mime)) };
      } finally {
        release();
      }
    }
  } catch (error) {
    if (error instanceof InputError) throw error;
    const where = { apiUrl, timeoutMs: policy.timeoutMs };
    throw classifyFailure(error, "GET of the attachment's file", where, cancel);
  } finally {
    clearTimeout(timer);
  }
}
