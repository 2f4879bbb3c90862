import assert from "node:assert/strict";
import { selectTools } from "../../src/mcp/toolsets.ts";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import { startHarness } from "../helpers/harness.ts";

type Raw = Record<string, unknown>;

Deno.test("project admin: create, update, modules, delete with confirmation", async (t) => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    let slug = "";
    let id = 0;

    await t.step("create_project", async () => {
      const out = await h.ok("create_project", {
        name: "Admin Test",
        description: "Created by the admin tools test",
      });
      const project = out.project as Raw;
      assert.equal(project.name, "Admin Test");
      assert.equal(project.is_private, true);
      assert.match(String(project.slug), /^demo-admin-test/);
      slug = String(project.slug);
      id = project.id as number;
      assert.equal(h.sandbox.state.projects.get(id)?.owner, h.sandbox.state.findUser("demo")!.id);
    });

    await t.step("create_project without a description is refused, nothing created", async () => {
      const before = h.sandbox.state.projects.size;
      const text = await h.fails("create_project", { name: "No description" });
      assert.match(text, /description/);
      assert.equal(h.sandbox.state.projects.size, before);
    });

    await t.step("update_project patches only the given fields", async () => {
      const out = await h.ok("update_project", {
        project: slug,
        description: "Now public",
        is_private: false,
        tags: ["web", "relaunch"],
      });
      const project = out.project as Raw;
      assert.equal(project.description, "Now public");
      assert.equal(project.is_private, false);
      assert.equal(project.name, "Admin Test");
      const stored = h.sandbox.state.projects.get(id)!;
      assert.deepEqual(stored.tags, ["web", "relaunch"]);
      const nothing = await h.fails("update_project", { project: slug });
      assert.match(nothing, /Nothing to change/);
    });

    await t.step("set_project_modules turns modules on and off", async () => {
      const out = await h.ok("set_project_modules", {
        project: id,
        epics: true,
        kanban: true,
        wiki: false,
      });
      const modules = out.modules as string[];
      assert.ok(modules.includes("epics") && modules.includes("kanban"));
      assert.ok(!modules.includes("wiki"));
      const read = await h.ok("get_project", { project: slug });
      assert.deepEqual((read.project as Raw).modules, modules);
      const nothing = await h.fails("set_project_modules", { project: id });
      assert.match(nothing, /Nothing to change/);
    });

    await t.step("delete_project needs the slug confirmed", async () => {
      const wrong = await h.fails("delete_project", { project: id, confirm_slug: "other" });
      assert.match(wrong, /does not match/);
      assert.ok(h.sandbox.state.projects.has(id));
      const out = await h.ok("delete_project", { project: slug, confirm_slug: slug });
      assert.equal(out.deleted, true);
      assert.equal(h.sandbox.state.projects.has(id), false);
      const gone = await h.fails("get_project", { project: slug });
      assert.match(gone, /not_found/);
    });
  } finally {
    await h.close();
  }
});

Deno.test("toolsets: admin and wiki are opt-in, read-only hides writes, default stays ≤ 40", () => {
  const names = (list: { name: string }[]) => new Set(list.map((tool) => tool.name));
  const defaults = names(selectTools(ALL_TOOLS, ["default"], false));
  for (
    const name of ["list_milestones", "get_milestone", "create_milestone", "list_sprint_items"]
  ) {
    assert.ok(defaults.has(name), `${name} is in the default selection`);
  }
  for (const name of ["create_project", "delete_project", "list_wiki_pages", "update_wiki_page"]) {
    assert.ok(!defaults.has(name), `${name} is not in the default selection`);
  }
  assert.ok(defaults.size <= 40, `default selection has ${defaults.size} tools`);
  const all = names(selectTools(ALL_TOOLS, ["all"], false));
  assert.ok(all.has("set_project_modules") && all.has("delete_wiki_link"));
  const readOnly = names(selectTools(ALL_TOOLS, ["all"], true));
  assert.ok(readOnly.has("get_wiki_page") && readOnly.has("list_wiki_links"));
  for (
    const name of ["create_milestone", "delete_milestone", "update_project", "create_wiki_link"]
  ) {
    assert.ok(!readOnly.has(name), `${name} is hidden by --read-only`);
  }
});
