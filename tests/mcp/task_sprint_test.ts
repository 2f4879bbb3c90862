/**
 * A task of a user story is always in its story's sprint (taiga-back's pre_save sets it on every
 * create and update): a different sprint is refused with what to do, never silently replaced.
 */

import assert from "node:assert/strict";
import { startHarness } from "../helpers/harness.ts";

const p = { project: "demo-demo-project" };

Deno.test("a task's sprint follows its story; a different one is refused and changes nothing", async () => {
  const h = await startHarness();
  try {
    await h.ok("create_milestone", {
      ...p,
      name: "Sprint 2",
      start: "2026-12-07",
      finish: "2026-12-18",
    });
    const tasks = h.sandbox.state.items.task;
    const count = tasks.size;

    // #3 is in Sprint 1: its new task lands there without being told.
    const created = await h.ok("create_task", { ...p, subject: "Refunds", user_story: "#3" });
    assert.equal((created.item as Record<string, unknown>).sprint, "Sprint 1");
    assert.match(
      await h.fails("create_task", { ...p, subject: "x", user_story: "#3", sprint: "Sprint 2" }),
      /user story #3 is in sprint "Sprint 1": Taiga would ignore the sprint you sent/,
    );
    assert.equal(tasks.size, count + 1, "the refused create created nothing");

    // #7 belongs to #3; #5 is in the backlog.
    const task7 = [...tasks.values()].find((task) => task.ref === 7)!;
    const version = task7.version;
    assert.match(
      await h.fails("update_task", { ...p, item: "#7", sprint: "Sprint 2" }),
      /user story #3 is in sprint "Sprint 1".*update_user_story with sprint.*user_story: null/,
    );
    assert.match(
      await h.fails("update_task", { ...p, item: "#7", user_story: "#5", sprint: "Sprint 2" }),
      /user story #5 is in the backlog/,
    );
    assert.equal(task7.version, version, "the refused updates changed nothing");

    // Moving it to another story moves it to that story's sprint; out of a story, any sprint.
    const moved = await h.ok("update_task", { ...p, item: "#7", user_story: "#5" });
    assert.equal((moved.item as Record<string, unknown>).sprint, undefined);
    const loose = await h.ok("update_task", {
      ...p,
      item: "#7",
      user_story: null,
      sprint: "Sprint 2",
    });
    assert.equal((loose.item as Record<string, unknown>).sprint, "Sprint 2");
  } finally {
    await h.close();
  }
});
