/**
 * Masking of secrets in free text and structured values: every log line, log notification and
 * error message goes through here.
 *
 * @module
 */

/** Text that replaces a secret. */
export const REDACTED = "[redacted]";

const SECRET_KEYS = new Set([
  "password",
  "passwd",
  "pwd",
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

const JWT = /\beyJ[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]{4,}\.[A-Za-z0-9_-]*/g;
const DOTTED_TOKEN = /\b[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\.[A-Za-z0-9_-]{16,}\b/g;
// "Bearer" and "Application" are ordinary words too ("Bearer for a login JWT", "Bearer realm="):
// mask only credential-looking values (a digit in them, or 20+ token characters).
const CREDENTIAL = String
  .raw`([A-Za-z0-9._~+/=-]*\d[A-Za-z0-9._~+/=-]*|[A-Za-z0-9._~+/=-]{20,})(?=$|[\s"',;])`;
const BEARER = new RegExp(String.raw`\b(Bearer)(\s+)` + CREDENTIAL, "g");
const APPLICATION = new RegExp(String.raw`\b(Application)(\s+)` + CREDENTIAL, "g");
const URL_PASSWORD = /\b([a-z][a-z0-9+.-]*:\/\/[^\s/@:]+):[^\s/@]+@/gi;
const KEY_VALUE =
  /(["']?)([A-Za-z][A-Za-z0-9_.-]*)\1(\s*[:=]\s*)((?:Bearer|Application|Basic|Token)\s+[^\s"',;&]+|"(?:[^"\\\r\n]|\\.)*"|'[^'\r\n]*'|[^\s"',;&)}\]]+)/g;

/**
 * Masks secrets in free text: JWTs (`xxx.yyy.zzz` base64url), `Bearer <x>`,
 * `Application <x>`, and the values of secret-named keys (password, token,
 * auth_token, refresh, authorization, secret, ...) in JSON-ish, `key=value` or
 * `key: value` text, and passwords in URLs (`https://user:pw@host`).
 */
export function redact(text: string): string {
  return text
    .replace(URL_PASSWORD, `$1:${REDACTED}@`)
    .replace(KEY_VALUE, (whole, quote: string, key: string, sep: string, value: string) => {
      if (!isSecretKey(key) || /^(null|true|false|""|'')$/.test(value)) return whole;
      const masked = value.startsWith('"') ? `"${REDACTED}"` : REDACTED;
      return `${quote}${key}${quote}${sep}${masked}`;
    })
    .replace(JWT, REDACTED)
    .replace(DOTTED_TOKEN, REDACTED)
    .replace(BEARER, (_whole, scheme: string, space: string) => `${scheme}${space}${REDACTED}`)
    .replace(
      APPLICATION,
      (_whole, scheme: string, space: string) => `${scheme}${space}${REDACTED}`,
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
