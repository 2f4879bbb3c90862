/**
 * Registers definition objects on an McpServer: tools (with the shared `session_id` argument),
 * resources and templates (with completion and listing), prompts (with completion). Each call
 * gets one {@link RequestContext}; every failure becomes the MCP answer errors.ts says.
 * @module
 */

import { z } from "zod";
import { sessionIdField } from "./args.ts";
import { runAsCaller } from "./caller.ts";
import { createContext, type RequestContext, type RequestParts } from "./context.ts";
import {
  annotationsOf,
  type AnyTool,
  type Completer,
  type PromptDefinition,
  type ResourceDefinition,
} from "./define.ts";
import type { ServerDeps } from "./deps.ts";
import { toolErrorResult, toProtocolError } from "./errors.ts";
import {
  type CallToolResult,
  completable,
  type CompleteResourceTemplateCallback,
  ErrorCode,
  type McpServer,
  ResourceTemplate,
} from "./sdk.ts";

/** What the SDK hands a request handler. */
interface RequestExtra {
  signal: AbortSignal;
  _meta?: { progressToken?: string | number };
  sendNotification?: (notification: {
    method: "notifications/progress";
    params: { progressToken: string | number; progress: number; total?: number; message?: string };
  }) => Promise<void>;
}

function partsOf(extra: RequestExtra | undefined): RequestParts {
  const progressToken = extra?._meta?.progressToken;
  return {
    signal: extra?.signal ?? new AbortController().signal,
    progressToken,
    sendProgress: progressToken === undefined || !extra?.sendNotification
      ? undefined
      : (progress) =>
        extra.sendNotification!({
          method: "notifications/progress",
          params: { progressToken, ...progress },
        }),
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
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: { ...tool.input, session_id: sessionIdField },
        outputSchema: tool.output,
        annotations: annotationsOf(tool),
      },
      async (args: Record<string, unknown>, extra: unknown): Promise<CallToolResult> => {
        const { session_id: sessionId, ...rest } = args;
        const ctx = createContext(
          deps,
          partsOf(extra as RequestExtra),
          owner,
          sessionId as string | undefined,
        );
        const started = performance.now();
        try {
          const result = await runAsCaller(owner, () => tool.handler(rest, ctx));
          deps.log.debug(`tool ${tool.name} ok`, { ms: Math.round(performance.now() - started) });
          return {
            content: [{ type: "text", text: JSON.stringify(result) }],
            structuredContent: result,
          };
        } catch (error) {
          deps.log.debug(`tool ${tool.name} failed`, {
            error: error instanceof Error ? error.message : String(error),
          });
          return toolErrorResult(error);
        }
      },
    );
  }
}

/** A completion callback of the SDK from one of ours (completion requests carry no signal). */
function completion(
  complete: Completer,
  deps: ServerDeps,
  owner: string | undefined,
): (
  typed: string | undefined,
  context?: { arguments?: Record<string, string> },
) => Promise<string[]> {
  return (typed, context) =>
    runAsCaller(owner, () =>
      complete(
        typed ?? "",
        context?.arguments ?? {},
        createContext(deps, partsOf(undefined), owner),
      ));
}

/** One URI-template variable as a single decoded string (the SDK may hand over a list). */
function variable(value: string | string[] | undefined): string {
  const text = Array.isArray(value) ? value.join(",") : value ?? "";
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** Registers `resources` on `server` for the MCP connection `owner`. */
export function registerResources(
  server: McpServer,
  resources: readonly ResourceDefinition[],
  deps: ServerDeps,
  owner?: string,
): void {
  for (const resource of resources) {
    const metadata = {
      mimeType: "application/json",
      title: resource.title,
      description: resource.description,
    };
    const read = async (uri: URL, vars: Record<string, string | string[]>, extra: RequestExtra) => {
      const ctx: RequestContext = createContext(deps, partsOf(extra), owner);
      try {
        const decoded = Object.fromEntries(
          Object.entries(vars).map(([name, value]) => [name, variable(value)]),
        );
        const data = await runAsCaller(owner, () => resource.read(decoded, ctx));
        return {
          contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(data) }],
        };
      } catch (error) {
        throw toProtocolError(error);
      }
    };
    if (!resource.uri.includes("{")) {
      server.registerResource(
        resource.name,
        resource.uri,
        metadata,
        (uri: URL, extra: RequestExtra) => read(uri, {}, extra),
      );
      continue;
    }
    const complete: Record<string, CompleteResourceTemplateCallback> = {};
    for (const [name, completer] of Object.entries(resource.complete ?? {})) {
      complete[name] = completion(completer, deps, owner);
    }
    const list = resource.list;
    server.registerResource(
      resource.name,
      new ResourceTemplate(resource.uri, {
        list: list
          ? async (extra: RequestExtra) => ({
            resources: (await list(createContext(deps, partsOf(extra), owner))).map((entry) => ({
              ...entry,
              mimeType: "application/json",
            })),
          })
          : undefined,
        complete,
      }),
      metadata,
      (uri: URL, vars: Record<string, string | string[]>, extra: RequestExtra) =>
        read(uri, vars, extra),
    );
  }
}

/** Registers `prompts` on `server`; they read with the default session of connection `owner`. */
export function registerPrompts(
  server: McpServer,
  prompts: readonly PromptDefinition[],
  deps: ServerDeps,
  owner?: string,
): void {
  for (const prompt of prompts) {
    // completable() marks the schema object itself, so each server gets its own schemas.
    const argsSchema = Object.fromEntries(
      Object.entries(prompt.args).map(([name, arg]) => {
        const base = z.string().trim().min(1).max(500);
        const schema = (arg.required ? base : base.optional()).describe(arg.description);
        return [
          name,
          arg.complete ? completable(schema, completion(arg.complete, deps, owner)) : schema,
        ];
      }),
    );
    server.registerPrompt(
      prompt.name,
      { title: prompt.title, description: prompt.description, argsSchema },
      async (args: Record<string, string | undefined>, extra: RequestExtra) => {
        try {
          const ctx = createContext(deps, partsOf(extra), owner);
          const message = await runAsCaller(owner, () => prompt.render(args, ctx));
          return {
            description: message.description,
            messages: [{
              role: "user" as const,
              content: { type: "text" as const, text: message.text },
            }],
          };
        } catch (error) {
          throw toProtocolError(error, ErrorCode.InvalidParams);
        }
      },
    );
  }
}
