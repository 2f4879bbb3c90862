/**
 * The sign-in page and the error page of the authorization endpoint: one HTML document each,
 * inline CSS only (no script, no third-party asset; a CSP allows just that stylesheet), usable
 * without JavaScript, by keyboard and screen reader (labels, `lang`, alerts), readable on a phone
 * (viewport, one fluid column) and in dark mode, with colour pairs of at least 4.5:1 contrast.
 * @module
 */

/** Foreground/background pairs of both themes (a test checks their contrast). */
export const PALETTE = {
  light: {
    text: "#1b1b1f",
    muted: "#4b4b57",
    background: "#ffffff",
    panel: "#f3f4f7",
    accent: "#0a4f8f",
    accentText: "#ffffff",
    error: "#9b1020",
    errorBackground: "#fdecee",
    warning: "#6b4400",
    warningBackground: "#fff6e0",
  },
  dark: {
    text: "#ececf1",
    muted: "#b9b9c6",
    background: "#16161a",
    panel: "#22232a",
    accent: "#8cc4ff",
    accentText: "#0b1a2b",
    error: "#ffb3bc",
    errorBackground: "#3a1419",
    warning: "#ffd98a",
    warningBackground: "#33280f",
  },
} as const;

type Theme = typeof PALETTE.light | typeof PALETTE.dark;

function variables(theme: Theme): string {
  return Object.entries(theme).map(([name, value]) => `--${name}:${value};`).join("");
}

/** The one stylesheet (its hash is the page's style-src). */
export const STYLE = [
  `:root{${variables(PALETTE.light)}color-scheme:light dark}`,
  `@media (prefers-color-scheme:dark){:root{${variables(PALETTE.dark)}}}`,
  "*{box-sizing:border-box}",
  "body{margin:0;background:var(--background);color:var(--text);font:1rem/1.5 system-ui,-apple-system,'Segoe UI',Roboto,sans-serif}",
  "main{max-width:32rem;margin:0 auto;padding:1.5rem 1rem 3rem}",
  "h1{font-size:1.5rem;margin:0 0 .75rem}h2{font-size:1.05rem;margin:1.25rem 0 .25rem}",
  "p,ul,dl{margin:.5rem 0}ul{padding-left:1.25rem}",
  ".muted,.hint{color:var(--muted)}.hint{font-size:.9rem}",
  "dl{display:grid;grid-template-columns:max-content 1fr;gap:.25rem .75rem;background:var(--panel);padding:.75rem;border-radius:.5rem}",
  "dt{font-weight:600}dd{margin:0;overflow-wrap:anywhere}",
  ".note{padding:.75rem;border-radius:.5rem;background:var(--warningBackground);color:var(--warning)}",
  ".error{padding:.75rem;border-radius:.5rem;background:var(--errorBackground);color:var(--error);font-weight:600}",
  "form{margin-top:1rem}label{display:block;font-weight:600;margin:.75rem 0 .25rem}",
  "input[type=text],input[type=password]{width:100%;font:inherit;padding:.6rem .7rem;border:2px solid var(--muted);border-radius:.4rem;background:var(--background);color:var(--text)}",
  "input[aria-invalid=true]{border-color:var(--error)}",
  ".actions{display:flex;flex-wrap:wrap;gap:.75rem;margin-top:1.25rem}",
  "button{font:inherit;font-weight:600;padding:.65rem 1.1rem;border-radius:.4rem;border:2px solid var(--accent);cursor:pointer;min-height:2.75rem;flex:1 1 12rem}",
  "button.primary{background:var(--accent);color:var(--accentText)}",
  "button.secondary{background:var(--background);color:var(--accent)}",
  ":focus-visible{outline:3px solid var(--accent);outline-offset:2px}",
].join("\n");

let styleHash: Promise<string> | undefined;

/** The CSP source of {@link STYLE}: `'sha256-…'`. */
function styleSource(): Promise<string> {
  styleHash ??= crypto.subtle.digest("SHA-256", new TextEncoder().encode(STYLE)).then(
    (digest) => `'sha256-${btoa(String.fromCharCode(...new Uint8Array(digest)))}'`,
  );
  return styleHash;
}

/** Escapes text for HTML content and attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (char) => `&#${char.charCodeAt(0)};`);
}

function documentOf(title: string, body: string): string {
  return `<!doctype html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>${escapeHtml(title)}</title>
<style>${STYLE}</style>
</head>
<body>
<main>
${body}
</main>
</body>
</html>
`;
}

/**
 * An HTML answer with the page's safety headers: no framing, no caching, this CSP, and no
 * referrer beyond this origin (`same-origin`, not `no-referrer`: with that, browsers send the
 * form's POST with `Origin: null`, which the Origin check rightly refuses).
 */
export async function htmlResponse(
  html: string,
  status = 200,
  headers: Record<string, string> = {},
): Promise<Response> {
  return new Response(html, {
    status,
    headers: {
      "Content-Type": "text/html; charset=utf-8",
      "Cache-Control": "no-store",
      "Content-Security-Policy": `default-src 'none'; style-src ${await styleSource()}; ` +
        "frame-ancestors 'none'; base-uri 'none'",
      "X-Frame-Options": "DENY",
      "X-Content-Type-Options": "nosniff",
      "Referrer-Policy": "same-origin",
      ...headers,
    },
  });
}

/** What the sign-in page shows. */
export interface SignInPage {
  /** The application's own name for itself. */
  clientName: string;
  /** How it is identified: its metadata document's host, or "registered with this server". */
  clientSource: string;
  /** Where the person is sent back to (host, or the app's scheme). */
  redirectShown: string;
  /** The redirect goes to this computer only (localhost): warn. */
  localRedirect: boolean;
  /** The server offers read-only tools only. */
  readOnly: boolean;
  /** The Taiga the password goes to (its host). */
  taigaHost: string;
  /** The sealed pending request. */
  requestToken: string;
  /** The sealed CSRF token. */
  csrfToken: string;
  /** Taiga's Application sign-in is offered. */
  taigaApp: boolean;
  /** The username typed before (after a failed attempt). */
  username?: string;
  /** What went wrong with the last attempt. */
  error?: string;
}

function hidden(page: SignInPage): string {
  return `<input type="hidden" name="req" value="${escapeHtml(page.requestToken)}">
<input type="hidden" name="csrf" value="${escapeHtml(page.csrfToken)}">`;
}

/** The sign-in page: who asks, what it may do, the form. */
export function signInHtml(page: SignInPage): string {
  const name = escapeHtml(page.clientName);
  const abilities = page.readOnly
    ? "<li>read your projects, stories, tasks, issues, sprints, wiki and comments</li>"
    : "<li>read your projects, stories, tasks, issues, sprints, wiki and comments</li>\n" +
      "<li>create, change and delete them, as far as your Taiga permissions allow</li>";
  const invalid = page.error ? ' aria-invalid="true" aria-describedby="signin-error"' : "";
  const body = `<h1>Sign in to Taiga</h1>
<p><strong>${name}</strong> <span class="muted">(the name it gives itself)</span> asks to work in Taiga as you.</p>
<h2 id="can">It will be able to</h2>
<ul aria-labelledby="can">
${abilities}
</ul>
<h2 id="who">Who is asking</h2>
<dl aria-labelledby="who">
<dt>Application</dt><dd>${name}</dd>
<dt>Identified by</dt><dd>${escapeHtml(page.clientSource)}</dd>
<dt>Sends you back to</dt><dd>${escapeHtml(page.redirectShown)}</dd>
</dl>
${
    page.localRedirect
      ? '<p class="note">The answer goes to an application on your own computer (localhost). Continue only if you just started this sign-in from an application on this computer.</p>\n'
      : ""
  }<form method="post" action="/authorize">
${hidden(page)}
${
    page.error
      ? `<p id="signin-error" class="error" role="alert">${escapeHtml(page.error)}</p>\n`
      : ""
  }<label for="username">Taiga username or email</label>
<input id="username" name="username" type="text" autocomplete="username" autocapitalize="none" spellcheck="false" required value="${
    escapeHtml(page.username ?? "")
  }"${invalid}${page.error ? "" : " autofocus"}>
<label for="password">Password</label>
<input id="password" name="password" type="password" autocomplete="current-password" required${invalid}${
    page.error ? " autofocus" : ""
  }>
<p class="hint">Your password goes to Taiga at ${
    escapeHtml(page.taigaHost)
  } once, to sign you in; it is not kept.</p>
<div class="actions">
<button type="submit" class="primary" name="action" value="signin">Sign in and allow</button>
<button type="submit" class="secondary" name="action" value="deny" formnovalidate>Cancel</button>
</div>
</form>
${
    page.taigaApp
      ? `<form method="post" action="/authorize">
${hidden(page)}
<p class="hint">Or sign in on Taiga's own page (no password here):</p>
<div class="actions"><button type="submit" class="secondary" name="action" value="taiga">Continue on Taiga</button></div>
</form>
`
      : ""
  }`;
  return documentOf(`Sign in to Taiga for ${page.clientName}`, body);
}

/** A page that ends a sign-in: what happened and what to do. */
export function errorHtml(title: string, message: string): string {
  return documentOf(
    title,
    `<h1>${escapeHtml(title)}</h1>
<p class="error" role="alert">${escapeHtml(message)}</p>
<p>Close this page and start the sign-in again from your application.</p>`,
  );
}
