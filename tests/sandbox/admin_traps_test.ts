/**
 * Administration behaviours of the sandbox beyond the recorded samples (taiga-back 6.10
 * read for the rules): value-list deletes, swimlane delete rules, tag errors, role deletes,
 * bulk invitations and webhooks with their logs.
 */

import assert from "node:assert/strict";
import { login, type TestBed, withBed } from "./helpers.ts";

const BAD = (message: string) => ({
  _error_message: message,
  _error_type: "taiga.base.exceptions.BadRequest",
});

Deno.test("value lists: moveTo is checked first, then re-points items and the default", async () => {
  await withBed(async ({ call, sandbox }) => {
    assert.deepEqual(
      (await call("DELETE", "/priorities/999999")).body,
      BAD("Query param 'moveTo' is required"),
    );
    const missing = await call("DELETE", "/priorities/1?moveTo=999999");
    assert.deepEqual(missing.body, { _error_message: "No Priority matches the given query." });
    const project = sandbox.state.projects.get(1)!;
    const high = sandbox.state.settingsOf("priority", 1).find((p) => p.name === "High")!;
    const normal = project.default_priority!;
    assert.equal((await call("DELETE", `/priorities/${normal}?moveTo=${high.id}`)).status, 204);
    assert.equal(project.default_priority, high.id, "the default follows");
    assert.ok([...sandbox.state.items.issue.values()].every((i) => i.priority === high.id));
    const noKey = await call("POST", "/priorities/bulk_update_order", { project: 1 });
    assert.deepEqual(noKey.body, BAD("'bulk_priorities' parameter is mandatory"));
    const dup = await call("POST", "/priorities", { project: 1, name: "High" });
    assert.deepEqual(dup.body, { name: ["Duplicated name"] });
    const unknown = await call("PATCH", "/priorities/999999", { name: "x" });
    assert.deepEqual([unknown.status, unknown.body], [404, { _error_message: "" }]);
  });
});

async function lane(call: TestBed["call"], name: string): Promise<number> {
  return (await call("POST", "/swimlanes", { project: 1, name })).body.id;
}

Deno.test("swimlanes: no moveTo only for the last one; the default goes last", async () => {
  await withBed(async ({ call, sandbox }) => {
    const a = await lane(call, "A");
    const b = await lane(call, "B");
    assert.equal(
      sandbox.state.projects.get(1)!.default_swimlane,
      a,
      "the first one is the default",
    );
    const noMove = await call("DELETE", `/swimlanes/${b}`);
    assert.deepEqual(
      noMove.body,
      BAD("Cannot set swimlane to None if there are available swimlanes"),
    );
    const defaultOne = await call("DELETE", `/swimlanes/${a}?moveTo=${b}`);
    assert.deepEqual(defaultOne.body, BAD("The default swimlane cannot be deleted."));
    assert.equal((await call("DELETE", `/swimlanes/${b}?moveTo=${a}`)).status, 204);
    assert.equal((await call("DELETE", `/swimlanes/${a}`)).status, 204);
    const stories = [...sandbox.state.items.userstory.values()].filter((u) => u.project === 1);
    assert.ok(stories.every((u) => u.swimlane === null));
    assert.equal(sandbox.state.projects.get(1)!.default_swimlane, null);
  });
});

Deno.test("tags: to change only the colour omit to_tag; a mix target must exist", async () => {
  await withBed(async ({ call, sandbox }) => {
    const tag = (action: string, body: object) => call("POST", `/projects/1/${action}`, body);
    const same = await tag("edit_tag", {
      from_tag: "payments",
      to_tag: "payments",
      color: "#FFFFFF",
    });
    assert.deepEqual(same.body, { to_tag: ["This tag already exists."] });
    assert.equal((await tag("edit_tag", { from_tag: "payments", color: "#FFFFFF" })).status, 200);
    assert.equal(sandbox.state.projects.get(1)!.tags_colors.payments, "#FFFFFF");
    assert.deepEqual((await tag("create_tag", { tag: "x", color: "red" })).body, {
      color: ["The color is not a valid HEX color."],
    });
    const mix = await tag("mix_tags", { from_tags: ["payments"], to_tag: "nope" });
    assert.deepEqual(mix.body, { to_tag: ["The tag doesn't exist."] });
    const before = (await call("GET", "/userstories/1")).body.version;
    assert.equal((await tag("mix_tags", { from_tags: ["payments"], to_tag: "accounts" })).text, "");
    const story = (await call("GET", "/userstories/1")).body;
    assert.deepEqual([story.tags, story.version], [[["accounts", null]], before]);
  });
});

Deno.test("roles: delete without moveTo drops the members and the role's points", async () => {
  await withBed(async ({ call, sandbox }) => {
    const front = sandbox.state.rolesOf(1).find((r) => r.name === "Front")!;
    assert.ok(String(front.id) in sandbox.state.items.userstory.get(1)!.points);
    assert.equal((await call("DELETE", `/roles/${front.id}`)).status, 204);
    assert.equal(sandbox.state.membershipOf(2, 1), undefined, "alice (Front) lost access");
    assert.ok(!(String(front.id) in sandbox.state.items.userstory.get(1)!.points));
    const qa = await call("POST", "/roles", { project: 1, name: "QA" });
    assert.deepEqual([qa.body.order, qa.body.slug, qa.body.computable], [10, "qa", true]);
    assert.ok(
      String(qa.body.id) in sandbox.state.items.userstory.get(1)!.points,
      "a computable role gets points",
    );
    const renamed = await call("PATCH", `/roles/${qa.body.id}`, { name: "Quality" });
    assert.equal(renamed.body.slug, "qa", "the slug stays");
  });
});

Deno.test("memberships bulk_create: contacts only; email invitations; clean 400s", async () => {
  await withBed(async ({ call, sandbox }) => {
    const ux = sandbox.state.rolesOf(1).find((r) => r.name === "UX")!.id;
    const bulk = (rows: object[]) =>
      call("POST", "/memberships/bulk_create", { project_id: 1, bulk_memberships: rows });
    const stranger = await bulk([{ role_id: ux, username: "nobody" }]);
    assert.deepEqual(stranger.body, {
      bulk_memberships: [{ username: ["The user must be a valid contact"] }],
    });
    const twice = await bulk([{ role_id: ux, username: "a@x.io" }, {
      role_id: ux,
      username: "a@x.io",
    }]);
    assert.deepEqual(twice.body, {
      bulk_memberships: ["You are attempting to invite the same email address multiple times."],
    });
    const invited = await bulk([{ role_id: ux, username: "a@x.io" }]);
    assert.deepEqual([invited.status, invited.body[0].user, invited.body[0].email], [
      200,
      null,
      "a@x.io",
    ]);
    const again = await bulk([{ role_id: ux, username: "a@x.io" }]);
    assert.deepEqual(again.body, {
      bulk_memberships: ["The user with this email address is already added to the project."],
    });
    const member = await bulk([{ role_id: ux, username: "alice" }]);
    assert.deepEqual([member.status, member.headers.get("content-type")], [500, "text/html"]);
  });
});

Deno.test("webhooks: CRUD, test and resend log without sending; admins only", async () => {
  await withBed(async ({ call, sandbox }) => {
    const created = await call("POST", "/webhooks", {
      project: 1,
      name: "CI",
      url: "https://hooks.example.com/taiga",
      key: "secret",
    });
    assert.equal(created.status, 201);
    const id = created.body.id;
    const test = await call("POST", `/webhooks/${id}/test`);
    assert.equal(test.status, 200);
    assert.deepEqual([test.body.status, test.body.request_data.action], [0, "test"]);
    assert.equal(test.body.response_data, "error-in-request: Host access error");
    const logs = await call("GET", `/webhooklogs?webhook=${id}`);
    assert.equal(logs.body.length, 1);
    const resent = await call("POST", `/webhooklogs/${logs.body[0].id}/resend`);
    assert.deepEqual(resent.body.request_data, test.body.request_data);
    for (let i = 0; i < 12; i++) await call("POST", `/webhooks/${id}/test`);
    assert.equal(
      (await call("GET", `/webhooks/${id}`)).body.logs_counter,
      10,
      "the last ten are kept",
    );
    const { token } = await login(sandbox, "alice", "alice123");
    const asAlice = { auth: `Bearer ${token}` };
    assert.deepEqual((await call("GET", "/webhooks?project=1", undefined, asAlice)).body, []);
    assert.equal((await call("POST", `/webhooks/${id}/test`, undefined, asAlice)).status, 403);
    const local = await call("POST", "/webhooks", {
      project: 1,
      name: "x",
      url: "http://10.0.0.1/",
      key: "k",
    });
    assert.deepEqual(local.body, { url: ["Invalid value."] });
  });
});
