/**
 * The two clients every protocol-level test can run with: the v1 SDK client (a 2025-era client,
 * as Claude Desktop, the Inspector and most clients in the wild are) and the v2 SDK client pinned
 * to 2026-07-28 (stateless requests with the `_meta` envelope). Tests talk to a
 * {@link TestClient}; the 2026 one is adapted so failures surface as the same McpError (code,
 * message, data) the 2025 tests already assert on.
 *
 * Which era the in-memory suite runs in comes from `TAIGA_MCP_TEST_ERA` (`2025`, the default,
 * or `2026`); `deno task test` runs tests/mcp/ once per era.
 * @module
 */

import { Client as ModernClient, InMemoryTransport } from "@modelcontextprotocol/client";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import { McpError } from "@modelcontextprotocol/sdk/types.js";

/** The protocol era a test runs in. */
export type Era = "2025" | "2026";

/** The era of this test run (`TAIGA_MCP_TEST_ERA`), 2025 by default. */
export function testEra(): Era {
  return Deno.env.get("TAIGA_MCP_TEST_ERA") === "2026" ? "2026" : "2025";
}

/** What the tests call on a client (the v1 client's methods and types). */
export type TestClient = Pick<
  Client,
  | "callTool"
  | "complete"
  | "getPrompt"
  | "listPrompts"
  | "listResources"
  | "listResourceTemplates"
  | "readResource"
  | "listTools"
  | "close"
>;

/** How a test client answers confirmations, and the questions it was asked. */
export interface ConfirmAnswers {
  /** Accept (true) or decline (false) the next questions. */
  accept: boolean;
  /** Every question asked, in order. */
  questions: string[];
}

/**
 * A v2 client pinned to 2026-07-28 that answers confirmations with `confirm` (or as `answers`
 * says at the time, recording each question there).
 */
export function modernClient(
  name: string,
  confirm: boolean | ConfirmAnswers = true,
): ModernClient {
  const answers = typeof confirm === "boolean" ? { accept: confirm, questions: [] } : confirm;
  const client = new ModernClient(
    { name, version: "1.0.0" },
    {
      versionNegotiation: { mode: { pin: "2026-07-28" } },
      capabilities: { elicitation: { form: {} } },
    },
  );
  client.setRequestHandler("elicitation/create", (request) => {
    answers.questions.push(String(request.params.message));
    return {
      action: answers.accept ? "accept" : "decline",
      content: answers.accept ? { confirm: true } : undefined,
    };
  });
  return client;
}

function asV1Error(error: unknown): unknown {
  const code = (error as { code?: unknown })?.code;
  if (typeof code !== "number") return error;
  const failure = error as { message: string; data?: unknown };
  return new McpError(code, failure.message, failure.data);
}

/** {@link TestClient} over a connected v2 client: same calls, failures as v1 McpErrors. */
export function adaptModern(client: ModernClient): TestClient {
  const wrap = <A extends unknown[], R>(call: (...args: A) => Promise<R>) =>
  async (
    ...args: A
  ): Promise<R> => {
    try {
      return await call(...args);
    } catch (error) {
      throw asV1Error(error);
    }
  };
  const modern = client as unknown as Record<string, (...args: unknown[]) => Promise<unknown>>;
  const method = (name: string) => wrap((...args: unknown[]) => modern[name].apply(client, args));
  return {
    // v1 takes (params, resultSchema, options); v2 takes (params, options).
    callTool: wrap((params: unknown, _schema?: unknown, options?: unknown) =>
      modern.callTool.call(client, params, options)
    ),
    complete: method("complete"),
    getPrompt: method("getPrompt"),
    listPrompts: method("listPrompts"),
    listResources: method("listResources"),
    listResourceTemplates: method("listResourceTemplates"),
    readResource: method("readResource"),
    listTools: method("listTools"),
    close: () => client.close(),
  } as TestClient;
}

/** A linked in-memory transport pair of the v2 SDK (client end, server end). */
export function modernPair(): [InMemoryTransport, InMemoryTransport] {
  return InMemoryTransport.createLinkedPair();
}

export { Client, ModernClient };
