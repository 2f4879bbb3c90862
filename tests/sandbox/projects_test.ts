import assert from "node:assert/strict";
import { withBed } from "./helpers.ts";

Deno.test("POST /projects: 201, template defaults, owner as admin, unique slug", async () => {
  await withBed(async ({ call }) => {
    const r = await call("POST", "/projects", { name: "My Shop!", description: "d" });
    assert.equal(r.status, 201);
    assert.equal(r.body.slug, "demo-my-shop");
    assert.equal(r.body.is_private, true);
    assert.deepEqual(r.body.us_statuses.map((s: { name: string }) => s.name), [
      "New",
      "Ready",
      "In progress",
      "Ready for test",
      "Done",
      "Archived",
    ]);
    assert.deepEqual(r.body.task_statuses.map((s: { name: string }) => s.name), [
      "New",
      "In progress",
      "Ready for test",
      "Closed",
      "Needs Info",
    ]);
    assert.equal(r.body.issue_statuses.length, 7);
    assert.equal(r.body.epic_statuses.length, 5);
    assert.deepEqual(r.body.points.map((p: { name: string }) => p.name), [
      "?",
      "0",
      "1/2",
      "1",
      "2",
      "3",
      "5",
      "8",
      "10",
      "13",
      "20",
      "40",
    ]);
    assert.deepEqual(r.body.roles.map((x: { name: string }) => x.name), [
      "UX",
      "Design",
      "Front",
      "Back",
      "Product Owner",
      "Stakeholder",
    ]);
    const byName = (list: { id: number; name: string }[], name: string) =>
      list.find((x) => x.name === name)!.id;
    assert.equal(r.body.default_priority, byName(r.body.priorities, "Normal"));
    assert.equal(r.body.default_severity, byName(r.body.severities, "Normal"));
    assert.equal(r.body.default_issue_type, byName(r.body.issue_types, "Bug"));
    assert.equal(r.body.default_points, byName(r.body.points, "?"));
    assert.equal(r.body.default_us_status, byName(r.body.us_statuses, "New"));
    assert.equal(r.body.i_am_owner, true);
    assert.equal(r.body.i_am_admin, true);
    assert.equal(r.body.members[0].role_name, "Product Owner");
    const again = await call("POST", "/projects", { name: "My Shop!", description: "d" });
    assert.equal(again.body.slug, "demo-my-shop-1");
  });
});

Deno.test("POST /projects: name and description required; anonymous 401", async () => {
  await withBed(async ({ call }) => {
    const r = await call("POST", "/projects", {});
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, {
      name: ["This field is required."],
      description: ["This field is required."],
    });
    const anon = await call("POST", "/projects", { name: "x", description: "y" }, { auth: null });
    assert.equal(anon.status, 401);
  });
});

Deno.test("projects: list shape has member ids, filters, PATCH, modules, DELETE", async () => {
  await withBed(async ({ call }) => {
    const list = await call("GET", "/projects?member=2");
    assert.equal(list.body.length, 1);
    assert.deepEqual(list.body[0].members, [1, 2, 3]);
    assert.equal("us_statuses" in list.body[0], false);
    assert.equal((await call("GET", "/projects?member=99")).body.length, 0);
    const patched = await call("PATCH", "/projects/1", {
      is_kanban_activated: true,
      name: "Renamed",
    });
    assert.equal(patched.status, 200);
    assert.equal(patched.body.is_kanban_activated, true);
    assert.equal(patched.body.name, "Renamed");
    assert.equal(patched.body.slug, "demo-demo-project", "the slug stays");
    assert.deepEqual((await call("GET", "/projects/1/modules")).body, {});
    assert.equal(
      (await call("PATCH", "/projects/1/modules", { github: { secret: "s" } })).status,
      204,
    );
    assert.deepEqual((await call("GET", "/projects/1/modules")).body, { github: { secret: "s" } });
    const bob = await call("POST", "/auth", {
      type: "normal",
      username: "bob",
      password: "bob123",
    });
    const asBob = { auth: `Bearer ${bob.body.auth_token}` };
    assert.equal((await call("PATCH", "/projects/1", { name: "x" }, asBob)).status, 403);
    assert.equal((await call("DELETE", "/projects/1", undefined, asBob)).status, 403);
    assert.equal((await call("DELETE", "/projects/1")).status, 204);
    assert.equal((await call("GET", "/projects/1")).status, 404);
    assert.equal((await call("GET", "/userstories?project=1")).body.length, 0);
  });
});

Deno.test("projects/by_slug: 200, and 404 with an empty message when unknown", async () => {
  await withBed(async ({ call }) => {
    assert.equal((await call("GET", "/projects/by_slug?slug=demo-demo-project")).body.id, 1);
    const r = await call("GET", "/projects/by_slug?slug=nope");
    assert.equal(r.status, 404);
    assert.deepEqual(r.body, { _error_message: "" });
    const anon = await call("GET", "/projects/by_slug?slug=demo-demo-project", undefined, {
      auth: null,
    });
    assert.equal(anon.status, 404, "by_slug hides private projects with a 404");
  });
});

Deno.test("public projects are visible anonymously; writes still need a member", async () => {
  await withBed(async ({ call }) => {
    const p = await call("POST", "/projects", {
      name: "Open",
      description: "d",
      is_private: false,
    });
    assert.equal(p.body.anon_permissions.includes("view_us"), true);
    const anon = await call("GET", `/projects/${p.body.id}`, undefined, { auth: null });
    assert.equal(anon.status, 200);
    const write = await call("POST", "/userstories", { project: p.body.id, subject: "x" }, {
      auth: null,
    });
    assert.equal(write.status, 401);
  });
});

Deno.test("settings: statuses CRUD, DELETE needs moveTo, memberships by username", async () => {
  await withBed(async ({ call }) => {
    const created = await call("POST", "/userstory-statuses", { project: 1, name: "Blocked" });
    assert.equal(created.status, 201);
    assert.equal(created.body.slug, "blocked");
    assert.equal(created.body.order, 10, "the model default, whatever the others are");
    const noMove = await call("DELETE", `/userstory-statuses/${created.body.id}`);
    assert.equal(noMove.status, 400);
    await call("PATCH", "/userstories/1", { status: created.body.id, version: 1 });
    const del = await call("DELETE", `/userstory-statuses/${created.body.id}?moveTo=2`);
    assert.equal(del.status, 204);
    assert.equal((await call("GET", "/userstories/1")).body.status, 2, "items moved");
    const other = await call("POST", "/projects", { name: "Team", description: "d" });
    const roles = await call("GET", `/roles?project=${other.body.id}`);
    const m = await call("POST", "/memberships", {
      project: other.body.id,
      role: roles.body[0].id,
      username: "alice",
    });
    assert.equal(m.status, 201);
    assert.equal(m.body.user, 2);
    assert.equal(m.body.role_name, "UX");
    const invite = await call("POST", "/memberships", {
      project: other.body.id,
      role: roles.body[0].id,
      username: "new@example.com",
    });
    assert.equal(invite.body.user, null);
    const dup = await call("POST", "/memberships", {
      project: other.body.id,
      role: roles.body[0].id,
      username: "alice",
    });
    assert.equal(dup.status, 400);
  });
});
