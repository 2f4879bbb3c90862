/**
 * No silent second write: when the connection breaks after Taiga processed a POST or PATCH, the
 * caller gets one write and an error saying it may have happened — never a re-send by the HTTP
 * stack (hyper re-sends a request whose reused keep-alive connection dropped). A DELETE whose
 * answer was lost is retried, and the 404 that follows means it was done.
 */

import assert from "node:assert/strict";
import { TaigaClient } from "../../src/taiga/client.ts";
import { expectError, recordingClientLog, testPolicy, withClient } from "./support.ts";

const MAYBE = /may have been done anyway: read it back before trying again/;

Deno.test("writes: a POST dropped after Taiga created the story on a reused connection creates one story", async () => {
  await withClient(async ({ sandbox, client }) => {
    // Warm the keep-alive pool, as any session does, so the POST may ride a reused connection.
    await client.get("users/me");
    await client.post("userstories", { project: 1, subject: "warm-up" });
    const subjects = () =>
      [...sandbox.state.items.userstory.values()].filter((us) => us.subject === "only once");
    sandbox.faults.add({ kind: "drop_after", keepAlive: true, match: /POST .*\/userstories$/ });
    sandbox.resetRequestCount();
    const error = await expectError(
      client.post("userstories", { project: 1, subject: "only once" }),
      "network",
    );
    assert.match(error.message, /broke after POST \/userstories was sent/);
    assert.match(error.message, MAYBE);
    assert.deepEqual(error.details, { may_have_happened: true });
    assert.equal(subjects().length, 1, "exactly one story for one call");
    assert.equal(sandbox.requestCount(), 1, "sent once");
  });
});

Deno.test("writes: a PATCH dropped after Taiga applied it is applied once", async () => {
  await withClient(async ({ sandbox, client }) => {
    const story = await client.post<{ id: number; version: number }>("userstories", {
      project: 1,
      subject: "patched",
    });
    await client.get(`userstories/${story.id}`);
    sandbox.faults.add({ kind: "drop_after", keepAlive: true, match: /PATCH/ });
    sandbox.resetRequestCount();
    const error = await expectError(
      client.patch(`userstories/${story.id}`, { comment: "once", version: story.version }),
      "network",
    );
    assert.match(error.message, MAYBE);
    assert.equal(sandbox.requestCount(), 1);
    assert.equal(sandbox.state.items.userstory.get(story.id)?.version, story.version + 1);
  });
});

Deno.test("writes: a DELETE whose answer was lost is retried and its 404 reported as done", async () => {
  await withClient(async ({ sandbox, client }) => {
    for (const keepAlive of [false, true]) {
      const story = await client.post<{ id: number }>("userstories", { project: 1, subject: "d" });
      sandbox.faults.add({ kind: "drop_after", keepAlive, match: /DELETE/ });
      sandbox.resetRequestCount();
      await client.delete(`userstories/${story.id}`);
      assert.equal(sandbox.state.items.userstory.has(story.id), false);
      assert.equal(sandbox.requestCount(), 2, "the retry found it gone");
    }
    // A DELETE of something that never existed is still not found.
    await expectError(client.delete("userstories/999999"), "not_found");
  });
});

Deno.test("writes: a POST that never reached Taiga (connection refused) is retried, and says so", async () => {
  const listener = Deno.listen({ hostname: "127.0.0.1", port: 0 });
  const port = (listener.addr as Deno.NetAddr).port;
  listener.close();
  const { log, records } = recordingClientLog();
  const policy = testPolicy(5, log);
  try {
    const client = new TaigaClient(`http://127.0.0.1:${port}/api/v1`, policy);
    const error = await expectError(client.post("userstories", { subject: "x" }), "network");
    assert.match(error.message, /Could not reach Taiga/);
    assert.doesNotMatch(error.message, /may have/);
    const line = records.find((record) => record.data?.path === "/userstories");
    assert.equal(line?.data?.retries, 3, JSON.stringify(records));
  } finally {
    policy.httpClient?.close();
  }
});
