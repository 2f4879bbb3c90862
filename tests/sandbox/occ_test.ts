import assert from "node:assert/strict";
import { type TestBed, withBed } from "./helpers.ts";

const NOT_VALID = { version: "The version parameter is not valid" };
const NO_MATCH = { version: "The version doesn't match with the current one" };

async function newStory(bed: TestBed): Promise<{ id: number; version: number }> {
  const r = await bed.call("POST", "/userstories", { project: 1, subject: "OCC story" });
  assert.equal(r.status, 201);
  assert.equal(r.body.version, 1);
  return r.body;
}

Deno.test("OCC: missing, null, negative or too-high version → not valid", async () => {
  await withBed(async (bed) => {
    const us = await newStory(bed);
    for (const body of [{}, { version: null }, { version: -1 }, { version: 2 }]) {
      const r = await bed.call("PATCH", `/userstories/${us.id}`, { subject: "x", ...body });
      assert.equal(r.status, 400, JSON.stringify(body));
      assert.deepEqual(r.body, NOT_VALID);
    }
  });
});

Deno.test("OCC: a non-integer version → validator error list", async () => {
  await withBed(async (bed) => {
    const us = await newStory(bed);
    for (const version of ["abc", 1.5, true]) {
      const r = await bed.call("PATCH", `/userstories/${us.id}`, { subject: "x", version });
      assert.equal(r.status, 400, String(version));
      assert.deepEqual(r.body, { version: ["Enter a whole number."] });
    }
    const asString = await bed.call("PATCH", `/userstories/${us.id}`, {
      subject: "y",
      version: "1",
    });
    assert.equal(asString.status, 200, "an integer string is an integer");
  });
});

Deno.test("OCC: the right version → 200 and version + 1", async () => {
  await withBed(async (bed) => {
    const us = await newStory(bed);
    const r = await bed.call("PATCH", `/userstories/${us.id}`, { subject: "v2", version: 1 });
    assert.equal(r.status, 200);
    assert.equal(r.body.version, 2);
    assert.equal(r.body.subject, "v2");
    const again = await bed.call("GET", `/userstories/${us.id}`);
    assert.equal(again.body.version, 2);
  });
});

Deno.test("OCC: stale version touching a field changed since → doesn't match", async () => {
  await withBed(async (bed) => {
    const us = await newStory(bed);
    await bed.call("PATCH", `/userstories/${us.id}`, { subject: "v2", version: 1 });
    const r = await bed.call("PATCH", `/userstories/${us.id}`, { subject: "v3", version: 1 });
    assert.equal(r.status, 400);
    assert.deepEqual(r.body, NO_MATCH);
    const unchanged = await bed.call("GET", `/userstories/${us.id}`);
    assert.equal(unchanged.body.subject, "v2");
    assert.equal(unchanged.body.version, 2);
  });
});

Deno.test("OCC: stale version touching only unchanged fields → accepted", async () => {
  await withBed(async (bed) => {
    const us = await newStory(bed);
    await bed.call("PATCH", `/userstories/${us.id}`, { subject: "v2", version: 1 });
    const r = await bed.call("PATCH", `/userstories/${us.id}`, {
      description: "other field",
      version: 1,
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.version, 3);
    assert.equal(r.body.subject, "v2");
    assert.equal(r.body.description, "other field");
    // Now both fields changed since version 1: either one conflicts.
    const conflict = await bed.call("PATCH", `/userstories/${us.id}`, {
      description: "again",
      version: 2,
    });
    assert.deepEqual(conflict.body, NO_MATCH);
    const ok = await bed.call("PATCH", `/userstories/${us.id}`, { tags: ["t"], version: 1 });
    assert.equal(ok.status, 200);
  });
});

Deno.test("OCC: a change that sets the same value does not count as a change", async () => {
  await withBed(async (bed) => {
    const us = await newStory(bed);
    await bed.call("PATCH", `/userstories/${us.id}`, { subject: "OCC story", version: 1 });
    const r = await bed.call("PATCH", `/userstories/${us.id}`, { subject: "new", version: 1 });
    assert.equal(r.status, 200);
  });
});

Deno.test("comments: PATCH comment+version adds history, bumps version, reads back ''", async () => {
  await withBed(async (bed) => {
    const us = await newStory(bed);
    const r = await bed.call("PATCH", `/userstories/${us.id}`, {
      comment: "Looks good",
      version: 1,
    });
    assert.equal(r.status, 200);
    assert.equal(r.body.version, 2);
    assert.equal(r.body.comment, "");
    assert.equal(r.body.total_comments, 1);
    const comments = await bed.call("GET", `/history/userstory/${us.id}?type=comment`);
    assert.equal(comments.body.length, 1);
    assert.equal(comments.body[0].comment, "Looks good");
    assert.equal(comments.body[0].comment_html, "<p>Looks good</p>");
    assert.equal(comments.body[0].type, 1);
    assert.equal(comments.body[0].key, `userstories.userstory:${us.id}`);
    const stale = await bed.call("PATCH", `/userstories/${us.id}`, {
      comment: "A stale comment never conflicts",
      version: 1,
    });
    assert.equal(stale.status, 200);
    const noVersion = await bed.call("PATCH", `/userstories/${us.id}`, { comment: "x" });
    assert.deepEqual(noVersion.body, NOT_VALID);
  });
});

Deno.test("history: newest first, activity vs comment, paginated", async () => {
  await withBed(async (bed) => {
    const us = await newStory(bed);
    await bed.call("PATCH", `/userstories/${us.id}`, { subject: "changed", version: 1 });
    await bed.call("PATCH", `/userstories/${us.id}`, { comment: "hello", version: 2 });
    const all = await bed.call("GET", `/history/userstory/${us.id}`);
    assert.equal(all.body.length, 2);
    assert.equal(all.body[0].comment, "hello");
    assert.deepEqual(all.body[1].diff, { subject: ["OCC story", "changed"] });
    const activity = await bed.call("GET", `/history/userstory/${us.id}?type=activity`);
    assert.equal(activity.body.length, 1);
    assert.equal(activity.body[0].comment, "");
    assert.equal(all.headers.get("x-pagination-count"), "2");
  });
});

Deno.test("OCC applies the same way to tasks, issues, epics and wiki pages", async () => {
  await withBed(async (bed) => {
    for (const path of ["/tasks/1", "/issues/1", "/epics/1", "/wiki/1"]) {
      const field = path.startsWith("/wiki") ? "content" : "subject";
      const none = await bed.call("PATCH", path, { [field]: "a" });
      assert.deepEqual(none.body, NOT_VALID, path);
      const ok = await bed.call("PATCH", path, { [field]: "a", version: 1 });
      assert.equal(ok.status, 200, path);
      assert.equal(ok.body.version, 2, path);
      const stale = await bed.call("PATCH", path, { [field]: "b", version: 1 });
      assert.deepEqual(stale.body, NO_MATCH, path);
    }
  });
});

Deno.test("custom attribute values have their own version", async () => {
  await withBed(async (bed) => {
    const attr = await bed.call("POST", "/userstory-custom-attributes", {
      project: 1,
      name: "Customer",
    });
    assert.equal(attr.status, 201);
    const v = await bed.call("GET", "/userstories/custom-attributes-values/1");
    assert.deepEqual(v.body, { attributes_values: {}, version: 1, user_story: 1 });
    const none = await bed.call("PATCH", "/userstories/custom-attributes-values/1", {
      attributes_values: { [attr.body.id]: "ACME" },
    });
    assert.deepEqual(none.body, NOT_VALID);
    const ok = await bed.call("PATCH", "/userstories/custom-attributes-values/1", {
      attributes_values: { [attr.body.id]: "ACME" },
      version: 1,
    });
    assert.equal(ok.status, 200);
    assert.equal(ok.body.version, 2);
    assert.equal(ok.body.attributes_values[attr.body.id], "ACME");
    const story = await bed.call("GET", "/userstories/1");
    assert.equal(story.body.version, 1, "the story's own version is untouched");
    // Taiga looks for the row's changes under the row's own history key, which is empty.
    const stale = await bed.call("PATCH", "/userstories/custom-attributes-values/1", {
      attributes_values: { [attr.body.id]: "Other" },
      version: 1,
    });
    assert.equal(stale.status, 200, "a stale version is accepted");
    assert.equal(stale.body.version, 3);
    const unknown = await bed.call("PATCH", "/userstories/custom-attributes-values/1", {
      attributes_values: { "9999": "x" },
      version: 3,
    });
    assert.equal(unknown.status, 400);
  });
});
