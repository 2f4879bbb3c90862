/**
 * list_my_work through MCP → server → HTTP → sandbox: what is assigned to me or someone in
 * every project the session sees, open only by default, grouped by project and kind, due dates
 * with overdue marked, narrowed by kind or project, paged.
 */

import assert from "node:assert/strict";
import { startHarness } from "../helpers/harness.ts";

const PROJECT = "demo-demo-project";
const DAY = 86_400_000;

type Row = Record<string, unknown>;

function day(offset: number): string {
  return new Date(Date.now() + offset * DAY).toISOString().slice(0, 10);
}

function groups(result: Row): Row[] {
  return result.projects as Row[];
}

Deno.test("list_my_work: my open work across projects, grouped, due dates and overdue", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    const other = String(
      ((await h.ok("create_project", { name: "Website", description: "Relaunch" }))
        .project as Row).slug,
    );
    const late = { project: other, assigned_to: "me", due_date: day(-2) };
    await h.ok("create_issue", { ...late, subject: "Broken footer" });
    await h.ok("create_task", { ...late, subject: "Fix logo", due_date: day(5) });
    await h.ok("create_task", { ...late, subject: "Old chore", status: "Closed" });
    await h.ok("update_user_story", { project: PROJECT, item: "#6", assigned_users: ["me"] });
    await h.ok("update_epic", { project: PROJECT, item: "#2", assigned_to: "me" });

    const mine = await h.ok("list_my_work", {});
    assert.equal(mine.person, "demo");
    assert.equal(mine.today, day(0));
    assert.deepEqual(groups(mine).map((g) => g.project), [PROJECT, other].sort());
    const website = groups(mine).find((g) => g.project === other)!;
    assert.equal(website.name, "Website");
    assert.deepEqual(website.issues, [
      { ref: 1, subject: "Broken footer", status: "New", due: day(-2), overdue: true },
    ]);
    assert.deepEqual(website.tasks, [{ ref: 2, subject: "Fix logo", status: "New", due: day(5) }]);
    const demo = groups(mine).find((g) => g.project === PROJECT)!;
    assert.deepEqual((demo.user_stories as Row[]).map((r) => r.ref), [6]);
    assert.deepEqual((demo.epics as Row[]).map((r) => r.ref), [2]);
    assert.equal(demo.tasks, undefined, "no empty kinds");
    assert.deepEqual(mine.counts, { user_stories: 1, tasks: 1, issues: 1, epics: 1, overdue: 1 });
    assert.equal(mine.total, 4);

    const all = await h.ok("list_my_work", { state: "all", project: other, kinds: ["task"] });
    assert.deepEqual(
      (groups(all)[0].tasks as Row[]).map((r) => [r.subject, r.closed ?? false]),
      [["Fix logo", false], ["Old chore", true]],
    );

    const paged = await h.ok("list_my_work", { limit: 3 });
    assert.equal(paged.returned, 3);
    assert.equal(paged.has_more, true);
    assert.equal(paged.next_page, 2);
    const rest = await h.ok("list_my_work", { limit: 3, page: 2 });
    assert.equal(rest.returned, 1);
    assert.equal(rest.has_more, false);
  } finally {
    await h.close();
  }
});

Deno.test("list_my_work: someone else's work, by username, and wrong people", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    const alice = await h.ok("list_my_work", { person: "@alice" });
    assert.equal(alice.person, "alice");
    const [demo] = groups(alice);
    assert.deepEqual((demo.user_stories as Row[]).map((r) => r.subject), ["Pay with card"]);
    assert.deepEqual((demo.issues as Row[]).map((r) => r.subject), [
      "Card declined shows blank page",
    ]);
    const bob = await h.ok("list_my_work", { person: 3, kinds: ["task"] });
    assert.deepEqual(groups(bob)[0].tasks, [
      { ref: 7, subject: "Integrate card gateway", status: "New", user_story: "#3" },
    ]);
    const byName = await h.ok("list_my_work", { person: "Bob Example", project: PROJECT });
    assert.equal(byName.person, "bob");
    assert.match(await h.fails("list_my_work", { person: "carol" }), /No Taiga user "carol"/);
    assert.match(
      await h.fails("list_my_work", { person: "carol", project: PROJECT }),
      /Unknown user "carol".*alice/,
    );
    assert.match(await h.fails("list_my_work", { kinds: ["bug"] }), /kinds/);
  } finally {
    await h.close();
  }
});
