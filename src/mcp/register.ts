/**
 * Registers definition objects on an McpServer: tools (compact advertised schema, our own
 * validation), resources and templates (with completion and listing), prompts (with completion).
 * Each call gets one {@link RequestContext}; every failure becomes the MCP answer errors.ts says.
 * @module
 */

import { z } from "zod";
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
import { advertised, parseArguments, schemasOf } from "./schema.ts";
import {
  type CacheHint,
  type CallToolResult,
  completable,
  type CompleteResourceTemplateCallback,
  type McpServer,
  ProtocolErrorCode,
  ResourceTemplate,
  type ServerContext,
} from "./sdk.ts";

/** Who a server instance serves: its connection (2025 sessions) and its era. */
export interface Audience {
  /** The MCP connection (2025 HTTP session id); undefined for stdio and stateless requests. */
  owner?: string;
  /** `modern` for 2026-07-28 requests (stateless), `legacy` for `initialize`-era connections. */
  era: "legacy" | "modern";
}

/** Resource reads are per person and change all the time: a short private cache hint. */
const READ_HINT: CacheHint = { ttlMs: 0, cacheScope: "private" };

function partsOf(ctx: ServerContext | undefined): RequestParts {
  const progressToken = ctx?.mcpReq._meta?.progressToken as string | number | undefined;
  return {
    signal: ctx?.mcpReq.signal ?? new AbortController().signal,
    progressToken,
    sendProgress: progressToken === undefined || !ctx
      ? undefined
      : (progress) =>
        ctx.mcpReq.notify({
          method: "notifications/progress",
          params: { progressToken, ...progress },
        }),
  };
}

/**
 * Runs `work` as the caller of this request: a 2025 connection is known by its owner (its log
 * records reach it through the server's sink); a stateless request gets its own log channel.
 */
function asCaller<T>(
  audience: Audience,
  ctx: ServerContext | undefined,
  work: () => Promise<T>,
): Promise<T> {
  const log = audience.era === "modern" && ctx
    ? (level: "debug" | "info" | "warning" | "error", data: unknown) =>
      void ctx.mcpReq.log(level, data, "taiga-mcp").catch(() => undefined)
    : undefined;
  return runAsCaller(audience.owner, work, log);
}

/** Registers `tools` on `server` for `audience`. */
export function registerTools(
  server: McpServer,
  tools: readonly AnyTool[],
  deps: ServerDeps,
  audience: Audience,
): void {
  for (const tool of tools) {
    const schemas = schemasOf(tool);
    server.registerTool(
      tool.name,
      {
        title: tool.title,
        description: tool.description,
        inputSchema: advertised(schemas.inputJson),
        annotations: annotationsOf(tool),
      },
      async (args: unknown, ctx: ServerContext): Promise<CallToolResult> => {
        const started = performance.now();
        try {
          const { session_id: sessionId, ...rest } = parseArguments(tool, args);
          const request = createContext(
            deps,
            partsOf(ctx),
            audience.owner,
            sessionId as string | undefined,
          );
          const result = await asCaller(audience, ctx, () => tool.handler(rest, request));
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

/** A completion callback of the SDK from one of ours. */
function completion(
  complete: Completer,
  deps: ServerDeps,
  audience: Audience,
): (typed: string | undefined, context?: { arguments?: Record<string, string> }) => Promise<
  string[]
> {
  return (typed, context) =>
    asCaller(audience, undefined, () =>
      complete(
        typed ?? "",
        context?.arguments ?? {},
        createContext(deps, partsOf(undefined), audience.owner),
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

/** Registers `resources` on `server` for `audience`. */
export function registerResources(
  server: McpServer,
  resources: readonly ResourceDefinition[],
  deps: ServerDeps,
  audience: Audience,
): void {
  for (const resource of resources) {
    const metadata = {
      mimeType: "application/json",
      title: resource.title,
      description: resource.description,
      cacheHint: READ_HINT,
    };
    const read = async (uri: URL, vars: Record<string, string | string[]>, ctx: ServerContext) => {
      const request: RequestContext = createContext(deps, partsOf(ctx), audience.owner);
      try {
        const decoded = Object.fromEntries(
          Object.entries(vars).map(([name, value]) => [name, variable(value)]),
        );
        const data = await asCaller(audience, ctx, () => resource.read(decoded, request));
        return {
          contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(data) }],
        };
      } catch (error) {
        throw toProtocolError(error, uri.href);
      }
    };
    if (!resource.uri.includes("{")) {
      server.registerResource(
        resource.name,
        resource.uri,
        metadata,
        (uri: URL, ctx: ServerContext) => read(uri, {}, ctx),
      );
      continue;
    }
    const complete: Record<string, CompleteResourceTemplateCallback> = {};
    for (const [name, completer] of Object.entries(resource.complete ?? {})) {
      complete[name] = completion(completer, deps, audience);
    }
    const list = resource.list;
    server.registerResource(
      resource.name,
      new ResourceTemplate(resource.uri, {
        list: list
          ? async (ctx: ServerContext) => ({
            resources: (await asCaller(
              audience,
              ctx,
              () => list(createContext(deps, partsOf(ctx), audience.owner)),
            )).map((entry) => ({ ...entry, mimeType: "application/json" })),
          })
          : undefined,
        complete,
      }),
      metadata,
      (uri: URL, vars: Record<string, string | string[]>, ctx: ServerContext) =>
        read(uri, vars, ctx),
    );
  }
}

/** Registers `prompts` on `server` for `audience`. */
export function registerPrompts(
  server: McpServer,
  prompts: readonly PromptDefinition[],
  deps: ServerDeps,
  audience: Audience,
): void {
  for (const prompt of prompts) {
    // completable() marks the schema object itself, so each server gets its own schemas.
    const argsSchema = z.object(Object.fromEntries(
      Object.entries(prompt.args).map(([name, arg]) => {
        const base = z.string().trim().min(1).max(500).describe(arg.description);
        // The SDK looks for the completer under an optional wrapper: mark the inner schema.
        const inner = arg.complete
          ? completable(base, completion(arg.complete, deps, audience))
          : base;
        return [name, arg.required ? inner : inner.optional().describe(arg.description)];
      }),
    ));
    server.registerPrompt(
      prompt.name,
      { title: prompt.title, description: prompt.description, argsSchema },
      async (args: Record<string, string | undefined>, ctx: ServerContext) => {
        try {
          const request = createContext(deps, partsOf(ctx), audience.owner);
          const message = await asCaller(audience, ctx, () => prompt.render(args, request));
          return {
            description: message.description,
            messages: [{
              role: "user" as const,
              content: { type: "text" as const, text: message.text },
            }],
          };
        } catch (error) {
          throw toProtocolError(error, undefined, ProtocolErrorCode.InvalidParams);
        }
      },
    );
  }
}
