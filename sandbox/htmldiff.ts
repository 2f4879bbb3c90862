/**
 * The HTML diff of `description`, `content` and `blocked_note` in a history entry's
 * `values_diff` (`<x>_diff`), shaped like taiga-back's `get_diff_of_htmls`
 * (`mdrender/service.py`): diff-match-patch operations rendered as `<span>` (equal),
 * `<del style="background:#ffe6e6;">` and `<ins style="background:#e6ffe6;">`, text escaped and
 * newlines as `<br />`, long equal runs shortened to `first ten words(...)last ten words`.
 *
 * The operations come from a character LCS over the part between the common prefix and
 * suffix, not from diff-match-patch itself; the result can split a change differently, but it
 * has the same form and the same meaning.
 *
 * @module
 */

type Op = [-1 | 0 | 1, string];

/** LCS budget (cells): beyond it the middle is one deletion plus one insertion. */
const MAX_CELLS = 4_000_000;

function middleOps(a: string, b: string): Op[] {
  if (!a) return b ? [[1, b]] : [];
  if (!b) return [[-1, a]];
  if (a.length * b.length > MAX_CELLS) return [[-1, a], [1, b]];
  const n = a.length;
  const m = b.length;
  const table = new Uint32Array((n + 1) * (m + 1));
  for (let i = n - 1; i >= 0; i--) {
    for (let j = m - 1; j >= 0; j--) {
      table[i * (m + 1) + j] = a[i] === b[j]
        ? table[(i + 1) * (m + 1) + j + 1] + 1
        : Math.max(table[(i + 1) * (m + 1) + j], table[i * (m + 1) + j + 1]);
    }
  }
  const ops: Op[] = [];
  const push = (op: -1 | 0 | 1, ch: string) => {
    const last = ops[ops.length - 1];
    if (last && last[0] === op) last[1] += ch;
    else ops.push([op, ch]);
  };
  let i = 0;
  let j = 0;
  while (i < n && j < m) {
    if (a[i] === b[j]) {
      push(0, a[i]);
      i++;
      j++;
    } else if (table[(i + 1) * (m + 1) + j] >= table[i * (m + 1) + j + 1]) push(-1, a[i++]);
    else push(1, b[j++]);
  }
  while (i < n) push(-1, a[i++]);
  while (j < m) push(1, b[j++]);
  return ops;
}

/** Diff operations between two texts (common prefix and suffix kept whole). */
export function diffOps(a: string, b: string): Op[] {
  let start = 0;
  while (start < a.length && start < b.length && a[start] === b[start]) start++;
  let end = 0;
  while (
    end < a.length - start && end < b.length - start &&
    a[a.length - 1 - end] === b[b.length - 1 - end]
  ) end++;
  const ops: Op[] = [];
  if (start) ops.push([0, a.slice(0, start)]);
  ops.push(...middleOps(a.slice(start, a.length - end), b.slice(start, b.length - end)));
  if (end) ops.push([0, a.slice(a.length - end)]);
  return ops;
}

function sanitize(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/\n/g, "<br />");
}

function shorten(text: string, index: number, size: number): string {
  const words = text.split(/\s+/).filter(Boolean);
  if (words.length <= 25) return text;
  const first = index === 0 ? "" : words.slice(0, 10).join(" ");
  const last = index !== 0 && index === size - 1 ? "" : words.slice(-10).join(" ");
  return `${first}(...)${last}`;
}

/** The pretty HTML diff of two texts ("" when they are equal). */
export function htmlDiff(before: string, after: string): string {
  const ops = diffOps(before ?? "", after ?? "");
  return ops.map(([op, text], i) => {
    if (op === 1) return `<ins style="background:#e6ffe6;">${sanitize(text)}</ins>`;
    if (op === -1) return `<del style="background:#ffe6e6;">${sanitize(text)}</del>`;
    return `<span>${shorten(sanitize(text), i, ops.length)}</span>`;
  }).join("");
}
