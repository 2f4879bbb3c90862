/**
 * Redirect URIs: which a client may register, and whether the one in a request is registered.
 * Matching is exact (string comparison), except that a loopback `http` redirect may use any
 * port (RFC 8252 §7.3: native apps listen on a port they get at run time).
 * @module
 */

const LOOPBACK = new Set(["127.0.0.1", "[::1]", "localhost"]);
/** Schemes a redirect must never use: they run code or read files in the browser. */
const FORBIDDEN_SCHEMES = new Set([
  "javascript:",
  "data:",
  "file:",
  "vbscript:",
  "blob:",
  "about:",
]);
/** Longest redirect URI accepted. */
const MAX_URI_CHARS = 2000;

function parse(uri: string): URL | undefined {
  try {
    return new URL(uri);
  } catch {
    return undefined;
  }
}

/** Whether `uri` is an http redirect to this machine (any port allowed). */
export function isLoopbackRedirect(uri: string): boolean {
  const url = parse(uri);
  return url !== undefined && url.protocol === "http:" && LOOPBACK.has(url.hostname);
}

/**
 * Why `uri` cannot be a redirect URI, or undefined when it can: https, http to loopback, or
 * an app's own scheme (e.g. `cursor://…`, RFC 8252 §7.1); never a fragment, credentials, plain
 * http elsewhere, or a scheme that runs code in the browser.
 */
export function redirectProblem(uri: string): string | undefined {
  if (uri.length > MAX_URI_CHARS) return `is longer than ${MAX_URI_CHARS} characters`;
  const url = parse(uri);
  if (!url) return "is not an absolute URI";
  if (url.hash || uri.includes("#")) return "must not have a fragment";
  if (url.username || url.password) return "must not carry credentials";
  if (FORBIDDEN_SCHEMES.has(url.protocol)) return `must not use ${url.protocol}`;
  if (url.protocol === "http:" && !LOOPBACK.has(url.hostname)) {
    return "must use https (plain http only to 127.0.0.1, [::1] or localhost)";
  }
  return undefined;
}

/** The URI without its port, for loopback comparison. */
function withoutPort(url: URL): string {
  const copy = new URL(url.href);
  copy.port = "";
  return copy.href;
}

/** Whether `given` is one of `registered`: the same string, or loopback http on another port. */
export function redirectMatches(registered: readonly string[], given: string): boolean {
  if (registered.includes(given)) return true;
  if (!isLoopbackRedirect(given)) return false;
  const url = new URL(given);
  const target = withoutPort(url);
  return registered.some((entry) =>
    isLoopbackRedirect(entry) && withoutPort(new URL(entry)) === target
  );
}

/** What a person is shown of where they will be sent: the host, or the app's scheme. */
export function redirectShown(uri: string): string {
  const url = parse(uri);
  if (!url) return uri.slice(0, 80);
  if (url.protocol === "http:" || url.protocol === "https:") return url.host;
  return `${url.protocol}//${url.host}`;
}
