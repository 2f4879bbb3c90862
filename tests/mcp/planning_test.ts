import assert from "node:assert/strict";
import { type Harness, startHarness } from "../helpers/harness.ts";

const p = { project: "demo-demo-project" };
type Row = Record<string, unknown>;

function day(offset: number): string {
  return new Date(Date.now() + offset * 86_400_000).toISOString().slice(0, 10);
}

function counts(h: Harness): string {
  const s = h.sandbox.state;
  return JSON.stringify([s.items.epic.size, s.items.issue.size, s.items.userstory.size]);
}

Deno.test("list_due_items: open overdue and due-soon items across kinds, days counted", async (t) => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    const due: Array<[string, string, number]> = [
      ["update_user_story", "#3", -3],
      ["update_user_story", "#5", 2],
      ["update_user_story", "#6", 30],
      ["update_task", "#7", -1],
      ["update_task", "#8", -10], // closed: its due date no longer applies
      ["update_issue", "#9", 0],
      ["update_issue", "#10", 14],
    ];
    for (const [tool, item, offset] of due) {
      await h.ok(tool, { ...p, item, due_date: day(offset) });
    }

    await t.step("default window: 14 days, soonest first", async () => {
      const out = await h.ok("list_due_items", p);
      assert.equal(out.today, day(0));
      assert.deepEqual(out.items, [
        {
          kind: "user_story",
          ref: 3,
          subject: "Pay with card",
          due: day(-3),
          days_overdue: 3,
          status: "New",
          assigned_to: "alice",
        },
        {
          kind: "task",
          ref: 7,
          subject: "Integrate card gateway",
          due: day(-1),
          days_overdue: 1,
          status: "New",
          assigned_to: "bob",
        },
        {
          kind: "issue",
          ref: 9,
          subject: "Card declined shows blank page",
          due: day(0),
          days_left: 0,
          status: "New",
          assigned_to: "alice",
        },
        {
          kind: "user_story",
          ref: 5,
          subject: "Sign up with email",
          due: day(2),
          days_left: 2,
          status: "New",
        },
        {
          kind: "issue",
          ref: 10,
          subject: "Typo on the sign-up page",
          due: day(14),
          days_left: 14,
          status: "New",
        },
      ]);
      assert.equal(out.overdue, 2);
      assert.equal(out.due_soon, 3);
      assert.equal(out.total, 5);
    });

    await t.step("window, kinds, assignee, paging", async () => {
      const overdue = await h.ok("list_due_items", { ...p, within_days: 0 });
      assert.deepEqual((overdue.items as Row[]).map((r) => r.ref), [3, 7, 9]);
      const wide = await h.ok("list_due_items", { ...p, within_days: 30 });
      assert.deepEqual((wide.items as Row[]).map((r) => r.ref), [3, 7, 9, 5, 10, 6]);
      const issues = await h.ok("list_due_items", { ...p, kinds: ["issue"] });
      assert.deepEqual((issues.items as Row[]).map((r) => r.ref), [9, 10]);
      const alice = await h.ok("list_due_items", { ...p, assignee: "alice" });
      assert.deepEqual((alice.items as Row[]).map((r) => r.ref), [3, 9]);
      const page1 = await h.ok("list_due_items", { ...p, limit: 2 });
      assert.deepEqual((page1.items as Row[]).map((r) => r.ref), [3, 7]);
      assert.equal(page1.has_more, true);
      assert.equal(page1.next_page, 2);
      const page3 = await h.ok("list_due_items", { ...p, limit: 2, page: 3 });
      assert.deepEqual((page3.items as Row[]).map((r) => r.ref), [10]);
      assert.equal(page3.has_more, false);
    });

    await t.step("every project: rows name their project", async () => {
      const out = await h.ok("list_due_items", { within_days: 0 });
      assert.deepEqual(
        (out.items as Row[]).map((r) => [r.ref, r.project]),
        [[3, "demo-demo-project"], [7, "demo-demo-project"], [9, "demo-demo-project"]],
      );
      const text = await h.fails("list_due_items", { assignee: "alice" });
      assert.match(text, /needs "project"/);
      assert.match(await h.fails("list_due_items", { ...p, assignee: "zed" }), /Unknown user/);
    });
  } finally {
    await h.close();
  }
});

Deno.test("get_item_counts: counts per facet, by name, with filters", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    const stories = await h.ok("get_item_counts", { ...p, kind: "user_story" });
    assert.deepEqual(stories, {
      kind: "user_story",
      total: 4,
      counts: {
        statuses: { "New": 3, "In progress": 1 },
        assigned_to: { none: 3, alice: 1 },
        assigned_users: { none: 3, alice: 1 },
        owners: { demo: 4 },
        tags: { accounts: 2, payments: 1 },
        epics: { none: 2, "#1 Checkout": 1, "#2 Onboarding": 1 },
        roles: { Front: 1 },
      },
    });
    const issues = await h.ok("get_item_counts", { ...p, kind: "issue" });
    const issueCounts = issues.counts as Record<string, Row>;
    assert.deepEqual(issueCounts.types, { Bug: 1, Enhancement: 1 });
    assert.deepEqual(issueCounts.priorities, { Normal: 1, High: 1 });
    const inSprint = await h.ok("get_item_counts", {
      ...p,
      kind: "user_story",
      sprint: "Sprint 1",
    });
    assert.equal(inSprint.total, 2);
    // The status facet ignores the status filter (what you could switch to); total does not.
    const inProgress = await h.ok("get_item_counts", {
      ...p,
      kind: "user_story",
      status: "In progress",
    });
    assert.equal(inProgress.total, 1);
    assert.deepEqual((inProgress.counts as Record<string, Row>).statuses, {
      "New": 3,
      "In progress": 1,
    });
    const tasks = await h.ok("get_item_counts", { ...p, kind: "task", status: "open" });
    assert.equal(tasks.total, 1);
    const zero = await h.ok("get_item_counts", { ...p, kind: "epic", include_zero: true });
    assert.equal((zero.counts as Record<string, Row>).tags !== undefined, true);
    const raw = await h.ok("get_item_counts", { ...p, kind: "task", verbose: true });
    assert.ok(Array.isArray((raw.raw as Row).statuses));
    assert.match(
      await h.fails("get_item_counts", { ...p, kind: "task", epic: "#1" }),
      /tasks cannot be filtered by epic; only user_story can/,
    );
    assert.match(
      await h.fails("get_item_counts", { ...p, kind: "issue", status: "Nope" }),
      /Unknown issue status "Nope"/,
    );
  } finally {
    await h.close();
  }
});

Deno.test("bulk_create_items: epics and issues, names resolved before anything is created", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    const epics = await h.ok("bulk_create_items", {
      ...p,
      kind: "epic",
      subjects: ["Search", "Reporting"],
      status: "In progress",
    });
    assert.equal(epics.created, 2);
    assert.deepEqual(
      (epics.items as Row[]).map((e) => [e.ref, e.subject, e.status]),
      [[11, "Search", "In progress"], [12, "Reporting", "In progress"]],
    );
    // issues/bulk_create always uses the project defaults: the named values are set after it.
    const issues = await h.ok("bulk_create_items", {
      ...p,
      kind: "issue",
      subjects: ["Crash on login", "Slow search"],
      type: "Bug",
      priority: "High",
      severity: "Critical",
      status: "In progress",
      sprint: "Sprint 1",
    });
    assert.deepEqual(
      (issues.items as Row[]).map((i) => [i.subject, i.status, i.type, i.priority, i.severity]),
      [
        ["Crash on login", "In progress", "Bug", "High", "Critical"],
        ["Slow search", "In progress", "Bug", "High", "Critical"],
      ],
    );
    const stored = [...h.sandbox.state.items.issue.values()].filter((i) => i.ref >= 13);
    assert.deepEqual(stored.map((i) => i.milestone), [1, 1]);
    const plain = await h.ok("bulk_create_items", { ...p, kind: "issue", subjects: ["Plain"] });
    assert.equal((plain.items as Row[])[0].status, "New");

    const before = counts(h);
    const cases: Array<[Row, RegExp]> = [
      [{ kind: "epic", subjects: ["X"], type: "Bug" }, /Epics have no type/],
      [{ kind: "issue", subjects: ["X"], type: "Feature" }, /Unknown issue type "Feature"/],
      [{ kind: "issue", subjects: ["X"], sprint: "Sprint 9" }, /Unknown sprint "Sprint 9"/],
      [{ kind: "epic", subjects: ["X"], status: "Nope" }, /Unknown epic status "Nope"/],
      [{ kind: "issue", subjects: ["two\nlines"] }, /one line per subject/],
    ];
    for (const [args, expected] of cases) {
      assert.match(await h.fails("bulk_create_items", { ...p, ...args }), expected);
    }
    assert.equal(counts(h), before);
  } finally {
    await h.close();
  }
});

Deno.test("link_epic_stories links existing stories idempotently beyond one page of links", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    const created = await h.ok("bulk_create_user_stories", {
      ...p,
      subjects: Array.from({ length: 35 }, (_, i) => `Linked ${i}`),
    });
    const refs = (created.items as Row[]).map((s) => `#${s.ref}`);
    const before = h.sandbox.state.items.userstory.size;
    const first = await h.ok("link_epic_stories", { ...p, epic: "#2", stories: refs });
    assert.equal((first.changed as number[]).length, 35);
    assert.equal(h.sandbox.state.items.userstory.size, before, "no new stories");
    // 36 links now (Taiga lists 30 a page): linking again must see them all and do nothing.
    const again = await h.ok("link_epic_stories", { ...p, epic: "#2", stories: [...refs, "#5"] });
    assert.deepEqual(again.changed, []);
    assert.equal((again.unchanged as number[]).length, 36);
  } finally {
    await h.close();
  }
});

Deno.test("moving a task to another story puts it in that story's sprint", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    const task = () => [...h.sandbox.state.items.task.values()].find((x) => x.ref === 7)!;
    const toBacklog = await h.ok("update_task", { ...p, item: "#7", user_story: "#5" });
    assert.equal((toBacklog.item as Row).sprint, undefined);
    assert.equal(task().milestone, null);
    const back = await h.ok("update_task", { ...p, item: "#7", user_story: "#4" });
    assert.equal((back.item as Row).sprint, "Sprint 1");
    assert.equal(task().milestone, 1);
    // Taiga forces the story's sprint, so a different sprint sent with it is refused, not lost.
    await h.ok("create_milestone", { ...p, name: "Sprint 2", start: day(20), finish: day(30) });
    assert.match(
      await h.fails("update_task", { ...p, item: "#7", user_story: "#5", sprint: "Sprint 2" }),
      /user story #5 is in the backlog/,
    );
    assert.equal(task().milestone, 1, "nothing changed");
  } finally {
    await h.close();
  }
});
