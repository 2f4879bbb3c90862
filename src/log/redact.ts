/**
 * Masking of secrets in free text and structured values: every log line, log notification and
 * error message goes through here.
 *
 * Linear in the text's length: every pass either scans each character a bounded number of times
 * by hand or uses a regex that can only start at the beginning of a run (a lookbehind guard), so
 * no input makes it backtrack quadratically. Text longer than {@link MAX_REDACT_CHARS} is cut
 * first.
 *
 * @module
 */

/** Text that replaces a secret. */
export const REDACTED = "[redacted]";

/** The longest text kept; the rest is cut (a log line or message that long is not read anyway). */
export const MAX_REDACT_CHARS = 262_144;

const SECRET_KEYS = new Set([
  "password",
  "passwd",
  "pwd",
  "pass",
  "token",
  "authtoken",
  "accesstoken",
  "refresh",
  "refreshtoken",
  "authorization",
  "proxyauthorization",
  "secret",
  "clientsecret",
  "apikey",
  "cookie",
  "setcookie",
  "authcode",
]);

/** Whether a key names a secret: password/token/auth_token/refresh/authorization/secret and kin. */
function isSecretKey(key: string): boolean {
  const flat = key.toLowerCase().replace(/[^a-z0-9]/g, "");
  return SECRET_KEYS.has(flat) || /(password|passwd|token|secret)$/.test(flat);
}

/** Character classes by code unit, so the scanner tests a character without a regex. */
const KEY = 1, LETTER = 2, SPACE = 4, VALUE_END = 8, SCHEME_END = 16, TOKEN = 32;
const CLASSES = new Uint8Array(128);
function mark(chars: string, bit: number): void {
  for (const c of chars) CLASSES[c.charCodeAt(0)] |= bit;
}
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";
mark(LETTERS, KEY | LETTER | TOKEN);
mark("0123456789_.-", KEY | TOKEN);
mark("~+/=", TOKEN);
mark(" \t\n\v\f\r", SPACE | VALUE_END | SCHEME_END);
mark(`"',;&`, VALUE_END | SCHEME_END);
mark(")}]", VALUE_END);

/** Whether the character at `i` is of class `bit` (non-ASCII: only Unicode spaces count). */
function is(text: string, i: number, bit: number): boolean {
  const code = text.charCodeAt(i);
  if (code < 128) return (CLASSES[code] & bit) !== 0;
  return (bit & (SPACE | VALUE_END | SCHEME_END)) !== 0 && /\s/.test(text[i]);
}
const SCHEME_VALUE = /^(?:Bearer|Application|Basic|Token)\s+[^\s"',;&]/;
const NOT_SECRET_VALUE = new Set(["null", "true", "false", '""', "''"]);

/** Cuts text over the cap, dropping a token the cut would split (its head would show). */
function cap(text: string): string {
  if (text.length <= MAX_REDACT_CHARS) return text;
  let end = MAX_REDACT_CHARS;
  while (end > 0 && is(text, end - 1, TOKEN)) end--;
  return `${text.slice(0, end)}… (${text.length - end} chars cut)`;
}

/** End (exclusive) of a quoted value starting at `start`; an unclosed quote runs to the line's end. */
function quotedEnd(text: string, start: number): number {
  const quote = text[start];
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i];
    if (c === "\\" && quote === '"') i++;
    else if (c === quote) return i + 1;
    else if (c === "\n" || c === "\r") return i;
  }
  return text.length;
}

/** End (exclusive) of the value at `start` of a secret key. */
function valueEnd(text: string, start: number): number {
  const c = text[start];
  if (c === '"' || c === "'") return quotedEnd(text, start);
  let i = start;
  // "Bearer <x>": the scheme word and the credential are one value. Only the head is tested.
  if (SCHEME_VALUE.test(text.slice(start, start + 16))) {
    while (i < text.length && !is(text, i, SPACE)) i++;
    while (i < text.length && is(text, i, SPACE)) i++;
    while (i < text.length && !is(text, i, SCHEME_END)) i++;
    return i;
  }
  while (i < text.length && !is(text, i, VALUE_END)) i++;
  return i;
}

/**
 * Masks the values of secret-named keys (`password=…`, `"token": "…"`, `secret: …`). The value
 * of any other key is scanned too, so `url=http://x?token=…` and `x=password=…` are masked.
 */
function maskKeyValues(text: string): string {
  let out = "";
  let copied = 0;
  let i = 0;
  while (i < text.length) {
    if (!is(text, i, KEY)) {
      i++;
      continue;
    }
    // A run of key characters is scanned once; the key is the run from its first letter.
    let j = i;
    while (j < text.length && is(text, j, KEY)) j++;
    let first = i;
    while (first < j && !is(text, first, LETTER)) first++;
    let k = j;
    if (text[k] === '"' || text[k] === "'") k++;
    while (k < text.length && is(text, k, SPACE)) k++;
    if (first === j || (text[k] !== ":" && text[k] !== "=")) {
      i = j;
      continue;
    }
    k++;
    while (k < text.length && is(text, k, SPACE)) k++;
    if (isSecretKey(text.slice(first, j))) {
      const end = valueEnd(text, k);
      const value = text.slice(k, end);
      if (value !== "" && !NOT_SECRET_VALUE.has(value)) {
        out += text.slice(copied, k) + (value.startsWith('"') ? `"${REDACTED}"` : REDACTED);
        copied = end;
        i = end;
        continue;
      }
    }
    i = k;
  }
  return copied === 0 ? text : out + text.slice(copied);
}

/** Runs of base64url segments joined by dots, from a run's start only (never inside one). */
const DOTTED_RUN = /(?<![A-Za-z0-9_-])[A-Za-z0-9_-]+(?:\.[A-Za-z0-9_-]*)+/g;

/** Where a JWT starts in a segment: `eyJ` at its start or after a `-`, with 4+ more characters. */
function jwtStart(segment: string): number {
  for (let at = segment.indexOf("eyJ"); at >= 0; at = segment.indexOf("eyJ", at + 1)) {
    if ((at === 0 || segment[at - 1] === "-") && segment.length - at >= 7) return at;
  }
  return -1;
}

/** Masks JWTs (`eyJ….….…`) and other three-part dotted tokens (16+ characters a part). */
function maskDottedTokens(run: string): string {
  const parts = run.split(".");
  const out: string[] = [];
  let i = 0;
  while (i < parts.length) {
    if (i + 2 < parts.length) {
      const at = jwtStart(parts[i]);
      if (at >= 0 && parts[i + 1].length >= 4) {
        out.push(parts[i].slice(0, at) + REDACTED);
        i += 3;
        continue;
      }
      if (parts[i].length >= 16 && parts[i + 1].length >= 16 && parts[i + 2].length >= 16) {
        out.push(REDACTED);
        i += 3;
        continue;
      }
    }
    out.push(parts[i]);
    i++;
  }
  return out.join(".");
}

// "Bearer" and "Application" are ordinary words too ("Bearer for a login JWT", "Bearer realm="):
// mask only credential-looking values (a digit in them, or 20+ token characters).
const SCHEME_CREDENTIAL = /\b(Bearer|Application)(\s+)([A-Za-z0-9._~+/=-]+)/g;
const URL_PASSWORD = /(?<![a-z0-9+.-])([a-z][a-z0-9+.-]*:\/\/[^\s/@:]+):[^\s/@]+@/gi;

/**
 * Masks secrets in free text: JWTs (`xxx.yyy.zzz` base64url), `Bearer <x>`,
 * `Application <x>`, and the values of secret-named keys (password, token,
 * auth_token, refresh, authorization, secret, ...) in JSON-ish, `key=value` or
 * `key: value` text — query strings and form bodies included — and passwords in URLs
 * (`https://user:pw@host`). Text over {@link MAX_REDACT_CHARS} is cut first.
 */
export function redact(text: string): string {
  const masked = maskKeyValues(cap(text).replace(URL_PASSWORD, `$1:${REDACTED}@`))
    .replace(DOTTED_RUN, maskDottedTokens);
  return masked.replace(
    SCHEME_CREDENTIAL,
    (whole, scheme: string, space: string, value: string) =>
      /\d/.test(value) || value.length >= 20 ? `${scheme}${space}${REDACTED}` : whole,
  );
}

const MAX_DEPTH = 8;

function redactInner(value: unknown, depth: number, seen: WeakSet<object>): unknown {
  if (typeof value === "string") return redact(value);
  if (typeof value === "function") return `[function ${value.name || "anonymous"}]`;
  if (value === null || typeof value !== "object") return value;
  if (value instanceof Date) return new Date(value.getTime());
  if (seen.has(value)) return "[circular]";
  if (depth >= MAX_DEPTH) return "[nested too deep]";
  seen.add(value);
  try {
    if (Array.isArray(value)) return value.map((item) => redactInner(item, depth + 1, seen));
    if (value instanceof Error) {
      return { name: value.name, message: redact(value.message) };
    }
    const copy: Record<string, unknown> = {};
    for (const [key, item] of Object.entries(value)) {
      copy[key] = isSecretKey(key) && item !== null && item !== undefined && item !== ""
        ? REDACTED
        : redactInner(item, depth + 1, seen);
    }
    return copy;
  } finally {
    seen.delete(value);
  }
}

/**
 * Deep-copies `value` with the values of secret-named keys replaced by
 * `[redacted]` and every string passed through {@link redact}. Errors become
 * `{ name, message }`; cycles become `"[circular]"`.
 */
export function redactValue(value: unknown): unknown {
  return redactInner(value, 0, new WeakSet());
}

/**
 * Describes a token without revealing it, e.g. `eyJh…(redacted, 187 chars)`.
 * At most 4 characters are shown, and none for tokens under 16 characters.
 */
export function maskToken(token: string): string {
  if (token.length === 0) return "(empty)";
  const shown = token.length >= 16 ? `${token.slice(0, 4)}…` : "";
  return `${shown}(redacted, ${token.length} chars)`;
}
