/**
 * Credentials with control characters (NUL, CR, LF, a trailing one) or spaces are refused before
 * anything is sent, as an input error that never quotes the value — in the tool result, the
 * logs and the log notifications alike. (fetch's own "Invalid header value" error would quote
 * the whole header, token included, and was reported as a network error.)
 */

import assert from "node:assert/strict";
import { startTestSandbox } from "../../sandbox/testing.ts";
import { loginWithPassword, verifyToken } from "../../src/sessions/auth.ts";
import { TaigaClient } from "../../src/taiga/client.ts";
import { errorFacts, startHarness } from "../helpers/harness.ts";
import { expectError, recordingClientLog, testPolicy } from "./support.ts";

const SECRET = "5f0c2d9a8e7b4c1d9a8e7b4c";
const BAD_TOKENS = [
  `${SECRET}\u0000`,
  `${SECRET}\r\nX-Injected: 1`,
  `${SECRET}\n`,
  `\u0007${SECRET}`,
  `${SECRET} extra`,
  `Application ${SECRET}`,
  // Not a ByteString: fetch's Headers would throw, which read as a bug in taiga-mcp.
  `${SECRET}€`,
  `${SECRET}\u200b`,
  `é${SECRET}`,
];

Deno.test("credentials: the client refuses a token with a control character, sending nothing", async () => {
  const sandbox = await startTestSandbox();
  const { log, records } = recordingClientLog();
  const policy = testPolicy(5, log);
  try {
    for (const token of BAD_TOKENS) {
      sandbox.resetRequestCount();
      const client = new TaigaClient(sandbox.apiUrl, policy, { token, tokenType: "Application" });
      const error = await expectError(client.get("users/me"), "input");
      assert.ok(!error.message.includes(SECRET), error.message);
      assert.match(error.message, /not shown/);
      const verified = verifyToken(sandbox.apiUrl, policy, { token, tokenType: "Application" });
      assert.ok(!(await expectError(verified, "input")).message.includes(SECRET));
      const refresh = verifyToken(sandbox.apiUrl, policy, {
        token: "fine-token-123",
        tokenType: "Bearer",
        refresh: token,
      });
      assert.match((await expectError(refresh, "input")).message, /refresh token/);
      assert.equal(sandbox.requestCount(), 0, JSON.stringify(token));
    }
    assert.ok(!JSON.stringify(records).includes(SECRET));
  } finally {
    policy.httpClient?.close();
    await sandbox.close();
  }
});

Deno.test("credentials: a username or password with a control character is refused unquoted", async () => {
  const sandbox = await startTestSandbox();
  const policy = testPolicy();
  try {
    sandbox.resetRequestCount();
    const password = await expectError(
      loginWithPassword(sandbox.apiUrl, policy, "demo", `${SECRET}\u0000`),
      "input",
    );
    assert.match(password.message, /^password holds a control character/);
    assert.ok(!password.message.includes(SECRET));
    const username = await expectError(
      loginWithPassword(sandbox.apiUrl, policy, "demo\r\n", "demo123"),
      "input",
    );
    assert.match(username.message, /^username holds a control character/);
    assert.equal(sandbox.requestCount(), 0);
  } finally {
    policy.httpClient?.close();
    await sandbox.close();
  }
});

Deno.test("credentials: login_with_token and login refuse control characters as input errors, echoed nowhere", async () => {
  const h = await startHarness({ login: false });
  try {
    // A trailing line break alone is trimmed away like other surrounding whitespace.
    for (const auth_token of BAD_TOKENS.filter((token) => token !== `${SECRET}\n`)) {
      const result = await h.call("login_with_token", { auth_token, token_type: "Application" });
      assert.equal(result.isError, true);
      const facts = errorFacts(result);
      assert.equal(facts.error_type, "input", facts.message);
      assert.ok(!JSON.stringify(result).includes(SECRET), JSON.stringify(result));
    }
    const login = await h.call("login", { username: "demo", password: `demo123\u0000${SECRET}` });
    assert.equal(errorFacts(login).error_type, "input");
    assert.ok(!JSON.stringify(login).includes(SECRET));
    // The DEBUG log (what log notifications carry) holds none of it either.
    assert.ok(h.logLines.length > 0);
    assert.ok(!h.logLines.join("\n").includes(SECRET), h.logLines.join("\n"));
    assert.equal(h.deps.sessions.size, 0);
  } finally {
    await h.close();
  }
});
