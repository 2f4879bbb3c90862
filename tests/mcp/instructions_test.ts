/** The server instructions follow the server they are built into: transport, OAuth, discovery. */

import assert from "node:assert/strict";
import { serverInstructions } from "../../src/catalog.ts";
import { startHarness } from "../helpers/harness.ts";

Deno.test("instructions name only what this server offers", () => {
  const stdio = serverInstructions({ transport: "stdio", oauth: false, discovery: true });
  assert.match(stdio, /login_from_cache/);
  assert.match(stdio, /find_tools finds them/);
  assert.match(stdio, /confirm:true only after they agreed/);
  const http = serverInstructions({ transport: "http", oauth: false, discovery: false });
  assert.doesNotMatch(http, /login_from_cache/, "not offered over HTTP");
  assert.match(http, /pass the session_id it returns/);
  assert.doesNotMatch(http, /find_tools/, "every tool is listed");
  const oauth = serverInstructions({ transport: "http", oauth: true, discovery: true });
  assert.doesNotMatch(oauth, /login_with_token|login_from_cache/);
  assert.match(oauth, /signed in to this server/);
});

Deno.test("a client reads the instructions of its server: discovery only when tools are hidden", async () => {
  for (const [toolsets, discovery] of [["default", true], ["all", false]] as const) {
    const h = await startHarness({ env: { TAIGA_TOOLSETS: toolsets }, era: "2025" });
    try {
      const text = String((h.client as unknown as { getInstructions(): string }).getInstructions());
      assert.equal(/find_tools/.test(text), discovery, toolsets);
      assert.match(text, /login_from_cache/, "the stdio client may use the token cache");
    } finally {
      await h.close();
    }
  }
});
