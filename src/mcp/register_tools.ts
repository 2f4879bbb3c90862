/**
 * Registers tool definitions on an McpServer: the compact advertised schema, our own argument
 * validation, one request context per call, and every failure as an `isError` result. A tool that
 * needs the person's confirmation gets it asked through the protocol (see context.ts `confirm`).
 * @module
 */

import { InputError } from "../taiga/errors.ts";
import { createContext, NeedsConfirmation } from "./context.ts";
import { annotationsOf, type AnyTool } from "./define.ts";
import type { ServerDeps } from "./deps.ts";
import { toolErrorResult } from "./errors.ts";
import { asCaller, type Audience, CONFIRM_KEY, partsOf } from "./request.ts";
import { advertised, inputJsonOf, parseArguments } from "./schema.ts";
import {
  type CallToolResult,
  inputRequired,
  type InputRequiredResult,
  type McpServer,
  type ServerContext,
} from "./sdk.ts";

const CONFIRM_SCHEMA = {
  type: "object" as const,
  properties: { confirm: { type: "boolean" as const, title: "Go ahead", default: false } },
  required: ["confirm"],
};

/** Whether the client can be asked a question (form elicitation), in either era. */
function canAsk(ctx: ServerContext, server: McpServer): boolean {
  const envelope = ctx.mcpReq.envelope as Record<string, unknown> | undefined;
  const declared = envelope?.["io.modelcontextprotocol/clientCapabilities"] as
    | { elicitation?: unknown }
    | undefined;
  return (declared ?? server.server.getClientCapabilities())?.elicitation !== undefined;
}

/**
 * The question of a call that needs the person's confirmation: `input_required` for a client that
 * can be asked (a 2025 client gets it as an elicitation request), else an error saying to pass
 * `confirm: true`. Nothing was changed either way.
 */
function ask(
  question: string,
  ctx: ServerContext,
  server: McpServer,
): CallToolResult | InputRequiredResult {
  if (!canAsk(ctx, server)) {
    return toolErrorResult(
      new InputError(
        `${question} Nothing was changed. Ask the person, then call again with confirm: true to go ahead.`,
        { argument: "confirm" },
      ),
    );
  }
  return inputRequired({
    inputRequests: {
      [CONFIRM_KEY]: inputRequired.elicit({
        mode: "form",
        message: question,
        requestedSchema: CONFIRM_SCHEMA,
      }),
    },
  });
}

/** Registers `tools` on `server` for `audience`. */
export function registerTools(
  server: McpServer,
  tools: readonly AnyTool[],
  deps: ServerDeps,
  audience: Audience,
): void {
  for (const tool of tools) {
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: advertised(inputJsonOf(tool)),
        annotations: annotationsOf(tool),
      },
      async (args: unknown, ctx: ServerContext): Promise<CallToolResult | InputRequiredResult> => {
        const started = performance.now();
        try {
          const { session_id: sessionId, ...rest } = parseArguments(tool, args);
          const request = createContext(
            deps,
            partsOf(ctx, audience, deps),
            audience.owner,
            sessionId as string | undefined,
          );
          const result = await asCaller(audience, ctx, () => tool.handler(rest, request));
          deps.log.debug(`tool ${tool.name} ok`, { ms: Math.round(performance.now() - started) });
          return {
            content: [{ type: "text", text: JSON.stringify(result) }, ...request.attached],
            structuredContent: result,
          };
        } catch (error) {
          if (error instanceof NeedsConfirmation) return ask(error.question, ctx, server);
          deps.log.debug(`tool ${tool.name} failed`, {
            error: error instanceof Error ? error.message : String(error),
          });
          return toolErrorResult(error);
        }
      },
    );
  }
}
