/**
 * A memory probe for child processes of the benchmarks: on SIGUSR1 the process runs a full GC
 * (when started with `--v8-flags=--expose-gc`) and writes one line to stderr,
 * `@@memory {"rss":…,"heapUsed":…,…}`, with any extra counters the caller adds. The parent
 * sends the signal and reads the line (see children.ts `memoryOf`).
 * @module
 */

/** The marker that starts a probe line on stderr. */
export const MEMORY_MARKER = "@@memory ";

/** What one probe reports. */
export interface MemoryReport {
  /** Resident set size, bytes. */
  rss: number;
  /** V8 heap in use (after a full GC when `gc` was exposed), bytes. */
  heapUsed: number;
  /** V8 heap reserved, bytes. */
  heapTotal: number;
  /** Memory of JS objects bound to C++ (buffers…), bytes. */
  external: number;
  /** Whether a full GC ran before the figures were taken. */
  gc: boolean;
  /** Extra counters of the caller (cache entries, sessions). */
  [extra: string]: number | boolean;
}

/** Installs the SIGUSR1 probe; `extra` adds counters to each report. */
export function installMemoryProbe(extra: () => Record<string, number> = () => ({})): void {
  Deno.addSignalListener("SIGUSR1", () => {
    const gc = (globalThis as { gc?: () => void }).gc;
    if (gc) {
      gc();
      gc();
    }
    const usage = Deno.memoryUsage();
    const report: MemoryReport = {
      rss: usage.rss,
      heapUsed: usage.heapUsed,
      heapTotal: usage.heapTotal,
      external: usage.external,
      gc: gc !== undefined,
      ...extra(),
    };
    Deno.stderr.writeSync(new TextEncoder().encode(`${MEMORY_MARKER}${JSON.stringify(report)}\n`));
  });
}
