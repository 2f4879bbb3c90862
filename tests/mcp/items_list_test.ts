/**
 * Item lists: typed filters, paging, `all: true` over 2,500 items in ≤ 4 Taiga requests with
 * progress notifications, and the compact output's size against Taiga's raw JSON.
 */

import assert from "node:assert/strict";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { createItem, type ItemKind, type Project } from "../../sandbox/testing.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import { type Harness, startHarness } from "../helpers/harness.ts";

const PROJECT = "demo-demo-project";

type Row = Record<string, unknown>;

/** Puts `count` items straight into the sandbox's demo project; returns the project. */
function seed(
  h: Harness,
  count: number,
  kind: ItemKind,
  data: (i: number) => Record<string, unknown>,
): Project {
  const state = h.sandbox.state;
  const project = [...state.projects.values()].find((p) => p.slug === PROJECT)!;
  const owner = state.findUser("demo")!;
  for (let i = 0; i < count; i++) createItem(state, kind, project, owner, data(i));
  return project;
}

function refs(result: Record<string, unknown>): number[] {
  return (result.items as Row[]).map((row) => row.ref as number).sort((a, b) => a - b);
}

Deno.test("list filters map to Taiga's query and find the right items", async () => {
  const h = await startHarness({ tools: ALL_TOOLS });
  try {
    const p = { project: PROJECT };
    assert.deepEqual(refs(await h.ok("list_user_stories", p)), [3, 4, 5, 6]);
    assert.deepEqual(refs(await h.ok("list_user_stories", { ...p, sprint: "backlog" })), [5, 6]);
    assert.deepEqual(refs(await h.ok("list_user_stories", { ...p, sprint: "Sprint 1" })), [3, 4]);
    assert.deepEqual(refs(await h.ok("list_user_stories", { ...p, status: "In progress" })), [4]);
    assert.deepEqual(refs(await h.ok("list_user_stories", { ...p, assignee: "alice" })), [3]);
    assert.deepEqual(refs(await h.ok("list_user_stories", { ...p, assignee: "none" })), [4, 5, 6]);
    assert.deepEqual(refs(await h.ok("list_user_stories", { ...p, epic: "#2" })), [5]);
    assert.deepEqual(refs(await h.ok("list_user_stories", { ...p, tags: ["accounts"] })), [5, 6]);
    assert.deepEqual(refs(await h.ok("list_user_stories", { ...p, text: "card" })), [3]);
    assert.deepEqual(refs(await h.ok("list_tasks", { ...p, status: "closed" })), [8]);
    assert.deepEqual(refs(await h.ok("list_tasks", { ...p, status: "open" })), [7]);
    assert.deepEqual(refs(await h.ok("list_tasks", { ...p, user_story: "#4" })), [8]);
    assert.deepEqual(refs(await h.ok("list_issues", { ...p, type: "Bug" })), [9]);
    assert.deepEqual(refs(await h.ok("list_issues", { ...p, priority: ["High", "Low"] })), [9]);
    assert.deepEqual(refs(await h.ok("list_issues", { ...p, owner: "bob" })), [10]);
    assert.deepEqual(refs(await h.ok("list_epics", { ...p, owner: "me" })), [1, 2]);
    const future = "2999-01-01";
    assert.deepEqual(refs(await h.ok("list_issues", { ...p, created_after: future })), []);
    assert.deepEqual(refs(await h.ok("list_issues", { ...p, created_before: future })), [9, 10]);
    assert.deepEqual(refs(await h.ok("list_issues", { ...p, modified_after: "2000-01-01" })), [
      9,
      10,
    ]);

    const ordered = await h.ok("list_user_stories", { ...p, order_by: "-subject" });
    assert.deepEqual((ordered.items as Row[]).map((row) => row.subject), [
      "Sign up with email",
      "Pay with card",
      "Password reset",
      "Order confirmation email",
    ]);

    const crossProject = await h.ok("list_tasks", { assignee: "none" });
    assert.deepEqual(refs(crossProject), [8]);
    assert.equal((crossProject.items as Row[])[0].project, PROJECT, "rows name their project");

    const page1 = await h.ok("list_user_stories", { ...p, limit: 3 });
    assert.equal(page1.returned, 3);
    assert.equal(page1.total, 4);
    assert.equal(page1.has_more, true);
    assert.equal(page1.next_page, 2);
    const page2 = await h.ok("list_user_stories", { ...p, limit: 3, page: 2 });
    assert.equal(page2.returned, 1);
    assert.equal(page2.has_more, false);

    const verbose = await h.ok("list_issues", { ...p, verbose: true, limit: 1 });
    const raw = (verbose.items as Row[])[0];
    assert.equal(typeof raw.status, "number", "verbose returns Taiga's own JSON");
    assert.ok("status_extra_info" in raw);
  } finally {
    await h.close();
  }
});

Deno.test("all:true returns 2,500 items complete in ≤ 4 requests, with progress", async () => {
  const h = await startHarness({ tools: ALL_TOOLS });
  try {
    seed(h, 2500, "task", (i) => ({ subject: `Bulk task ${i}`, tags: ["bulk"] }));
    h.sandbox.resetRequestCount();
    const progress: Array<{ progress: number; total?: number }> = [];
    const result = await h.client.callTool(
      { name: "list_tasks", arguments: { project: PROJECT, tags: ["bulk"], all: true } },
      undefined,
      { onprogress: (p: { progress: number; total?: number }) => progress.push(p) },
    ) as CallToolResult;
    assert.notEqual(result.isError, true);
    const content = result.structuredContent as Record<string, unknown>;
    const items = content.items as Row[];
    assert.equal(items.length, 2500);
    assert.equal(content.total, 2500);
    assert.equal(content.has_more, false);
    assert.equal(new Set(items.map((row) => row.id)).size, 2500, "no duplicates");
    assert.ok(h.sandbox.requestCount() <= 4, `requests: ${h.sandbox.requestCount()}`);
    assert.ok(progress.length >= 3, `progress notifications: ${progress.length}`);
    assert.deepEqual(progress.at(-1), {
      progress: 2500,
      total: 2500,
      message: "fetched 2500 of 2500",
    });
  } finally {
    await h.close();
  }
});

Deno.test("compact list of 100 stories is ≤ 20 % of Taiga's raw JSON", async () => {
  const h = await startHarness({ tools: ALL_TOOLS });
  try {
    const alice = h.sandbox.state.findUser("alice")!;
    const project = seed(h, 96, "userstory", (i) => ({
      subject: `As a shopper I want feature number ${i} so that checkout is faster`,
      description: "Some description that lists are not supposed to carry.",
      tags: ["payments", "q3"],
      milestone: i % 2 === 0 ? 1 : null,
      assigned_to: alice.id,
      assigned_users: [alice.id],
    }));
    const ours = await h.call("list_user_stories", { project: PROJECT, limit: 100 });
    const oursText = (ours.content[0] as { text: string }).text;
    assert.equal((ours.structuredContent as Record<string, unknown>).returned, 100);
    const session = await h.deps.sessions.resolve(undefined);
    const raw = await fetch(`${h.sandbox.apiUrl}/userstories?project=${project.id}&page_size=100`, {
      headers: { authorization: `Bearer ${session.client.auth!.token}` },
    }).then((res) => res.text());
    const ratio = oursText.length / raw.length;
    assert.ok(ratio <= 0.2, `compact/raw = ${(ratio * 100).toFixed(1)} %`);
  } finally {
    await h.close();
  }
});
