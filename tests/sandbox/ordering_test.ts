/**
 * `order_by` as taiga-back's OrderByFilterMixin: whitelisted fields only (others silently
 * ignored), `-` for descending, ties by id descending, NULLs last ascending and first
 * descending, foreign keys by the related model's ordering.
 */

import assert from "node:assert/strict";
import { type Reply, withBed } from "./helpers.ts";

const ids = (r: Reply) => (r.body as { id: number }[]).map((i) => i.id);

Deno.test("order_by: user stories sort by whitelisted fields only", async () => {
  await withBed(async ({ call }) => {
    const us = (order: string) => call("GET", `/userstories?project=1&order_by=${order}`);
    const byDefault = ids(await call("GET", "/userstories?project=1"));
    assert.deepEqual(byDefault, [1, 2, 3, 4], "default: backlog order");
    // "Order confirmation email" < "Password reset" < "Pay with card" < "Sign up with email"
    assert.deepEqual(ids(await us("subject")), [2, 4, 1, 3]);
    assert.deepEqual(ids(await us("-subject")), [3, 1, 4, 2]);
    for (const ignored of ["ref", "-ref", "total_points", "colour", "subject,ref", "-"]) {
      assert.deepEqual(ids(await us(ignored)), byDefault, `${ignored} is ignored`);
    }
  });
});

Deno.test("order_by: ties by -id, NULLs last ascending and first descending", async () => {
  await withBed(async ({ call }) => {
    const us = (order: string) => call("GET", `/userstories?project=1&order_by=${order}`);
    // Stories 1 and 2 are in Sprint 1, 3 and 4 in the backlog (milestone NULL).
    assert.deepEqual(ids(await us("milestone")), [2, 1, 4, 3]);
    assert.deepEqual(ids(await us("-milestone")), [4, 3, 2, 1]);
    // Only story 1 is assigned (to alice); the others have no assignee.
    assert.deepEqual(ids(await us("assigned_to")), [1, 4, 3, 2]);
    assert.deepEqual(ids(await us("-assigned_to")), [4, 3, 2, 1]);
    // Status sorts by the status's order: New (1, 3, 4) before In progress (2).
    assert.deepEqual(ids(await us("status")), [4, 3, 1, 2]);
    assert.deepEqual(ids(await us("-status")), [2, 4, 3, 1]);
  });
});

Deno.test("order_by: epic_order follows the relation order of the first ?epic=", async () => {
  await withBed(async ({ call }) => {
    const r = await call("POST", "/epics/1/related_userstories", {
      epic: 1,
      user_story: 4,
      order: 0,
    });
    assert.equal(r.status, 201);
    const list = await call("GET", "/userstories?project=1&epic=1&order_by=epic_order");
    assert.deepEqual(ids(list), [4, 1]);
    const desc = await call("GET", "/userstories?project=1&epic=1&order_by=-epic_order");
    assert.deepEqual(ids(desc), [1, 4]);
  });
});

Deno.test("order_by: issues, tasks and epics have their own whitelists", async () => {
  await withBed(async ({ call }) => {
    const list = (path: string) => call("GET", `${path}?project=1`);
    assert.deepEqual(ids(await list("/issues")), [2, 1], "issues: newest first by default");
    const issues = (order: string) => call("GET", `/issues?project=1&order_by=${order}`);
    assert.deepEqual(ids(await issues("ref")), [1, 2]);
    assert.deepEqual(ids(await issues("-priority")), [1, 2], "High before Normal");
    assert.deepEqual(ids(await issues("priority")), [2, 1]);
    assert.deepEqual(ids(await issues("backlog_order")), [2, 1], "not an issue field: ignored");

    const tasks = (order: string) => call("GET", `/tasks?project=1&order_by=${order}`);
    assert.deepEqual(ids(await list("/tasks")), [1, 2]);
    assert.deepEqual(ids(await tasks("-subject")), [2, 1]);
    assert.deepEqual(ids(await tasks("-us_order")), [2, 1]);
    assert.deepEqual(ids(await tasks("-taskboard_order")), [1, 2], "not whitelisted: ignored");

    // EpicViewSet has no order_by_fields at all: every order_by is ignored.
    const epics = (order: string) => call("GET", `/epics?project=1&order_by=${order}`);
    assert.deepEqual(ids(await list("/epics")), [1, 2]);
    for (const order of ["-subject", "-epics_order", "-created_date", "-id"]) {
      assert.deepEqual(ids(await epics(order)), [1, 2], order);
    }
  });
});
