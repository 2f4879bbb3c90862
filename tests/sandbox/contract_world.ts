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

async function ok(reply: Promise<Reply>, status: number): Promise<Reply> {
  const r = await reply;
  assert.equal(r.status, status, `world step failed: ${r.text}`);
  return r;
}

const ACTIONS: Record<Step, (w: World) => Promise<void>> = {
  login: () => Promise.resolve(),
  project: async (w) => {
    const r = await ok(
      w.bed.call("POST", "/projects", { name: "Samples 4d2133", description: "captured samples" }),
      201,
    );
    w.project = { id: r.body.id, slug: r.body.slug };
  },
  milestone: async (w) => {
    const r = await ok(
      w.bed.call("POST", "/milestones", {
        project: w.project.id,
        name: "Sprint 1",
        estimated_start: "2026-12-01",
        estimated_finish: "2026-12-14",
      }),
      201,
    );
    w.milestone = r.body.id;
  },
  epic: async (w) => {
    const r = await ok(
      w.bed.call("POST", "/epics", {
        project: w.project.id,
        subject: "Checkout epic",
        color: "#A5694F",
      }),
      201,
    );
    w.epic = r.body.id;
  },
  story: async (w) => {
    const r = await ok(
      w.bed.call("POST", "/userstories", {
        project: w.project.id,
        subject: "Pay with card",
        description: "As a buyer I want to pay by card",
        tags: ["payments"],
        milestone: w.milestone,
      }),
      201,
    );
    w.story = { id: r.body.id, ref: r.body.ref };
  },
  fillers: async (w) => {
    for (let i = 0; i < 3; i++) {
      await ok(
        w.bed.call("POST", "/userstories", { project: w.project.id, subject: `Filler story ${i}` }),
        201,
      );
    }
  },
  patch: async (w) => {
    await ok(
      w.bed.call("PATCH", `/userstories/${w.story.id}`, {
        subject: "Pay with card (v2)",
        version: 1,
      }),
      200,
    );
  },
  comment: async (w) => {
    await ok(
      w.bed.call("PATCH", `/userstories/${w.story.id}`, {
        comment: "Looks good to me",
        version: 2,
      }),
      200,
    );
  },
  bulk: async (w) => {
    await ok(
      w.bed.call("POST", "/userstories/bulk_create", {
        project_id: w.project.id,
        bulk_stories: "Bulk A\nBulk B",
      }),
      200,
    );
  },
  related: async (w) => {
    await ok(
      w.bed.call("POST", `/epics/${w.epic}/related_userstories`, {
        epic: w.epic,
        user_story: w.story.id,
      }),
      201,
    );
  },
  task: async (w) => {
    const r = await ok(
      w.bed.call("POST", "/tasks", {
        project: w.project.id,
        subject: "Integrate card gateway",
        user_story: w.story.id,
        milestone: w.milestone,
      }),
      201,
    );
    w.task = r.body.id;
  },
  issue: async (w) => {
    const r = await ok(
      w.bed.call("POST", "/issues", {
        project: w.project.id,
        subject: "Card declined shows blank page",
      }),
      201,
    );
    w.issue = r.body.id;
  },
  vote: async (w) => {
    await ok(w.bed.call("POST", `/userstories/${w.story.id}/upvote`, {}), 200);
    await ok(w.bed.call("POST", `/userstories/${w.story.id}/watch`, {}), 200);
  },
  wiki: async (w) => {
    const r = await ok(
      w.bed.call("POST", "/wiki", {
        project: w.project.id,
        slug: "home",
        content: "# Home\nWelcome",
      }),
      201,
    );
    w.wiki = r.body.id;
  },
  wikiPatch: async (w) => {
    await ok(
      w.bed.call("PATCH", `/wiki/${w.wiki}`, { content: "# Home\nWelcome!", version: 1 }),
      200,
    );
  },
  deleteTask: async (w) => {
    await ok(w.bed.call("DELETE", `/tasks/${w.task}`), 204);
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
