/** get_project_metadata through MCP → server → HTTP → sandbox, and the toolset budget of the item tools. */

import assert from "node:assert/strict";
import { selectTools, TOOLSETS } from "../../src/mcp/toolsets.ts";
import { commentTools } from "../../src/tools/comments.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import { itemTools } from "../../src/tools/items.ts";
import { metadataTools } from "../../src/tools/metadata_tool.ts";
import { startHarness } from "../helpers/harness.ts";

const PROJECT = "demo-demo-project";

Deno.test("get_project_metadata returns every name in one Taiga request", async () => {
  const h = await startHarness({ tools: ALL_TOOLS });
  try {
    h.sandbox.resetRequestCount();
    const meta = await h.ok("get_project_metadata", { project: PROJECT });
    assert.equal(h.sandbox.requestCount(), 1);
    assert.deepEqual(meta.project, { id: 1, slug: PROJECT, name: "Demo Project" });
    const statuses = meta.statuses as Record<string, Array<Record<string, unknown>>>;
    assert.deepEqual(statuses.userstory.map((s) => s.name), [
      "New",
      "Ready",
      "In progress",
      "Ready for test",
      "Done",
      "Archived",
    ]);
    assert.deepEqual(statuses.userstory.filter((s) => s.closed).map((s) => s.name), [
      "Done",
      "Archived",
    ]);
    assert.equal(statuses.issue.length, 7);
    assert.deepEqual(
      (meta.priorities as Array<{ name: string }>).map((p) => p.name),
      ["Low", "Normal", "High"],
    );
    assert.deepEqual(
      (meta.issue_types as Array<{ name: string }>).map((p) => p.name),
      ["Bug", "Question", "Enhancement"],
    );
    assert.equal((meta.severities as unknown[]).length, 5);
    assert.equal((meta.points as unknown[]).length, 12);
    assert.deepEqual(meta.estimating_roles, ["UX", "Design", "Front", "Back"]);
    assert.deepEqual(meta.members, [
      { username: "demo", full_name: "Demo User", role: "Product Owner" },
      { username: "alice", full_name: "Alice Example", role: "Front" },
      { username: "bob", full_name: "Bob Example", role: "Back" },
    ]);
    assert.deepEqual(meta.sprints, [{ id: 1, name: "Sprint 1" }]);
    assert.deepEqual((meta.tags as string[]).sort(), ["accounts", "payments"]);
    assert.deepEqual(meta.defaults, {
      epic_status: "New",
      userstory_status: "New",
      task_status: "New",
      issue_status: "New",
      points: "?",
      priority: "Normal",
      severity: "Normal",
      issue_type: "Bug",
    });
    const size = JSON.stringify(meta).length;
    assert.ok(size < 4000, `compact metadata is ${size} bytes`);

    h.sandbox.resetRequestCount();
    await h.ok("get_project_metadata", { project: 1 });
    assert.equal(h.sandbox.requestCount(), 0, "cached by id as well as slug");

    await h.ok("create_task", { project: PROJECT, subject: "Tagged", tags: ["fresh-tag"] });
    const after = await h.ok("get_project_metadata", { project: PROJECT });
    assert.ok((after.tags as string[]).includes("fresh-tag"), "our new tag invalidated the cache");

    h.sandbox.state.projects.get(1)!.tags_colors["outside-tag"] = null;
    h.sandbox.resetRequestCount();
    const refreshed = await h.ok("get_project_metadata", { project: PROJECT, refresh: true });
    assert.ok((refreshed.tags as string[]).includes("outside-tag"));
    assert.equal(h.sandbox.requestCount(), 1, "refresh reads the project again");

    assert.match(await h.fails("get_project_metadata", { project: "no-such" }), /no-such/);
  } finally {
    await h.close();
  }
});

Deno.test("item tools: names, toolsets, annotations and the default budget", () => {
  const mine = [...metadataTools, ...itemTools, ...commentTools];
  const names = mine.map((tool) => tool.name);
  assert.equal(new Set(names).size, names.length, "no duplicate names");
  for (const kind of ["user_story", "task", "issue", "epic"]) {
    const plural = kind === "user_story" ? "user_stories" : `${kind}s`;
    for (
      const tool of [
        `list_${plural}`,
        `get_${kind}`,
        `create_${kind}`,
        `update_${kind}`,
        `delete_${kind}`,
      ]
    ) {
      assert.ok(names.includes(tool), tool);
    }
  }
  for (const tool of mine) {
    assert.ok(
      tool.toolset in TOOLSETS,
      `${tool.name}: toolset "${tool.toolset}" is not in TOOLSETS`,
    );
    assert.ok(Object.keys(tool.output()).length > 0, `${tool.name} has an output schema`);
    if (tool.name.startsWith("delete_")) assert.equal(tool.annotations?.destructiveHint, true);
    if (/^(list|get)_/.test(tool.name)) assert.equal(tool.readOnly, true, tool.name);
    else assert.equal(tool.readOnly, false, tool.name);
  }
  const defaults = selectTools(ALL_TOOLS, ["default"], false);
  assert.ok(defaults.length <= 40, `default selection has ${defaults.length} tools`);
  const all = selectTools(ALL_TOOLS, ["all"], false);
  assert.equal(all.length, ALL_TOOLS.length, "all exposes every tool");
  const readOnly = selectTools(ALL_TOOLS, ["all"], true).map((tool) => tool.name);
  assert.ok(readOnly.includes("list_user_stories") && !readOnly.includes("create_user_story"));
});
