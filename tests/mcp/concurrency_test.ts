/**
 * Edits of one user story under contention, on the sandbox Taiga: 20 parallel version-less
 * `update_user_story` calls all succeed and keep every change; 20 parallel calls naming a version
 * are refused exactly when their field changed since that version, each refusal saying what was
 * sent and the current values; and the version-less retry loop itself holds at 20 writers racing
 * without this process's per-item queue (as edits from other replicas race).
 */

import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import {
  ATTEMPTS_WITHOUT_VERSION,
  conflictError,
  versionedWrite,
} from "../../src/domain/versioned_write.ts";
import { errorFacts, type Harness, startHarness } from "../helpers/harness.ts";
import { resultText } from "../helpers/tool_calls.ts";

const PROJECT = "demo-demo-project";
const STORY = "#5";

type Story = Record<string, unknown>;

async function story(h: Harness): Promise<Story> {
  return (await h.ok("get_user_story", { project: PROJECT, item: STORY })).item as Story;
}

function call(h: Harness, change: Record<string, unknown>): Promise<CallToolResult> {
  return h.call("update_user_story", { project: PROJECT, item: STORY, ...change });
}

/** Ten changes of ten different fields, and ten of the subject. */
const DIFFERENT: Record<string, unknown>[] = [
  { description: "Parallel description" },
  { tags: ["parallel", "contention"] },
  { sprint: "Sprint 1" },
  { due_date: "2026-12-24" },
  { is_blocked: true },
  { blocked_note: "Waiting on the payment provider" },
  { client_requirement: true },
  { team_requirement: true },
  { status: "In progress" },
  { assigned_users: ["bob"] },
];
const SUBJECTS = Array.from({ length: 10 }, (_, i) => ({ subject: `Subject ${i}` }));

Deno.test("20 parallel version-less updates of one story all succeed and all hold", async () => {
  const h = await startHarness();
  try {
    const before = await story(h);
    const results = await Promise.all([...DIFFERENT, ...SUBJECTS].map((change) => call(h, change)));
    for (const result of results) {
      assert.notEqual(result.isError, true, resultText(result));
      assert.doesNotMatch(resultText(result), /you sent version/);
    }
    const after = await story(h);
    assert.equal(after.version, (before.version as number) + 20, "20 saves, none lost");
    assert.equal(after.description, "Parallel description");
    assert.deepEqual(after.tags, ["parallel", "contention"]);
    assert.equal(after.due, "2026-12-24");
    assert.equal(after.blocked, true);
    assert.equal(after.blocked_note, "Waiting on the payment provider");
    assert.equal(after.status, "In progress");
    assert.ok(SUBJECTS.some((change) => change.subject === after.subject), String(after.subject));
  } finally {
    await h.close();
  }
});

Deno.test("20 parallel updates naming one version: exactly those whose field changed meanwhile are refused", async () => {
  const h = await startHarness();
  try {
    const version = (await story(h)).version as number;
    const changes = [...DIFFERENT, ...SUBJECTS];
    const results = await Promise.all(changes.map((change) => call(h, { ...change, version })));
    const after = await story(h);
    const refused = results.filter((result) => result.isError);
    // Each field is changed once at `version`; the first of the ten subjects wins, nine lose.
    assert.equal(refused.length, 9, results.map(resultText).join("\n"));
    assert.equal(after.version, version + 11);
    for (const result of refused) {
      const facts = errorFacts(result);
      assert.equal(facts.error_type, "conflict");
      assert.match(facts.message, new RegExp(`you sent version ${version}, it is now at version`));
      assert.match(facts.message, /Current values of the fields you tried to change: subject=/);
      const details = facts.details as { sent_version: number; current: Story };
      assert.equal(details.sent_version, version);
      assert.equal(details.current.subject, after.subject, "the current value, not a stale one");
    }
    for (const [i, result] of results.entries()) {
      if (!result.isError) continue;
      assert.ok("subject" in changes[i], "only a second change of the same field is refused");
    }
  } finally {
    await h.close();
  }
});

Deno.test(`the version-less retry (${ATTEMPTS_WITHOUT_VERSION} attempts) holds for 20 writers racing across processes`, async () => {
  const h = await startHarness();
  try {
    const session = await h.deps.sessions.resolve(undefined);
    const id = (await story(h)).id as number;
    const path = `userstories/${id}`;
    type Raw = { version: number; subject: string };
    const read = () => session.client.get<Raw>(path);
    const first = await read();
    const attempts: number[] = [];
    // No `key`: this process's per-item queue does not apply, as for writers in other replicas.
    const results = await Promise.allSettled(Array.from({ length: 20 }, async (_, i) => {
      let tries = 0;
      const { saved } = await versionedWrite<Raw>({
        current: first,
        read,
        send: (_base, version) => {
          tries++;
          return session.client.patch<Raw>(path, { subject: `Writer ${i}`, version });
        },
        conflict: (fresh, sent) => conflictError("Story", fresh.version, sent, {}),
      });
      attempts.push(tries);
      return saved;
    }));
    const failed = results.filter((result) => result.status === "rejected");
    assert.equal(failed.length, 0, failed.map((f) => String(f.reason)).join("\n"));
    assert.equal((await read()).version, first.version + 20);
    assert.ok(Math.max(...attempts) <= ATTEMPTS_WITHOUT_VERSION);
  } finally {
    await h.close();
  }
});

Deno.test("a version-less write that keeps losing says it sent no version", () => {
  const error = conflictError("User story #5", 9, { attempts: 6 }, { subject: "x" });
  assert.match(error.message, /sent without a version/);
  assert.doesNotMatch(error.message, /you sent version/);
});
