/**
 * The shape of the planning replay script: setup steps (requests the recording made without
 * keeping their answer) and replays of recorded samples, with the helpers the phases share.
 *
 * @module
 */

import assert from "node:assert/strict";
import type { Sample } from "./contract_compare.ts";
import type { Reply } from "./helpers.ts";
import type { World } from "./planning_world.ts";

/** A recorded sample replayed at this point of the session. */
export interface Replay {
  sample: string;
  /** Path template (default: the recorded path, which must then carry no ids). */
  path?: string;
  /** Body template, or a function of the world (default: the recorded body). */
  body?: unknown;
  /** A multipart body instead. */
  form?: (w: World) => FormData;
  /** Who sends it (default demo, the recording's admin). */
  as?: string;
  /** Recorded headers whose value (or presence) legitimately differs, with the reason. */
  differ?: Record<string, string>;
  /** Keys whose objects are keyed by ids or names (`"$"`: the whole body). */
  mapLike?: string[];
  /** Why an error body is not compared exactly (they are by default). */
  bodyDiffers?: string;
  /** Remembers ids of the answer. */
  capture?: (w: World, reply: Reply) => void;
  /** Extra assertions: the traps and values the sample shows. */
  check?: (w: World, reply: Reply, sample: Sample) => void | Promise<void>;
}

/** A request of the session whose answer was not recorded. */
export interface Setup {
  setup: string;
  run: (w: World) => Promise<void>;
}

/** One step of the replay. */
export type Step = Replay | Setup;

/** Whether a step is a setup. */
export function isSetup(step: Step): step is Setup {
  return "setup" in step;
}

/** Remembers the `id` of a created object under `key`. */
export function keep(key: string): (w: World, reply: Reply) => void {
  return (w, reply) => w.set(key, reply.body.id);
}

/** Asserts rows `{id, <order field>}` equal the recorded ones, ids mapped through `prefix`. */
export function sameRows(prefix: string): NonNullable<Replay["check"]> {
  return (w: World, reply: Reply, sample: Sample) => {
    const recorded = sample.body as Record<string, unknown>[];
    const mapped = (reply.body as Record<string, unknown>[]).map((row) => ({
      ...row,
      id: w.keyOf(prefix, row.id as number) ?? row.id,
    }));
    const expected = recorded.map((row) => ({ ...row, id: `${prefix}:${row.id}` }));
    const strip = (rows: Record<string, unknown>[]) =>
      rows.map(({ milestone: _m, swimlane: _s, status: _st, ...rest }) => rest);
    assert.deepEqual(strip(mapped), strip(expected));
  };
}

/** `{name: count}` of a facet (statuses, tags…), to compare with the recording's. */
export function counts(
  rows: { name?: string; full_name?: string; count: number }[],
): Record<string, number> {
  return Object.fromEntries(rows.map((r) => [r.name ?? r.full_name ?? "", r.count]));
}
