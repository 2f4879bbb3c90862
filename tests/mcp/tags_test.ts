/**
 * manage_tags end to end: create, recolour (without to_tag), rename, merge and delete on the
 * seeded project's tags; list_values lists them with colours and counts; merge and delete ask
 * first and count the items; every refusal changes nothing.
 */

import assert from "node:assert/strict";
import type { SandboxState } from "../../sandbox/testing.ts";
import { startHarness } from "../helpers/harness.ts";

type Raw = Record<string, unknown>;

const P = "demo-demo-project";

function project(state: SandboxState) {
  return [...state.projects.values()].find((p) => p.slug === P)!;
}

function snapshot(state: SandboxState): string {
  return JSON.stringify({
    colors: project(state).tags_colors,
    items: Object.values(state.items).flatMap((table) =>
      [...table.values()].map((i) => [i.id, i.tags, i.version])
    ),
  });
}

function tagsOf(state: SandboxState, subject: string): string[] {
  return [...state.items.userstory.values()].find((u) => u.subject === subject)!.tags;
}

Deno.test("tags: create, recolor, rename, merge, delete", async (t) => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "project_settings" } });
  const state = h.sandbox.state;
  try {
    await t.step("list_values tags: names, colours, counts", async () => {
      const out = await h.ok("list_values", { project: P, list: "tags", with_counts: true });
      assert.deepEqual(out.values, [
        { name: "accounts", color: null, count: 2 },
        { name: "payments", color: null, count: 1 },
      ]);
    });

    await t.step("create and recolor", async () => {
      const created = await h.ok("manage_tags", {
        project: P,
        action: "create",
        tag: "Urgent",
        color: "#ff0000",
      });
      assert.deepEqual(created.tag, { name: "urgent", color: "#ff0000" });
      const recolored = await h.ok("manage_tags", {
        project: P,
        action: "recolor",
        tag: "PAYMENTS",
        color: "#00ff00",
      });
      assert.deepEqual(recolored.tag, { name: "payments", color: "#00ff00" });
      assert.equal(project(state).tags_colors.payments, "#00ff00");
    });

    await t.step("refusals change nothing", async () => {
      const before = snapshot(state);
      assert.match(
        await h.fails("manage_tags", { project: P, action: "create", tag: "urgent" }),
        /"urgent" already exists.*recolor or rename/,
      );
      assert.match(
        await h.fails("manage_tags", {
          project: P,
          action: "rename",
          tag: "payments",
          to: "urgent",
        }),
        /"urgent" already exists: use merge/,
      );
      assert.match(
        await h.fails("manage_tags", { project: P, action: "rename", tag: "nope", to: "x" }),
        /Unknown tag "nope"\. Valid tag names: accounts, payments, urgent/,
      );
      assert.match(
        await h.fails("manage_tags", { project: P, action: "recolor", tag: "urgent" }),
        /recolor takes tag, color; missing: color/,
      );
      assert.match(
        await h.fails("manage_tags", { project: P, action: "delete", tag: "urgent", to: "x" }),
        /not used by delete: to/,
      );
      assert.match(
        await h.fails("manage_tags", {
          project: P,
          action: "merge",
          tags: ["urgent"],
          to: "urgent",
        }),
        /Nothing to merge/,
      );
      assert.match(
        await h.fails("manage_tags", {
          project: P,
          action: "merge",
          tags: ["urgent"],
          to: "brand-new",
          confirm: true,
        }),
        /Unknown tag "brand-new"/,
      );
      assert.match(
        await h.fails("manage_tags", { project: P, action: "create", tag: "x", color: "green" }),
        /hex colour/,
      );
      assert.equal(snapshot(state), before);
    });

    await t.step("rename rewrites the items (no version bump, as in Taiga)", async () => {
      const version = [...state.items.userstory.values()].find((u) =>
        u.subject === "Sign up with email"
      )!.version;
      const out = await h.ok("manage_tags", {
        project: P,
        action: "rename",
        tag: "accounts",
        to: "Identity",
      });
      assert.deepEqual(out.tag, { name: "identity", color: null });
      assert.deepEqual(out.removed, ["accounts"]);
      assert.deepEqual(tagsOf(state, "Sign up with email"), ["identity"]);
      const after = [...state.items.userstory.values()].find((u) =>
        u.subject === "Sign up with email"
      )!.version;
      assert.equal(after, version);
    });

    await t.step("merge asks first, counting the items", async () => {
      const args = { project: P, action: "merge", tags: ["payments", "urgent"], to: "identity" };
      if (h.era === "2025") {
        const before = snapshot(state);
        const asked = await h.fails("manage_tags", args);
        assert.match(
          asked,
          /Merge the tags "payments" \(1 user story\), "urgent" \(no item\) into "identity".*without history\. Nothing was changed/,
        );
        assert.equal(snapshot(state), before);
      }
      const out = await h.ok("manage_tags", { ...args, confirm: true });
      assert.deepEqual(out.items, { payments: 1, urgent: 0 });
      assert.deepEqual(Object.keys(project(state).tags_colors), ["identity"]);
      assert.deepEqual(tagsOf(state, "Pay with card"), ["identity"]);
    });

    await t.step("delete asks first, counting the items", async () => {
      if (h.era === "2025") {
        const asked = await h.fails("manage_tags", {
          project: P,
          action: "delete",
          tag: "identity",
        });
        assert.match(
          asked,
          /Delete the tag "identity" of Demo Project\? It is removed from 3 user stories/,
        );
        assert.ok("identity" in project(state).tags_colors);
      }
      const out = await h.ok("manage_tags", {
        project: P,
        action: "delete",
        tag: "identity",
        confirm: true,
      });
      assert.deepEqual(out.items, { identity: 3 });
      assert.deepEqual(project(state).tags_colors, {});
      assert.deepEqual(tagsOf(state, "Pay with card"), []);
      const listed = await h.ok("list_values", { project: P, list: "tags" });
      assert.deepEqual((listed as Raw).values, []);
    });
  } finally {
    await h.close();
  }
});
