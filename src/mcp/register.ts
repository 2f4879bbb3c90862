/**
 * Registers tool definitions on an McpServer: adds the optional `session_id` argument, builds the
 * ToolContext (session, progress, cancellation) and maps every failure to an `isError` result.
 * @module
 */

import { z } from "zod";
// @ts-types="@modelcontextprotocol/sdk/server/mcp"
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
import type { ServerDeps } from "./deps.ts";
import { resolveSession } from "./deps.ts";
import { runAsCaller } from "./caller.ts";
import {
  annotationsOf,
  type AnyTool,
  errorResult,
  successResult,
  type ToolContext,
} from "./tool.ts";

/** The `session_id` argument every tool accepts. */
export const sessionIdField: z.ZodOptional<z.ZodString> = z.string().min(1).max(200).optional()
  .describe(
    "Session to act in (from login). Omit to use the default session.",
  );

interface RequestExtra {
  signal: AbortSignal;
  _meta?: { progressToken?: string | number };
  sendNotification: (notification: {
    method: "notifications/progress";
    params: { progressToken: string | number; progress: number; total?: number; message?: string };
  }) => Promise<void>;
}

/** Builds the context a handler runs with, for one call. */
export function makeContext(
  deps: ServerDeps,
  extra: RequestExtra,
  sessionId: string | undefined,
  owner: string | undefined,
): ToolContext {
  const progressToken = extra._meta?.progressToken;
  return {
    deps,
    owner,
    signal: extra.signal,
    session: (explicit?: string) => resolveSession(deps, explicit ?? sessionId, owner),
    progress: async (done, total, message) => {
      if (progressToken === undefined) return;
      await extra.sendNotification({
        method: "notifications/progress",
        params: { progressToken, progress: done, total, message },
      }).catch(() => undefined);
    },
  };
}

/** Registers `tools` on `server`; `owner` ties new sessions to this MCP connection. */
export function registerTools(
  server: McpServer,
  tools: readonly AnyTool[],
  deps: ServerDeps,
  owner?: string,
): void {
  for (const tool of tools) {
    const inputSchema = { ...tool.input, session_id: sessionIdField };
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema,
        outputSchema: tool.output,
        annotations: annotationsOf(tool),
      },
      async (args: Record<string, unknown>, extra: unknown) => {
        const { session_id: sessionId, ...rest } = args;
        const ctx = makeContext(
          deps,
          extra as RequestExtra,
          sessionId as string | undefined,
          owner,
        );
        const started = performance.now();
        try {
          const result = await runAsCaller(owner, () => tool.handler(rest, ctx));
          deps.log.debug(`tool ${tool.name} ok`, { ms: Math.round(performance.now() - started) });
          return successResult(result);
        } catch (error) {
          deps.log.debug(`tool ${tool.name} failed`, {
            error: error instanceof Error ? error.message : String(error),
          });
          return errorResult(error);
        }
      },
    );
  }
}
