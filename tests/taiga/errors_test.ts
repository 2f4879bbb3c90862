import assert from "node:assert/strict";
import {
  describeTaigaBody,
  ECHO_LIMIT,
  errorFromResponse,
  shortValue,
} from "../../src/taiga/errors.ts";

const SAMPLES = new URL("../fixtures/taiga-samples/", import.meta.url);

async function sample(
  name: string,
): Promise<{ status: number; body: unknown; headers: Record<string, string> }> {
  return JSON.parse(await Deno.readTextFile(new URL(`${name}.json`, SAMPLES)));
}

Deno.test("errors: each recorded Taiga error body becomes the right typed error", async () => {
  const cases: Array<[string, string, RegExp]> = [
    ["auth-login-401", "auth", /No active account/],
    ["users-me-401-no-token", "auth", /credentials were not provided/],
    ["users-me-401-bad-token", "auth", /not valid for any token type/],
    ["userstories-by-ref-404", "not_found", /No UserStory matches/],
    ["userstories-patch-stale-400", "conflict", /changed since the version you sent/],
    [
      "userstories-patch-no-version-400",
      "validation",
      /version: The version parameter is not valid/,
    ],
    ["userstories-create-400-fields", "validation", /subject/],
    ["projects-by-slug-404", "not_found", /Not found/],
  ];
  for (const [name, type, message] of cases) {
    const recorded = await sample(name);
    const error = errorFromResponse(
      recorded.status,
      recorded.body,
      new Headers(recorded.headers),
      "GET /x",
    );
    assert.equal(error.type, type, name);
    assert.match(error.message, message, `${name}: ${error.message}`);
    assert.equal(error.status, recorded.status);
  }
});

Deno.test("errors: field errors are kept as details; 429 carries the wait", () => {
  const fields = errorFromResponse(
    400,
    { subject: ["This field is required."] },
    new Headers(),
    "POST /userstories",
  );
  assert.deepEqual(fields.details, { subject: ["This field is required."] });
  const throttled = errorFromResponse(
    429,
    { _error_message: "Request was throttled.Expected available in 7 seconds." },
    new Headers({ "X-Throttle-Wait-Seconds": "7" }),
    "GET /projects",
  );
  assert.equal(throttled.type, "throttled");
  assert.equal(throttled.waitSeconds, 7);
  assert.equal(errorFromResponse(503, "<html>", new Headers(), "GET /x").type, "server");
  assert.equal(
    errorFromResponse(403, { _error_message: "nope" }, new Headers(), "GET /x").type,
    "permission",
  );
});

Deno.test("errors: describeTaigaBody reads every body shape", () => {
  assert.equal(describeTaigaBody("ref param is needed"), "ref param is needed");
  assert.equal(describeTaigaBody({ non_field_errors: ["bad"] }), "bad");
  assert.equal(describeTaigaBody(null), undefined);
  assert.equal(describeTaigaBody(["a", "b"]), "a; b");
});

Deno.test("shortValue: cut to ECHO_LIMIT, control characters escaped so a message stays one line", () => {
  assert.equal(shortValue("a\nb\u0000c\u007fé"), "a\\nb\\u0000c\\u007fé");
  const long = shortValue("x".repeat(500));
  assert.ok(long.startsWith("x".repeat(ECHO_LIMIT)) && long.endsWith("… (500 chars)"), long);
});
