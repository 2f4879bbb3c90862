/**
 * Bounds on what the HTTP transport holds for clients that do not read their answers: every byte
 * produced for a client and not yet taken by its socket — queued on an SSE stream, or in a write
 * in flight — is counted against that client (its MCP session, else its response) and against
 * the server. A client past its bound, or the one holding most when the server is past its bound,
 * is dropped: its streams are cancelled, its connections closed, its session ended, and the memory
 * goes back. A client holding nothing may always take one chunk, whatever its size: a big answer
 * to a client that reads is never cut; what counts is what piles up behind it.
 * @module
 */

/** The bounds, in bytes. */
export interface BacklogLimits {
  /** Most bytes held for one client (one chunk, whatever its size, is always allowed). */
  perClientBytes: number;
  /** Most bytes held for all clients together. */
  perServerBytes: number;
}

/**
 * The defaults. A client may hold a whole answer, and the largest is a 10 MB attachment, base64
 * in both the text and the structured result (~27 MB); 128 MiB is what a handful of such readers
 * on slow links need at once, and well under the 1 GB unread answers used to pile up to.
 */
export const DEFAULT_BACKLOG_LIMITS: Readonly<BacklogLimits> = Object.freeze({
  perClientBytes: 32 * 1024 * 1024,
  perServerBytes: 128 * 1024 * 1024,
});

/** What one response holds for its client. */
export interface Meter {
  /** Counts `bytes` more; false when that put the client over a bound (it is being dropped). */
  add(bytes: number): boolean;
  /** Counts `bytes` less (taken by the socket). */
  remove(bytes: number): void;
  /** Counts nothing more: the response has ended. */
  close(): void;
}

interface Entry {
  bytes: number;
  drop(): void;
}

interface Client {
  bytes: number;
  entries: Set<Entry>;
}

/** The byte counts of every client, and who is dropped when a bound is passed. */
export class BacklogBudget {
  readonly #limits: BacklogLimits;
  readonly #onDrop: (key: string, held: number) => void;
  readonly #clients = new Map<string, Client>();
  #total = 0;
  #dropped = 0;

  /** `onDrop` runs for each dropped client (e.g. ends its session) after its responses are cut. */
  constructor(limits: Partial<BacklogLimits>, onDrop: (key: string, held: number) => void) {
    this.#limits = { ...DEFAULT_BACKLOG_LIMITS, ...limits };
    this.#onDrop = onDrop;
  }

  /** Bytes held for all clients. */
  get total(): number {
    return this.#total;
  }

  /** Clients dropped since start. */
  get dropped(): number {
    return this.#dropped;
  }

  /** Bytes held for client `key`. */
  held(key: string): number {
    return this.#clients.get(key)?.bytes ?? 0;
  }

  /** A meter for one response to client `key`; `drop` cuts that response (stream or connection). */
  meter(key: string, drop: () => void): Meter {
    const entry: Entry = { bytes: 0, drop };
    let client: Client | undefined;
    const live = () => client !== undefined && client.entries.has(entry);
    const change = (bytes: number) => {
      entry.bytes += bytes;
      client!.bytes += bytes;
      this.#total += bytes;
    };
    return {
      add: (bytes) => {
        if (client === undefined) {
          client = this.#clients.get(key) ?? { bytes: 0, entries: new Set() };
          this.#clients.set(key, client);
          client.entries.add(entry);
        }
        if (!live()) return false;
        const before = client.bytes;
        change(bytes);
        if (before > 0 && client.bytes > this.#limits.perClientBytes) this.#drop(key);
        while (this.#total > this.#limits.perServerBytes && this.#drop(this.#largest()));
        return live();
      },
      remove: (bytes) => {
        if (live()) change(-Math.min(bytes, entry.bytes));
      },
      close: () => {
        if (!live()) return;
        change(-entry.bytes);
        client!.entries.delete(entry);
        if (client!.entries.size === 0) this.#clients.delete(key);
      },
    };
  }

  #largest(): string {
    let key = "";
    let most = -1;
    for (const [candidate, client] of this.#clients) {
      if (client.bytes > most) [key, most] = [candidate, client.bytes];
    }
    return key;
  }

  /** Forgets client `key` and cuts every response it holds; false when it held nothing. */
  #drop(key: string): boolean {
    const client = this.#clients.get(key);
    if (!client) return false;
    this.#clients.delete(key);
    this.#total -= client.bytes;
    this.#dropped++;
    const entries = [...client.entries];
    client.entries.clear();
    for (const entry of entries) entry.drop();
    this.#onDrop(key, client.bytes);
    return true;
  }
}

/**
 * `body`, read as fast as it is produced into a queue counted by `meter` until its reader takes
 * it. When the meter is over a bound the source is cancelled and the returned stream errors;
 * `onEnd` runs once, when the stream has been read to its end, failed or been cancelled.
 */
export function meteredBody(
  body: ReadableStream<Uint8Array>,
  meter: (drop: () => void) => Meter,
  onEnd: () => void = () => {},
): ReadableStream<Uint8Array> {
  const source = body.getReader();
  const queue: Uint8Array[] = [];
  let finished: "no" | "done" | "failed" = "no";
  let failure: unknown;
  let wake: (() => void) | undefined;
  let ended = false;
  const end = () => {
    if (ended) return;
    ended = true;
    queue.length = 0;
    counter.close();
    onEnd();
  };
  const fail = (error: unknown) => {
    if (finished !== "no") return;
    [finished, failure] = ["failed", error];
    source.cancel(error).catch(() => undefined);
    wake?.();
  };
  const counter = meter(() => fail(new Error("dropped: the client is not reading its answers")));
  (async () => {
    try {
      for (;;) {
        const { done, value } = await source.read();
        if (done || finished !== "no") break;
        queue.push(value);
        wake?.();
        if (!counter.add(value.length)) return;
      }
      if (finished === "no") finished = "done";
    } catch (error) {
      fail(error);
    }
    wake?.();
  })();
  return new ReadableStream<Uint8Array>({
    async pull(controller): Promise<void> {
      while (queue.length === 0 && finished === "no") {
        await new Promise<void>((resolve) => wake = resolve);
      }
      if (finished === "failed") {
        end();
        return controller.error(failure);
      }
      const chunk = queue.shift();
      if (chunk) {
        counter.remove(chunk.length);
        controller.enqueue(chunk);
      } else {
        end();
        controller.close();
      }
    },
    cancel(reason): void {
      fail(reason);
      end();
    },
  }, { highWaterMark: 0 });
}
