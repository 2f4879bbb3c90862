/**
 * Contract test over `tests/fixtures/taiga-samples-planning/` (planning, reporting and
 * administration answers recorded from taiga-back 6.10): the recorded session is replayed in
 * order in ONE sandbox (`planning_world.ts`, `planning_script_*.ts`), each sample checked as
 * it comes — status, the headers that matter, the key structure of the body, error bodies
 * EXACTLY, plus the values each sample is there to show (the traps). Every sample is
 * replayed; none is skipped.
 *
 * @module
 */

import assert from "node:assert/strict";
import { compareHeaders, keyDiff, type Sample } from "./contract_compare.ts";
import { isSetup, type Replay, type Step } from "./planning_steps.ts";
import { PART_A } from "./planning_script_a.ts";
import { PART_B } from "./planning_script_b.ts";
import { PART_C } from "./planning_script_c.ts";
import { PART_D } from "./planning_script_d.ts";
import { PART_E } from "./planning_script_e.ts";
import { World } from "./planning_world.ts";

const SAMPLES = new URL("../fixtures/taiga-samples-planning/", import.meta.url);
const SCRIPT: Step[] = [...PART_A, ...PART_B, ...PART_C, ...PART_D, ...PART_E];

function load(name: string): Sample {
  return JSON.parse(Deno.readTextFileSync(new URL(`${name}.json`, SAMPLES)));
}

async function replay(w: World, step: Replay): Promise<void> {
  const sample = load(step.sample);
  const path = String(w.fill(step.path ?? sample.request.path));
  const template = typeof step.body === "function" ? step.body(w) : step.body;
  const body = step.form ? step.form(w) : template ?? sample.request.body;
  const reply = await w.call(sample.request.method, path, body, step.as);
  const name = step.sample;
  assert.equal(reply.status, sample.status, `${name}: status (body ${reply.text.slice(0, 300)})`);
  const url = path.startsWith("http") ? path : `${w.bed.sandbox.apiUrl}${path}`;
  const expectedNext = (page: string) => {
    const u = new URL(url);
    u.searchParams.set("page", page);
    return u.href;
  };
  compareHeaders(name, sample, reply, expectedNext, step.differ);
  const recorded = sample.body as Record<string, unknown> | null;
  if (typeof sample.body === "string") {
    assert.equal(reply.text, sample.body, `${name}: body`);
  } else if (recorded && recorded._binary_not_recorded) {
    assert.equal(reply.text.length, recorded.size, `${name}: file size`);
  } else if (sample.status >= 400 && sample.body !== null && !step.bodyDiffers) {
    assert.deepEqual(reply.body, sample.body, `${name}: error body`);
  } else {
    const mapLike = new Set(step.mapLike ?? []);
    assert.deepEqual(keyDiff(sample.body, reply.body, "$", mapLike), [], `${name}: body keys`);
  }
  step.capture?.(w, reply);
  await step.check?.(w, reply, sample);
}

Deno.test("contract (planning): every recorded sample is replayed exactly once", () => {
  const files = [...Deno.readDirSync(SAMPLES)]
    .filter((e) => e.isFile && e.name.endsWith(".json"))
    .map((e) => e.name.replace(/\.json$/, ""))
    .sort();
  const replayed = SCRIPT.filter((s) => !isSetup(s)).map((s) => (s as Replay).sample);
  assert.deepEqual(replayed.slice().sort(), files);
  assert.equal(files.length, 232);
});

Deno.test("contract (planning): the recorded session, replayed in order", async (t) => {
  const w = await World.start();
  try {
    for (const step of SCRIPT) {
      if (isSetup(step)) {
        const ok = await t.step(`setup: ${step.setup}`, () => step.run(w));
        if (!ok) break;
      } else {
        await t.step(step.sample, () => replay(w, step));
      }
    }
  } finally {
    await w.close();
  }
});
