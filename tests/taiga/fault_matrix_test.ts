/**
 * The Taiga client against every way a Taiga (or what stands in front of it) fails, per method:
 * 2xx HTML / empty / malformed JSON, connections dropped before and after the request was
 * processed (on a fresh or a reused connection), 429 with X-Throttle-Wait-Seconds, 502/503/504
 * and 500, stalled bodies and truncated bodies. For each: the retry decision (GET and DELETE
 * retried, POST and PATCH only when the connection was never made — see writes_test.ts), the
 * number of writes Taiga really did (counted in the sandbox's state) and a clear error.
 */

import assert from "node:assert/strict";
import type { Fault, TestSandbox } from "../../sandbox/testing.ts";
import type { TaigaClient } from "../../src/taiga/client.ts";
import { TaigaError } from "../../src/taiga/errors.ts";
import { demoClient, testPolicy, withClient } from "./support.ts";

type Method = "GET" | "POST" | "PATCH" | "DELETE";

/** What a call must end in: ok, or an error type (+ message); and how many requests it took. */
interface Outcome {
  /** "ok" or the TaigaError type. */
  result: string;
  /** Requests the sandbox received for the call. */
  requests: number;
  /** Writes Taiga did (POST: stories created, PATCH: versions added, DELETE: deleted). */
  done?: number;
  /** The message says the write may have happened. */
  maybe?: boolean;
  /** The message also matches this. */
  says?: RegExp;
}

interface Case {
  name: string;
  fault: Fault;
  /** Per method; a method left out does not apply (e.g. a body fault on DELETE's 204). */
  expect: Partial<Record<Method, Outcome>>;
  /** The request deadline, seconds (default 5). */
  timeoutSeconds?: number;
}

const ok = (requests: number, done?: number): Outcome => ({ result: "ok", requests, done });
const notTaiga = (says: RegExp): Outcome => ({ result: "server", requests: 1, done: 0, says });
const answer = (body: string, contentType = "application/json"): Fault => ({
  kind: "respond",
  status: 200,
  body,
  contentType,
});
const html = answer("<html><title>Proxy</title></html>", "text/html");
const empty = answer("");
const broken = answer('{"id": ');
const MAYBE_SENT = /broke after .* was sent/;

const CASES: Case[] = [
  {
    name: "2xx HTML",
    fault: html,
    expect: {
      GET: notTaiga(/No Taiga API at .*answered HTML \("Proxy"\)/),
      POST: notTaiga(/answered HTML/),
      PATCH: notTaiga(/answered HTML/),
      DELETE: notTaiga(/answered HTML/),
    },
  },
  {
    name: "2xx empty body",
    fault: empty,
    expect: {
      GET: notTaiga(/answered an empty body/),
      POST: notTaiga(/an empty body/),
      PATCH: notTaiga(/an empty body/),
      DELETE: notTaiga(/an empty body/),
    },
  },
  {
    name: "2xx malformed JSON",
    fault: broken,
    expect: {
      GET: notTaiga(/malformed JSON/),
      POST: notTaiga(/malformed JSON/),
      PATCH: notTaiga(/malformed JSON/),
      DELETE: notTaiga(/malformed JSON/),
    },
  },
  {
    name: "dropped before processing",
    fault: { kind: "drop" },
    expect: {
      GET: ok(2),
      POST: { result: "network", requests: 1, done: 0, maybe: true, says: MAYBE_SENT },
      PATCH: { result: "network", requests: 1, done: 0, maybe: true, says: MAYBE_SENT },
      DELETE: ok(2, 1),
    },
  },
  {
    name: "dropped after processing",
    fault: { kind: "drop_after" },
    expect: {
      GET: ok(2),
      POST: { result: "network", requests: 1, done: 1, maybe: true, says: MAYBE_SENT },
      PATCH: { result: "network", requests: 1, done: 1, maybe: true, says: MAYBE_SENT },
      DELETE: ok(2, 1),
    },
  },
  {
    name: "dropped after processing, on a reused connection",
    fault: { kind: "drop_after", keepAlive: true },
    expect: {
      GET: ok(2),
      POST: { result: "network", requests: 1, done: 1, maybe: true, says: MAYBE_SENT },
      PATCH: { result: "network", requests: 1, done: 1, maybe: true, says: MAYBE_SENT },
      DELETE: ok(2, 1),
    },
  },
  {
    name: "429 with X-Throttle-Wait-Seconds",
    fault: { kind: "throttle", waitSeconds: 1 },
    expect: { GET: ok(2), POST: ok(2, 1) },
  },
  ...[502, 504].map((status): Case => ({
    name: `${status} from a gateway`,
    fault: { kind: "status", status },
    expect: {
      GET: ok(2),
      POST: { result: "server", requests: 1, done: 0, maybe: true, says: /HTTP \d+: text\/plain/ },
      PATCH: { result: "server", requests: 1, done: 0, maybe: true },
      DELETE: ok(2, 1),
    },
  })),
  {
    name: "503",
    fault: { kind: "status", status: 503 },
    expect: {
      GET: ok(2),
      POST: { result: "server", requests: 1, done: 0, says: /HTTP 503/ },
      PATCH: { result: "server", requests: 1, done: 0 },
      DELETE: ok(2, 1),
    },
  },
  {
    name: "500",
    fault: { kind: "status", status: 500 },
    expect: {
      GET: { result: "server", requests: 1, says: /HTTP 500/ },
      POST: { result: "server", requests: 1, done: 0 },
      PATCH: { result: "server", requests: 1, done: 0 },
      DELETE: { result: "server", requests: 1, done: 0 },
    },
  },
  {
    name: "a body that stalls past the deadline",
    fault: { kind: "slow_body", ms: 3000 },
    timeoutSeconds: 1,
    expect: {
      GET: { result: "timeout", requests: 1, says: /REQUEST_TIMEOUT/ },
      POST: { result: "timeout", requests: 1, done: 1, maybe: true },
    },
  },
  {
    name: "a body cut short (Content-Length larger than what came)",
    fault: { kind: "truncate" },
    expect: {
      GET: ok(2),
      POST: {
        result: "network",
        requests: 1,
        done: 1,
        maybe: true,
        says: /\(HTTP 201\) was cut off/,
      },
      PATCH: {
        result: "network",
        requests: 1,
        done: 1,
        maybe: true,
        says: /\(HTTP 200\) was cut off/,
      },
    },
  },
];

const MATCH: Record<Method, RegExp> = {
  GET: /^GET .*\/users\/me$/,
  POST: /^POST .*\/userstories$/,
  PATCH: /^PATCH .*\/userstories\/\d+$/,
  DELETE: /^DELETE .*\/userstories\/\d+$/,
};

/** Runs `method` once under `fault`; returns the outcome and the writes Taiga did. */
async function run(
  sandbox: TestSandbox,
  client: TaigaClient,
  method: Method,
  fault: Case["fault"],
): Promise<{ result: string; requests: number; done: number; error?: TaigaError }> {
  const stories = sandbox.state.items.userstory;
  const story = await client.post<{ id: number; version: number }>("userstories", {
    project: 1,
    subject: "target",
  });
  const subject = `matrix ${crypto.randomUUID()}`;
  const done = (): number =>
    method === "POST"
      ? [...stories.values()].filter((us) => us.subject === subject).length
      : method === "PATCH"
      ? (stories.get(story.id)?.version ?? 0) - story.version
      : method === "DELETE"
      ? Number(!stories.has(story.id))
      : 0;
  const call: Record<Method, () => Promise<unknown>> = {
    GET: () => client.get("users/me"),
    POST: () => client.post("userstories", { project: 1, subject }),
    PATCH: () => client.patch(`userstories/${story.id}`, { subject, version: story.version }),
    DELETE: () => client.delete(`userstories/${story.id}`),
  };
  sandbox.faults.add({ ...fault, match: MATCH[method] } as Fault);
  sandbox.resetRequestCount();
  try {
    await call[method]();
    return { result: "ok", requests: sandbox.requestCount(), done: done() };
  } catch (error) {
    if (!(error instanceof TaigaError)) throw error;
    return { result: error.type, requests: sandbox.requestCount(), done: done(), error };
  } finally {
    sandbox.faults.clear();
  }
}

Deno.test("fault matrix: retry decisions, writes done and errors for every fault and method", async () => {
  await withClient(async ({ sandbox, client: fastClient }) => {
    const slowPolicy = testPolicy(1);
    try {
      const shortClient = await demoClient(sandbox.apiUrl, slowPolicy);
      const failures: string[] = [];
      for (const { name, fault, expect, timeoutSeconds } of CASES) {
        const client = timeoutSeconds ? shortClient : fastClient;
        // Warm the pool so a keepAlive fault meets a reused connection.
        await client.get("users/me");
        for (const [method, want] of Object.entries(expect) as Array<[Method, Outcome]>) {
          const got = await run(sandbox, client, method, fault);
          const label = `${name} / ${method}`;
          const message = got.error?.message ?? "";
          const wrong = [
            got.result !== want.result && `result ${got.result} (${message})`,
            got.requests !== want.requests && `${got.requests} requests`,
            want.done !== undefined && got.done !== want.done && `${got.done} writes done`,
            want.maybe !== undefined &&
            /may have been done/.test(message) !== want.maybe && `"may have" ${!want.maybe}`,
            want.says && !want.says.test(message) && `message "${message}"`,
            /<[a-z]/i.test(message) && `markup in "${message}"`,
          ].filter(Boolean);
          if (wrong.length > 0) failures.push(`${label}: ${wrong.join(", ")}`);
        }
      }
      assert.deepEqual(failures, []);
    } finally {
      slowPolicy.httpClient?.close();
    }
  });
});
