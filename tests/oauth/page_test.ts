/**
 * The sign-in page's promises that do not need a browser: every colour pair of both themes
 * reaches WCAG AA contrast (4.5:1), the CSP allows exactly the inline stylesheet (by hash) and
 * nothing else, and every value shown is escaped.
 */

import assert from "node:assert/strict";
import {
  escapeHtml,
  htmlResponse,
  PALETTE,
  signInHtml,
  STYLE,
} from "../../src/transports/oauth_page.ts";

function luminance(hex: string): number {
  const channels = [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16) / 255);
  const [r, g, b] = channels.map((c) => c <= 0.03928 ? c / 12.92 : ((c + 0.055) / 1.055) ** 2.4);
  return 0.2126 * r + 0.7152 * g + 0.0722 * b;
}

function contrast(a: string, b: string): number {
  const [light, dark] = [luminance(a), luminance(b)].sort((x, y) => y - x);
  return (light + 0.05) / (dark + 0.05);
}

Deno.test("page: every text colour on its background reaches 4.5:1, in both themes", () => {
  for (const [name, theme] of Object.entries(PALETTE)) {
    const pairs: Array<[string, string, string]> = [
      ["text", theme.text, theme.background],
      ["text on panel", theme.text, theme.panel],
      ["muted", theme.muted, theme.background],
      ["muted on panel", theme.muted, theme.panel],
      ["button", theme.accentText, theme.accent],
      ["secondary button", theme.accent, theme.background],
      ["error", theme.error, theme.errorBackground],
      ["warning", theme.warning, theme.warningBackground],
    ];
    for (const [what, fg, bg] of pairs) {
      const ratio = contrast(fg, bg);
      assert.ok(ratio >= 4.5, `${name} ${what}: ${ratio.toFixed(2)}:1`);
    }
  }
});

Deno.test("page: the CSP allows only the page's own stylesheet; values are escaped", async () => {
  const response = await htmlResponse("<p>x</p>");
  const csp = response.headers.get("content-security-policy")!;
  const digest = await crypto.subtle.digest("SHA-256", new TextEncoder().encode(STYLE));
  const hash = btoa(String.fromCharCode(...new Uint8Array(digest)));
  assert.ok(csp.includes(`style-src 'sha256-${hash}'`), csp);
  assert.ok(csp.includes("default-src 'none'"));
  assert.ok(csp.includes("frame-ancestors 'none'"));
  assert.ok(!csp.includes("form-action"), "form-action would block the redirect to the client");
  assert.equal(response.headers.get("x-frame-options"), "DENY");
  // Not no-referrer: browsers then post the form with `Origin: null` (found in Chromium).
  assert.equal(response.headers.get("referrer-policy"), "same-origin");
  assert.equal(response.headers.get("cache-control"), "no-store");
  assert.equal(
    escapeHtml(`<a href="x">'&'</a>`),
    "&#60;a href=&#34;x&#34;&#62;&#39;&#38;&#39;&#60;/a&#62;",
  );
  const html = signInHtml({
    clientName: '"><img src=x>',
    clientSource: "client.example",
    redirectShown: "client.example",
    localRedirect: false,
    readOnly: true,
    taigaHost: "taiga.example",
    requestToken: "r",
    csrfToken: "c",
    taigaApp: true,
    username: '"><b>',
    error: "<i>wrong</i>",
  });
  assert.ok(!html.includes("<img") && !html.includes("<b>") && !html.includes("<i>"));
  assert.match(html, /read your projects/);
  assert.ok(!html.includes("create, change and delete"), "read-only: the page says so");
  assert.match(html, /value="taiga">Continue on Taiga/);
  assert.match(html, /aria-describedby="signin-error"/);
});
