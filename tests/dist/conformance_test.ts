/**
 * The conformance script's bookkeeping. The suite itself (npm, ~30 s) runs with
 * `deno task conformance`, not in the test task; its results are in
 * docs/developer-guide/testing.md.
 */

import assert from "node:assert/strict";
import {
  APPLICABLE,
  CONFORMANCE_VERSION,
  markdownTable,
  NOT_APPLICABLE,
  summarise,
} from "../../scripts/conformance.ts";

Deno.test("conformance: the suite is pinned and every scenario is classified once", () => {
  assert.match(CONFORMANCE_VERSION, /^\d+\.\d+\.\d+$/);
  const overlap = APPLICABLE.filter((name) => name in NOT_APPLICABLE);
  assert.deepEqual(overlap, []);
  for (const name of ["server-initialize", "tools-list", "dns-rebinding-protection"]) {
    assert.ok(APPLICABLE.includes(name), name);
  }
  for (const reason of Object.values(NOT_APPLICABLE)) assert.ok(reason.length > 10);
});

Deno.test("conformance: a scenario passes only without failures or warnings", () => {
  const clean = summarise("ping", [
    { name: "Ping", status: "SUCCESS" },
    { name: "Info", status: "INFO" },
  ], true);
  assert.equal(clean.verdict, "pass");
  assert.equal(clean.passed, 1);

  const warned = summarise("x", [
    { name: "A", status: "SUCCESS" },
    { name: "B", status: "WARNING", errorMessage: "recommended\nthing" },
  ], true);
  assert.equal(warned.verdict, "warn");
  assert.deepEqual(warned.notes, ["WARNING B: recommended thing"]);

  const failed = summarise("y", [
    { name: "C", status: "WARNING" },
    { name: "D", status: "FAILURE", errorMessage: "boom" },
  ], true);
  assert.equal(failed.verdict, "fail");
  assert.deepEqual(failed.notes, ["FAILURE D: boom", "WARNING C"]);
});

Deno.test("conformance: the Markdown table says why a scenario does not apply", () => {
  const table = markdownTable([
    summarise("ping", [{ name: "Ping", status: "SUCCESS" }], true),
    summarise("tools-call-image", [{ name: "I", status: "FAILURE", errorMessage: "a|b" }], false),
    summarise("tools-list", [{ name: "L", status: "FAILURE", errorMessage: "a|b" }], true),
  ]);
  const lines = table.split("\n");
  assert.equal(lines.length, 5);
  assert.equal(lines[2], "| ping | yes | pass | 1 | 0 | 0 |  |");
  assert.match(lines[3], /\| no \| fail \|.*not applicable: needs the fixture tool/);
  assert.ok(lines[4].endsWith("FAILURE L: a\\|b |"), lines[4]);
});
