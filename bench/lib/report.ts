/**
 * Small helpers for benchmark scripts: timing statistics and a plain-text results table on
 * stdout (benchmarks are scripts, not part of the server, so stdout is free to use).
 * @module
 */

/** One row of a results table. */
export interface ResultRow {
  /** What was measured. */
  measure: string;
  /** The figure, formatted. */
  value: string;
  /** The target, formatted ("" when there is none). */
  target?: string;
  /** true = met, false = missed, undefined = informational or not measured. */
  pass?: boolean;
}

/** Median of `values` (NaN for an empty list). */
export function median(values: readonly number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const middle = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2;
}

/** The p-th percentile (0-100) of `values`, nearest-rank. */
export function percentile(values: readonly number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const rank = Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1));
  return sorted[rank];
}

/** UTF-8 size of a string in bytes. */
export function byteLength(text: string): number {
  return new TextEncoder().encode(text).length;
}

/** `12345` → `"12.1 KB"`. */
export function formatBytes(bytes: number): string {
  return bytes < 1024 ? `${bytes} B` : `${(bytes / 1024).toFixed(1)} KB`;
}

/** Writes a line to stdout. */
export function printLine(text = ""): void {
  Deno.stdout.writeSync(new TextEncoder().encode(`${text}\n`));
}

/** Renders rows as an aligned table with a PASS/MISS column. */
export function formatTable(rows: readonly ResultRow[]): string {
  const result = (row: ResultRow): string =>
    row.pass === undefined ? "" : row.pass ? "PASS" : "MISS";
  const header: ResultRow = { measure: "Measure", value: "Value", target: "Target" };
  const all = [header, ...rows];
  const widths = [
    Math.max(...all.map((row) => row.measure.length)),
    Math.max(...all.map((row) => row.value.length)),
    Math.max(...all.map((row) => (row.target ?? "").length)),
  ];
  const line = (row: ResultRow, verdict: string): string =>
    [
      row.measure.padEnd(widths[0]),
      row.value.padEnd(widths[1]),
      (row.target ?? "").padEnd(widths[2]),
      verdict,
    ].join("  ").trimEnd();
  const rule = "-".repeat(widths[0] + widths[1] + widths[2] + 12);
  return [line(header, "Result"), rule, ...rows.map((row) => line(row, result(row)))].join("\n");
}

/** `12345678` → `"11.8 MB"`. */
export function formatMb(bytes: number): string {
  return `${(bytes / 1024 / 1024).toFixed(1)} MB`;
}

/** `0.034` → `"+3.4 %"`. */
export function formatPercent(ratio: number): string {
  return `${ratio >= 0 ? "+" : ""}${(ratio * 100).toFixed(1)} %`;
}

/** The machine's load average, for the record of a noisy run: `load 1.23 0.98 0.75 (2 CPUs)`. */
export function loadLine(): string {
  const [one, five, fifteen] = Deno.loadavg();
  return `load ${one.toFixed(2)} ${five.toFixed(2)} ${
    fifteen.toFixed(2)
  } (${navigator.hardwareConcurrency} CPUs)`;
}
