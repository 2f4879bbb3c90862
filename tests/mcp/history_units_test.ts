/**
 * The pieces of the history tools on Taiga's recorded answers (taiga-back 6.10): history
 * entries and timeline events as lines, the folding of the timeline's repeats, and the times
 * "since" accepts.
 */

import assert from "node:assert/strict";
import { compactEntry } from "../../src/tools/history.ts";
import { changeLines } from "../../src/tools/history_changes.ts";
import { compactEvent, eventKey, eventKind } from "../../src/tools/timeline_events.ts";
import { parseWhen } from "../../src/tools/timeline_since.ts";

type Row = Record<string, unknown>;

async function sample(name: string): Promise<Row[]> {
  const url = new URL(`../fixtures/taiga-samples-planning/${name}.json`, import.meta.url);
  return JSON.parse(await Deno.readTextFile(url)).body as Row[];
}

const PEOPLE = {
  byId: (id: number) => ({ 5: "admin", 7: "isabel" } as Record<number, string>)[id],
  byName: (name: string) => (name === "Isabel Diaz" ? "isabel" : undefined),
};

Deno.test("history entries as recorded: names, points, tags, texts; no order fields", async () => {
  const story = (await sample("history-userstory-values-diff-200")).map((entry) =>
    compactEntry(entry, PEOPLE)
  );
  assert.deepEqual(story.map((entry) => entry.changes ?? entry.comment), [
    "Agreed, we will use the gateway's vault.",
    "Please keep PCI scope minimal.",
    [
      "description: As a user I want checkout page → As a shopper I want to pay with a saved card so that checkout is faster.",
    ],
    ["points: Back ? → 1, Front ? → 1/2"],
    ["tags: +backend +api"],
    ["assigned: none → isabel"],
    ["status: New → Ready"],
    ["subject: Checkout page → Checkout page with saved cards"],
  ]);
  assert.equal(story[0].by, "admin");
  const task = (await sample("history-task-200")).map((entry) => compactEntry(entry, {}));
  assert.deepEqual(task[1].changes, [
    "blocked: no → yes",
    "blocked note: none → Waiting for sandbox keys",
  ]);
  assert.deepEqual(task[2].changes, ["assigned to: none → Isabel Diaz"], "no usernames: names");
  const deleted = compactEntry(
    (await sample("history-userstory-after-delete-comment-200"))[0],
    PEOPLE,
  );
  assert.deepEqual(deleted.deleted, { at: "2026-12-01T07:04:47.007Z", by: "admin" });
  assert.equal(deleted.comment, undefined);
  assert.equal(deleted.edited, "2026-12-01T07:04:46.876Z");
});

Deno.test("changeLines: attachments, custom fields, an epic's stories, unknown shapes", () => {
  assert.deepEqual(
    changeLines({
      attachments: { new: [{ filename: "a.csv" }], changed: [{ filename: "b.png" }], deleted: [] },
      custom_attributes: {
        new: [{ name: "Risk", value: "low" }],
        changed: [{ name: "Cost", changes: { value: [1, 2] } }],
        deleted: [{ name: "Old", value: true }],
      },
      user_stories: { new: [{ ref: 3, subject: "Pay with card" }], deleted: [] },
      due_date: [null, "2026-03-02"],
      finish_date: ["None", "2026-03-05T10:00:00Z"],
      weird: { some: "object" },
    }),
    [
      "attachments: +a.csv, ~b.png",
      "Risk: none → low",
      "Cost: 1 → 2",
      "Old: yes → none",
      "stories: +#3 Pay with card",
      "due date: none → 2026-03-02",
      "finish date: none → 2026-03-05T10:00:00Z",
      "weird: changed",
    ],
  );
  assert.deepEqual(changeLines(null), []);
});

Deno.test("timeline events as recorded: one line each, repeats folded", async () => {
  const page = await sample("timeline-project-page1-200");
  const lines = page.map((event) => compactEvent(event, PEOPLE, false));
  assert.deepEqual(lines[1], {
    at: "2026-12-01T07:04:50.343Z",
    by: "admin",
    kind: "issue",
    ref: 9,
    what: 'changed issue #9 "Crash on empty cart checkout": status: New → In progress',
  });
  assert.ok(
    lines.some((line) =>
      line.what === 'commented on task #6 "Wire payment gateway API": "Sandbox keys requested."'
    ),
  );
  assert.ok(
    lines.some((line) =>
      line.what ===
        'changed user story #1 "Checkout page with saved cards": assigned: none → isabel'
    ),
  );
  // One comment, edited, deleted and restored: four events with the comment's time.
  const comment = page.filter((event) => event.created === "2026-12-01T07:04:46.638Z");
  assert.equal(comment.length, 4);
  assert.equal(new Set(comment.map(eventKey)).size, 1);
  const membership = (await sample("timeline-project-page2-200")).find((event) =>
    event.event_type === "projects.membership.create"
  )!;
  assert.equal(eventKind(membership), "project");
  assert.match(String(compactEvent(membership, {}, true).what), /^joined the project as /);

  const user = await sample("timeline-user-200");
  const keys = new Set(user.map(eventKey));
  assert.ok(keys.size < user.length, "the user timeline repeats events per related person");
  const profile = await sample("timeline-profile-200");
  assert.ok(profile.every((event) => eventKind(event) !== undefined));
});

Deno.test("parseWhen: ISO dates and times, words, spans; UTC; clear errors", () => {
  // Wednesday 2026-03-04 15:30 UTC.
  const now = Date.UTC(2026, 2, 4, 15, 30);
  const at = (text: string) => new Date(parseWhen(text, now, "since")).toISOString();
  assert.equal(at("2026-03-02"), "2026-03-02T00:00:00.000Z");
  assert.equal(at("2026-03-02T09:00"), "2026-03-02T09:00:00.000Z");
  assert.equal(at("2026-03-02 09:00:00+02:00"), "2026-03-02T07:00:00.000Z");
  assert.equal(at("today"), "2026-03-04T00:00:00.000Z");
  assert.equal(at("Yesterday"), "2026-03-03T00:00:00.000Z");
  assert.equal(at("since monday"), "2026-03-02T00:00:00.000Z");
  assert.equal(at("wed"), "2026-03-04T00:00:00.000Z");
  assert.equal(at("last wednesday"), "2026-02-25T00:00:00.000Z");
  assert.equal(at("friday"), "2026-02-27T00:00:00.000Z");
  assert.equal(at("this week"), "2026-03-02T00:00:00.000Z");
  assert.equal(at("last week"), "2026-02-23T00:00:00.000Z");
  assert.equal(at("this month"), "2026-03-01T00:00:00.000Z");
  assert.equal(at("7d"), "2026-02-25T15:30:00.000Z");
  assert.equal(at("24 hours ago"), "2026-03-03T15:30:00.000Z");
  assert.equal(at("2w"), "2026-02-18T15:30:00.000Z");
  assert.equal(at("90 min"), "2026-03-04T14:00:00.000Z");
  for (const bad of ["soon", "2026-13-01", "2026-02-30", "7 fortnights", "mo"]) {
    assert.throws(() => parseWhen(bad, now, "since"), /is not a time\. Use an ISO date/, bad);
  }
});
