/**
 * SSE resumability for the Streamable HTTP transport: a small in-memory event store, one per MCP
 * session, that the SDK's transport writes every SSE event to (and a "priming" event at the start
 * of each POST stream), so that a client whose stream broke can reconnect with `GET` +
 * `Last-Event-ID` and receive what it missed on that stream.
 *
 * Scope and safety:
 * - One store per MCP session, reachable only through that session's transport (after its
 *   `Mcp-Session-Id` was checked), so one session can never replay another session's events.
 *   Event ids are `<prefix>.<n>`: a random 128-bit prefix per store plus a counter, so an id from
 *   another session (or a made-up one) is simply unknown here.
 * - Bounded: an event is kept while it is among the session's last {@link EventStoreLimits.maxEvents}
 *   events (200), is younger than {@link EventStoreLimits.maxAgeMs} (2 minutes) and the events
 *   kept fit in {@link EventStoreLimits.maxBytes} (256 KiB of serialised JSON), whichever bound is hit
 *   first; the oldest go first. A single message larger than `maxBytes` is never kept (its id is
 *   remembered, so resuming across it is refused rather than silently skipping it).
 * - Dropped when the session ends ({@link SessionEventStore.close}).
 *
 * An event id that is unknown, expired, or whose stream lost a message is not resumable
 * ({@link SessionEventStore.resumable}): the transport then opens a fresh stream instead.
 * @module
 */

import type { EventStore, JSONRPCMessage } from "../mcp/sdk.ts";

/** Bounds of one session's event store; the first one reached evicts the oldest events. */
export interface EventStoreLimits {
  /** Most events kept per session. */
  maxEvents: number;
  /** Oldest event kept, ms; older ones are neither replayed nor kept once the store is touched. */
  maxAgeMs: number;
  /** Most serialised JSON kept per session, in UTF-16 code units (about bytes for ASCII). */
  maxBytes: number;
}

/**
 * The defaults: the last 200 events, 2 minutes, 256 KiB per session — enough to ride out a broken
 * connection, small enough that 50 busy clients keep the heap flat (measured by bench/http_load.ts).
 */
export const DEFAULT_EVENT_STORE_LIMITS: Readonly<EventStoreLimits> = Object.freeze({
  maxEvents: 200,
  maxAgeMs: 2 * 60_000,
  maxBytes: 256 * 1024,
});

/** What the store keeps of a message: its JSON, "" for a priming event, null if too large. */
type Payload = string | null;

interface Entry {
  readonly seq: number;
  readonly streamId: string;
  readonly at: number;
  readonly payload: Payload;
}

/** A random store prefix: 16 bytes (128 bits), base64url without padding. */
function randomPrefix(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return btoa(String.fromCharCode(...bytes)).replaceAll("+", "-").replaceAll("/", "_")
    .replace(/=+$/, "");
}

/** The bounded, in-memory event store of one MCP session (see the module documentation). */
export class SessionEventStore implements EventStore {
  readonly #prefix = randomPrefix();
  readonly #limits: EventStoreLimits;
  readonly #now: () => number;
  /** Retained events, oldest first; their `seq`s are consecutive. */
  readonly #entries: Entry[] = [];
  #nextSeq = 0;
  #bytes = 0;
  #closed = false;

  /** Creates an empty store with `limits` (default {@link DEFAULT_EVENT_STORE_LIMITS}). */
  constructor(limits: Partial<EventStoreLimits> = {}, now: () => number = Date.now) {
    this.#limits = { ...DEFAULT_EVENT_STORE_LIMITS, ...limits };
    this.#now = now;
  }

  /** Number of events retained. */
  get size(): number {
    return this.#entries.length;
  }

  /** Serialised JSON retained, in UTF-16 code units. */
  get bytes(): number {
    return this.#bytes;
  }

  /**
   * Records one event of stream `streamId` and returns its id. An empty message is the SDK's
   * priming event: it is kept as a position only and never replayed. After {@link close} the
   * event gets an id but is not kept.
   */
  storeEvent(streamId: string, message: JSONRPCMessage): Promise<string> {
    const seq = this.#nextSeq++;
    if (!this.#closed) {
      let payload: Payload = "jsonrpc" in message ? JSON.stringify(message) : "";
      if (payload.length > this.#limits.maxBytes) payload = null;
      this.#entries.push({ seq, streamId, at: this.#now(), payload });
      this.#bytes += payload?.length ?? 0;
      this.#prune();
    }
    return Promise.resolve(this.#idOf(seq));
  }

  /** The stream `eventId` belongs to, if it can be resumed from (see {@link resumable}). */
  getStreamIdForEventId(eventId: string): Promise<string | undefined> {
    return Promise.resolve(this.#resumeFrom(eventId)?.streamId);
  }

  /**
   * Whether a client can resume after `eventId`: the event is still kept, belongs to this store,
   * and every later event of its stream is kept too (none was too large to keep).
   */
  resumable(eventId: string): boolean {
    return this.#resumeFrom(eventId) !== undefined;
  }

  /**
   * Sends, in order, every kept event of `lastEventId`'s stream that came after it (priming
   * events excepted); resolves to that stream's id. Rejects when `lastEventId` is not
   * {@link resumable}.
   */
  async replayEventsAfter(
    lastEventId: string,
    { send }: { send: (eventId: string, message: JSONRPCMessage) => Promise<void> },
  ): Promise<string> {
    const from = this.#resumeFrom(lastEventId);
    if (!from) throw new Error("Last-Event-ID is unknown or expired");
    // Walk by sequence number, so events stored while replaying are sent too.
    for (let seq = from.seq + 1;; seq++) {
      const entry = this.#entry(seq);
      if (!entry) break;
      if (entry.streamId !== from.streamId || !entry.payload) continue;
      await send(this.#idOf(seq), JSON.parse(entry.payload) as JSONRPCMessage);
    }
    return from.streamId;
  }

  /** Forgets every event; later events get ids but are not kept. Called when the session ends. */
  close(): void {
    this.#closed = true;
    this.#entries.length = 0;
    this.#bytes = 0;
  }

  #idOf(seq: number): string {
    return `${this.#prefix}.${seq}`;
  }

  /** The kept entry with sequence number `seq`. */
  #entry(seq: number): Entry | undefined {
    const first = this.#entries[0];
    return first === undefined ? undefined : this.#entries[seq - first.seq];
  }

  /** The entry a client may resume after, or undefined (unknown, expired, or its stream has a gap). */
  #resumeFrom(eventId: string): Entry | undefined {
    this.#prune();
    const dot = eventId.lastIndexOf(".");
    if (dot < 0 || eventId.slice(0, dot) !== this.#prefix) return undefined;
    const digits = eventId.slice(dot + 1);
    if (!/^(0|[1-9][0-9]{0,15})$/.test(digits)) return undefined;
    const entry = this.#entry(Number(digits));
    if (!entry) return undefined;
    const last = this.#entries[this.#entries.length - 1].seq;
    for (let seq = entry.seq + 1; seq <= last; seq++) {
      const later = this.#entry(seq)!;
      if (later.streamId === entry.streamId && later.payload === null) return undefined;
    }
    return entry;
  }

  /** Evicts the oldest events until every bound holds. */
  #prune(): void {
    const { maxEvents, maxAgeMs, maxBytes } = this.#limits;
    const oldest = this.#now() - maxAgeMs;
    const entries = this.#entries;
    let drop = 0;
    let bytes = this.#bytes;
    while (
      drop < entries.length &&
      (entries.length - drop > maxEvents || bytes > maxBytes || entries[drop].at <= oldest)
    ) {
      bytes -= entries[drop].payload?.length ?? 0;
      drop++;
    }
    if (drop > 0) {
      entries.splice(0, drop);
      this.#bytes = bytes;
    }
  }
}
