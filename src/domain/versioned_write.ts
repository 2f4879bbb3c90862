/**
 * THE versioned write, for everything Taiga guards with optimistic concurrency (work items, wiki
 * pages, custom-attribute values): read → PATCH with a version → on a version conflict either
 * refuse with the current values (the caller named a version) or read again and retry (it did
 * not: last write wins for the fields sent, however busy the object). One conflict message.
 *
 * Writes to one object from this process run one at a time. Taiga's save() writes the whole row
 * it loaded, so two edits of *different* fields that overlap inside Taiga lose one of them, with
 * no error to either caller (its version check only compares the fields sent). Queuing them here
 * closes that window for everything that goes through this server; edits from elsewhere (the web
 * UI, another replica) can still race, as they can with Taiga alone.
 * @module
 */

import { TaigaError } from "../taiga/errors.ts";

/** Anything Taiga versions. */
export interface Versioned {
  /** Taiga's version counter. */
  version: number;
}

/** What was sent when a write lost. */
export interface SentVersion {
  /** The version the caller named; undefined when it named none. */
  version?: number;
  /** Attempts made (more than one only without a version). */
  attempts: number;
}

/** One versioned write. */
export interface VersionedWrite<T extends Versioned> {
  /** The object as read before the write. */
  current: T;
  /** The version the caller says it edits; undefined: the latest, retried on races. */
  version?: number;
  /** Reads the object as it is now. */
  read(): Promise<T>;
  /** Sends the change, built from `base`, at `version`; returns the saved object. */
  send(base: T, version: number): Promise<T>;
  /** The refusal: `fresh` is the object as it is now. */
  conflict(fresh: T, sent: SentVersion): Error;
  /**
   * A local rule on the version, run before anything is sent (custom-attribute values accept
   * stale versions in Taiga, so they refuse them here).
   */
  check?(current: T, version: number): void;
  /** Attempts without a version before giving up (default {@link ATTEMPTS_WITHOUT_VERSION}). */
  attempts?: number;
  /** The object's identity (API URL and path): this process writes to it one call at a time. */
  key?: string;
}

const queues = new Map<string, Promise<unknown>>();

/**
 * Runs `run` after every earlier call for `key` in this process has settled; `run` is told
 * whether it had to wait (what it read before may be stale by then).
 */
export async function oneAtATime<T>(
  key: string,
  run: (waited: boolean) => Promise<T>,
): Promise<T> {
  const earlier = queues.get(key);
  const start = () => run(earlier !== undefined);
  const mine = (earlier ?? Promise.resolve()).then(start, start);
  const settled = mine.then(() => undefined, () => undefined);
  queues.set(key, settled);
  try {
    return await mine;
  } finally {
    if (queues.get(key) === settled) queues.delete(key);
  }
}

/** How many objects have writes queued or running (for tests: it returns to 0). */
export function queuedObjects(): number {
  return queues.size;
}

/**
 * How often a version-less write re-reads and retries before it reports the object as busy: 20
 * writers racing on one object from several processes (no per-process queue between them) need
 * up to 7 attempts (tests/mcp/concurrency_test.ts; 6 failed about one run in six).
 */
export const ATTEMPTS_WITHOUT_VERSION = 10;

/** Whether `error` is Taiga refusing the version sent (a stale one, or one it does not have). */
export function isVersionError(error: unknown): boolean {
  return error instanceof TaigaError &&
    (error.type === "conflict" || (error.type === "validation" && !!error.details?.version));
}

function pause(attempt: number, signal?: AbortSignal): Promise<void> {
  // Spread racing writers apart: 10–20 ms, doubling, so a hot object settles quickly.
  const ms = 10 * 2 ** Math.min(attempt, 5) * (1 + Math.random());
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, ms);
    signal?.addEventListener("abort", () => {
      clearTimeout(timer);
      resolve();
    }, { once: true });
  });
}

/**
 * Runs the write. Returns the saved object and the version it was saved over. A named version is
 * sent once: a conflict is refused with the current values. No version: the write is retried on
 * every race (re-reading, so a payload built from the current values is rebuilt) up to
 * `attempts` times.
 */
export function versionedWrite<T extends Versioned>(
  write: VersionedWrite<T>,
  signal?: AbortSignal,
): Promise<{ saved: T; sent: number }> {
  return write.key === undefined
    ? writeNow(write, signal)
    : oneAtATime(write.key, (waited) => writeNow(write, signal, waited));
}

async function writeNow<T extends Versioned>(
  write: VersionedWrite<T>,
  signal?: AbortSignal,
  waited = false,
): Promise<{ saved: T; sent: number }> {
  if (write.version !== undefined) {
    write.check?.(write.current, write.version);
    try {
      return { saved: await write.send(write.current, write.version), sent: write.version };
    } catch (error) {
      if (!isVersionError(error)) throw error;
      throw write.conflict(await write.read(), { version: write.version, attempts: 1 });
    }
  }
  const attempts = write.attempts ?? ATTEMPTS_WITHOUT_VERSION;
  // Behind another write of ours, the object read before has just changed: read it again.
  let base = waited ? await write.read() : write.current;
  for (let attempt = 1;; attempt++) {
    try {
      return { saved: await write.send(base, base.version), sent: base.version };
    } catch (error) {
      if (!isVersionError(error)) throw error;
      if (attempt >= attempts || signal?.aborted) {
        throw write.conflict(await write.read(), { attempts: attempt });
      }
    }
    await pause(attempt, signal);
    base = await write.read();
  }
}

/**
 * The one conflict message: who lost to whom, the version now, the current values of what the
 * caller tried to change, and what to do next.
 */
export function conflictError(
  what: string,
  currentVersion: number,
  sent: SentVersion,
  current: Record<string, unknown>,
  options: { plural?: boolean; fieldWord?: string; details?: Record<string, unknown> } = {},
): TaigaError {
  const values = Object.entries(current)
    .map(([key, value]) => `${key}=${JSON.stringify(value)}`).join(", ");
  const [was, itIs] = options.plural ? ["were", "they are"] : ["was", "it is"];
  const lost = sent.version !== undefined
    ? `${what} ${was} changed by someone else: you sent version ${sent.version}, ${itIs} now at version ${currentVersion}.`
    : `${what} kept changing while your update (sent without a version) was applied: ${sent.attempts} attempts each lost to another edit; ${itIs} now at version ${currentVersion}.`;
  const next = sent.version !== undefined
    ? `If your change still makes sense, retry with version ${currentVersion} (or omit version to overwrite).`
    : `Retry in a moment, or pass version ${currentVersion} to apply your change over exactly this state.`;
  return new TaigaError(
    "conflict",
    `${lost}${
      values
        ? ` Current values of the ${options.fieldWord ?? "fields"} you tried to change: ${values}.`
        : ""
    } ${next}`,
    {
      status: 400,
      details: {
        current_version: currentVersion,
        ...(sent.version !== undefined
          ? { sent_version: sent.version }
          : { attempts: sent.attempts }),
        current,
        ...options.details,
      },
    },
  );
}
