/**
 * Contract test: every recorded taiga-back 6.10 response in `tests/fixtures/taiga-samples/` is
 * replayed against a fresh seeded sandbox (ids, slugs and refs mapped to the sandbox's own,
 * the world built first by `contract_world.ts`), comparing the status, the headers that
 * matter and the set of keys of the body (recursively for objects; the first element for
 * arrays). One Deno.test per sample.
 *
 * @module
 */

import assert from "node:assert/strict";
import { compareHeaders, keyDiff, type Sample } from "./contract_compare.ts";
import { buildWorld, type Step, type World } from "./contract_world.ts";
import { testBed } from "./helpers.ts";

const SAMPLES = new URL("../fixtures/taiga-samples/", import.meta.url);

interface Case {
  /** Last world step needed. */
  after: Step;
  /** The recorded request with sandbox ids (default: the recorded path and body). */
  path?: (w: World) => string;
  body?: (w: World) => unknown;
  /** Authorization header value; default Bearer demo; null for none. */
  auth?: (w: World) => string | null;
  /** Header values that legitimately differ, with the reason. */
  headerValuesDiffer?: Record<string, string>;
}

const P = (w: World) => w.project.id;
const list = (res: string): Case => ({ after: "project", path: (w) => `/${res}?project=${P(w)}` });

/** One entry per sample file. */
const CASES: Record<string, Case> = {
  "auth-login-200": {
    after: "login",
    body: () => ({ type: "normal", username: "demo", password: "demo123" }),
    auth: () => null,
  },
  "auth-login-401": {
    after: "login",
    body: () => ({ type: "normal", username: "demo", password: "wrong" }),
    auth: () => null,
  },
  "auth-refresh-200": {
    after: "login",
    body: (w) => ({ refresh: w.bed.refresh }),
    auth: () => null,
  },
  "users-me-200": { after: "login" },
  "users-me-401-bad-token": { after: "login", auth: () => "Bearer not.a.token" },
  "users-me-401-no-token": { after: "login", auth: () => null },
  "trailing-slash-404": { after: "login" },
  "projects-create-201": { after: "login" },
  "projects-list-200": {
    after: "project",
    path: () => "/projects?member=1",
    headerValuesDiffer: {
      "x-pagination-count":
        "the recording server had 5 projects; the sandbox has the seeded one and this one",
    },
  },
  "projects-detail-200": { after: "project", path: (w) => `/projects/${P(w)}` },
  "projects-by-slug-200": {
    after: "project",
    path: (w) => `/projects/by_slug?slug=${w.project.slug}`,
  },
  "projects-by-slug-404": { after: "project" },
  "projects-stats-200": { after: "milestone", path: (w) => `/projects/${P(w)}/stats` },
  "memberships-list-200": list("memberships"),
  "roles-list-200": list("roles"),
  "epic-statuses-list-200": list("epic-statuses"),
  "userstory-statuses-list-200": list("userstory-statuses"),
  "task-statuses-list-200": list("task-statuses"),
  "issue-statuses-list-200": list("issue-statuses"),
  "issue-types-list-200": list("issue-types"),
  "points-list-200": list("points"),
  "priorities-list-200": list("priorities"),
  "severities-list-200": list("severities"),
  "swimlanes-list-200": list("swimlanes"),
  "userstory-custom-attributes-list-200": list("userstory-custom-attributes"),
  "milestones-create-201": {
    after: "project",
    body: (w) => ({
      project: P(w),
      name: "Sprint 1",
      estimated_start: "2026-12-01",
      estimated_finish: "2026-12-14",
    }),
  },
  "epics-create-201": {
    after: "milestone",
    body: (w) => ({ project: P(w), subject: "Checkout epic", color: "#A5694F" }),
  },
  "userstories-create-201": {
    after: "epic",
    body: (w) => ({
      project: P(w),
      subject: "Pay with card",
      description: "As a buyer I want to pay by card",
      tags: ["payments"],
      milestone: w.milestone,
    }),
  },
  "userstories-create-400-fields": { after: "epic", body: (w) => ({ project: P(w) }) },
  "userstories-detail-200": { after: "fillers", path: (w) => `/userstories/${w.story.id}` },
  "userstories-by-ref-200": {
    after: "fillers",
    path: (w) => `/userstories/by_ref?ref=${w.story.ref}&project=${P(w)}`,
  },
  "userstories-by-ref-404": {
    after: "fillers",
    path: (w) => `/userstories/by_ref?ref=9999&project=${P(w)}`,
  },
  "userstories-list-page1-200": {
    after: "fillers",
    path: (w) => `/userstories?project=${P(w)}&page_size=2`,
  },
  "userstories-list-past-end-404": {
    after: "fillers",
    path: (w) => `/userstories?project=${P(w)}&page_size=2&page=99`,
  },
  "userstories-patch-200": { after: "fillers", path: (w) => `/userstories/${w.story.id}` },
  "userstories-patch-no-version-400": { after: "patch", path: (w) => `/userstories/${w.story.id}` },
  "userstories-patch-stale-400": { after: "patch", path: (w) => `/userstories/${w.story.id}` },
  "userstories-detail-after-patch-200": {
    after: "patch",
    path: (w) => `/userstories/${w.story.id}`,
  },
  "userstories-comment-200": { after: "patch", path: (w) => `/userstories/${w.story.id}` },
  "history-userstory-200": { after: "comment", path: (w) => `/history/userstory/${w.story.id}` },
  "history-userstory-comments-200": {
    after: "comment",
    path: (w) => `/history/userstory/${w.story.id}?type=comment`,
  },
  "userstories-bulk-create-200": {
    after: "comment",
    body: (w) => ({ project_id: P(w), bulk_stories: "Bulk A\nBulk B" }),
  },
  "epics-related-add-201": {
    after: "bulk",
    path: (w) => `/epics/${w.epic}/related_userstories`,
    body: (w) => ({ epic: w.epic, user_story: w.story.id }),
  },
  "epics-related-list-200": {
    after: "related",
    path: (w) => `/epics/${w.epic}/related_userstories`,
  },
  "tasks-create-201": {
    after: "related",
    body: (w) => ({
      project: P(w),
      subject: "Integrate card gateway",
      user_story: w.story.id,
      milestone: w.milestone,
    }),
  },
  "tasks-detail-200": { after: "task", path: (w) => `/tasks/${w.task}` },
  "issues-create-201": {
    after: "task",
    body: (w) => ({ project: P(w), subject: "Card declined shows blank page" }),
  },
  "issues-detail-200": { after: "issue", path: (w) => `/issues/${w.issue}` },
  "issues-list-200": { after: "issue", path: (w) => `/issues?project=${P(w)}` },
  "milestones-list-200": { after: "issue", path: (w) => `/milestones?project=${P(w)}` },
  "milestones-detail-200": { after: "issue", path: (w) => `/milestones/${w.milestone}` },
  "milestones-stats-200": { after: "issue", path: (w) => `/milestones/${w.milestone}/stats` },
  "search-200": { after: "issue", path: (w) => `/search?project=${P(w)}&text=card` },
  "resolver-200": {
    after: "issue",
    path: (w) => `/resolver?project=${w.project.slug}&us=${w.story.ref}`,
  },
  "userstories-upvote-200": { after: "issue", path: (w) => `/userstories/${w.story.id}/upvote` },
  "userstories-watch-200": { after: "issue", path: (w) => `/userstories/${w.story.id}/watch` },
  "userstories-voters-200": { after: "vote", path: (w) => `/userstories/${w.story.id}/voters` },
  "wiki-create-201": {
    after: "vote",
    body: (w) => ({ project: P(w), slug: "home", content: "# Home\nWelcome" }),
  },
  "wiki-by-slug-200": { after: "wiki", path: (w) => `/wiki/by_slug?slug=home&project=${P(w)}` },
  "wiki-patch-200": { after: "wiki", path: (w) => `/wiki/${w.wiki}` },
  "timeline-project-200": {
    after: "wikiPatch",
    path: (w) => `/timeline/project/${P(w)}`,
    headerValuesDiffer: {
      "x-pagination-count": "the recording also timed events of calls made outside the samples",
    },
  },
  "tasks-delete-204": { after: "wikiPatch", path: (w) => `/tasks/${w.task}` },
  "tasks-detail-after-delete-404": { after: "deleteTask", path: (w) => `/tasks/${w.task}` },
};

const files = [...Deno.readDirSync(SAMPLES)]
  .filter((e) => e.isFile && e.name.endsWith(".json"))
  .map((e) => e.name.replace(/\.json$/, ""))
  .sort();

Deno.test("contract: every sample has a case and every case a sample", () => {
  assert.deepEqual(files, Object.keys(CASES).sort());
  assert.ok(files.length >= 60, `found ${files.length} samples`);
});

for (const name of files) {
  Deno.test(`contract: ${name}`, async () => {
    const sample: Sample = JSON.parse(await Deno.readTextFile(new URL(`${name}.json`, SAMPLES)));
    const c = CASES[name];
    assert.ok(c, `no case for ${name}`);
    const bed = await testBed();
    try {
      const w = await buildWorld(bed, c.after);
      const path = c.path ? c.path(w) : sample.request.path;
      const body = c.body ? c.body(w) : sample.request.body;
      const auth = c.auth ? c.auth(w) : undefined;
      const reply = await bed.call(sample.request.method, path, body, { auth });
      assert.equal(
        reply.status,
        sample.status,
        `${name}: status (body ${reply.text.slice(0, 300)})`,
      );
      const expectedNext = (page: string) => {
        const u = new URL(`${bed.sandbox.apiUrl}${path}`);
        u.searchParams.set("page", page);
        return u.href;
      };
      compareHeaders(name, sample, reply, expectedNext, c.headerValuesDiffer);
      if (typeof sample.body === "string") {
        assert.equal(reply.text, sample.body, `${name}: body`);
      } else {
        assert.deepEqual(keyDiff(sample.body, reply.body), [], `${name}: body keys`);
      }
    } finally {
      await bed.close();
    }
  });
}

Deno.test("contract comparator: catches missing, extra, nested and array differences", () => {
  assert.deepEqual(keyDiff({ a: 1, b: { c: 1 } }, { a: 2, b: { c: "x" } }), []);
  assert.deepEqual(keyDiff({ a: 1 }, {}), ["$.a: missing"]);
  assert.deepEqual(keyDiff({}, { z: 1 }), ["$.z: not in the recording"]);
  assert.deepEqual(keyDiff({ b: { c: 1 } }, { b: { d: 1 } }), [
    "$.b.c: missing",
    "$.b.d: not in the recording",
  ]);
  assert.deepEqual(keyDiff([{ a: 1 }], [{ b: 1 }]), [
    "$[].a: missing",
    "$[].b: not in the recording",
  ]);
  assert.deepEqual(keyDiff([{ a: 1 }], []), ["$: empty, the recording has items"]);
  assert.deepEqual(keyDiff({ points: { "1": 2 } }, { points: { "9": 2 } }), [], "map-like");
  assert.equal(keyDiff({ n: { a: 1 } }, { n: null }).length, 1, "object vs null");
});
