/**
 * Taiga loses one of two overlapping edits of different fields (its save() writes the whole row
 * it loaded; the sandbox models it with `saveWindowMs`). Edits through this server are queued per
 * item, so parallel tool calls keep every change.
 */

import assert from "node:assert/strict";
import { oneAtATime, queuedObjects } from "../../src/domain/versioned_write.ts";
import { startHarness } from "../helpers/harness.ts";

const p = { project: "demo-demo-project" };

Deno.test("parallel updates of different fields of one story all hold", async () => {
  const h = await startHarness();
  try {
    h.sandbox.state.saveWindowMs = 30;
    const changes = [
      { subject: "Sign up with email or phone" },
      { description: "Email first; phone later." },
      { tags: ["accounts", "signup"] },
      { assigned_to: "alice" },
      { due_date: "2026-12-24" },
    ];
    await Promise.all(
      changes.map((change) => h.ok("update_user_story", { ...p, item: "#5", ...change })),
    );
    const story = (await h.ok("get_user_story", { ...p, item: "#5" })).item as Record<
      string,
      unknown
    >;
    assert.equal(story.subject, "Sign up with email or phone");
    assert.equal(story.description, "Email first; phone later.");
    assert.deepEqual(story.tags, ["accounts", "signup"]);
    assert.equal(story.assigned_to, "alice");
    assert.equal(story.due, "2026-12-24");
    assert.equal(story.version, 1 + changes.length);
    assert.equal(queuedObjects(), 0, "the queue forgets an item once its writes are done");
  } finally {
    await h.close();
  }
});

Deno.test("oneAtATime: in order, a failure does not block the next, waiting is reported", async () => {
  const order: string[] = [];
  const slow = (name: string, ms: number, fail = false) => async (waited: boolean) => {
    order.push(`${name} starts${waited ? " after waiting" : ""}`);
    await new Promise((resolve) => setTimeout(resolve, ms));
    order.push(`${name} ends`);
    if (fail) throw new Error(name);
    return name;
  };
  const results = await Promise.allSettled([
    oneAtATime("k", slow("a", 20, true)),
    oneAtATime("k", slow("b", 5)),
    oneAtATime("other", slow("c", 1)),
  ]);
  assert.deepEqual(results.map((r) => r.status), ["rejected", "fulfilled", "fulfilled"]);
  assert.deepEqual(order.filter((line) => !line.startsWith("c")), [
    "a starts",
    "a ends",
    "b starts after waiting",
    "b ends",
  ]);
  assert.ok(order.indexOf("c ends") < order.indexOf("a ends"), "other keys do not wait");
  assert.equal(queuedObjects(), 0);
});
