/**
 * Which conformance scenarios apply to taiga-mcp, per requirement set of the pinned suite
 * (`@modelcontextprotocol/conformance`): the scenarios that test protocol behaviour any server
 * must get right, the ones that need fixtures only the suite's reference server has (each with the
 * reason), and the single checks of an applicable scenario that need such a fixture.
 * @module
 */

/** The pinned suite version. */
export const CONFORMANCE_VERSION = "0.2.0-alpha.12";

/** A frozen requirement set of the suite: a protocol revision, run on its own wire. */
export type RequirementSet = "2025-11-25" | "2026-07-28";

/** Every requirement set, in the order they run. */
export const REQUIREMENT_SETS: readonly RequirementSet[] = Object.freeze([
  "2025-11-25",
  "2026-07-28",
]);

/**
 * A check inside an applicable scenario that cannot be tested without a fixture of the reference
 * server. It is excused only when its status is `status` and its message matches `message`
 * (the suite's own "Not testable" wording), so a real failure of the same check still counts.
 */
export interface CheckExclusion {
  /** The status the suite gives the check when the fixture is missing. */
  status: "FAILURE" | "WARNING";
  /** What the suite's message says when the fixture is missing. */
  message: RegExp;
  /** Why the check does not apply. */
  reason: string;
}

/** What runs, and what counts, for one requirement set. */
export interface SetPlan {
  /** The wire the suite uses for this set. */
  wire: string;
  /** Scenarios that apply to a real server: scenario → what it checks. */
  applicable: Readonly<Record<string, string>>;
  /** Scenarios that do not apply: scenario → why. */
  notApplicable: Readonly<Record<string, string>>;
  /** Fixture checks inside applicable scenarios: scenario → check id → exclusion. */
  excludedChecks: Readonly<Record<string, Readonly<Record<string, CheckExclusion>>>>;
}

/**
 * Checks that judge the server's own messages, whatever the scenario asked for: a FAILURE counts
 * even in a scenario that does not apply (`wire-schema-valid` validates every message the server
 * sent against the wire schema of the revision).
 */
export const WIRE_CHECKS: readonly string[] = Object.freeze(["wire-schema-valid"]);

const fixtureTool = (name: string): string => `needs the fixture tool ${name}`;

/** Fixture scenarios of the reference server that both requirement sets run. */
const FIXTURES: Record<string, string> = {
  "completion-complete": "asks to complete the fixture prompt test_prompt_with_arguments",
  "tools-call-simple-text": fixtureTool("test_simple_text"),
  "tools-call-image": fixtureTool("test_image_content"),
  "tools-call-audio": fixtureTool("test_audio_content"),
  "tools-call-embedded-resource": fixtureTool("test_embedded_resource"),
  "tools-call-mixed-content": fixtureTool("test_multiple_content_types"),
  "tools-call-error": fixtureTool("test_error_handling"),
  "tools-call-with-progress": fixtureTool("test_tool_with_progress"),
  "resources-read-text": "needs the fixture resource test://static-text",
  "resources-read-binary": "needs the fixture resource test://static-binary",
  "resources-templates-read": "needs the fixture template test://template/{id}/data",
  "prompts-get-simple": "needs the fixture prompt test_simple_prompt",
  "prompts-get-with-args": "needs the fixture prompt test_prompt_with_arguments",
  "prompts-get-embedded-resource": "needs the fixture prompt test_prompt_with_embedded_resource",
  "prompts-get-with-image": "needs the fixture prompt test_prompt_with_image",
  "json-schema-2020-12": `${fixtureTool("json_schema_2020_12_tool")} (pending, not scored)`,
};

/** Scenarios both requirement sets run and that apply on both wires. */
const COMMON: Record<string, string> = {
  "tools-list": "every tool has a name, description and inputSchema; names are 1-64 safe chars",
  "resources-list": "resources have a uri and a name",
  "prompts-list": "prompts have a name (and arguments)",
  "server-sse-multiple-streams": "three concurrent POST streams are all accepted",
  "dns-rebinding-protection": "a forged Host/Origin gets 4xx, the loopback one is served",
};

const notTestable = (fixture: string): RegExp => new RegExp(`^Not testable: .*'${fixture}'`);

/** input-required-result-* scenario → the fixture it calls. */
const INPUT_REQUIRED_FIXTURES: Record<string, string> = {
  "basic-elicitation": "tool test_input_required_result_elicitation",
  "basic-sampling": "tool test_input_required_result_sampling",
  "basic-list-roots": "tool test_input_required_result_list_roots",
  "request-state": "tool test_input_required_result_request_state",
  "multiple-input-requests": "tool test_input_required_result_multiple_inputs",
  "multi-round": "tool test_input_required_result_multi_round",
  "missing-input-response": "tool test_input_required_result_elicitation",
  "non-tool-request": "prompt test_input_required_result_prompt",
  "result-type": "tool test_input_required_result_elicitation",
  "tampered-state": "tool test_input_required_result_tampered_state",
  "capability-check": "tool test_input_required_result_capabilities",
  "ignore-extra-params": "tool test_input_required_result_elicitation",
  "validate-input": "tool test_input_required_result_elicitation " +
    "(it passes without it, only because an error answer is also acceptable)",
};

const TASKS = [
  "lifecycle",
  "capability-negotiation",
  "wire-fields",
  "request-state-removal",
  "mrtr-input",
  "request-headers",
  "dispatch-and-envelope",
  "status-notifications",
  "required-task-error",
  "mrtr-composition",
];

/** The 2025-11-25 requirement set: the stateful wire (initialize + Mcp-Session-Id). */
const PLAN_2025: SetPlan = {
  wire: "stateful (initialize + Mcp-Session-Id)",
  applicable: {
    "server-initialize": "initialize handshake; a session id of visible ASCII only",
    "ping": "ping answers {}",
    "logging-set-level": "logging/setLevel answers {}",
    ...COMMON,
    "server-session-lifecycle":
      "DELETE ends a session; its id then gets 404 (added after the release, not scored)",
    "server-sse-polling":
      "POST SSE streams start with a priming event and a retry: field (pending, not scored)",
  },
  notApplicable: {
    ...FIXTURES,
    "tools-call-with-logging": fixtureTool("test_tool_with_logging"),
    "tools-call-sampling": fixtureTool("test_sampling"),
    "tools-call-elicitation": fixtureTool("test_elicitation"),
    "elicitation-sep1034-defaults": fixtureTool("test_elicitation_sep1034_defaults"),
    "elicitation-sep1330-enums": fixtureTool("test_elicitation_sep1330_enums"),
    "resources-subscribe":
      "needs resource subscriptions and the fixture test://watched-resource (taiga-mcp offers no subscriptions)",
    "resources-unsubscribe":
      "needs resource subscriptions and the fixture test://watched-resource (taiga-mcp offers no subscriptions)",
  },
  excludedChecks: {
    "server-sse-polling": {
      "server-sse-disconnect-resume": {
        status: "WARNING",
        message: /^Server did not send tool response after client reconnected with Last-Event-ID/,
        reason: "needs the fixture tool test_reconnection, which closes its stream mid-call; " +
          "without it the call is answered on the POST stream and there is nothing to resume",
      },
    },
  },
};

/** The 2026-07-28 requirement set: the stateless wire (per-request `_meta`, server/discover). */
const PLAN_2026: SetPlan = {
  wire: "stateless (per-request _meta envelope, server/discover)",
  applicable: {
    "server-stateless":
      "the _meta envelope, server/discover, -32022/-32020/-32602 with HTTP 400, 404 + -32601 " +
      "for removed and unknown methods, error ids, subscriptions/listen",
    ...COMMON,
    "sep-2164-resource-not-found":
      "reading an unknown resource is a -32602 error with data.uri, never empty contents",
    "caching": "list results and resources/read carry ttlMs and cacheScope",
    "input-required-result-unsupported-methods":
      "tools/list and prompts/list never answer resultType input_required",
    "http-header-validation":
      "Mcp-Method / Mcp-Name must match the body (400 + -32020); header names are case-insensitive (pending, not scored)",
  },
  notApplicable: {
    ...FIXTURES,
    ...Object.fromEntries(
      Object.entries(INPUT_REQUIRED_FIXTURES).map((
        [name, fixture],
      ) => [`input-required-result-${name}`, `needs the fixture ${fixture}`]),
    ),
    "http-custom-header-server-validation":
      "needs a tool whose inputSchema marks a property x-mcp-header; taiga-mcp has none (pending, not scored)",
    ...Object.fromEntries(
      TASKS.map((name) => [
        `tasks-${name}`,
        "the io.modelcontextprotocol/tasks extension, which taiga-mcp does not offer (not scored)",
      ]),
    ),
  },
  excludedChecks: {
    "server-stateless": {
      "sep-2575-server-rejects-undeclared-capability": {
        status: "FAILURE",
        message: notTestable("test_missing_capability"),
        reason: "needs the fixture tool test_missing_capability (a tool that requires the " +
          "client's sampling capability); no taiga-mcp tool needs a client capability",
      },
      "sep-2575-missing-capability-http-400": {
        status: "FAILURE",
        message: notTestable("test_missing_capability"),
        reason: "needs the same fixture tool test_missing_capability (this is the HTTP 400 of " +
          "its -32021 answer)",
      },
      "sep-2575-http-server-no-independent-requests-on-stream": {
        status: "FAILURE",
        message: notTestable("test_streaming_elicitation"),
        reason: "needs the fixture tool test_streaming_elicitation; taiga-mcp never elicits",
      },
      "sep-2575-server-no-log-without-loglevel": {
        status: "FAILURE",
        message: notTestable("test_logging_tool"),
        reason: "needs the fixture tool test_logging_tool",
      },
      "sep-2575-server-sends-tools-list-changed-on-subscription": {
        status: "WARNING",
        message: /^Mutated the tool list but no notifications\/tools\/list_changed arrived/,
        reason: "needs the hook tool test_trigger_tool_change to change the tool list; the " +
          "suite reads our -32602 'Tool not found' as a change (it only knows -32601)",
      },
      "sep-2575-server-sends-prompts-list-changed-on-subscription": {
        status: "WARNING",
        message: /^Mutated the prompt list but no notifications\/prompts\/list_changed arrived/,
        reason: "needs the hook tool test_trigger_prompt_change to change the prompt list; the " +
          "suite reads our -32602 'Tool not found' as a change (it only knows -32601)",
      },
    },
  },
};

/** The plan of each requirement set. */
export const PLANS: Readonly<Record<RequirementSet, SetPlan>> = Object.freeze({
  "2025-11-25": PLAN_2025,
  "2026-07-28": PLAN_2026,
});

/** Whether `name` is a requirement set the script knows. */
export function isRequirementSet(name: string): name is RequirementSet {
  return (REQUIREMENT_SETS as readonly string[]).includes(name);
}
