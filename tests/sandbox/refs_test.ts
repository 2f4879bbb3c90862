import assert from "node:assert/strict";
import { withBed } from "./helpers.ts";

Deno.test("refs: one sequence per project shared by epics, stories, tasks and issues", async () => {
  await withBed(async ({ call }) => {
    const p = await call("POST", "/projects", { name: "Refs", description: "d" });
    assert.equal(p.status, 201);
    const project = p.body.id;
    const order: [string, number][] = [
      ["/epics", 1],
      ["/userstories", 2],
      ["/userstories", 3],
      ["/tasks", 4],
      ["/issues", 5],
      ["/tasks", 6],
      ["/issues", 7],
    ];
    for (const [path, ref] of order) {
      const r = await call("POST", path, { project, subject: `${path} ${ref}` });
      assert.equal(r.status, 201, path);
      assert.equal(r.body.ref, ref, path);
    }
    const other = await call("POST", "/projects", { name: "Other", description: "d" });
    const first = await call("POST", "/issues", { project: other.body.id, subject: "first" });
    assert.equal(first.body.ref, 1, "each project has its own sequence");
  });
});

Deno.test("by_ref for every kind, by project id or slug", async () => {
  await withBed(async ({ call }) => {
    const cases: [string, number, string][] = [
      ["epics", 1, "Checkout"],
      ["userstories", 3, "Pay with card"],
      ["tasks", 7, "Integrate card gateway"],
      ["issues", 9, "Card declined shows blank page"],
    ];
    for (const [plural, ref, subject] of cases) {
      const byId = await call("GET", `/${plural}/by_ref?ref=${ref}&project=1`);
      assert.equal(byId.status, 200, plural);
      assert.equal(byId.body.subject, subject);
      assert.ok("neighbors" in byId.body);
      const bySlug = await call(
        "GET",
        `/${plural}/by_ref?ref=${ref}&project__slug=demo-demo-project`,
      );
      assert.equal(bySlug.body.id, byId.body.id);
    }
  });
});

Deno.test("by_ref: not found → Django 404 body; missing params → bare JSON string", async () => {
  await withBed(async ({ call }) => {
    const models: [string, string][] = [
      ["userstories", "UserStory"],
      ["tasks", "Task"],
      ["issues", "Issue"],
      ["epics", "Epic"],
    ];
    for (const [plural, model] of models) {
      const r = await call("GET", `/${plural}/by_ref?ref=9999&project=1`);
      assert.equal(r.status, 404);
      assert.deepEqual(r.body, { _error_message: `No ${model} matches the given query.` });
    }
    const wrongKind = await call("GET", "/tasks/by_ref?ref=3&project=1");
    assert.equal(wrongKind.status, 404, "ref 3 is a story, not a task");
    const noRef = await call("GET", "/userstories/by_ref?project=1");
    assert.equal(noRef.status, 400);
    assert.equal(noRef.body, "ref param is needed");
    const noProject = await call("GET", "/userstories/by_ref?ref=3");
    assert.equal(noProject.body, "project or project__slug param is needed");
  });
});

Deno.test("deleted items answer 404 and their ref is not reused", async () => {
  await withBed(async ({ call }) => {
    const del = await call("DELETE", "/tasks/1");
    assert.equal(del.status, 204);
    assert.equal(del.text, "");
    const gone = await call("GET", "/tasks/1");
    assert.equal(gone.status, 404);
    assert.deepEqual(gone.body, { _error_message: "No Task matches the given query." });
    const next = await call("POST", "/tasks", { project: 1, subject: "new" });
    assert.equal(next.body.ref, 11);
  });
});
