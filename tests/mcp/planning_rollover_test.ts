import assert from "node:assert/strict";
import { type Harness, startHarness } from "../helpers/harness.ts";

const p = { project: "demo-demo-project" };
type Row = Record<string, unknown>;

/** Where every item is: `kind #ref` → sprint id or null. */
function placement(h: Harness): Map<string, number | null> {
  const out = new Map<string, number | null>();
  for (const kind of ["userstory", "task", "issue"] as const) {
    for (const item of h.sandbox.state.items[kind].values()) {
      out.set(`${kind} #${item.ref}`, item.milestone);
    }
  }
  return out;
}

function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

function sprintId(h: Harness, name: string): number {
  return [...h.sandbox.state.milestones.values()].find((m) => m.name === name)!.id;
}

/** Sprint 1 gets a closed story, an open and a closed loose task, an open and a closed issue. */
async function arrange(h: Harness): Promise<void> {
  await h.ok("create_milestone", { ...p, name: "Sprint 2", start: day(12), finish: day(25) });
  await h.ok("create_milestone", { ...p, name: "Sprint 3", start: day(26), finish: day(39) });
  // Starts before Sprint 2 but is closed: never the "next" sprint.
  await h.ok("create_milestone", { ...p, name: "Hotfix", start: day(5), finish: day(6) });
  await h.ok("update_milestone", { ...p, sprint: "Hotfix", closed: true });
  // Runs alongside Sprint 1 (same start, a higher id): not "the next" while Sprint 2 follows it.
  await h.ok("create_milestone", { ...p, name: "Parallel", start: day(-3), finish: day(4) });
  const s1 = { ...p, sprint: "Sprint 1" };
  await h.ok("create_user_story", { ...s1, subject: "Shipped story", status: "Done" });
  await h.ok("create_task", { ...s1, subject: "Loose open task" });
  await h.ok("create_task", { ...s1, subject: "Loose closed task", status: "Closed" });
  await h.ok("create_issue", { ...s1, subject: "Open sprint issue" });
  await h.ok("create_issue", { ...s1, subject: "Closed sprint issue", status: "Closed" });
}

Deno.test("rollover_sprint: dry run, move to the next open sprint, repeat, refusals", async (t) => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    await arrange(h);
    const sprint1 = sprintId(h, "Sprint 1");
    const sprint2 = sprintId(h, "Sprint 2");
    const expectedMoved = {
      user_stories: ["#3 Pay with card", "#4 Order confirmation email"],
      tasks: ["#12 Loose open task"],
      tasks_with_stories: ["#7 Integrate card gateway", "#8 Write email template"],
      issues: ["#14 Open sprint issue"],
    };
    const expectedStayed = {
      user_stories: ["#11 Shipped story"],
      tasks: ["#13 Loose closed task"],
      issues: ["#15 Closed sprint issue"],
    };

    await t.step("dry run reports and changes nothing", async () => {
      const before = placement(h);
      const out = await h.ok("rollover_sprint", { ...p, sprint: "Sprint 1", dry_run: true });
      assert.deepEqual(out, {
        from: "Sprint 1",
        to: "Sprint 2",
        dry_run: true,
        moved: expectedMoved,
        stayed: expectedStayed,
      });
      assert.deepEqual(placement(h), before);
    });

    await t.step("refusals change nothing", async () => {
      const before = placement(h);
      const same = await h.fails("rollover_sprint", { ...p, sprint: "Sprint 1", to: "sprint 1" });
      assert.match(same, /"to" is the sprint being rolled over/);
      const closed = await h.fails("rollover_sprint", { ...p, sprint: "Sprint 1", to: "Hotfix" });
      assert.match(closed, /Sprint "Hotfix" is closed.*Reopen it first/);
      const unknown = await h.fails("rollover_sprint", { ...p, sprint: "Sprint 1", to: "Nope" });
      assert.match(unknown, /Unknown sprint "Nope"\. Valid sprint names: .*Sprint 2/);
      const noSource = await h.fails("rollover_sprint", { ...p, sprint: "Sprint 9" });
      assert.match(noSource, /Unknown sprint "Sprint 9"/);
      const last = await h.fails("rollover_sprint", { ...p, sprint: "Sprint 3" });
      assert.match(last, /No open sprint starts after "Sprint 3".*create_milestone/);
      await h.ok("create_project", { name: "Other", description: "elsewhere" });
      const other = await h.ok("create_milestone", {
        project: "demo-other",
        name: "Foreign",
        start: day(1),
        finish: day(9),
      });
      const foreignId = (other.sprint as Row).id as number;
      const foreign = await h.fails("rollover_sprint", {
        ...p,
        sprint: "Sprint 1",
        to: foreignId,
      });
      assert.match(foreign, /belongs to another project, not demo-demo-project/);
      const foreignSource = await h.fails("rollover_sprint", { ...p, sprint: foreignId });
      assert.match(foreignSource, /Unknown sprint/);
      assert.deepEqual(placement(h), before);
    });

    await t.step("moves the open work to the next open sprint (tasks follow stories)", async () => {
      const out = await h.ok("rollover_sprint", { ...p, sprint: "Sprint 1" });
      assert.deepEqual(out, {
        from: "Sprint 1",
        to: "Sprint 2",
        moved: expectedMoved,
        stayed: expectedStayed,
      });
      const now = placement(h);
      for (const key of ["userstory #3", "userstory #4", "task #7", "task #8", "task #12"]) {
        assert.equal(now.get(key), sprint2, key);
      }
      assert.equal(now.get("issue #14"), sprint2);
      for (const key of ["userstory #11", "task #13", "issue #15"]) {
        assert.equal(now.get(key), sprint1, key);
      }
    });

    await t.step("repeating it moves nothing", async () => {
      const out = await h.ok("rollover_sprint", { ...p, sprint: "Sprint 1" });
      assert.deepEqual(out.moved, {
        user_stories: [],
        tasks: [],
        tasks_with_stories: [],
        issues: [],
      });
    });

    await t.step("to the backlog, by sprint id", async () => {
      const out = await h.ok("rollover_sprint", { sprint: sprint2, to: "backlog" });
      assert.equal(out.to, "backlog");
      const now = placement(h);
      for (const key of ["userstory #3", "userstory #4", "task #7", "task #12", "issue #14"]) {
        assert.equal(now.get(key), null, key);
      }
      const backlog = [...h.sandbox.state.items.userstory.values()]
        .filter((s) => s.project === 1 && s.milestone === null)
        .sort((a, b) => a.backlog_order - b.backlog_order).map((s) => s.ref);
      assert.deepEqual(backlog.slice(0, 2), [3, 4], "rolled-back stories go first");
    });
  } finally {
    await h.close();
  }
});
