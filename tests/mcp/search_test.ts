/** search_project through MCP → server → HTTP → sandbox, and its place in the default toolsets. */

import assert from "node:assert/strict";
import { selectTools } from "../../src/mcp/toolsets.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import { startHarness } from "../helpers/harness.ts";

const PROJECT = "demo-demo-project";

Deno.test("search_project: compact hits per kind with status names and counts", async () => {
  const h = await startHarness();
  try {
    const found = await h.ok("search_project", { project: PROJECT, text: "card" });
    assert.equal(found.project, PROJECT);
    assert.deepEqual(found.user_stories, [{ ref: 3, subject: "Pay with card", status: "New" }]);
    assert.deepEqual(found.tasks, [{ ref: 7, subject: "Integrate card gateway", status: "New" }]);
    assert.deepEqual(found.issues, [
      { ref: 9, subject: "Card declined shows blank page", status: "New" },
    ]);
    assert.deepEqual(found.epics, []);
    assert.deepEqual(found.counts, {
      user_stories: 1,
      tasks: 1,
      issues: 1,
      epics: 0,
      wiki_pages: 0,
      total: 3,
    });
    assert.equal(found.truncated, undefined);

    const email = await h.ok("search_project", { project: 1, text: "email" });
    assert.deepEqual(email.user_stories, [
      { ref: 4, subject: "Order confirmation email", status: "In progress" },
      { ref: 5, subject: "Sign up with email", status: "New" },
    ]);
    assert.deepEqual(email.tasks, [{ ref: 8, subject: "Write email template", status: "Closed" }]);

    const wiki = await h.ok("search_project", { project: PROJECT, text: "sandbox" });
    assert.deepEqual(wiki.wiki_pages, [{ slug: "home" }]);

    const cut = await h.ok("search_project", { project: PROJECT, text: "a", limit: 1 });
    assert.equal(cut.truncated, true);
    assert.equal((cut.user_stories as unknown[]).length, 1);
    assert.equal((cut.counts as Record<string, number>).user_stories, 4, "counts are not cut");

    assert.match(
      await h.fails("search_project", { project: PROJECT, text: "   " }),
      /text must not be empty/,
    );
    assert.match(
      await h.fails("search_project", { project: PROJECT, text: "x", limit: 0 }),
      /limit/,
    );
    assert.match(await h.fails("search_project", { project: "no-such", text: "x" }), /no-such/);
  } finally {
    await h.close();
  }
});

Deno.test("search_project is a default tool; the new toolsets are opt-in; default stays ≤ 40", () => {
  const defaults = selectTools(ALL_TOOLS, ["default"], false).map((tool) => tool.name);
  assert.ok(defaults.includes("search_project"));
  for (const name of ["list_members", "add_attachment", "set_custom_attributes"]) {
    assert.ok(!defaults.includes(name), `${name} is not in the default selection`);
  }
  assert.equal(defaults.length, 37);
  for (const set of ["members", "attachments", "custom_attributes"]) {
    assert.ok(selectTools(ALL_TOOLS, [set], false).length > 1, set);
  }
  const readOnly = selectTools(ALL_TOOLS, ["all"], true).map((tool) => tool.name);
  for (const name of ["search_project", "list_members", "list_attachments"]) {
    assert.ok(readOnly.includes(name), `${name} survives --read-only`);
  }
  for (const name of ["invite_member", "add_attachment", "set_custom_attributes"]) {
    assert.ok(!readOnly.includes(name), `${name} is hidden by --read-only`);
  }
  for (const tool of ALL_TOOLS.filter((t) => /^(remove_member|delete_attachment)$/.test(t.name))) {
    assert.equal(tool.annotations?.destructiveHint, true, tool.name);
  }
});
