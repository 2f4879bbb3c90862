/** Unit tests of name resolution (names, people, sprints, points, item references). */

import assert from "node:assert/strict";
import { metadataFromProject, type ProjectMetadata } from "../../src/domain/metadata.ts";
import {
  normaliseName,
  resolveAssignee,
  resolveNamed,
  resolvePoints,
  resolveSprint,
  resolveStatus,
  resolveUser,
} from "../../src/domain/names.ts";
import type { Session } from "../../src/sessions/store.ts";
import { InputError } from "../../src/taiga/errors.ts";
import { parseRef } from "../../src/taiga/reads.ts";

const META: ProjectMetadata = metadataFromProject({
  id: 7,
  slug: "jane-web",
  name: "Web",
  us_statuses: [
    { id: 11, name: "New", is_closed: false },
    { id: 12, name: "In progress", is_closed: false },
    { id: 13, name: "Done", is_closed: true },
  ],
  points: [
    { id: 1, name: "?", value: null },
    { id: 2, name: "1/2", value: 0.5 },
    { id: 3, name: "3", value: 3 },
    { id: 4, name: "5", value: 5 },
  ],
  roles: [
    { id: 31, name: "Front", computable: true },
    { id: 32, name: "Back", computable: true },
    { id: 33, name: "Product Owner", computable: false },
  ],
  members: [
    { id: 1, username: "demo", full_name_display: "Demo User", role: 33 },
    { id: 2, username: "alice", full_name_display: "Alice Example", role: 31 },
  ],
  milestones: [
    { id: 41, name: "Sprint 1", slug: "sprint-1", closed: true },
    { id: 42, name: "Sprint 2", slug: "sprint-2", closed: false },
  ],
  priorities: [{ id: 51, name: "Low" }, { id: 52, name: "High" }],
});

function inputErrorOf(fn: () => unknown): InputError {
  try {
    fn();
  } catch (error) {
    assert.ok(error instanceof InputError);
    assert.equal(error.type, "input");
    return error;
  }
  throw new Error("expected an input error");
}

Deno.test("resolveNamed: name (any case, dashes), slug, id; unknown lists the valid names", () => {
  assert.equal(normaliseName("  In_Progress "), "in progress");
  assert.equal(resolveNamed(META.priorities, "high", "priority").id, 52);
  assert.equal(resolveStatus(META, "userstory", "in-progress"), 12);
  assert.equal(resolveStatus(META, "userstory", 13), 13);
  assert.equal(resolveStatus(META, "userstory", "13"), 13);
  assert.equal(resolveNamed(META.sprints, "sprint-2", "sprint").id, 42);
  const error = inputErrorOf(() => resolveStatus(META, "userstory", "Finished"));
  assert.match(error.message, /Unknown user story status "Finished"/);
  assert.match(error.message, /New, In progress, Done/);
  assert.deepEqual(error.details?.valid, ["New", "In progress", "Done"]);
  assert.match(inputErrorOf(() => resolveStatus(META, "task", "New")).message, /\(none defined/);
});

Deno.test("resolveSprint: name, id, backlog/none/null", () => {
  assert.equal(resolveSprint(META, "SPRINT 2"), 42);
  assert.equal(resolveSprint(META, 41), 41);
  for (const none of ["backlog", "Backlog", "none", null]) {
    assert.equal(resolveSprint(META, none), null);
  }
  assert.match(inputErrorOf(() => resolveSprint(META, "Sprint 3")).message, /Sprint 1, Sprint 2/);
});

Deno.test("resolvePoints: role names with points names or values", () => {
  assert.deepEqual(resolvePoints(META, { front: "1/2", Back: 5 }), { "31": 2, "32": 4 });
  assert.deepEqual(resolvePoints(META, { Back: "3" }), { "32": 3 });
  const role = inputErrorOf(() => resolvePoints(META, { "Product Owner": "3" }));
  assert.match(role.message, /Valid role names: Front, Back\./);
  assert.match(inputErrorOf(() => resolvePoints(META, { Front: "7" })).message, /\?, 1\/2, 3, 5/);
});

Deno.test("parseRef: numbers are ids, #n refs, digits depend on the project, URLs", () => {
  assert.deepEqual(parseRef(1234, true), { id: 1234 });
  assert.deepEqual(parseRef("#12", false), { ref: 12 });
  assert.deepEqual(parseRef(" # 12 ", true), { ref: 12 });
  assert.deepEqual(parseRef("12", true), { ref: 12 });
  assert.deepEqual(parseRef("12", false), { id: 12 });
  assert.deepEqual(parseRef("ref 5", false), { ref: 5 });
  assert.deepEqual(
    parseRef("https://tree.taiga.io/project/jane-web/us/42?kanban-status=1", false),
    { project: "jane-web", ref: 42 },
  );
  for (const bad of ["twelve", "#", "0", -3, 1.5, ""]) {
    assert.match(inputErrorOf(() => parseRef(bad, true)).message, /not an item reference/);
  }
});

Deno.test("resolveUser: me, username, @username, full name, id; emails via memberships", async () => {
  const requests: string[] = [];
  const session = {
    user: { id: 1, username: "demo" },
    client: {
      get: (path: string, query: Record<string, unknown>) => {
        requests.push(`${path}?project=${query.project}`);
        return Promise.resolve([
          { user: 2, user_email: "Alice@Example.com" },
          { user: null, email: "invited@example.com" },
        ]);
      },
    },
  } as unknown as Session;
  assert.equal(await resolveUser(session, META, "me"), 1);
  assert.equal(await resolveUser(session, META, "ALICE"), 2);
  assert.equal(await resolveUser(session, META, "@alice"), 2);
  assert.equal(await resolveUser(session, META, "alice example"), 2);
  assert.equal(await resolveUser(session, META, 2), 2);
  assert.equal(await resolveUser(session, META, "2"), 2);
  assert.deepEqual(requests, [], "no request for names the metadata knows");
  assert.equal(await resolveUser(session, META, "alice@example.com"), 2);
  assert.deepEqual(requests, ["memberships?project=7"]);
  await assert.rejects(resolveUser(session, META, "invited@example.com"), /has not joined/);
  await assert.rejects(resolveUser(session, META, "nobody@example.com"), /only project admins/);
  await assert.rejects(resolveUser(session, META, "zed"), /Valid user names: me, demo, alice\./);
  await assert.rejects(resolveUser(session, META, 99), /Unknown user "99"/);
  assert.equal(await resolveAssignee(session, META, "none"), null);
  assert.equal(await resolveAssignee(session, META, null), null);
  assert.equal(await resolveAssignee(session, META, "me"), 1);
});
