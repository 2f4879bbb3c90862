/**
 * Reads what one `conformance server --requirements <set> -o <dir>` run did (its output and the
 * per-scenario checks.json files) and judges every scenario against the plan (plan.ts): which
 * failures count, which checks are excused, and which scenarios the suite skipped or crashed on.
 * Pure functions, no I/O, so the tests drive them without the network.
 * @module
 */

import { PLANS, type RequirementSet, WIRE_CHECKS } from "./plan.ts";

/** One check as the suite records it in checks.json. */
export interface Check {
  /** Check id; one id may repeat within a scenario. */
  id: string;
  /** Human name. */
  name?: string;
  /** `SUCCESS`, `FAILURE`, `WARNING`, `SKIPPED` or `INFO`. */
  status: string;
  /** Why it failed or warned. */
  errorMessage?: string;
}

/** What the suite did with one scenario. */
export interface ScenarioRun {
  /** Scenario name. */
  scenario: string;
  /** Its checks.json, when the suite wrote one. */
  checks?: Check[];
  /** The suite's `SKIPPED: ...` line, when it skipped the scenario. */
  skipped?: string;
  /** The suite's error, when the scenario threw (no checks.json then). */
  crash?: string;
}

/** The verdict on one scenario of one requirement set. */
export interface ScenarioResult {
  /** The requirement set it ran under. */
  requirements: RequirementSet;
  /** Scenario name. */
  scenario: string;
  /** Whether it applies to taiga-mcp (plan.ts). */
  applicable: boolean;
  /** Checks that succeeded. */
  passed: number;
  /** Failed checks that count (all of them for a scenario that does not apply). */
  failed: number;
  /** Warnings that count. */
  warnings: number;
  /** Ids of the checks excused as fixture-dependent. */
  excluded: string[];
  /**
   * `pass`, `warn` (a SHOULD not met), `fail` (a failure that counts), `error` (the suite
   * crashed, skipped it, never ran it, or it is not in the plan), or `n/a` (does not apply).
   */
  verdict: "pass" | "warn" | "fail" | "error" | "n/a";
  /** Why: failures, warnings, errors, or the reason it does not apply. */
  notes: string[];
}

// deno-lint-ignore no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

/** `text` without ANSI colour codes (the suite always colours its output). */
export function stripAnsi(text: string): string {
  return text.replace(ANSI, "");
}

/** The scenario of a result directory (`server-<scenario>-<timestamp>`), if it is one. */
export function scenarioOfResultDir(name: string): string | undefined {
  return /^server-(.+)-\d{4}-\d{2}-\d{2}T\d{2}-\d{2}-\d{2}-\d{3}Z$/.exec(name)?.[1];
}

/**
 * What happened to each scenario of a run, in the order the suite ran them: `stdout`/`stderr`
 * are the suite's output, `results` the checks.json found per scenario.
 */
export function collectRuns(
  stdout: string,
  stderr: string,
  results: ReadonlyMap<string, Check[]>,
): Map<string, ScenarioRun> {
  const runs = new Map<string, ScenarioRun>();
  let current: ScenarioRun | undefined;
  for (const line of stripAnsi(stdout).split("\n")) {
    const header = /^=== Running scenario: (\S+) ===/.exec(line);
    if (header) {
      current = { scenario: header[1] };
      runs.set(current.scenario, current);
    } else if (current && line.startsWith("SKIPPED: ")) {
      current.skipped = line.trim();
    }
  }
  for (const match of stripAnsi(stderr).matchAll(/^Failed to run scenario (\S+?):? (.*)$/gm)) {
    const run = runs.get(match[1]) ?? { scenario: match[1] };
    run.crash = match[2].trim() || "unknown error";
    runs.set(run.scenario, run);
  }
  for (const [scenario, checks] of results) {
    const run = runs.get(scenario) ?? { scenario };
    run.checks = checks;
    runs.set(scenario, run);
  }
  return runs;
}

function oneLine(text: string): string {
  return text.replace(/\s+/g, " ").trim().slice(0, 300);
}

function describe(check: Check): string {
  const message = check.errorMessage ? `: ${oneLine(check.errorMessage)}` : "";
  return `${check.status} ${check.id}${message}`;
}

/** Whether the plan excuses `check` of `scenario` (right id, status and "Not testable" text). */
export function isExcused(set: RequirementSet, scenario: string, check: Check): boolean {
  const exclusion = PLANS[set].excludedChecks[scenario]?.[check.id];
  return exclusion !== undefined && check.status === exclusion.status &&
    exclusion.message.test(check.errorMessage ?? "");
}

/** The verdict on `scenario` of requirement set `set`, from what the suite did with it. */
export function judge(
  set: RequirementSet,
  scenario: string,
  run: ScenarioRun | undefined,
): ScenarioResult {
  const plan = PLANS[set];
  const applicable = scenario in plan.applicable;
  const result: ScenarioResult = {
    requirements: set,
    scenario,
    applicable,
    passed: 0,
    failed: 0,
    warnings: 0,
    excluded: [],
    verdict: "pass",
    notes: [],
  };
  const checks = run?.checks ?? [];
  result.passed = checks.filter((check) => check.status === "SUCCESS").length;
  if (!applicable) {
    const reason = plan.notApplicable[scenario];
    result.failed = checks.filter((check) => check.status === "FAILURE").length;
    result.warnings = checks.filter((check) => check.status === "WARNING").length;
    const wire = checks.filter((check) =>
      check.status === "FAILURE" && WIRE_CHECKS.includes(check.id)
    );
    if (reason === undefined) {
      result.verdict = "error";
      result.notes.push("not classified: add it to scripts/conformance/plan.ts");
    } else {
      result.verdict = wire.length > 0 ? "fail" : "n/a";
      result.notes.push(`not applicable: ${reason}`);
    }
    result.notes.push(...wire.map(describe));
    return result;
  }
  if (run?.checks === undefined) {
    result.verdict = "error";
    result.notes.push(
      run === undefined
        ? "the suite did not run it (is the plan out of date with the suite?)"
        : run.crash !== undefined
        ? `the suite failed to run it: ${oneLine(run.crash)}`
        : run.skipped !== undefined
        ? `the suite skipped it: ${oneLine(run.skipped)}`
        : "no checks.json was written",
    );
    return result;
  }
  const counted: Check[] = [];
  for (const check of checks) {
    if (isExcused(set, scenario, check)) result.excluded.push(check.id);
    else counted.push(check);
  }
  const failures = counted.filter((check) => check.status === "FAILURE");
  const warnings = counted.filter((check) => check.status === "WARNING");
  result.failed = failures.length;
  result.warnings = warnings.length;
  result.notes.push(...[...failures, ...warnings].map(describe));
  if (failures.length > 0) result.verdict = "fail";
  else if (result.passed === 0) {
    result.verdict = "error";
    result.notes.push("no check succeeded: nothing was tested");
  } else if (warnings.length > 0) result.verdict = "warn";
  return result;
}

/**
 * Judges every scenario of a requirement-set run: those the suite ran (in its order), then the
 * applicable ones it did not run.
 */
export function judgeSet(
  set: RequirementSet,
  runs: ReadonlyMap<string, ScenarioRun>,
): ScenarioResult[] {
  const names = [...runs.keys()];
  for (const name of Object.keys(PLANS[set].applicable)) {
    if (!runs.has(name)) names.push(name);
  }
  return names.map((name) => judge(set, name, runs.get(name)));
}

/** Whether `result` makes the run fail. */
export function isBroken(result: ScenarioResult): boolean {
  return result.verdict === "fail" || result.verdict === "error";
}

function cell(text: string): string {
  return text.replaceAll("|", "\\|");
}

/** The Markdown table of one requirement set's results. */
export function markdownTable(results: ScenarioResult[]): string {
  const rows = results.map((result) => {
    const notes = [...result.notes];
    if (result.excluded.length > 0) {
      notes.push(`excluded (fixture): ${[...new Set(result.excluded)].join(", ")}`);
    }
    return `| ${result.scenario} | ${
      result.applicable ? "yes" : "no"
    } | ${result.verdict} | ${result.passed} | ${result.failed} | ${result.warnings} | ${
      cell(notes.join("; "))
    } |`;
  });
  return [
    "| scenario | applies | verdict | passed | failed | warnings | notes |",
    "| --- | --- | --- | --- | --- | --- | --- |",
    ...rows,
  ].join("\n");
}

/** One line per excused check id: scenario, check, reason. */
export function exclusionLines(results: ScenarioResult[]): string[] {
  const lines: string[] = [];
  for (const result of results) {
    const exclusions = PLANS[result.requirements].excludedChecks[result.scenario] ?? {};
    for (const id of new Set(result.excluded)) {
      lines.push(`${result.scenario} / ${id}: ${exclusions[id]?.reason}`);
    }
  }
  return lines;
}
