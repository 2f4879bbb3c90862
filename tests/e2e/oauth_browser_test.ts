/**
 * The sign-in page in a real browser: headless Chromium driven over the DevTools protocol
 * (tests/helpers/cdp.ts). On a phone-sized screen it shows the client, labelled fields (as the
 * accessibility tree names them), no script and no sideways scrolling; a wrong password gets a
 * clear alert; the right one, typed and submitted with Enter, sends the browser through the
 * redirects to the client's loopback redirect URI with the code, the state and `iss` — and all
 * of it works the same with JavaScript disabled.
 */

import assert from "node:assert/strict";
import { findChromium, launchChromium, type Page } from "../helpers/cdp.ts";
import { authorizeUrl, freePort, pkce, postForm, register } from "../oauth/driver.ts";
import { startOAuthHarness } from "../oauth/harness.ts";

const CHROMIUM = findChromium();
if (!CHROMIUM) {
  Deno.stderr.writeSync(
    new TextEncoder().encode(
      "oauth_browser_test: skipped — no Chromium (install it: apt-get install -y chromium; .ci/run does)\n",
    ),
  );
}

/** A loopback redirect URI served here: resolves with each request's URL. */
function callbackServer(): { uri: string; next(): Promise<URL>; close(): Promise<void> } {
  const port = freePort();
  const waiting: Array<(url: URL) => void> = [];
  const arrived: URL[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port, onListen: () => {} }, (req) => {
    const url = new URL(req.url);
    const resolve = waiting.shift();
    if (resolve) resolve(url);
    else arrived.push(url);
    return new Response("<!doctype html><title>Back in the app</title><p>Signed in.", {
      headers: { "Content-Type": "text/html" },
    });
  });
  return {
    uri: `http://127.0.0.1:${port}/callback`,
    next: () => {
      if (arrived.length > 0) return Promise.resolve(arrived.shift()!);
      return new Promise((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("the browser never came back")), 15_000);
        waiting.push((url) => {
          clearTimeout(timer);
          resolve(url);
        });
      });
    },
    close: () => server.shutdown(),
  };
}

async function textOf(page: Page, selector: string): Promise<string> {
  return (await page.html(selector)).replace(/<[^>]+>/g, "").trim();
}

Deno.test({
  name: "oauth sign-in page in headless Chromium: phone screen, labels, wrong password, redirect",
  ignore: !CHROMIUM,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const { issuer, resource, close } = await startOAuthHarness();
    const callback = callbackServer();
    const browser = await launchChromium(CHROMIUM!);
    try {
      const clientId = await register(issuer, [callback.uri], "Browser Test App");
      const { verifier, challenge } = await pkce();
      const page = await browser.newPage();
      await page.send("Emulation.setDeviceMetricsOverride", {
        width: 360,
        height: 740,
        deviceScaleFactor: 2,
        mobile: true,
      });
      const url = authorizeUrl(issuer, {
        clientId,
        redirectUri: callback.uri,
        challenge,
        resource,
        state: "browser-state",
      });
      await page.goto(url.href);
      assert.match(await page.html("html"), /^<html lang="en">/);
      assert.match(await textOf(page, "h1"), /Sign in to Taiga/);
      assert.match(await textOf(page, "main"), /Browser Test App/);
      assert.equal((await page.queryAll("script")).length, 0, "no script");
      const metrics = await page.send<{ cssContentSize: { width: number } }>(
        "Page.getLayoutMetrics",
      );
      assert.ok(metrics.cssContentSize.width <= 360, `no sideways scroll on a phone`);
      const nodes = await page.accessibleNodes();
      const fields = nodes.filter((node) => node.role === "textbox").map((node) => node.name);
      assert.ok(fields.includes("Taiga username or email"), `labelled: ${fields}`);
      assert.ok(fields.includes("Password"), `labelled: ${fields}`);
      // A wrong password: typed, Enter, and a clear alert on the page that comes back.
      await page.type("#username", "alice");
      await page.type("#password", "wrong-password");
      await page.loading(() => page.press("Enter"));
      assert.match(await textOf(page, "[role=alert]"), /did not accept this username and password/);
      const alerts = (await page.accessibleNodes()).filter((node) => node.role === "alert");
      assert.equal(alerts.length, 1, "announced as an alert");
      assert.match(await page.html("#username"), /value="alice"/, "the username is kept");
      // Keyboard only: the right password, Enter, and the browser follows to the client.
      await page.type("#password", "alice123");
      await page.press("Enter");
      const back = await callback.next();
      assert.equal(back.searchParams.get("state"), "browser-state");
      assert.equal(back.searchParams.get("iss"), issuer);
      const token = await postForm(`${issuer}/token`, {
        grant_type: "authorization_code",
        code: back.searchParams.get("code")!,
        code_verifier: verifier,
        redirect_uri: callback.uri,
        client_id: clientId,
        resource,
      });
      assert.equal(token.status, 200);
      assert.ok((await token.json()).access_token);
    } catch (error) {
      throw new Error(`${error}\nChromium said:\n${browser.stderr().slice(-1500)}`);
    } finally {
      await browser.close();
      await callback.close();
      await close();
    }
  },
});

Deno.test({
  name: "oauth sign-in page in headless Chromium with JavaScript disabled",
  ignore: !CHROMIUM,
  sanitizeOps: false,
  sanitizeResources: false,
  fn: async () => {
    const { issuer, resource, close } = await startOAuthHarness();
    const callback = callbackServer();
    const browser = await launchChromium(CHROMIUM!);
    try {
      const clientId = await register(issuer, [callback.uri], "No-JS App");
      const { challenge } = await pkce();
      const page = await browser.newPage();
      await page.send("Emulation.setScriptExecutionDisabled", { value: true });
      await page.goto(
        authorizeUrl(issuer, { clientId, redirectUri: callback.uri, challenge, resource }).href,
      );
      assert.match(await textOf(page, "main"), /No-JS App/);
      await page.type("#username", "bob");
      await page.type("#password", "bob123");
      await page.press("Enter");
      const back = await callback.next();
      assert.ok(back.searchParams.get("code"));
      assert.equal(back.searchParams.get("iss"), issuer);
      // Cancelling works without JavaScript too.
      await page.goto(
        authorizeUrl(issuer, { clientId, redirectUri: callback.uri, challenge, resource }).href,
      );
      const cancel = await page.query("button[value=deny]");
      await page.send("DOM.focus", { nodeId: cancel });
      await page.press("Enter");
      const cancelled = await callback.next();
      assert.equal(cancelled.searchParams.get("error"), "access_denied");
    } catch (error) {
      throw new Error(`${error}\nChromium said:\n${browser.stderr().slice(-1500)}`);
    } finally {
      await browser.close();
      await callback.close();
      await close();
    }
  },
});
