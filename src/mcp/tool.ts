/**
 * One definition object per tool (name, title, description, schemas, annotations, handler) and the
 * code that turns handler results and thrown errors into MCP tool results.
 * @module
 */

import { z } from "zod";
import type { CallToolResult, ToolAnnotations } from "@modelcontextprotocol/sdk/types.js";
import { TaigaError } from "../taiga/errors.ts";
import type { Session } from "../sessions/store.ts";
import type { ServerDeps } from "./deps.ts";
import { redact, redactValue } from "../log.ts";

/** What a handler gets besides its arguments. */
export interface ToolContext {
  /** The session named by `session_id`, or the default one; throws a clear auth error. */
  session(sessionId?: string): Promise<Session>;
  /** Aborts when the client cancels the request. */
  signal: AbortSignal;
  /** Reports progress when the client asked for it (progressToken); otherwise does nothing. */
  progress(done: number, total?: number, message?: string): Promise<void>;
  /** Shared server dependencies. */
  deps: ServerDeps;
  /** The MCP connection calling (HTTP session id), if any. */
  owner?: string;
}

/** A zod object shape. */
export type Shape = z.ZodRawShape;

/** Everything that defines one tool. */
export interface ToolDefinition<I extends Shape = Shape, O extends Shape = Shape> {
  /** snake_case name, stable (the Python bridge's names where it had them). */
  name: string;
  /** Human title. */
  title: string;
  /** Written for a model: what, when, and an example of arguments. */
  description: string;
  /** Toolset it belongs to (see toolsets.ts). */
  toolset: string;
  /** True when the tool changes nothing (kept under --read-only). */
  readOnly: boolean;
  /** Input fields. */
  input: I;
  /** Output fields (structuredContent). */
  output: O;
  /**
   * Works on the operator's local token cache: offered to the stdio client only, never to the
   * (possibly many) clients of the HTTP transport.
   */
  localOnly?: boolean;
  /** Extra MCP hints (destructive, idempotent, open world). */
  annotations?: Omit<ToolAnnotations, "title" | "readOnlyHint">;
  /** Does the work. Throws TaigaError (or ToolInputError) on failure. */
  handler(args: z.infer<z.ZodObject<I>>, ctx: ToolContext): Promise<z.infer<z.ZodObject<O>>>;
}

/** Any tool definition, for lists of tools. */
// deno-lint-ignore no-explicit-any
export type AnyTool = ToolDefinition<any, any>;

/** Identity helper that keeps the handler's argument and result types inferred. */
export function defineTool<I extends Shape, O extends Shape>(
  definition: ToolDefinition<I, O>,
): ToolDefinition<I, O> {
  return definition;
}

/** A wrong argument the schema could not catch (unknown name, missing combination...). */
export function inputError(message: string, details?: Record<string, unknown>): TaigaError {
  return new TaigaError("input", message, { details });
}

/** The structured shape of every error result (the Python bridge's documented shape, extended). */
export interface ErrorPayload {
  /** Always "error". */
  status: "error";
  /** Category, e.g. "not_found", "conflict", "input". */
  error_type: string;
  /** What went wrong and what to do next. */
  message: string;
  /** Field errors or other structured detail. */
  details?: Record<string, unknown>;
  /** HTTP status from Taiga, if it answered. */
  http_status?: number;
}

/** Turns any thrown value into an MCP error result, with secrets redacted. */
export function errorResult(error: unknown): CallToolResult {
  const payload: ErrorPayload = error instanceof TaigaError
    ? {
      status: "error",
      error_type: error.type,
      message: redact(error.message),
      ...(error.details ? { details: redactValue(error.details) as Record<string, unknown> } : {}),
      ...(error.status ? { http_status: error.status } : {}),
    }
    : {
      status: "error",
      error_type: "internal",
      message: `Unexpected failure: ${
        redact(error instanceof Error ? error.message : String(error))
      }. This is a bug in taiga-mcp; please report it.`,
    };
  // No structuredContent here: clients validate it against the tool's outputSchema even on errors.
  const { message, ...facts } = payload;
  return {
    content: [{ type: "text", text: `Error: ${message}\n${JSON.stringify(facts)}` }],
    isError: true,
  };
}

/** Turns a handler result into an MCP result: structuredContent plus the same data as compact JSON text. */
export function successResult(data: Record<string, unknown>): CallToolResult {
  return { content: [{ type: "text", text: JSON.stringify(data) }], structuredContent: data };
}

/** The MCP annotations for a definition. */
export function annotationsOf(tool: AnyTool): ToolAnnotations {
  return {
    title: tool.title,
    readOnlyHint: tool.readOnly,
    openWorldHint: true,
    ...(tool.readOnly ? { idempotentHint: true } : {}),
    ...tool.annotations,
  };
}
