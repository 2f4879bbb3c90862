/**
 * The world the contract test replays the recorded samples in. The recordings were made in
 * one session against a real taiga-back 6.10 (see the README beside the samples); the
 * steps below redo that session, in the same order, on a fresh seeded sandbox. Each sample
 * names the last step it needs, then its request is sent with the recorded ids, slugs and
 * refs replaced by the sandbox's own.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { Reply, TestBed } from "./helpers.ts";

/** Ids the recorded requests refer to, as created in the sandbox. */
export interface World {
  bed: TestBed;
  project: { id: number; slug: string };
  milestone: number;
  epic: number;
  story: { id: number; ref: number };
  task: number;
  issue: number;
  wiki: number;
}

/** The steps of the recording session, in order. */
export const STEPS = [
  "login",
  "project",
  "milestone",
  "epic",
  "story",
  "fillers",
  "patch",
  "comment",
  "bulk",
  "related",
  "task",
  "issue",
  "vote",
  "wiki",
  "wikiPatch",
  "deleteTask",
] as const;

/** A step name. */
export type Step = (typeof STEPS)[number];

/** Sends one request of the recorded session, which must answer `status`; returns the body. */
async function send(
  w: World,
  method: string,
  path: string,
  body: Record<string, unknown> | undefined,
  status: number,
): Promise<Reply["body"]> {
  const r = await w.bed.call(method, path, body);
  assert.equal(r.status, status, `world step failed: ${r.text}`);
  return r.body;
}

/** POSTs `body` to `path`, which must answer 201 Created; returns the created object. */
function created(w: World, path: string, body: Record<string, unknown>): Promise<Reply["body"]> {
  return send(w, "POST", path, body, 201);
}

const ACTIONS: Record<Step, (w: World) => Promise<void>> = {
  login: () => Promise.resolve(),
  project: async (w) => {
    const r = await created(w, "/projects", {
      name: "Samples 4d2133",
      description: "captured samples",
    });
    w.project = { id: r.id, slug: r.slug };
  },
  milestone: async (w) => {
    const r = await created(w, "/milestones", {
      project: w.project.id,
      name: "Sprint 1",
      estimated_start: "2026-12-01",
      estimated_finish: "2026-12-14",
    });
    w.milestone = r.id;
  },
  epic: async (w) => {
    const r = await created(w, "/epics", {
      project: w.project.id,
      subject: "Checkout epic",
      color: "#A5694F",
    });
    w.epic = r.id;
  },
  story: async (w) => {
    const r = await created(w, "/userstories", {
      project: w.project.id,
      subject: "Pay with card",
      description: "As a buyer I want to pay by card",
      tags: ["payments"],
      milestone: w.milestone,
    });
    w.story = { id: r.id, ref: r.ref };
  },
  fillers: async (w) => {
    for (let i = 0; i < 3; i++) {
      await created(w, "/userstories", { project: w.project.id, subject: `Filler story ${i}` });
    }
  },
  patch: async (w) => {
    const body = { subject: "Pay with card (v2)", version: 1 };
    await send(w, "PATCH", `/userstories/${w.story.id}`, body, 200);
  },
  comment: async (w) => {
    const body = { comment: "Looks good to me", version: 2 };
    await send(w, "PATCH", `/userstories/${w.story.id}`, body, 200);
  },
  bulk: async (w) => {
    const body = { project_id: w.project.id, bulk_stories: "Bulk A\nBulk B" };
    await send(w, "POST", "/userstories/bulk_create", body, 200);
  },
  related: async (w) => {
    const body = { epic: w.epic, user_story: w.story.id };
    await created(w, `/epics/${w.epic}/related_userstories`, body);
  },
  task: async (w) => {
    const r = await created(w, "/tasks", {
      project: w.project.id,
      subject: "Integrate card gateway",
      user_story: w.story.id,
      milestone: w.milestone,
    });
    w.task = r.id;
  },
  issue: async (w) => {
    const r = await created(w, "/issues", {
      project: w.project.id,
      subject: "Card declined shows blank page",
    });
    w.issue = r.id;
  },
  vote: async (w) => {
    await send(w, "POST", `/userstories/${w.story.id}/upvote`, {}, 200);
    await send(w, "POST", `/userstories/${w.story.id}/watch`, {}, 200);
  },
  wiki: async (w) => {
    const r = await created(w, "/wiki", {
      project: w.project.id,
      slug: "home",
      content: "# Home\nWelcome",
    });
    w.wiki = r.id;
  },
  wikiPatch: async (w) => {
    await send(w, "PATCH", `/wiki/${w.wiki}`, { content: "# Home\nWelcome!", version: 1 }, 200);
  },
  deleteTask: async (w) => {
    await send(w, "DELETE", `/tasks/${w.task}`, undefined, 204);
  },
};

/** Builds the world up to (and including) `last`. */
export async function buildWorld(bed: TestBed, last: Step): Promise<World> {
  const w = {
    bed,
    project: { id: 0, slug: "" },
    milestone: 0,
    epic: 0,
    story: { id: 0, ref: 0 },
    task: 0,
    issue: 0,
    wiki: 0,
  };
  for (const step of STEPS.slice(0, STEPS.indexOf(last) + 1)) await ACTIONS[step](w);
  return w;
}
