/**
 * get_item_history and manage_comment through MCP → server → HTTP → sandbox: change lines with
 * names (not ids), comments and their state, paging, wiki pages; editing, deleting (asked
 * first) and restoring comments, and who may.
 */

import assert from "node:assert/strict";
import { type Harness, startHarness } from "../helpers/harness.ts";

const PROJECT = "demo-demo-project";
const p = { project: PROJECT };

type Row = Record<string, unknown>;

async function loginAs(h: Harness, username: string): Promise<string> {
  const login = await h.ok("login", { username, password: `${username}123` });
  return String(login.session_id);
}

function entriesOf(result: Row): Row[] {
  return result.entries as Row[];
}

Deno.test("get_item_history: who, when, field old → new with names, comments, paging", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    await h.ok("update_issue", {
      ...p,
      item: "#9",
      status: "In progress",
      assigned_to: "bob",
      tags: ["ui"],
    });
    await h.ok("add_comment", { ...p, kind: "issue", item: "#9", text: "Reproduced on staging." });
    const issue = await h.ok("get_item_history", { ...p, kind: "issue", item: "#9" });
    assert.deepEqual(issue.item, {
      kind: "issue",
      id: 1,
      ref: 9,
      subject: "Card declined shows blank page",
      project: PROJECT,
    });
    const [comment, change] = entriesOf(issue);
    assert.equal(issue.total, 2);
    assert.equal(comment.comment, "Reproduced on staging.");
    assert.equal(comment.by, "demo");
    assert.match(String(comment.comment_id), /^[0-9a-f-]{36}$/);
    assert.equal(change.by, "demo");
    assert.equal(change.comment_id, undefined, "only comments carry their id");
    assert.deepEqual(change.changes, [
      "status: New → In progress",
      "assigned to: alice → bob",
      "tags: +ui",
    ]);

    const comments = await h.ok("get_item_history", {
      ...p,
      kind: "issue",
      item: "#9",
      only: "comments",
    });
    assert.deepEqual(entriesOf(comments).map((e) => e.comment), ["Reproduced on staging."]);
    const changes = await h.ok("get_item_history", {
      ...p,
      kind: "issue",
      item: 1,
      only: "changes",
    });
    assert.equal(changes.total, 1);
    const paged = await h.ok("get_item_history", { ...p, kind: "issue", item: "#9", limit: 1 });
    assert.equal(paged.returned, 1);
    assert.equal(paged.has_more, true);
    assert.equal(paged.next_page, 2);
    const verbose = await h.ok("get_item_history", {
      ...p,
      kind: "issue",
      item: "#9",
      only: "changes",
      verbose: true,
    });
    assert.deepEqual((entriesOf(verbose)[0].values_diff as Row).status, ["New", "In progress"]);

    // A story: assignees by username (Taiga's diff has ids, its values_diff full names), points
    // per role, a long description summarised, and no board-order noise after a status change.
    await h.ok("update_user_story", {
      ...p,
      item: "#3",
      assigned_users: ["alice", "bob"],
      points: { Back: "3" },
      status: "Ready",
      description: "As a buyer I want to pay by card, with 3-D Secure and saved cards. ".repeat(3),
    });
    const story = await h.ok("get_item_history", { ...p, kind: "user_story", item: "#3" });
    const lines = entriesOf(story)[0].changes as string[];
    assert.ok(lines.includes("assigned: alice → alice, bob"), lines.join(" | "));
    assert.ok(lines.includes("points: Back ? → 3"), lines.join(" | "));
    assert.ok(lines.includes("status: New → Ready"), lines.join(" | "));
    assert.ok(lines.some((line) => /^description: edited \(\d+ → \d+ characters\)$/.test(line)));
    assert.ok(!lines.some((line) => line.includes("order")), lines.join(" | "));

    await h.ok("update_wiki_page", { ...p, page: "home", content: "# Demo\nShort." });
    const wiki = await h.ok("get_item_history", { ...p, kind: "wiki_page", item: "home" });
    assert.equal((wiki.item as Row).slug, "home");
    assert.ok((entriesOf(wiki)[0].changes as string[])[0].startsWith("content:"));

    await h.ok("update_epic", { ...p, item: "#1", subject: "Checkout v2" });
    const epic = await h.ok("get_item_history", { ...p, kind: "epic", item: "#1" });
    assert.deepEqual(entriesOf(epic)[0].changes, ["subject: Checkout → Checkout v2"]);
  } finally {
    await h.close();
  }
});

Deno.test("get_item_history: wrong items and kinds are clear errors", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    assert.match(
      await h.fails("get_item_history", { ...p, kind: "task", item: "#999" }),
      /no task #999/,
    );
    assert.match(
      await h.fails("get_item_history", { ...p, kind: "wiki_page", item: "nowhere" }),
      /No wiki page "nowhere"/,
    );
    assert.match(await h.fails("get_item_history", { ...p, kind: "bug", item: "#9" }), /kind/);
    assert.match(
      await h.fails("get_item_history", { kind: "issue", item: "#9" }),
      /needs the project/,
    );
    assert.match(
      await h.fails("get_item_history", { ...p, kind: "issue", item: "#9", comment_id: "nope" }),
      /no comment with id "nope".*get_item_history/s,
    );
  } finally {
    await h.close();
  }
});

/** The raw sandbox history entry of a comment, for before/after comparisons. */
function rawComment(h: Harness, id: string): Row {
  for (const entries of h.sandbox.state.history.values()) {
    const found = entries.find((entry) => entry.id === id);
    if (found) return structuredClone(found) as unknown as Row;
  }
  throw new Error(`no entry ${id}`);
}

Deno.test("manage_comment: edit with versions, delete asked first, undelete, and who may", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    const issue = { ...p, kind: "issue", item: "#9" };
    await h.ok("add_comment", { ...issue, text: "First take" });
    const alice = await loginAs(h, "alice");
    const bob = await loginAs(h, "bob");
    await loginAs(h, "demo"); // the newest login is the default session
    await h.ok("add_comment", { ...issue, text: "Alice was here", session_id: alice });
    const [aliceNote, mine] = entriesOf(
      await h.ok("get_item_history", { ...issue, only: "comments" }),
    ).map((entry) => String(entry.comment_id));

    // Edit: the author may; the earlier text is kept as a version.
    const edited = await h.ok("manage_comment", {
      ...issue,
      comment_id: mine,
      action: "edit",
      text: "Second take",
    });
    assert.equal(edited.changed, true);
    assert.deepEqual(
      { ...(edited.comment as Row), at: undefined },
      {
        comment_id: mine,
        by: "demo",
        at: undefined,
        text: "Second take",
        previous_text: "First take",
        deleted: false,
      },
    );
    const one = entriesOf(
      await h.ok("get_item_history", { ...issue, comment_id: mine }),
    )[0];
    assert.equal(one.comment, "Second take");
    assert.ok(one.edited);
    assert.deepEqual(one.versions, [{ text: "First take", by: "demo" }]);
    const same = await h.ok("manage_comment", {
      ...issue,
      comment_id: mine,
      action: "edit",
      text: "Second take",
    });
    assert.equal(same.changed, false, "the same text is not sent again");

    // Someone else's comment: bob is neither its author nor an admin — refused before anything
    // is asked or sent, and the rule is said.
    const before = rawComment(h, aliceNote);
    const refusals = [
      await h.fails("manage_comment", {
        ...issue,
        comment_id: aliceNote,
        action: "edit",
        text: "Bob was here",
        session_id: bob,
      }),
      await h.fails("manage_comment", {
        ...issue,
        comment_id: aliceNote,
        action: "delete",
        session_id: bob,
      }),
    ];
    for (const refusal of refusals) {
      assert.match(refusal, /Only its author \(alice\) or a project admin may/);
      assert.match(refusal, /you are bob/);
    }
    assert.deepEqual(rawComment(h, aliceNote), before);

    // An admin may delete anyone's comment, after asking (a 2025 test client cannot be asked).
    if (h.era === "2025") {
      assert.match(
        await h.fails("manage_comment", { ...issue, comment_id: aliceNote, action: "delete" }),
        /Delete alice's comment of \d{4}-\d{2}-\d{2} on issue #9 \("Alice was here"\)\?.*confirm: true/s,
      );
      assert.deepEqual(rawComment(h, aliceNote), before);
    }
    const deleted = await h.ok("manage_comment", {
      ...issue,
      comment_id: aliceNote,
      action: "delete",
      confirm: true,
    });
    assert.equal(deleted.changed, true);
    assert.equal((deleted.comment as Row).text, undefined);
    const listed = entriesOf(await h.ok("get_item_history", { ...issue, only: "comments" }))[0];
    assert.equal(listed.comment, undefined, "a deleted comment's text is hidden");
    assert.equal((listed.deleted as Row).by, "demo");
    const inList = ((await h.ok("list_comments", issue)).entries as Row[])
      .find((entry) => entry.deleted === true);
    assert.ok(inList && inList.text === undefined, "list_comments hides it too");
    const again = await h.ok("manage_comment", {
      ...issue,
      comment_id: aliceNote,
      action: "delete",
      confirm: true,
    });
    assert.equal(again.changed, false);
    assert.match(
      await h.fails("manage_comment", {
        ...issue,
        comment_id: aliceNote,
        action: "edit",
        text: "x",
      }),
      /undelete it first/,
    );

    // Undelete: whoever deleted it (demo) or an admin; not the author.
    assert.match(
      await h.fails("manage_comment", {
        ...issue,
        comment_id: aliceNote,
        action: "undelete",
        session_id: alice,
      }),
      /Only whoever deleted it \(demo\) or a project admin may undelete/,
    );
    const restored = await h.ok("manage_comment", {
      ...issue,
      comment_id: aliceNote,
      action: "undelete",
    });
    assert.equal(restored.changed, true);
    assert.equal((restored.comment as Row).text, "Alice was here");
    assert.equal(rawComment(h, aliceNote).delete_comment_date, null);
    const notDeleted = await h.ok("manage_comment", {
      ...issue,
      comment_id: aliceNote,
      action: "undelete",
      session_id: bob,
    });
    assert.equal(notDeleted.changed, false, "nothing to restore, for anyone");

    // Taiga's own refusal (rules of a newer Taiga, a role changed meanwhile) says the rule too.
    h.sandbox.faults.add({
      kind: "respond",
      status: 403,
      contentType: "application/json",
      body: JSON.stringify({
        _error_message: "You do not have permission to perform this action.",
      }),
      match: /^POST \/api\/v1\/history\/issue\/1\/edit_comment/,
    });
    assert.match(
      await h.fails("manage_comment", { ...issue, comment_id: mine, action: "edit", text: "y" }),
      /Taiga refused: Only its author \(demo\) or a project admin may edit this comment/,
    );

    // Wrong arguments change nothing.
    const state = rawComment(h, mine);
    assert.match(
      await h.fails("manage_comment", { ...issue, comment_id: mine, action: "edit" }),
      /needs "text"/,
    );
    assert.match(
      await h.fails("manage_comment", {
        ...issue,
        comment_id: mine,
        action: "delete",
        text: "x",
        confirm: true,
      }),
      /only for action "edit"/,
    );
    assert.match(
      await h.fails("manage_comment", { ...issue, comment_id: "missing", action: "undelete" }),
      /no comment with id "missing"/,
    );
    assert.deepEqual(rawComment(h, mine), state);
  } finally {
    await h.close();
  }
});
