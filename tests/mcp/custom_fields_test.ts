/**
 * Custom attribute definitions end to end: list_custom_fields and manage_custom_field (every
 * type, dropdown options, rename, reorder, delete that asks first and drops the values), with
 * refusals that change nothing.
 */

import assert from "node:assert/strict";
import type { SandboxState } from "../../sandbox/testing.ts";
import { startHarness } from "../helpers/harness.ts";

type Raw = Record<string, unknown>;

const P = "demo-demo-project";

function fields(state: SandboxState, kind: string): Array<{ name: string; type: string }> {
  return [...state.customAttributes.values()].filter((a) => a.kind === kind)
    .sort((a, b) => a.order - b.order).map((a) => ({ name: a.name, type: a.type }));
}

Deno.test("custom fields: create each type, update, reorder, delete", async (t) => {
  const h = await startHarness({
    env: { TAIGA_TOOLSETS: "project_settings,custom_attributes" },
  });
  const state = h.sandbox.state;
  try {
    await t.step("create every type; a dropdown with its options", async () => {
      for (const type of ["text", "multiline", "richtext", "date", "url", "checkbox", "number"]) {
        const out = await h.ok("manage_custom_field", {
          project: P,
          kind: "user_story",
          action: "create",
          name: `F ${type}`,
          type,
        });
        assert.equal((out.field as Raw).type, type);
      }
      const dropdown = await h.ok("manage_custom_field", {
        project: P,
        kind: "issue",
        action: "create",
        name: "Platform",
        type: "dropdown",
        options: ["web", "ios", "android"],
        description: "Where it happens",
      });
      assert.deepEqual(dropdown.field, {
        id: (dropdown.field as Raw).id,
        name: "Platform",
        type: "dropdown",
        position: 1,
        description: "Where it happens",
        options: ["web", "ios", "android"],
      });
      const listed = await h.ok("list_custom_fields", { project: P, kind: "user_story" });
      assert.deepEqual(
        (listed.fields as Raw[]).map((f) => f.name),
        fields(state, "userstory").map((f) => f.name),
      );
      assert.equal(listed.total, 7);
    });

    await t.step("refusals change nothing", async () => {
      const before = JSON.stringify([...state.customAttributes.values()]);
      const cases: Array<[Raw, RegExp]> = [
        [{ action: "create", name: "F text" }, /"F text" already exists/],
        [{ action: "create", name: "Choice", type: "dropdown" }, /A dropdown needs its options/],
        [
          { action: "create", name: "N", type: "number", options: ["a"] },
          /options are for dropdown/,
        ],
        [{ action: "update", field: "Nope", name: "X" }, /Unknown user story custom field "Nope"/],
        [{ action: "update", field: "F text" }, /Nothing to change/],
        [{ action: "delete", field: "F text", name: "X" }, /not used by delete: name/],
        [{ action: "create", field: "F text", name: "X" }, /not used by create: field/],
        [{ action: "create", name: "T", type: "colour" }, /type/],
      ];
      for (const [args, expected] of cases) {
        const text = await h.fails("manage_custom_field", {
          project: P,
          kind: "user_story",
          ...args,
        });
        assert.match(text, expected);
      }
      assert.equal(JSON.stringify([...state.customAttributes.values()]), before);
    });

    await t.step("update: rename, move first, turn into a dropdown", async () => {
      const out = await h.ok("manage_custom_field", {
        project: P,
        kind: "user_story",
        action: "update",
        field: "f text",
        name: "Customer",
        type: "dropdown",
        options: ["ACME", "Globex"],
        position: 1,
      });
      assert.equal((out.field as Raw).position, 1);
      assert.deepEqual(fields(state, "userstory")[0], { name: "Customer", type: "dropdown" });
    });

    await t.step("delete asks first and drops the values", async () => {
      await h.ok("set_custom_attributes", {
        kind: "user_story",
        project: P,
        item: "#3",
        values: { Customer: "ACME", "F number": 3 },
      });
      const args = { project: P, kind: "user_story", action: "delete", field: "Customer" };
      if (h.era === "2025") {
        const asked = await h.fails("manage_custom_field", args);
        assert.match(
          asked,
          /Delete the user story custom field "Customer" of Demo Project\? Its value on every user story \(4 in the project\) is lost/,
        );
        assert.ok(fields(state, "userstory").some((f) => f.name === "Customer"));
      }
      const out = await h.ok("manage_custom_field", { ...args, confirm: true });
      assert.equal(out.deleted, "Customer");
      const values = await h.ok("get_custom_attributes", {
        kind: "user_story",
        project: P,
        item: "#3",
      });
      assert.equal((values.values as Raw)["F number"], 3);
      assert.ok(!("Customer" in (values.values as Raw)));
    });
  } finally {
    await h.close();
  }
});
