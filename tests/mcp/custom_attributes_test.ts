/** get_custom_attributes and set_custom_attributes through MCP → server → HTTP → sandbox. */

import assert from "node:assert/strict";
import { errorFacts, type Harness, startHarness } from "../helpers/harness.ts";

const PROJECT = "demo-demo-project";
const p = { project: PROJECT };
const story = { ...p, kind: "user_story", item: "#3" };

/** Defines a custom attribute through the real API (there is no tool for definitions). */
async function defineAttribute(
  h: Harness,
  kind: string,
  name: string,
  type: string,
  extra?: string[],
): Promise<number> {
  const session = await h.deps.sessions.resolve(undefined);
  const created = await session.client.post<{ id: number }>(`${kind}-custom-attributes`, {
    project: 1,
    name,
    type,
    ...(extra ? { extra } : {}),
  });
  return created.id;
}

Deno.test("custom attributes: read and write by name, merge, versions, conflicts", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "custom_attributes" } });
  try {
    for (
      const [name, type] of [["Customer", "text"], ["Estimate", "number"], ["Urgent", "checkbox"], [
        "Due",
        "date",
      ]]
    ) {
      await defineAttribute(h, "userstory", name, type);
    }
    const empty = await h.ok("get_custom_attributes", story);
    assert.deepEqual(empty.item, { id: 1, ref: 3, subject: "Pay with card" });
    assert.deepEqual(empty.values, { Customer: null, Estimate: null, Urgent: null, Due: null });
    assert.deepEqual(empty.types, {
      Customer: "text",
      Estimate: "number",
      Urgent: "checkbox",
      Due: "date",
    });
    assert.equal(empty.version, 1);

    const set = await h.ok("set_custom_attributes", {
      ...story,
      values: { Customer: "ACME", estimate: "3", URGENT: true },
    });
    assert.deepEqual(set.values, { Customer: "ACME", Estimate: 3, Urgent: true, Due: null });
    assert.deepEqual(set.changed, ["Customer", "Estimate", "Urgent"]);
    assert.equal(set.version, 2);

    const more = await h.ok("set_custom_attributes", { ...story, values: { Due: "2025-06-30" } });
    assert.deepEqual(more.values, {
      Customer: "ACME",
      Estimate: 3,
      Urgent: true,
      Due: "2025-06-30",
    }, "attributes not named keep their values");
    assert.equal(more.version, 3);

    const stale = await h.call("set_custom_attributes", {
      ...story,
      values: { Customer: "Globex" },
      version: 2,
    });
    const facts = errorFacts(stale);
    assert.equal(facts.error_type, "conflict");
    assert.match(
      facts.message,
      /custom attributes of user story #3 were changed by someone else: you sent version 2, they are now at version 3\. Current values of the attributes you tried to change: Customer="ACME"\. .*retry with version 3/,
    );
    assert.deepEqual(facts.details, {
      current_version: 3,
      sent_version: 2,
      current: { Customer: "ACME" },
    });
    const exact = await h.ok("set_custom_attributes", {
      ...story,
      values: { Customer: "Globex", Urgent: null },
      version: 3,
    });
    assert.deepEqual([exact.values, exact.version], [
      { Customer: "Globex", Estimate: 3, Urgent: null, Due: "2025-06-30" },
      4,
    ]);
    const read = await h.ok("get_custom_attributes", { kind: "user_story", item: 1 });
    assert.deepEqual(read.values, exact.values);
    assert.equal(read.version, 4);

    // An attribute defined after the metadata was cached is found (the cache is refreshed once).
    await h.ok("get_custom_attributes", { ...p, kind: "issue", item: "#9" });
    await defineAttribute(h, "issue", "Browser", "dropdown", ["Firefox", "Chrome"]);
    const issue = await h.ok("set_custom_attributes", {
      ...p,
      kind: "issue",
      item: "#9",
      values: { Browser: "firefox" },
    });
    assert.deepEqual(issue.values, { Browser: "Firefox" }, "the option as Taiga spells it");
    // Taiga stores any text in a dropdown; one off the list would show blank in its UI.
    const off = await h.fails("set_custom_attributes", {
      ...p,
      kind: "issue",
      item: "#9",
      values: { Browser: "Safari" },
    });
    assert.match(off, /one of its options: "Firefox", "Chrome"/);
    const after = await h.ok("get_custom_attributes", { ...p, kind: "issue", item: "#9" });
    assert.deepEqual(after.values, { Browser: "Firefox" });
  } finally {
    await h.close();
  }
});

Deno.test("custom attributes: bad arguments fail clearly and change nothing", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "custom_attributes" } });
  try {
    await defineAttribute(h, "userstory", "Customer", "text");
    await defineAttribute(h, "userstory", "Estimate", "number");
    await defineAttribute(h, "userstory", "Urgent", "checkbox");
    const values = () => h.sandbox.state.customValues.get("userstory:1");
    assert.match(
      await h.fails("set_custom_attributes", { ...story, values: { Colour: "red" } }),
      /Unknown user story custom attribute "Colour"\. Valid user story custom attribute names: Customer, Estimate, Urgent\./,
    );
    assert.match(
      await h.fails("set_custom_attributes", { ...p, kind: "task", item: "#7", values: { X: 1 } }),
      /Valid task custom attribute names: \(none defined in this project\)/,
    );
    assert.match(
      await h.fails("set_custom_attributes", { ...story, values: { Urgent: "maybe" } }),
      /"Urgent" is a checkbox attribute: give true or false/,
    );
    assert.match(
      await h.fails("set_custom_attributes", { ...story, values: { Estimate: "lots" } }),
      /"Estimate" is a number attribute: give a number/,
    );
    assert.match(
      await h.fails("set_custom_attributes", {
        ...story,
        values: { Customer: "a", customer: "b" },
      }),
      /twice/,
    );
    assert.match(
      await h.fails("set_custom_attributes", { ...story, values: {} }),
      /at least one custom attribute/,
    );
    assert.match(
      await h.fails("set_custom_attributes", { ...story, values: { Customer: "a" }, version: 9 }),
      /version 9 is newer than the values' current version 1/,
    );
    assert.match(
      await h.fails("set_custom_attributes", { ...story, values: { Customer: ["a"] } }),
      /values/,
    );
    assert.equal(values(), undefined, "nothing was written");
    assert.match(
      await h.fails("get_custom_attributes", { ...p, kind: "issue", item: "#999" }),
      /no issue #999/,
    );
    assert.match(await h.fails("get_custom_attributes", { kind: "wiki", item: 1 }), /kind/);
  } finally {
    await h.close();
  }
});

Deno.test("a version-less set racing another edit puts the other edit back (Taiga kept only ours)", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "custom_attributes" } });
  try {
    const customer = await defineAttribute(h, "issue", "Customer", "text");
    await defineAttribute(h, "issue", "Severity note", "text");
    await h.ok("get_custom_attributes", { ...p, kind: "issue", item: "#9" });
    const session = await h.deps.sessions.resolve(undefined);
    h.sandbox.faults.add({
      kind: "delay",
      ms: 300,
      match: /^PATCH \/api\/v1\/issues\/custom-attributes-values\/1$/,
    });
    h.sandbox.resetRequestCount();
    const pending = h.call("set_custom_attributes", {
      ...p,
      kind: "issue",
      item: "#9",
      values: { "Severity note": "ours" },
    });
    while (h.sandbox.requestCount() < 3) await new Promise((r) => setTimeout(r, 2));
    await session.client.patch("issues/custom-attributes-values/1", {
      attributes_values: { [customer]: "theirs" },
      version: 1,
    });
    const result = await pending;
    assert.notEqual(result.isError, true, JSON.stringify(result.content));
    const saved = result.structuredContent as Record<string, unknown>;
    assert.deepEqual(saved.values, { Customer: "theirs", "Severity note": "ours" });
    // theirs (2), ours replacing the whole set (3), then theirs restored from the history (4).
    assert.equal(saved.version, 4);
    assert.equal(saved.warning, undefined);
  } finally {
    await h.close();
  }
});
