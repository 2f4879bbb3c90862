/**
 * Small helpers: slugs like Django's `slugify`, a tiny Markdown renderer for the `*_html`
 * fields, uuids and dates.
 *
 * @module
 */

/** Django's `slugify(unidecode(value))`, near enough. */
export function slugify(value: string): string {
  return value
    .normalize("NFKD")
    .replace(/[\u0300-\u036f]/g, "")
    .toLowerCase()
    .replace(/[^\w\s-]/g, "")
    .trim()
    .replace(/[-\s_]+/g, "-")
    .replace(/^-+|-+$/g, "");
}

/** taiga-back's `slugify_uniquely`: `base`, then `base-1`, `base-2`, … */
export function uniqueSlug(value: string, taken: (slug: string) => boolean): string {
  const base = slugify(value) || "x";
  let candidate = base;
  for (let suffix = 1; taken(candidate); suffix++) candidate = `${base}-${suffix}`;
  return candidate;
}

function escapeHtml(text: string): string {
  return text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;")
    .replace(/"/g, "&quot;");
}

function inline(text: string): string {
  return escapeHtml(text)
    .replace(/\*\*(.+?)\*\*/g, "<strong>$1</strong>")
    .replace(/\*(.+?)\*/g, "<em>$1</em>")
    .replace(/`(.+?)`/g, "<code>$1</code>");
}

/** A small Markdown subset (headings, lists, paragraphs) → HTML, like Taiga's mdrender. */
export function renderMarkdown(text: string): string {
  if (!text) return "";
  const out: string[] = [];
  let para: string[] = [];
  let list: string[] = [];
  const flush = () => {
    if (para.length) out.push(`<p>${para.map(inline).join("\n")}</p>`);
    if (list.length) {
      out.push(`<ul>\n${list.map((l) => `<li>${inline(l)}</li>`).join("\n")}\n</ul>`);
    }
    para = [];
    list = [];
  };
  for (const line of text.split(/\r?\n/)) {
    const heading = /^(#{1,6})\s+(.*)$/.exec(line);
    const item = /^\s*[-*]\s+(.*)$/.exec(line);
    if (heading) {
      flush();
      const level = heading[1].length;
      out.push(`<h${level} id="${slugify(heading[2])}">${inline(heading[2])}</h${level}>`);
    } else if (item) {
      if (para.length) flush();
      list.push(item[1]);
    } else if (line.trim() === "") {
      flush();
    } else {
      if (list.length) flush();
      para.push(line);
    }
  }
  flush();
  return out.join("\n");
}

/** A random RFC 4122 v4 uuid. */
export function uuid(): string {
  return crypto.randomUUID();
}

/** The `YYYY-MM-DD` of an ISO datetime or date. */
export function dateOnly(iso: string): string {
  return iso.slice(0, 10);
}

/** Whether `value` is a valid `YYYY-MM-DD` date. */
export function isIsoDate(value: unknown): value is string {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false;
  const d = new Date(`${value}T00:00:00Z`);
  return !isNaN(d.getTime()) && d.toISOString().slice(0, 10) === value;
}

/** Adds `days` to a `YYYY-MM-DD` date. */
export function addDays(date: string, days: number): string {
  const d = new Date(`${date}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

/** Hex SHA-1 of some bytes. */
export async function sha1Hex(bytes: Uint8Array): Promise<string> {
  const digest = await crypto.subtle.digest("SHA-1", bytes as Uint8Array<ArrayBuffer>);
  return [...new Uint8Array(digest)].map((b) => b.toString(16).padStart(2, "0")).join("");
}

/** md5-looking gravatar id (a stable hex digest of the email; SHA-256 truncated). */
export async function gravatarId(email: string): Promise<string> {
  const digest = await crypto.subtle.digest(
    "SHA-256",
    new TextEncoder().encode(email.trim().toLowerCase()),
  );
  return [...new Uint8Array(digest)].slice(0, 16).map((b) => b.toString(16).padStart(2, "0"))
    .join("");
}

/** Parses an integer id the way Django's IntegerField does, else undefined. */
export function toInt(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isInteger(value)) return value;
  if (typeof value === "string" && /^\s*[+-]?\d+\s*$/.test(value)) return parseInt(value, 10);
  return undefined;
}
