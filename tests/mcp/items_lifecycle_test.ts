/**
 * Full lifecycle of every item kind through MCP → our server → HTTP → sandbox Taiga: create with
 * names, get by #ref, list with filters, update, stale-version conflict, delete, then 404.
 */

import assert from "node:assert/strict";
import type { ItemKind } from "../../src/taiga/kinds.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import { startHarness } from "../helpers/harness.ts";

const PROJECT = "demo-demo-project";

interface Case {
  kind: ItemKind;
  one: string;
  plural: string;
  /** Create arguments given by name. */
  create: Record<string, unknown>;
  /** What the created compact item must show. */
  expect: Record<string, unknown>;
  /** Checks on the sandbox's stored record. */
  stored(item: Record<string, unknown>): void;
  /** A list filter that must find the created item. */
  filter: Record<string, unknown>;
  /** A status name valid for the kind, for the update/conflict steps. */
  status: string;
}

/** The structured facts (error_type, details...) on the last line of an error result's text. */
function errorFacts(text: string): Record<string, unknown> {
  return JSON.parse(text.slice(text.lastIndexOf("\n") + 1));
}

const CASES: Case[] = [
  {
    kind: "userstory",
    one: "user_story",
    plural: "user_stories",
    create: {
      subject: "Pay with PayPal",
      status: "in progress",
      assigned_users: ["alice", "me"],
      points: { Back: "5", Front: 3 },
      sprint: "sprint 1",
      tags: ["payments", "new-tag"],
    },
    expect: { status: "In progress", sprint: "Sprint 1", assigned_to: "alice", points: 8 },
    stored: (item) => {
      assert.deepEqual(item.assigned_users, [2, 1]);
      const points = item.points as Record<string, number>;
      assert.equal(Object.values(points).filter((id) => id === 7).length, 1, '"5" is points id 7');
      assert.equal(Object.values(points).filter((id) => id === 6).length, 1, "3 is points id 6");
    },
    filter: { status: ["In progress"], assignee: "me", sprint: "Sprint 1", tags: ["new-tag"] },
    status: "Done",
  },
  {
    kind: "task",
    one: "task",
    plural: "tasks",
    create: {
      subject: "Wire PayPal SDK",
      status: "In progress",
      assigned_to: "bob",
      user_story: "#3",
    },
    expect: { status: "In progress", assigned_to: "bob", user_story: "#3", sprint: "Sprint 1" },
    stored: (item) => {
      assert.equal(item.user_story, 1);
      assert.equal(item.milestone, 1, "a task joins its story's sprint");
    },
    filter: { user_story: "#3", assignee: "bob", status: "open" },
    status: "Closed",
  },
  {
    kind: "issue",
    one: "issue",
    plural: "issues",
    create: {
      subject: "Crash on checkout",
      type: "question",
      priority: "Low",
      severity: "Critical",
      assigned_to: "alice@example.com",
    },
    expect: { type: "Question", priority: "Low", severity: "Critical", assigned_to: "alice" },
    stored: (item) => assert.equal(item.assigned_to, 2),
    filter: {
      type: "Question",
      priority: ["Low", "High"],
      severity: "Critical",
      assignee: "alice",
    },
    status: "Closed",
  },
  {
    kind: "epic",
    one: "epic",
    plural: "epics",
    create: { subject: "Payments revamp", color: "#112233", status: "Ready", assigned_to: "me" },
    expect: { color: "#112233", status: "Ready", assigned_to: "demo" },
    stored: (item) => assert.equal(item.color, "#112233"),
    filter: { status: "Ready", text: "revamp", owner: "me" },
    status: "Done",
  },
];

Deno.test("item lifecycle for every kind, through MCP and HTTP", async (t) => {
  const h = await startHarness({ tools: ALL_TOOLS });
  try {
    for (const c of CASES) {
      await t.step(c.kind, async () => {
        const created = (await h.ok(`create_${c.one}`, { project: PROJECT, ...c.create }))
          .item as Record<string, unknown>;
        for (const [key, value] of Object.entries(c.expect)) {
          assert.deepEqual(created[key], value, `${c.kind}.${key}`);
        }
        const id = created.id as number;
        const ref = created.ref as number;
        c.stored(h.sandbox.state.items[c.kind].get(id) as unknown as Record<string, unknown>);

        const got = (await h.ok(`get_${c.one}`, { project: PROJECT, item: `#${ref}` }))
          .item as Record<string, unknown>;
        assert.equal(got.id, id);
        assert.equal(got.subject, c.create.subject);
        assert.equal(typeof got.description, "string");
        const byUrl = (await h.ok(`get_${c.one}`, {
          item: `https://taiga.example/project/${PROJECT}/x/${ref}`.replace(
            "/x/",
            `/${{ userstory: "us", task: "task", issue: "issue", epic: "epic" }[c.kind]}/`,
          ),
        })).item as Record<string, unknown>;
        assert.equal(byUrl.id, id, "a Taiga URL names the item");

        const listed = await h.ok(`list_${c.plural}`, { project: PROJECT, ...c.filter });
        const rows = listed.items as Array<Record<string, unknown>>;
        assert.ok(
          rows.some((row) => row.id === id),
          `${c.kind} found by ${JSON.stringify(c.filter)}`,
        );
        assert.equal(listed.total, rows.length);

        const subject = "Überprüfung ✓ 日本語 — ok";
        const updated = (await h.ok(`update_${c.one}`, {
          project: PROJECT,
          item: `#${ref}`,
          subject,
          status: c.status,
          version: created.version,
        })).item as Record<string, unknown>;
        assert.equal(updated.subject, subject, "unicode round-trips");
        assert.equal(updated.status, c.status);
        assert.equal(updated.version, (created.version as number) + 1);
        assert.equal(h.sandbox.state.items[c.kind].get(id)?.subject, subject);

        const conflict = await h.call(`update_${c.one}`, {
          project: PROJECT,
          item: id,
          status: "New",
          version: created.version,
        });
        assert.equal(conflict.isError, true);
        const text = (conflict.content[0] as { text: string }).text;
        const error = errorFacts(text);
        assert.equal(error.error_type, "conflict");
        assert.match(text, new RegExp(`now at version ${updated.version}`));
        assert.match(text, new RegExp(`status="${c.status}"`));
        assert.deepEqual((error.details as Record<string, unknown>).current, { status: c.status });
        assert.equal(h.sandbox.state.items[c.kind].get(id)?.version, updated.version);

        const noVersion = (await h.ok(`update_${c.one}`, {
          project: PROJECT,
          item: `#${ref}`,
          tags: ["a", "b"],
        })).item as Record<string, unknown>;
        assert.deepEqual(noVersion.tags, ["a", "b"], "no version: last write wins");

        const which = { project: PROJECT, item: `#${ref}` };
        assert.match(await h.asks(`delete_${c.one}`, which), /Taiga has no undo/);
        assert.equal(h.sandbox.state.items[c.kind].has(id), true, "asked, not deleted");
        const deleted = await h.ok(`delete_${c.one}`, { ...which, confirm: true });
        assert.deepEqual(deleted, { deleted: true, id, ref, subject });
        assert.equal(h.sandbox.state.items[c.kind].has(id), false);
        const gone = await h.call(`get_${c.one}`, { project: PROJECT, item: `#${ref}` });
        assert.equal(gone.isError, true);
        assert.equal(
          errorFacts((gone.content[0] as { text: string }).text).error_type,
          "not_found",
        );
        assert.match(
          (gone.content[0] as { text: string }).text,
          new RegExp(`no ${c.kind === "userstory" ? "user story" : c.kind} #${ref} in project`),
        );
        const goneById = await h.fails(`get_${c.one}`, { item: id });
        assert.match(goneById, new RegExp(`with id ${id}`));
      });
    }
  } finally {
    await h.close();
  }
});

Deno.test("issues get the project defaults; unknown names list the valid ones; bad args create nothing", async () => {
  const h = await startHarness({ tools: ALL_TOOLS });
  try {
    const issue = (await h.ok("create_issue", { project: PROJECT, subject: "Defaults please" }))
      .item as Record<string, unknown>;
    assert.equal(issue.type, "Bug");
    assert.equal(issue.priority, "Normal");
    assert.equal(issue.severity, "Normal");
    assert.equal(issue.status, "New");

    const count = () =>
      Object.values(h.sandbox.state.items).reduce((sum, table) => sum + table.size, 0);
    const before = count();
    const unknown = await h.fails("create_user_story", {
      project: PROJECT,
      subject: "x",
      status: "Finished",
    });
    assert.match(unknown, /Unknown user story status "Finished"/);
    assert.match(unknown, /New, Ready, In progress, Ready for test, Done, Archived/);
    assert.match(
      await h.fails("create_issue", { project: PROJECT, subject: "x", priority: "Urgent" }),
      /Low, Normal, High/,
    );
    assert.match(
      await h.fails("create_task", { project: PROJECT, subject: "x", assigned_to: "zed" }),
      /me, demo, alice, bob/,
    );
    assert.match(
      await h.fails("create_user_story", { project: PROJECT, subject: "x", sprint: "Sprint 9" }),
      /Sprint 1/,
    );
    assert.match(
      await h.fails("create_user_story", { project: PROJECT, subject: "x", points: { Chef: "5" } }),
      /UX, Design, Front, Back/,
    );

    const bad: Array<[string, Record<string, unknown>, RegExp]> = [
      ["create_user_story", { project: PROJECT, subject: "x".repeat(10_000) }, /500/],
      ["create_user_story", { project: PROJECT }, /subject/],
      ["create_task", { project: PROJECT, subject: 42 }, /subject/],
      ["create_issue", { project: PROJECT, subject: "   " }, /subject/],
      ["create_epic", { project: PROJECT, subject: "x", color: "red" }, /colour/],
      ["create_user_story", { project: -3, subject: "x" }, /project/],
      ["create_user_story", { project: PROJECT, subject: "x", due_date: "tomorrow" }, /date/],
      [
        "create_user_story",
        { project: PROJECT, subject: "x", due_date: "2026-02-30" },
        /Not a real calendar date/,
      ],
      ["get_task", { item: -5 }, /item/],
      ["update_issue", { project: PROJECT, item: "#9" }, /Nothing to change/],
      ["get_issue", { item: "#9" }, /needs the project/],
      ["get_issue", { item: "nine" }, /not an item reference/],
      ["get_issue", { project: PROJECT, item: "#99999999999999999999" }, /larger than any Taiga/],
      ["list_tasks", { project: PROJECT, order_by: "colour" }, /Cannot order tasks by "colour"/],
      ["list_issues", { status: "New" }, /needs "project"/],
      // A misspelt project is the project's fault, not the item's.
      [
        "get_user_story",
        { project: "demo-demo-projct", item: "#3" },
        /No project with slug "demo-demo-projct"/,
      ],
      ["get_user_story", { project: 99, item: "#3" }, /No project with id 99 .*list_projects/],
      ["list_user_stories", { project: 99 }, /No project with id 99 .*list_projects/],
      ["get_task", { project: 1, item: "#999" }, /no task #999 in project demo-demo-project/],
    ];
    for (const [tool, args, pattern] of bad) {
      const text = await h.fails(tool, args);
      assert.match(text, pattern, `${tool} ${JSON.stringify(args).slice(0, 80)}`);
    }
    assert.equal(count(), before, "nothing was created by the failed calls");
  } finally {
    await h.close();
  }
});

Deno.test("update_user_story: assigned_to replaces a story's assignees; with assigned_users it is refused", async () => {
  const h = await startHarness();
  try {
    const created = (await h.ok("create_user_story", {
      project: PROJECT,
      subject: "Two people on it",
      assigned_users: ["alice", "me"],
    })).item as Record<string, unknown>;
    const item = { project: PROJECT, item: `#${created.ref}` };
    // Taiga itself adds a new assigned_to to the assignees; the tool's word is "the assignee".
    const updated = await h.ok("update_user_story", { ...item, assigned_to: "bob" });
    assert.equal((updated.item as Record<string, unknown>).assigned_to, "bob");
    const stored = () => h.sandbox.state.items.userstory.get(created.id as number)!;
    assert.deepEqual(stored().assigned_users, [3]);
    await h.ok("update_user_story", { ...item, assigned_to: "none" });
    assert.deepEqual(stored().assigned_users, []);
    assert.equal(stored().assigned_to, null);
    const both = await h.fails("update_user_story", {
      ...item,
      assigned_to: "bob",
      assigned_users: ["alice"],
    });
    assert.match(both, /not both/);
    assert.deepEqual(stored().assigned_users, [], "the refused call changed nothing");
  } finally {
    await h.close();
  }
});
