/** list_followers: watchers and voters of every kind, as usernames, paged; bad inputs change nothing. */

import assert from "node:assert/strict";
import { followerTools } from "../../src/tools/followers.ts";
import { itemActionTools } from "../../src/tools/items_actions.ts";
import { errorFacts, startHarness } from "../helpers/harness.ts";

const PROJECT = "demo-demo-project";
const p = { project: PROJECT };

type Row = Record<string, unknown>;

const tools = [...followerTools, ...itemActionTools];

Deno.test("list_followers: watchers and voters of each kind, by username", async () => {
  const h = await startHarness({ tools });
  const state = h.sandbox.state;
  try {
    const issue = [...state.items.issue.values()].find((i) => i.ref === 9)!;
    issue.watchers.splice(0, issue.watchers.length, 2, 3);
    issue.voters.splice(0, issue.voters.length, 3);
    const watchers = await h.ok("list_followers", { ...p, kind: "issue", item: "#9" });
    assert.deepEqual(watchers.item, {
      kind: "issue",
      ref: 9,
      subject: "Card declined shows blank page",
    });
    assert.equal(watchers.list, "watchers");
    assert.deepEqual(watchers.people, [
      { username: "alice", full_name: "Alice Example" },
      { username: "bob", full_name: "Bob Example" },
    ]);
    assert.equal(watchers.you, false);
    assert.equal(watchers.total, 2);
    assert.equal(watchers.has_more, false);

    const voters = await h.ok("list_followers", {
      ...p,
      kind: "issue",
      item: "#9",
      list: "voters",
    });
    assert.deepEqual((voters.people as Row[]).map((person) => person.username), ["bob"]);

    // Through the real actions: "you" follows the caller's own watch and vote.
    for (const [kind, item] of [["user_story", "#3"], ["task", "#7"], ["epic", "#1"]]) {
      assert.equal(
        (await h.ok("list_followers", { ...p, kind, item, list: "voters" })).total,
        0,
        `${kind} starts without voters`,
      );
      await h.ok("watch_item", { ...p, kind, item });
      await h.ok("vote_item", { ...p, kind, item });
      for (const list of ["watchers", "voters"]) {
        const listed = await h.ok("list_followers", { ...p, kind, item, list });
        assert.ok(
          (listed.people as Row[]).some((person) => person.username === "demo"),
          `${kind} ${list}`,
        );
        assert.equal(listed.you, true, `${kind} ${list}: you`);
      }
    }
    // Paging never cuts silently.
    const story = [...state.items.userstory.values()].find((s) => s.ref === 3)!;
    story.watchers.splice(0, story.watchers.length, 1, 2, 3);
    const first = await h.ok("list_followers", { ...p, kind: "user_story", item: "#3", limit: 2 });
    assert.equal(first.total, 3);
    assert.equal(first.returned, 2);
    assert.equal(first.next_page, 2);
    const second = await h.ok("list_followers", {
      ...p,
      kind: "user_story",
      item: "#3",
      limit: 2,
      page: 2,
    });
    assert.deepEqual((second.people as Row[]).map((person) => person.username), ["bob"]);
    const everyone = await h.ok("list_followers", {
      kind: "user_story",
      item: story.id,
      all: true,
    });
    assert.equal(everyone.returned, 3, "an id needs no project");
  } finally {
    await h.close();
  }
});

Deno.test("list_followers: unknown items, wrong kinds and bad lists are clear errors", async () => {
  const h = await startHarness({ tools });
  try {
    const before = JSON.stringify([...h.sandbox.state.items.issue.values()]);
    const missing = errorFacts(
      await h.call("list_followers", { ...p, kind: "issue", item: "#99" }),
    );
    assert.equal(missing.error_type, "not_found");
    assert.match(missing.message, /issue #99 in project demo-demo-project.*list_issues/);
    const wrongKind = errorFacts(
      await h.call("list_followers", { ...p, kind: "task", item: "#9" }),
    );
    assert.equal(wrongKind.error_type, "not_found", "#9 is an issue, not a task");
    assert.match(
      await h.fails("list_followers", { ...p, kind: "issue", item: "#9", list: "fans" }),
      /watchers.*voters|voters.*watchers/,
    );
    assert.match(
      await h.fails("list_followers", { kind: "issue", item: "#9" }),
      /needs the project/,
    );
    assert.equal(JSON.stringify([...h.sandbox.state.items.issue.values()]), before);
  } finally {
    await h.close();
  }
});
