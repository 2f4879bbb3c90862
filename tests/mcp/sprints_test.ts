import assert from "node:assert/strict";
import { type Harness, startHarness } from "../helpers/harness.ts";

const PROJECT = "demo-demo-project";
type Raw = Record<string, unknown>;

function sprintCount(h: Harness): number {
  return h.sandbox.state.milestones.size;
}

Deno.test("sprint lifecycle: create, progress with stories, list, board, update, delete", async (t) => {
  const h = await startHarness();
  try {
    let sprintId = 0;

    await t.step("create_milestone with dates", async () => {
      const before = sprintCount(h);
      const out = await h.ok("create_milestone", {
        project: PROJECT,
        name: "Sprint Test A",
        start: "2026-03-02",
        finish: "2026-03-13",
      });
      const sprint = out.sprint as Raw;
      assert.equal(sprint.name, "Sprint Test A");
      assert.equal(sprint.start, "2026-03-02");
      assert.equal(sprint.finish, "2026-03-13");
      assert.equal(sprint.closed, false);
      assert.equal(sprintCount(h), before + 1);
      sprintId = sprint.id as number;
    });

    await t.step("bad dates are refused and create nothing", async () => {
      const before = sprintCount(h);
      const base = { project: PROJECT, name: "Broken sprint" };
      const notReal = await h.fails("create_milestone", {
        ...base,
        start: "2026-02-30",
        finish: "2026-03-10",
      });
      assert.match(notReal, /calendar date/);
      const wrongForm = await h.fails("create_milestone", {
        ...base,
        start: "03/02/2026",
        finish: "2026-03-10",
      });
      assert.match(wrongForm, /YYYY-MM-DD/);
      const backwards = await h.fails("create_milestone", {
        ...base,
        start: "2026-03-10",
        finish: "2026-03-01",
      });
      assert.match(backwards, /finish \(2026-03-01\) before it starts \(2026-03-10\)/);
      assert.equal(sprintCount(h), before);
    });

    await t.step("get_milestone shows progress after stories are put in the sprint", async () => {
      // Stories and tasks go in through the item tools, by name, as a model would do it.
      await h.ok("create_user_story", {
        project: PROJECT,
        subject: "Checkout page",
        sprint: "Sprint Test A",
        points: { Front: "5" },
      });
      await h.ok("create_user_story", {
        project: PROJECT,
        subject: "Order history",
        sprint: "Sprint Test A",
        status: "Done",
        points: { Back: "3" },
      });
      const checkout = [...h.sandbox.state.items.userstory.values()].find((story) =>
        story.subject === "Checkout page"
      )!;
      await h.ok("create_task", {
        project: PROJECT,
        subject: "Write the checkout form",
        user_story: `#${checkout.ref}`,
      });
      await h.ok("create_task", {
        project: PROJECT,
        subject: "Sprint retro notes",
        sprint: sprintId,
      });

      const out = await h.ok("get_milestone", { project: PROJECT, sprint: "sprint test a" });
      assert.equal((out.sprint as Raw).id, sprintId);
      const progress = out.progress as Raw;
      assert.equal(progress.stories_total, 2);
      assert.equal(progress.stories_done, 1);
      assert.equal(progress.tasks_total, 2);
      assert.equal(progress.tasks_done, 0);
      assert.equal(progress.points_total, 8);
      assert.equal(progress.points_done, 3);
      assert.equal(progress.percent_done, 37.5);
      const days = out.burndown as Raw[];
      assert.equal(days.length, 12);
      assert.equal(days[0].day, "2026-03-02");
      assert.deepEqual(Object.keys(days[0]).sort(), ["day", "open_points", "optimal_points"]);
      const stories = out.stories as Raw[];
      assert.deepEqual(stories.map((s) => s.subject).sort(), ["Checkout page", "Order history"]);
      assert.equal(stories.find((s) => s.subject === "Order history")?.is_closed, true);

      const byId = await h.ok("get_milestone", {
        sprint: sprintId,
        include_burndown: false,
        include_stories: false,
      });
      assert.equal((byId.sprint as Raw).name, "Sprint Test A");
      assert.equal(byId.burndown, undefined);
      assert.equal(byId.stories, undefined);
    });

    await t.step("list_milestones filters open and closed, compactly", async () => {
      const open = await h.ok("list_milestones", { project: PROJECT, state: "open" });
      const row = (open.sprints as Raw[]).find((s) => s.id === sprintId) as Raw;
      assert.equal(row.stories, 2);
      assert.equal(row.user_stories, undefined, "nested stories are not dumped");
      assert.equal(row.project, PROJECT, "the project by slug, not its id");
      const closed = await h.ok("list_milestones", { project: PROJECT, state: "closed" });
      assert.ok(!(closed.sprints as Raw[]).some((s) => s.id === sprintId));
    });

    await t.step("list_sprint_items groups tasks under their stories", async () => {
      const board = await h.ok("list_sprint_items", { project: PROJECT, sprint: "Sprint Test A" });
      const stories = board.stories as Array<Raw & { tasks: Raw[] }>;
      const checkout = stories.find((s) => s.subject === "Checkout page")!;
      assert.deepEqual(checkout.tasks.map((task) => task.subject), ["Write the checkout form"]);
      assert.deepEqual((board.other_tasks as Raw[]).map((task) => task.subject), [
        "Sprint retro notes",
      ]);
      assert.deepEqual(board.counts, { stories: 2, stories_closed: 1, tasks: 2, tasks_closed: 0 });
      const open = await h.ok("list_sprint_items", { sprint: sprintId, open_only: true });
      assert.deepEqual((open.stories as Raw[]).map((s) => s.subject), ["Checkout page"]);
    });

    await t.step(
      "update_milestone renames, moves dates and closes; bad dates refused",
      async () => {
        const out = await h.ok("update_milestone", {
          project: PROJECT,
          sprint: "Sprint Test A",
          name: "Sprint Test B",
          finish: "2026-03-20",
          closed: true,
        });
        const sprint = out.sprint as Raw;
        assert.equal(sprint.name, "Sprint Test B");
        assert.equal(sprint.finish, "2026-03-20");
        assert.equal(sprint.closed, true);
        // The renamed sprint is found by its new name at once (metadata dropped after the write).
        const again = await h.ok("get_milestone", { project: PROJECT, sprint: "Sprint Test B" });
        assert.equal((again.sprint as Raw).id, sprintId);
        const backwards = await h.fails("update_milestone", {
          sprint: sprintId,
          start: "2026-04-01",
        });
        assert.match(backwards, /before it starts/);
        assert.equal(h.sandbox.state.milestones.get(sprintId)?.estimated_start, "2026-03-02");
        const nothing = await h.fails("update_milestone", { sprint: sprintId });
        assert.match(nothing, /Nothing to change/);
      },
    );

    await t.step("unknown names and missing project are clear input errors", async () => {
      const unknown = await h.fails("get_milestone", { project: PROJECT, sprint: "Sprint 99" });
      assert.match(unknown, /Unknown sprint "Sprint 99"/);
      assert.match(unknown, /Sprint Test B/);
      const noProject = await h.fails("get_milestone", { sprint: "Sprint Test B" });
      assert.match(noProject, /Pass project too/);
    });

    await t.step("delete_milestone returns stories to the backlog; then a clear 404", async () => {
      const args = { project: PROJECT, sprint: "Sprint Test B" };
      assert.match(
        await h.asks("delete_milestone", args),
        /Delete sprint "Sprint Test B" \(.*\)\? Its 2 user stories go back to the backlog\./,
      );
      assert.equal(h.sandbox.state.milestones.has(sprintId), true, "asked, not deleted");
      const out = await h.ok("delete_milestone", { ...args, confirm: true });
      assert.equal(out.deleted, true);
      assert.equal(out.stories_back_to_backlog, 2);
      assert.equal(h.sandbox.state.milestones.has(sprintId), false);
      const gone = await h.fails("get_milestone", { sprint: sprintId });
      assert.match(gone, /not_found/);
      assert.match(gone, new RegExp(`no sprint with id ${sprintId}`));
      const stories = [...h.sandbox.state.items.userstory.values()].filter((story) =>
        story.subject === "Checkout page" || story.subject === "Order history"
      );
      assert.equal(stories.length, 2);
      assert.ok(stories.every((story) => story.milestone === null));
    });
  } finally {
    await h.close();
  }
});
