/**
 * Comments and history through MCP → server → HTTP → sandbox, and the version-race retry that
 * comments and version-less updates share.
 */

import assert from "node:assert/strict";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import { type Harness, startHarness } from "../helpers/harness.ts";
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";

const PROJECT = "demo-demo-project";
const p = { project: PROJECT };

type Row = Record<string, unknown>;

Deno.test("add_comment and list_comments on every kind", async () => {
  const h = await startHarness({ tools: ALL_TOOLS });
  try {
    const cases: Array<[string, string]> = [
      ["user_story", "#3"],
      ["task", "#7"],
      ["issue", "#9"],
      ["epic", "#1"],
    ];
    for (const [kind, item] of cases) {
      const text = `Looks good — ✓ ${kind}`;
      const added = await h.ok("add_comment", { ...p, kind, item, text });
      assert.equal(added.comment, text);
      assert.equal((added.item as Row).version, 2, `${kind}: the comment bumps the version`);
      await h.ok("add_comment", { ...p, kind, item, text: "second" });
      const listed = await h.ok("list_comments", { ...p, kind, item });
      const entries = listed.entries as Row[];
      assert.deepEqual(entries.map((e) => e.text), ["second", text], "newest first");
      assert.equal(entries[0].by, "demo");
      assert.equal(listed.total, 2);
    }
    await h.ok("update_user_story", { ...p, item: "#3", subject: "Pay with card (v2)" });
    const history = await h.ok("list_comments", {
      ...p,
      kind: "user_story",
      item: "#3",
      history: true,
    });
    const changes = (history.entries as Row[]).filter((e) => e.changed);
    assert.ok(changes.some((e) => (e.changed as string[]).includes("subject")));

    assert.match(
      await h.fails("add_comment", { ...p, kind: "issue", item: "#9", text: "  " }),
      /text must not be empty/,
    );
    assert.match(
      await h.fails("add_comment", { ...p, kind: "bug", item: "#9", text: "x" }),
      /kind/,
    );
    assert.match(
      await h.fails("list_comments", { ...p, kind: "task", item: "#999" }),
      /no task #999/,
    );
  } finally {
    await h.close();
  }
});

/**
 * Runs `call` while a rival PATCH of issue 1 (`rival` body) lands between our read and our PATCH:
 * our PATCH is held by a delay fault until the rival's answer is back.
 */
async function raceOnIssue1(
  h: Harness,
  rival: Record<string, unknown>,
  call: () => Promise<CallToolResult>,
): Promise<CallToolResult> {
  const session = await h.deps.sessions.resolve(undefined);
  h.sandbox.faults.add({ kind: "delay", ms: 300, match: /^PATCH \/api\/v1\/issues\/1$/ });
  h.sandbox.resetRequestCount();
  const pending = call();
  while (h.sandbox.requestCount() < 2) await new Promise((r) => setTimeout(r, 2));
  const response = await fetch(`${h.sandbox.apiUrl}/issues/1`, {
    method: "PATCH",
    headers: {
      authorization: `Bearer ${session.client.auth!.token}`,
      "content-type": "application/json",
    },
    body: JSON.stringify(rival),
  });
  assert.equal(response.status, 200);
  await response.body?.cancel();
  const result = await pending;
  assert.notEqual(result.isError, true, JSON.stringify(result.content));
  return result;
}

Deno.test("a version race during a version-less write is retried once with the new version", async () => {
  const h = await startHarness({ tools: ALL_TOOLS });
  try {
    await h.ok("get_issue", { ...p, item: "#9" });
    await raceOnIssue1(
      h,
      { subject: "Theirs", version: 1 },
      () => h.call("update_issue", { ...p, item: "#9", subject: "Ours" }),
    );
    const issue = h.sandbox.state.items.issue.get(1)!;
    assert.equal(issue.subject, "Ours", "last write wins");
    assert.equal(issue.version, 3);
    assert.equal(h.sandbox.requestCount(), 5, "by_ref, PATCH (conflict), rival, GET, PATCH");

    await raceOnIssue1(
      h,
      { subject: "Edited meanwhile", version: 3 },
      () => h.call("add_comment", { ...p, kind: "issue", item: "#9", text: "racing" }),
    );
    const texts = (await h.ok("list_comments", { ...p, kind: "issue", item: "#9" }))
      .entries as Row[];
    assert.equal(texts[0].text, "racing");
    assert.equal(h.sandbox.state.items.issue.get(1)?.subject, "Edited meanwhile");
  } finally {
    await h.close();
  }
});
