/**
 * A 2xx answer that is not Taiga's JSON — HTML from a proxy or a wrong TAIGA_API_URL, an empty
 * body, malformed JSON, a wrong shape — is a clear "server" error, never a success, an empty
 * list or a session; and no message repeats more than a short prefix of such a body.
 */

import assert from "node:assert/strict";
import { startTestSandbox } from "../../sandbox/testing.ts";
import { loginWithPassword, verifyToken } from "../../src/sessions/auth.ts";
import { TaigaClient } from "../../src/taiga/client.ts";
import { fetchPage } from "../../src/taiga/pagination.ts";
import { expectError, testPolicy, withClient } from "./support.ts";

const PAGE = `<!doctype html><html><head><title>Welcome to nginx!</title></head><body>${
  "<p>filler</p>".repeat(2000)
}<p>SECRET-MARKER</p></body></html>`;

/** No markup, nothing past a short prefix, and the advice to check TAIGA_API_URL. */
function assertClean(message: string): void {
  assert.doesNotMatch(message, /<[a-z!/]/i, message);
  assert.ok(!message.includes("SECRET-MARKER") && !message.includes("filler"), message);
  assert.ok(message.length < 400, `${message.length} chars: ${message}`);
}

Deno.test("answers: a 2xx HTML page is 'No Taiga API at …', never a success", async () => {
  await withClient(async ({ sandbox, client }) => {
    sandbox.faults.add({ kind: "respond", status: 200, body: PAGE, match: /users\/me/ });
    const error = await expectError(client.get("users/me"), "server");
    assert.match(
      error.message,
      new RegExp(`^No Taiga API at ${sandbox.apiUrl} \\(GET /users/me answered HTML`),
    );
    assert.match(error.message, /"Welcome to nginx!"/);
    assert.match(error.message, /check TAIGA_API_URL/);
    assertClean(error.message);
  });
});

Deno.test("answers: an empty or malformed 2xx body is an error, not an empty item", async () => {
  await withClient(async ({ sandbox, client }) => {
    const before = sandbox.state.items.userstory.size;
    for (
      const [body, contentType, said] of [
        ["", "application/json", /an empty body/],
        ['{"id": 1, "subject": ', "application/json", /malformed JSON/],
        ["created it", "text/plain", /text\/plain \("created it"\)/],
      ] as const
    ) {
      sandbox.faults.add({ kind: "respond", status: 201, body, contentType, match: /POST/ });
      const error = await expectError(
        client.post("userstories", { project: 1, subject: "x" }),
        "server",
      );
      assert.match(error.message, said);
      assert.match(error.message, /No Taiga API at/);
    }
    // A 201 must carry the created object.
    sandbox.faults.add({
      kind: "respond",
      status: 201,
      body: "[]",
      contentType: "application/json",
    });
    const shape = await expectError(
      client.post("userstories", { project: 1, subject: "x" }),
      "server",
    );
    assert.match(shape.message, /created object/);
    assert.equal(sandbox.state.items.userstory.size, before);
  });
});

Deno.test("answers: what Taiga really sends empty still works (204, watch/upvote 200)", async () => {
  await withClient(async ({ client }) => {
    const story = await client.post<{ id: number }>("userstories", { project: 1, subject: "e" });
    assert.equal(await client.post(`userstories/${story.id}/watch`, {}), null);
    assert.equal(await client.post(`userstories/${story.id}/upvote`, {}), null);
    await client.delete(`userstories/${story.id}`);
  });
});

Deno.test("answers: a list that is not a list is an error, never 'total 0'", async () => {
  await withClient(async ({ sandbox, client }) => {
    sandbox.faults.add({
      kind: "respond",
      status: 200,
      body: '{"detail": "ok"}',
      contentType: "application/json",
      match: /GET .*userstories$/,
    });
    const error = await expectError(
      fetchPage(client, "userstories", { project: 1 }, { page: 1, pageSize: 10 }),
      "server",
    );
    assert.match(error.message, /an object where a list was expected/);
  });
});

Deno.test("answers: login and token checks open no session on a non-Taiga answer", async () => {
  const sandbox = await startTestSandbox();
  const policy = testPolicy();
  try {
    const answers: Array<[string, string, RegExp]> = [
      [PAGE, "text/html", /answered HTML/],
      ["{}", "application/json", /without a user's id and username/],
      ['{"id": 5, "username": "demo"}', "application/json", /without an auth_token/],
      ['{"id": 5, "username": "demo", "auth_token": 7}', "application/json", /auth_token/],
    ];
    for (const [body, contentType, said] of answers) {
      sandbox.faults.add({
        kind: "respond",
        status: 200,
        body,
        contentType,
        match: /POST .*auth$/,
      });
      const error = await expectError(
        loginWithPassword(sandbox.apiUrl, policy, "demo", "demo123"),
        "server",
      );
      assert.match(error.message, said);
      assertClean(error.message);
    }
    for (const [body, contentType] of [[PAGE, "text/html"], ['{"id": 5}', "application/json"]]) {
      sandbox.faults.add({ kind: "respond", status: 200, body, contentType, match: /users\/me/ });
      const error = await expectError(
        verifyToken(sandbox.apiUrl, policy, { token: "bogus-token-1", tokenType: "Application" }),
        "server",
      );
      assert.match(error.message, /No Taiga API at/);
    }
  } finally {
    policy.httpClient?.close();
    await sandbox.close();
  }
});

Deno.test("answers: a URL that is not a Taiga API says so, for 404 and 501 HTML too", async () => {
  const sandbox = await startTestSandbox();
  const policy = testPolicy();
  try {
    // The sandbox answers Django's HTML 404 outside /api/v1: a wrong TAIGA_API_URL.
    const wrong = `${sandbox.origin}/not-taiga/api/v1`;
    const error = await expectError(
      verifyToken(wrong, policy, { token: "abcdef123456", tokenType: "Application" }),
      "server",
    );
    assert.match(
      error.message,
      new RegExp(`^No Taiga API at ${wrong} \\(GET /users/me answered HTML`),
    );
    assert.equal(error.status, 404);
    assertClean(error.message);
    const client = new TaigaClient(sandbox.apiUrl, policy);
    sandbox.faults.add({ kind: "respond", status: 501, body: PAGE, match: /projects/ });
    const unimplemented = await expectError(client.get("projects"), "server");
    assert.match(unimplemented.message, /No Taiga API at .*HTTP 501/);
    assertClean(unimplemented.message);
    // Another service's JSON 404 (here, an MCP server's) is not Taiga's "no such object".
    const json = "application/json";
    const rpc = '{"jsonrpc":"2.0","error":{"code":-32000,"message":"Not Found"},"id":null}';
    sandbox.faults.add({
      kind: "respond",
      status: 404,
      body: rpc,
      contentType: json,
      match: /auth/,
    });
    const foreign = await expectError(
      loginWithPassword(sandbox.apiUrl, policy, "demo", "x"),
      "server",
    );
    assert.match(
      foreign.message,
      /^No Taiga API at .*POST \/auth answered an error without _error_message, HTTP 404/,
    );
    // Taiga's own 404 keeps meaning "not found".
    const taigas = '{"_error_message":"No UserStory matches the given query."}';
    sandbox.faults.add({
      kind: "respond",
      status: 404,
      body: taigas,
      contentType: json,
      match: /projects/,
    });
    const missing = await expectError(client.get("projects"), "not_found");
    assert.match(missing.message, /No UserStory matches the given query/);
    // A 5xx HTML page (Django's own error page) keeps its title only.
    sandbox.faults.add({ kind: "respond", status: 500, body: PAGE, match: /projects/ });
    const failed = await expectError(client.get("projects"), "server");
    assert.match(failed.message, /HTTP 500: HTML \("Welcome to nginx!"\)/);
    assertClean(failed.message);
  } finally {
    policy.httpClient?.close();
    await sandbox.close();
  }
});
