/**
 * The OCC history window (taiga-back `OCCResourceMixin` + `get_modified_fields`): a stale
 * version is checked against the last (current − sent) history ENTRIES of the item, and
 * attachment and custom-attribute-values changes add entries to the item's history
 * without bumping its version.
 */

import assert from "node:assert/strict";
import { type TestBed, withBed } from "./helpers.ts";

const NO_MATCH = { version: "The version doesn't match with the current one" };

async function newStory(bed: TestBed): Promise<number> {
  const r = await bed.call("POST", "/userstories", { project: 1, subject: "Window" });
  assert.equal(r.status, 201);
  return r.body.id;
}

async function upload(bed: TestBed, path: string, objectId: number): Promise<number> {
  const form = new FormData();
  form.append("attached_file", new File([new TextEncoder().encode("x")], "a.txt"));
  form.append("project", "1");
  form.append("object_id", String(objectId));
  const r = await bed.call("POST", `${path}/attachments`, form);
  assert.equal(r.status, 201);
  return r.body.id;
}

/** Diff keys of an object's listed history, newest first. */
async function historyKeys(bed: TestBed, path: string): Promise<string[][]> {
  const r = await bed.call("GET", path);
  return (r.body as { diff: Record<string, unknown> }[]).map((e) => Object.keys(e.diff));
}

Deno.test("OCC window: an attachment entry pushes an older change out of it", async () => {
  await withBed(async (bed) => {
    const id = await newStory(bed);
    await bed.call("PATCH", `/userstories/${id}`, { description: "d", version: 1 });
    await bed.call("PATCH", `/userstories/${id}`, { subject: "s", version: 2 });
    await upload(bed, "/userstories", id);
    const story = await bed.call("GET", `/userstories/${id}`);
    assert.equal(story.body.version, 3, "an upload does not bump the version");
    assert.deepEqual(await historyKeys(bed, `/history/userstory/${id}`), [
      ["attachments"],
      ["subject"],
      ["description", "description_html"],
    ]);
    // Sent 1, current 3: the window is the last 2 entries = attachments, subject.
    const subject = await bed.call("PATCH", `/userstories/${id}`, { subject: "t", version: 1 });
    assert.deepEqual(subject.body, NO_MATCH);
    const description = await bed.call("PATCH", `/userstories/${id}`, {
      description: "e",
      version: 1,
    });
    assert.equal(description.status, 200, "description fell out of the window");
    assert.equal(description.body.version, 4);
    // Sent 2 (window: 2 entries = description, attachments) — subject is out of it now.
    const late = await bed.call("PATCH", `/userstories/${id}`, { subject: "u", version: 2 });
    assert.equal(late.status, 200);
  });
});

Deno.test("OCC window: a PATCH that changes nothing bumps the version but adds no entry", async () => {
  await withBed(async (bed) => {
    const id = await newStory(bed);
    await bed.call("PATCH", `/userstories/${id}`, { subject: "s", version: 1 });
    const same = await bed.call("PATCH", `/userstories/${id}`, { subject: "s", version: 2 });
    assert.equal(same.body.version, 3);
    assert.deepEqual(await historyKeys(bed, `/history/userstory/${id}`), [["subject"]]);
    // Sent 2, current 3: the window (1 entry) reaches back to the subject change of v2.
    const r = await bed.call("PATCH", `/userstories/${id}`, { subject: "t", version: 2 });
    assert.deepEqual(r.body, NO_MATCH);
  });
});

Deno.test("attachments: create, PATCH and DELETE snapshot the item; order alone does not", async () => {
  await withBed(async (bed) => {
    const id = await newStory(bed);
    const att = await upload(bed, "/userstories", id);
    const path = `/userstories/attachments/${att}`;
    await bed.call("PATCH", path, { order: 7 });
    await bed.call("PATCH", path, { description: "now described" });
    await bed.call("DELETE", path);
    const entries = (await bed.call("GET", `/history/userstory/${id}`)).body;
    assert.equal(entries.length, 3, "upload, description, delete (not the order change)");
    const [deleted, changed, added] = entries;
    assert.equal(added.values_diff.attachments.new[0].id, att);
    assert.deepEqual(changed.values_diff.attachments.changed[0].changes, {
      description: ["", "now described"],
    });
    assert.equal(deleted.values_diff.attachments.deleted[0].id, att);
    assert.equal((await bed.call("GET", `/userstories/${id}`)).body.version, 1);
    const timeline = (await bed.call("GET", "/timeline/project/1")).body;
    assert.equal(timeline[0].event_type, "userstories.userstory.change");
  });
});

Deno.test("attachments on a wiki page go to the page's history", async () => {
  await withBed(async (bed) => {
    await bed.call("PATCH", "/wiki/1", { content: "v2", version: 1 });
    await upload(bed, "/wiki", 1);
    assert.deepEqual(await historyKeys(bed, "/history/wiki/1"), [["attachments"], [
      "content",
      "content_html",
    ]]);
    const page = await bed.call("GET", "/wiki/1");
    assert.equal(page.body.version, 2);
    const stale = await bed.call("PATCH", "/wiki/1", { content: "v3", version: 1 });
    assert.equal(stale.status, 200, "the upload pushed the content change out of the window");
  });
});

Deno.test("custom attribute values: stale versions pass, values are replaced, item snapshot", async () => {
  await withBed(async (bed) => {
    const attr = async (name: string) =>
      (await bed.call("POST", "/userstory-custom-attributes", { project: 1, name })).body.id;
    const [a, b] = [await attr("Customer"), await attr("Estimate")];
    const id = await newStory(bed);
    const path = `/userstories/custom-attributes-values/${id}`;
    await bed.call("PATCH", `/userstories/${id}`, { subject: "s", version: 1 });

    const first = await bed.call("PATCH", path, { attributes_values: { [a]: "ACME" }, version: 1 });
    assert.deepEqual([first.status, first.body.version], [200, 2]);
    const second = await bed.call("PATCH", path, { attributes_values: { [b]: 3 }, version: 1 });
    assert.equal(second.status, 200, "a stale version is accepted");
    assert.deepEqual(second.body.attributes_values, { [b]: 3 }, "the dict is replaced");
    assert.equal(second.body.version, 3);
    const keep = await bed.call("PATCH", path, { version: 3 });
    assert.deepEqual([keep.body.attributes_values, keep.body.version], [{ [b]: 3 }, 4]);

    for (const version of [undefined, -1, 5]) {
      const r = await bed.call("PATCH", path, { attributes_values: {}, version });
      assert.deepEqual(r.body, { version: "The version parameter is not valid" }, `${version}`);
    }
    const notInt = await bed.call("PATCH", path, { attributes_values: {}, version: "x" });
    assert.deepEqual(notInt.body, { version: ["Enter a whole number."] });

    // Each real change is an entry on the STORY (version untouched); "keep" changed nothing.
    const entries = (await bed.call("GET", `/history/userstory/${id}`)).body;
    assert.deepEqual(entries.map((e: { diff: object }) => Object.keys(e.diff)), [
      ["custom_attributes"],
      ["custom_attributes"],
      ["subject"],
    ]);
    const swap = entries[0].values_diff.custom_attributes;
    assert.deepEqual(swap.new.map((x: { name: string }) => x.name), ["Estimate"]);
    assert.deepEqual(swap.deleted.map((x: { name: string }) => x.name), ["Customer"]);
    const story = await bed.call("GET", `/userstories/${id}`);
    assert.equal(story.body.version, 2);
    // Sent 1, current 2: the window (1 entry) holds only custom_attributes.
    const r = await bed.call("PATCH", `/userstories/${id}`, { subject: "t", version: 1 });
    assert.equal(r.status, 200);
  });
});

Deno.test("lost update: two overlapping PATCHes of different fields, the later save undoes the other", async () => {
  await withBed(async (bed) => {
    const id = await newStory(bed);
    bed.sandbox.state.saveWindowMs = 40;
    // Both load version 1; neither field is in the other's history window, so both pass OCC.
    const [subject, description] = await Promise.all([
      bed.call("PATCH", `/userstories/${id}`, { subject: "New subject", version: 1 }),
      bed.call("PATCH", `/userstories/${id}`, { description: "New description", version: 1 }),
    ]);
    assert.deepEqual([subject.status, description.status], [200, 200]);
    const story = (await bed.call("GET", `/userstories/${id}`)).body;
    assert.equal(story.version, 3);
    assert.equal(story.description, "New description");
    assert.equal(story.subject, "Window", "the first save's subject was written over");
  });
});
