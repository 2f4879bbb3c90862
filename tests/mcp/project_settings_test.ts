/**
 * Value lists end to end: list_values, create_value, update_value and delete_value on statuses,
 * points, priorities and swimlanes of the seeded project — and every refusal changes nothing.
 */

import assert from "node:assert/strict";
import type { SandboxState } from "../../sandbox/testing.ts";
import { startHarness } from "../helpers/harness.ts";

type Raw = Record<string, unknown>;

const P = "demo-demo-project";

function project(state: SandboxState) {
  return [...state.projects.values()].find((p) => p.slug === P)!;
}

function names(state: SandboxState, kind: Parameters<SandboxState["settingsOf"]>[0]): string[] {
  return state.settingsOf(kind, project(state).id).map((row) => row.name);
}

function snapshot(state: SandboxState): string {
  return JSON.stringify({
    settings: Object.fromEntries(
      Object.entries(state.settings).map(([kind, table]) => [kind, [...table.values()]]),
    ),
    stories: [...state.items.userstory.values()].map((u) => [u.status, u.points, u.swimlane]),
    issues: [...state.items.issue.values()].map((i) => [i.status, i.priority, i.type]),
    project: project(state),
  });
}

function values(out: Raw): Raw[] {
  return out.values as Raw[];
}

Deno.test("value lists: list, create, rename, reorder, default, delete with a target", async (t) => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "project_settings" } });
  const state = h.sandbox.state;
  try {
    await t.step("list_values: order, default, closed flags and counts", async () => {
      const out = await h.ok("list_values", {
        project: P,
        list: "user_story_statuses",
        with_counts: true,
      });
      const rows = values(out);
      assert.deepEqual(rows.map((r) => r.name), names(state, "us_status"));
      const byName = Object.fromEntries(rows.map((r) => [r.name, r]));
      assert.equal(byName.New.default, true);
      assert.equal(byName.New.count, 3);
      assert.equal(byName["In progress"].count, 1);
      assert.equal(byName.Done.closed, true);
      assert.equal(byName.Archived.archived, true);
      assert.equal(byName.New.position, 1);
      assert.equal(out.total, rows.length);
      const priorities = await h.ok("list_values", {
        project: P,
        list: "priorities",
        with_counts: true,
      });
      assert.deepEqual(values(priorities).map((r) => [r.name, r.count]), [
        ["Low", 0],
        ["Normal", 1],
        ["High", 1],
      ]);
      const verbose = await h.ok("list_values", { project: P, list: "priorities", verbose: true });
      assert.ok("color" in values(verbose)[0] && "order" in values(verbose)[0]);
    });

    await t.step('update_value: rename the status "Ready for test" to "QA"', async () => {
      const out = await h.ok("update_value", {
        project: P,
        list: "user_story_statuses",
        value: "ready for test",
        name: "QA",
        color: "#123456",
      });
      assert.equal((out.value as Raw).name, "QA");
      assert.deepEqual(out.changed, ["color", "name"]);
      const row = state.settingsOf("us_status", project(state).id).find((r) => r.name === "QA")!;
      assert.equal(row.color, "#123456");
      // Other kinds' "Ready for test" statuses are left alone.
      assert.ok(names(state, "task_status").includes("Ready for test"));
    });

    await t.step("update_value: position and make_default", async () => {
      const out = await h.ok("update_value", {
        project: P,
        list: "user_story_statuses",
        value: "QA",
        position: 1,
        make_default: true,
      });
      assert.equal((out.value as Raw).position, 1);
      assert.equal((out.value as Raw).default, true);
      assert.equal(names(state, "us_status")[0], "QA");
      const qa = state.settingsOf("us_status", project(state).id)[0];
      assert.equal(project(state).default_us_status, qa.id);
    });

    await t.step("refusals change nothing", async () => {
      const before = snapshot(state);
      const unknown = await h.fails("update_value", {
        project: P,
        list: "user_story_statuses",
        value: "Nope",
        name: "X",
      });
      assert.match(unknown, /Unknown user story status "Nope".*QA, New/);
      const wip = await h.fails("update_value", {
        project: P,
        list: "task_statuses",
        value: "New",
        wip_limit: 3,
      });
      assert.match(
        wip,
        /task_statuses values have no wip_limit\. Settings they have: color, closed/,
      );
      const colour = await h.fails("create_value", {
        project: P,
        list: "points",
        name: "100",
        color: "#fff",
      });
      assert.match(colour, /points values have no color/);
      const duplicate = await h.fails("update_value", {
        project: P,
        list: "user_story_statuses",
        value: "New",
        name: "qa",
      });
      assert.match(duplicate, /"QA" already exists/);
      const nothing = await h.fails("update_value", {
        project: P,
        list: "priorities",
        value: "Low",
      });
      assert.match(nothing, /Nothing to change/);
      const badColour = await h.fails("create_value", {
        project: P,
        list: "priorities",
        name: "Urgent",
        color: "red",
      });
      assert.match(badColour, /hex colour/);
      assert.equal(snapshot(state), before);
    });

    await t.step("create_value: appended, or at a position", async () => {
      const out = await h.ok("create_value", {
        project: P,
        list: "priorities",
        name: "Urgent",
        color: "#ff0000",
      });
      assert.equal((out.value as Raw).position, 4);
      assert.deepEqual(names(state, "priority"), ["Low", "Normal", "High", "Urgent"]);
      const points = await h.ok("create_value", {
        project: P,
        list: "points",
        name: "1000",
        points_value: 1000,
        position: 2,
      });
      assert.equal((points.value as Raw).value, 1000);
      assert.equal(names(state, "points")[1], "1000");
      const status = await h.ok("create_value", {
        project: P,
        list: "task_statuses",
        name: "Blocked",
        closed: false,
      });
      assert.equal((status.value as Raw).closed, false);
    });

    await t.step(
      "delete_value: in use without a target is refused with the valid names",
      async () => {
        const before = snapshot(state);
        const refused = await h.fails("delete_value", {
          project: P,
          list: "user_story_statuses",
          value: "In progress",
          confirm: true,
        });
        assert.match(
          refused,
          /is used by 1 user story: pass move_to, one of: QA, New, Ready, Done/,
        );
        const self = await h.fails("delete_value", {
          project: P,
          list: "user_story_statuses",
          value: "In progress",
          move_to: "in progress",
          confirm: true,
        });
        assert.match(self, /move_to names the user story status being deleted/);
        const unknown = await h.fails("delete_value", {
          project: P,
          list: "user_story_statuses",
          value: "In progress",
          move_to: "Doing",
          confirm: true,
        });
        assert.match(unknown, /Unknown user story status "Doing"/);
        const isDefault = await h.fails("delete_value", {
          project: P,
          list: "user_story_statuses",
          value: "QA",
          confirm: true,
        });
        assert.match(isDefault, /"QA" is the default for new user stories: pass move_to/);
        // A Taiga whose filters_data lacks the facet: the items are counted, never taken as 0.
        h.sandbox.faults.add({
          kind: "respond",
          status: 200,
          body: "{}",
          contentType: "application/json",
          match: /^GET \/api\/v1\/issues\/filters_data/,
        });
        const counted = await h.fails("delete_value", {
          project: P,
          list: "priorities",
          value: "High",
          confirm: true,
        });
        assert.match(counted, /The priority "High" is used by 1 issue: pass move_to, one of: Low/);
        assert.ok(h.logLines.some((line) => /GET \/issues → 200/.test(line)), "issues counted");
        assert.equal(snapshot(state), before);
      },
    );

    await t.step(
      "delete_value asks first (2025: refused without confirm; 2026: asked)",
      async () => {
        const args = {
          project: P,
          list: "user_story_statuses",
          value: "In progress",
          move_to: "Ready",
        };
        if (h.era === "2025") {
          const before = snapshot(state);
          const asked = await h.fails("delete_value", args);
          assert.match(
            asked,
            /Delete the user story status "In progress" of Demo Project\? 1 user story uses it and will use "Ready" instead\. Nothing was changed.*confirm: true/,
          );
          assert.equal(snapshot(state), before);
        }
        const out = await h.ok("delete_value", { ...args, confirm: true });
        assert.deepEqual(
          { deleted: out.deleted, moved: out.moved, moved_to: out.moved_to },
          { deleted: "In progress", moved: 1, moved_to: "Ready" },
        );
        assert.ok(!names(state, "us_status").includes("In progress"));
        const ready = state.settingsOf("us_status", project(state).id).find((r) =>
          r.name === "Ready"
        )!;
        const email = [...state.items.userstory.values()].find((u) =>
          u.subject === "Order confirmation email"
        )!;
        assert.equal(email.status, ready.id);
      },
    );

    await t.step("delete_value: the default moves with its items", async () => {
      const out = await h.ok("delete_value", {
        project: P,
        list: "user_story_statuses",
        value: "QA",
        move_to: "New",
        confirm: true,
      });
      assert.equal(out.new_default, "New");
      const fresh = state.settingsOf("us_status", project(state).id).find((r) => r.name === "New")!;
      assert.equal(project(state).default_us_status, fresh.id);
    });

    await t.step("delete_value: an unused value needs no target", async () => {
      const out = await h.ok("delete_value", {
        project: P,
        list: "priorities",
        value: "Urgent",
        confirm: true,
      });
      assert.deepEqual({ moved: out.moved, moved_to: out.moved_to }, { moved: 0, moved_to: null });
      assert.deepEqual(names(state, "priority"), ["Low", "Normal", "High"]);
    });

    await t.step("delete_value: points move the estimates", async () => {
      const pay = [...state.items.userstory.values()].find((u) => u.subject === "Pay with card")!;
      const refused = await h.fails("delete_value", {
        project: P,
        list: "points",
        value: "5",
        confirm: true,
      });
      assert.match(refused, /points value "5" is used by 1 user story/);
      await h.ok("delete_value", {
        project: P,
        list: "points",
        value: "5",
        move_to: "8",
        confirm: true,
      });
      const eight = state.settingsOf("points", project(state).id).find((r) => r.name === "8")!;
      assert.ok(Object.values(pay.points).includes(eight.id));
    });
  } finally {
    await h.close();
  }
});

Deno.test("swimlanes: the first adopts every story; the default and the last delete", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "project_settings" } });
  const state = h.sandbox.state;
  const stories = () =>
    [...state.items.userstory.values()].filter((u) => u.project === project(state).id);
  try {
    const first = await h.ok("create_value", { project: P, list: "swimlanes", name: "Team A" });
    assert.match(String(first.note), /every user story is now in it/);
    assert.equal((first.value as Raw).default, true);
    const a = state.settingsOf("swimlane", project(state).id)[0];
    assert.ok(stories().every((u) => u.swimlane === a.id));
    await h.ok("create_value", { project: P, list: "swimlanes", name: "Team B" });
    const listed = await h.ok("list_values", { project: P, list: "swimlanes", with_counts: true });
    assert.deepEqual(values(listed).map((r) => [r.name, r.count]), [["Team A", 4], ["Team B", 0]]);

    const before = snapshot(state);
    const refused = await h.fails("delete_value", {
      project: P,
      list: "swimlanes",
      value: "Team A",
      confirm: true,
    });
    assert.match(refused, /is used by 4 user stories: pass move_to, one of: Team B/);
    assert.equal(snapshot(state), before);

    const moved = await h.ok("delete_value", {
      project: P,
      list: "swimlanes",
      value: "Team A",
      move_to: "Team B",
      confirm: true,
    });
    assert.deepEqual([moved.moved, moved.new_default], [4, "Team B"]);
    const b = state.settingsOf("swimlane", project(state).id)[0];
    assert.equal(project(state).default_swimlane, b.id);
    assert.ok(stories().every((u) => u.swimlane === b.id));

    const last = await h.ok("delete_value", {
      project: P,
      list: "swimlanes",
      value: "Team B",
      confirm: true,
    });
    assert.equal(last.moved_to, null);
    assert.ok(stories().every((u) => u.swimlane === null));
    assert.equal(state.settingsOf("swimlane", project(state).id).length, 0);
  } finally {
    await h.close();
  }
});
