/**
 * Every tool is reachable from the default set: find_tools searches the whole catalog and
 * call_tool runs what it found, in both protocol eras — a client starting from the default set
 * finds and calls a tool of a toolset it does not list.
 */

import assert from "node:assert/strict";
import { startHarness } from "../helpers/harness.ts";

const SLUG = "demo-demo-project";

Deno.test("find_tools finds a tool outside the default set and call_tool runs it", async () => {
  const h = await startHarness();
  try {
    const { tools } = await h.client.listTools();
    const names = tools.map((tool) => tool.name);
    assert.ok(names.includes("find_tools") && names.includes("call_tool"));
    assert.ok(!names.includes("list_wiki_pages"), "the wiki toolset is not in the default set");
    assert.ok(tools.length <= 40, `default set: ${tools.length} tools`);

    const overview = await h.ok("find_tools");
    const toolsets = (overview.toolsets as Array<{ toolset: string }>).map((set) => set.toolset);
    assert.ok(toolsets.includes("wiki") && toolsets.includes("epics"), toolsets.join());

    const found = await h.ok("find_tools", { query: "wiki pages" });
    const hit = (found.tools as Array<Record<string, unknown>>).find((tool) =>
      tool.name === "list_wiki_pages"
    );
    assert.ok(hit, JSON.stringify(found));
    assert.equal(hit.listed, false);
    assert.ok("project" in (hit.arguments as Record<string, unknown>));

    const pages = await h.ok("call_tool", {
      name: "list_wiki_pages",
      arguments: { project: SLUG },
    });
    const result = pages.result as Record<string, unknown>;
    assert.ok((result.total as number) >= 1);
  } finally {
    await h.close();
  }
});

Deno.test("call_tool names the closest tool for a typo and checks the inner arguments", async () => {
  const h = await startHarness();
  try {
    assert.match(
      await h.fails("call_tool", { name: "list_wiki_page", arguments: {} }),
      /No tool "list_wiki_page" \(did you mean "list_wiki_pages"\?\)/,
    );
    assert.match(
      await h.fails("call_tool", { name: "list_wiki_pages", arguments: { projet: SLUG } }),
      /unknown argument "projet" \(did you mean "project"\?\)/,
    );
    // A missing argument is "required", not "invalid (Invalid input)".
    assert.match(
      await h.fails("call_tool", { name: "list_webhooks" }),
      /"project" is required/,
    );
    assert.match(await h.fails("get_user_story", { project: SLUG }), /"item" is required/);
    assert.match(
      await h.fails("get_user_story", { project: SLUG, item: { bad: 1 } }),
      /"item" is invalid/,
    );
  } finally {
    await h.close();
  }
});

Deno.test("with --read-only, call_tool runs no tool that writes", async () => {
  const h = await startHarness({ env: { TAIGA_READ_ONLY: "true" } });
  try {
    const found = await h.ok("find_tools", { toolset: "wiki" });
    const names = (found.tools as Array<{ name: string }>).map((tool) => tool.name);
    assert.ok(names.includes("list_wiki_pages") && !names.includes("create_wiki_page"));
    const before = h.sandbox.state.wikiPages.size;
    assert.match(
      await h.fails("call_tool", {
        name: "create_wiki_page",
        arguments: { project: SLUG, slug: "x", content: "y" },
      }),
      /No tool "create_wiki_page"/,
    );
    assert.equal(h.sandbox.state.wikiPages.size, before);
  } finally {
    await h.close();
  }
});

Deno.test("from the default set, a webhook is found, created, tested and deleted (asked first)", async () => {
  const h = await startHarness();
  try {
    const names = (await h.client.listTools()).tools.map((tool) => tool.name);
    assert.ok(!names.some((name) => name.includes("webhook")), "webhooks are not listed");
    const found = await h.ok("find_tools", { query: "webhook" });
    const hits = (found.tools as Array<{ name: string }>).map((tool) => tool.name);
    assert.ok(hits.includes("manage_webhook") && hits.includes("test_webhook"), hits.join());

    const hooks = h.sandbox.state.webhooks;
    const created = await h.ok("call_tool", {
      name: "manage_webhook",
      arguments: {
        project: SLUG,
        action: "create",
        name: "Chat",
        url: "https://hooks.example.com/chat",
        key: "not-shown",
      },
    });
    assert.equal((created.result as { webhook: { name: string } }).webhook.name, "Chat");
    assert.equal(hooks.size, 1);
    assert.ok(!JSON.stringify(created).includes("not-shown"), "the key is never shown");

    const tested = await h.ok("call_tool", {
      name: "test_webhook",
      arguments: { project: SLUG, webhook: "Chat" },
    });
    assert.ok("result" in tested);

    const question = await h.asks("call_tool", {
      name: "manage_webhook",
      arguments: { project: SLUG, action: "delete", webhook: "Chat" },
    });
    assert.match(question, /Chat/);
    assert.equal(hooks.size, 1, "asked, not deleted");
    await h.ok("call_tool", {
      name: "manage_webhook",
      arguments: { project: SLUG, action: "delete", webhook: "Chat", confirm: true },
    });
    assert.equal(hooks.size, 0);
  } finally {
    await h.close();
  }
});
