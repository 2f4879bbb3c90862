/**
 * The conformance script's bookkeeping, without the network: the plan per requirement set, how
 * the suite's output and checks.json files are read, and which failures count. The suite itself
 * (npm, ~15 s) runs with `deno task conformance`, not in the test task; its results are in
 * docs/developer-guide/testing.md.
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { probeCommand, PROBES } from "../../scripts/conformance/inspector.ts";
import {
  CONFORMANCE_VERSION,
  PLANS,
  REQUIREMENT_SETS,
  WIRE_CHECKS,
} from "../../scripts/conformance/plan.ts";
import { readResults } from "../../scripts/conformance/process.ts";
import {
  type Check,
  collectRuns,
  exclusionLines,
  isBroken,
  isExcused,
  judge,
  judgeSet,
  markdownTable,
  scenarioOfResultDir,
} from "../../scripts/conformance/results.ts";

const ok = (id: string): Check => ({ id, status: "SUCCESS" });
const NOT_TESTABLE = "Not testable: server does not list the diagnostic tool " +
  "'test_missing_capability' in tools/list and the probe call did not exercise it";

Deno.test("conformance: a 0.2 suite, and every scenario of each set classified once", () => {
  assert.match(CONFORMANCE_VERSION, /^0\.2\.\d+(-[0-9A-Za-z.]+)?$/);
  assert.deepEqual([...REQUIREMENT_SETS], ["2025-11-25", "2026-07-28"]);
  for (const set of REQUIREMENT_SETS) {
    const plan = PLANS[set];
    const overlap = Object.keys(plan.applicable).filter((name) => name in plan.notApplicable);
    assert.deepEqual(overlap, [], set);
    for (const text of [...Object.values(plan.applicable), ...Object.values(plan.notApplicable)]) {
      assert.ok(text.length > 10, `${set}: ${text}`);
    }
    for (const [scenario, checks] of Object.entries(plan.excludedChecks)) {
      assert.ok(scenario in plan.applicable, `${set}: exclusions of ${scenario}`);
      for (const exclusion of Object.values(checks)) assert.ok(exclusion.reason.length > 20);
    }
    for (const name of ["tools-list", "dns-rebinding-protection", "server-sse-multiple-streams"]) {
      assert.ok(name in plan.applicable, `${set}: ${name}`);
    }
  }
  assert.ok("server-initialize" in PLANS["2025-11-25"].applicable);
  assert.ok("server-session-lifecycle" in PLANS["2025-11-25"].applicable);
  assert.ok(!("server-initialize" in PLANS["2026-07-28"].applicable));
  for (const name of ["server-stateless", "caching", "sep-2164-resource-not-found"]) {
    assert.ok(name in PLANS["2026-07-28"].applicable, name);
  }
  assert.ok("tasks-lifecycle" in PLANS["2026-07-28"].notApplicable);
  assert.deepEqual([...WIRE_CHECKS], ["wire-schema-valid"]);
});

Deno.test("conformance: a fixture check is excused only with its status and Not-testable text", () => {
  const set = "2026-07-28";
  const id = "sep-2575-server-rejects-undeclared-capability";
  assert.ok(
    isExcused(set, "server-stateless", { id, status: "FAILURE", errorMessage: NOT_TESTABLE }),
  );
  // The same check failing for a real reason counts.
  const executed = "Server executed 'test_missing_capability' without the sampling capability";
  assert.ok(!isExcused(set, "server-stateless", { id, status: "FAILURE", errorMessage: executed }));
  assert.ok(!isExcused(set, "server-stateless", { id, status: "FAILURE" }));
  // A WARNING exclusion never excuses a FAILURE of the same check.
  const listChanged = "sep-2575-server-sends-tools-list-changed-on-subscription";
  const mutated = "Mutated the tool list but no notifications/tools/list_changed arrived on the " +
    "open subscription stream. This is a SHOULD requirement.";
  assert.ok(
    isExcused(set, "server-stateless", {
      id: listChanged,
      status: "WARNING",
      errorMessage: mutated,
    }),
  );
  assert.ok(
    !isExcused(set, "server-stateless", {
      id: listChanged,
      status: "FAILURE",
      errorMessage: mutated,
    }),
  );
  // Only in the scenario and requirement set it is listed for.
  assert.ok(!isExcused(set, "tools-list", { id, status: "FAILURE", errorMessage: NOT_TESTABLE }));
  assert.ok(
    !isExcused("2025-11-25", "server-stateless", {
      id,
      status: "FAILURE",
      errorMessage: NOT_TESTABLE,
    }),
  );
});

Deno.test("conformance: the suite's coloured output, crashes and skips are read per scenario", () => {
  const stdout = [
    "\x1b[1mRunning requirements 2026-07-28 (3 scenarios)\x1b[0m",
    "\n=== Running scenario: tools-list ===",
    "Results saved to out/server-tools-list-2026-12-01T09-34-16-151Z",
    "\n=== Running scenario: caching ===",
    "\x1b[33mSKIPPED: scenario 'caching' is not applicable at spec version 2025-11-25\x1b[0m",
    "\n=== Running scenario: server-stateless ===",
  ].join("\n");
  const stderr =
    "Failed to run scenario server-stateless: Error: fetch failed\n    at x (y.js:1)\n";
  const runs = collectRuns(stdout, stderr, new Map([["tools-list", [ok("tools-list")]]]));
  assert.deepEqual([...runs.keys()], ["tools-list", "caching", "server-stateless"]);
  assert.deepEqual(runs.get("tools-list")?.checks, [ok("tools-list")]);
  assert.match(runs.get("caching")?.skipped ?? "", /^SKIPPED: scenario 'caching'/);
  assert.equal(runs.get("server-stateless")?.crash, "Error: fetch failed");

  const results = judgeSet("2026-07-28", runs);
  const verdicts = Object.fromEntries(results.map((result) => [result.scenario, result.verdict]));
  assert.equal(verdicts["tools-list"], "pass");
  assert.equal(verdicts["caching"], "error");
  assert.equal(verdicts["server-stateless"], "error");
  // Applicable scenarios the suite never ran are reported too.
  assert.equal(verdicts["sep-2164-resource-not-found"], "error");
  assert.match(results.find((r) => r.scenario === "caching")?.notes[0] ?? "", /skipped it/);
  assert.match(
    results.find((r) => r.scenario === "server-stateless")?.notes[0] ?? "",
    /fetch failed/,
  );

  assert.equal(
    scenarioOfResultDir("server-server-stateless-2026-12-01T09-34-10-213Z"),
    "server-stateless",
  );
  assert.equal(scenarioOfResultDir("cache"), undefined);
});

Deno.test("conformance: verdicts count real failures and warnings, never fixture ones", () => {
  const set = "2026-07-28";
  const run = (scenario: string, checks: Check[]) => judge(set, scenario, { scenario, checks });
  assert.equal(run("caching", [ok("a"), { id: "i", status: "INFO" }]).verdict, "pass");
  const warned = run("caching", [ok("a"), { id: "w", status: "WARNING", errorMessage: "x\ny" }]);
  assert.equal(warned.verdict, "warn");
  assert.deepEqual(warned.notes, ["WARNING w: x y"]);
  const failed = run("caching", [ok("a"), { id: "f", status: "FAILURE", errorMessage: "boom" }]);
  assert.equal(failed.verdict, "fail");
  assert.ok(isBroken(failed));
  assert.equal(run("caching", [{ id: "s", status: "SKIPPED" }]).verdict, "error");

  const stateless = run("server-stateless", [
    ok("sep-2575-server-implements-discover"),
    {
      id: "sep-2575-server-rejects-undeclared-capability",
      status: "FAILURE",
      errorMessage: NOT_TESTABLE,
    },
  ]);
  assert.equal(stateless.verdict, "pass");
  assert.deepEqual(stateless.excluded, ["sep-2575-server-rejects-undeclared-capability"]);
  assert.equal(exclusionLines([stateless]).length, 1);
  assert.match(exclusionLines([stateless])[0], /test_missing_capability/);

  // Not applicable: the suite's failures say nothing, except a malformed message of ours.
  const fixture = run("tools-call-image", [ok("wire-schema-valid"), {
    id: "x",
    status: "FAILURE",
  }]);
  assert.equal(fixture.verdict, "n/a");
  assert.ok(!isBroken(fixture));
  const badWire = run("tools-call-image", [{ id: "wire-schema-valid", status: "FAILURE" }]);
  assert.equal(badWire.verdict, "fail");
  // A scenario the plan does not know fails the run until someone classifies it.
  assert.equal(run("sep-9999-new-thing", [ok("a")]).verdict, "error");
});

Deno.test("conformance: the Markdown table says why a scenario does not apply", () => {
  const set = "2025-11-25";
  const table = markdownTable([
    judge(set, "ping", { scenario: "ping", checks: [ok("ping")] }),
    judge(set, "tools-call-image", { scenario: "tools-call-image", checks: [ok("x")] }),
    judge(set, "tools-list", {
      scenario: "tools-list",
      checks: [{ id: "L", status: "FAILURE", errorMessage: "a|b" }],
    }),
  ]);
  const lines = table.split("\n");
  assert.equal(lines.length, 5);
  assert.equal(lines[2], "| ping | yes | pass | 1 | 0 | 0 |  |");
  assert.match(lines[3], /\| no \| n\/a \|.*not applicable: needs the fixture tool/);
  assert.ok(lines[4].endsWith("FAILURE L: a\\|b |"), lines[4]);
});

Deno.test("conformance: checks.json files are found by scenario; empty result dirs are not", async () => {
  const out = await Deno.makeTempDir();
  try {
    const dir = join(out, "server-tools-list-2026-12-01T09-34-16-151Z");
    await Deno.mkdir(dir);
    await Deno.writeTextFile(join(dir, "checks.json"), JSON.stringify([ok("tools-list")]));
    await Deno.mkdir(join(out, "server-caching-2026-12-01T09-34-17-015Z"));
    const results = await readResults(out);
    assert.deepEqual([...results.keys()], ["tools-list"]);
    assert.deepEqual((await readResults(join(out, "missing"))).size, 0);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});

Deno.test("conformance: the Inspector probes cover both transports and eras with real flags", () => {
  const labels = PROBES.map((probe) => probe.label);
  for (const transport of ["http", "stdio"]) {
    for (const era of ["legacy", "modern"]) {
      assert.ok(labels.includes(`${transport} ${era} tools/list`), `${transport} ${era}`);
    }
  }
  const target = { url: "http://127.0.0.1:1/mcp", serverDir: "/repo", cache: "/c", denoDir: "/d" };
  const stdio = probeCommand(PROBES.find((p) => p.transport === "stdio")!, target);
  const server = stdio.slice(stdio.indexOf("--") + 1);
  assert.ok(server.includes("--allow-read=/c") && !server.includes("-A"), server.join(" "));
  assert.deepEqual(server.slice(-3), ["--sandbox", "--transport", "stdio"]);
  const http = probeCommand(PROBES[0], target);
  assert.deepEqual(http.slice(0, 2), ["--cli", target.url]);
  assert.ok(http.includes("--protocol-era"));
});
