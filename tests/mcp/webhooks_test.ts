/**
 * Webhooks end to end: manage_webhook (create, update, delete that asks first), test_webhook,
 * list_webhooks with deliveries — and the secret key never appears in any output.
 */

import assert from "node:assert/strict";
import { startHarness } from "../helpers/harness.ts";

type Raw = Record<string, unknown>;

const P = "demo-demo-project";
const KEY = "s3cret-signing-key";

Deno.test("webhooks: create, test, deliveries, update, delete; the key is never shown", async (t) => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "webhooks" } });
  const state = h.sandbox.state;
  const outputs: string[] = [];
  const ok = async (name: string, args: Raw): Promise<Raw> => {
    const result = await h.call(name, args);
    outputs.push(JSON.stringify(result));
    assert.notEqual(result.isError, true, JSON.stringify(result.content));
    return result.structuredContent as Raw;
  };
  try {
    await t.step("create", async () => {
      const out = await ok("manage_webhook", {
        project: P,
        action: "create",
        name: "Slack",
        url: "https://hooks.example.com/taiga",
        key: KEY,
      });
      assert.deepEqual(out.webhook, {
        id: (out.webhook as Raw).id,
        name: "Slack",
        url: "https://hooks.example.com/taiga",
        key: "********",
        deliveries: 0,
      });
      assert.equal([...state.webhooks.values()][0].key, KEY);
    });

    await t.step("refusals change nothing", async () => {
      const before = JSON.stringify([...state.webhooks.values()]);
      const cases: Array<[Raw, RegExp]> = [
        [{ action: "create", name: "X", url: "https://a.example.com" }, /missing: key/],
        [
          { action: "create", name: "slack", url: "https://a.example.com", key: "k" },
          /"Slack" already exists/,
        ],
        [{ action: "create", name: "X", url: "ftp://a.example.com", key: "k" }, /http\(s\) URL/],
        [
          { action: "create", name: "X", url: "http://127.0.0.1:9/hook", key: "k" },
          /url: Invalid value/,
        ],
        [{ action: "update", webhook: "Slack" }, /Nothing to change/],
        [
          { action: "update", webhook: "Teams", name: "X" },
          /Unknown webhook "Teams"\. Valid webhook names: Slack/,
        ],
        [
          { action: "delete", webhook: "Slack", url: "https://b.example.com", confirm: true },
          /not used by delete: url/,
        ],
      ];
      for (const [args, expected] of cases) {
        const text = await h.fails("manage_webhook", { project: P, ...args });
        outputs.push(text);
        assert.match(text, expected);
      }
      assert.equal(JSON.stringify([...state.webhooks.values()]), before);
    });

    await t.step("test_webhook and its deliveries", async () => {
      const tested = await ok("test_webhook", { project: P, webhook: "slack" });
      const delivery = tested.delivery as Raw;
      assert.equal(delivery.status, 0);
      assert.equal(delivery.ok, false);
      assert.equal(delivery.event, "test test");
      assert.match(String(delivery.response), /error-in-request/);
      const listed = await ok("list_webhooks", { project: P, webhook: "Slack" });
      assert.equal((listed.webhooks as Raw[])[0].deliveries, 1);
      assert.equal((listed.deliveries as Raw[]).length, 1);
      const verbose = await ok("list_webhooks", { project: P, verbose: true });
      assert.equal((verbose.webhooks as Raw[])[0].key, "********");
      const withLogs = await ok("list_webhooks", { project: P, webhook: "Slack", verbose: true });
      assert.ok("request_data" in (withLogs.deliveries as Raw[])[0]);
    });

    await t.step("update: rename, new URL and key", async () => {
      const out = await ok("manage_webhook", {
        project: P,
        action: "update",
        webhook: "Slack",
        name: "Chat",
        url: "https://chat.example.com/hook",
        key: `${KEY}-2`,
      });
      assert.equal((out.webhook as Raw).name, "Chat");
      assert.equal([...state.webhooks.values()][0].key, `${KEY}-2`);
    });

    await t.step("delete asks first", async () => {
      if (h.era === "2025") {
        const asked = await h.fails("manage_webhook", {
          project: P,
          action: "delete",
          webhook: "Chat",
        });
        assert.match(
          asked,
          /Delete the webhook "Chat" \(https:\/\/chat\.example\.com\/hook\) of Demo Project\?/,
        );
        assert.equal(state.webhooks.size, 1);
      }
      const out = await ok("manage_webhook", {
        project: P,
        action: "delete",
        webhook: "Chat",
        confirm: true,
      });
      assert.equal(out.deleted, "Chat");
      assert.equal(state.webhooks.size, 0);
      assert.deepEqual((await ok("list_webhooks", { project: P })).webhooks, []);
      const again = await h.fails("manage_webhook", {
        project: P,
        action: "delete",
        webhook: "Chat",
        confirm: true,
      });
      assert.match(again, /No webhook "Chat": demo-demo-project has none that you can see/);
    });

    await t.step("the key appears in no output and no log line", () => {
      for (const text of [...outputs, ...h.logLines]) assert.ok(!text.includes(KEY), text);
    });
  } finally {
    await h.close();
  }
});
