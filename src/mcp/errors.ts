/**
 * The one place failures become MCP answers. Two kinds reach here: a person's wrong input
 * ({@link InputError}: fix the argument) and Taiga's refusals or failures ({@link TaigaError}:
 * typed by what Taiga said). Anything else is our bug and says so. Tool calls get an `isError`
 * result; resources, prompts and completion get a JSON-RPC error. Secrets are masked in both.
 * @module
 */

import { redact, redactValue } from "../log/redact.ts";
import { InputError, TaigaError } from "../taiga/errors.ts";
import { type CallToolResult, ErrorCode, McpError } from "./sdk.ts";

/** JSON-RPC code the MCP specification gives to "resource not found". */
export const RESOURCE_NOT_FOUND = -32002;

/** The structured shape of every error (the Python bridge's documented shape, extended). */
export interface ErrorPayload {
  /** Always "error". */
  status: "error";
  /** Category, e.g. "not_found", "conflict", "input", "internal". */
  error_type: string;
  /** What went wrong and what to do next. */
  message: string;
  /** Field errors or other structured detail. */
  details?: Record<string, unknown>;
  /** HTTP status from Taiga, if it answered. */
  http_status?: number;
}

/** Describes any thrown value as an {@link ErrorPayload}, with secrets redacted. */
export function describeFailure(error: unknown): ErrorPayload {
  if (error instanceof InputError || error instanceof TaigaError) {
    return {
      status: "error",
      error_type: error.type,
      message: redact(error.message),
      ...(error.details ? { details: redactValue(error.details) as Record<string, unknown> } : {}),
      ...(error instanceof TaigaError && error.status ? { http_status: error.status } : {}),
    };
  }
  return {
    status: "error",
    error_type: "internal",
    message: `Unexpected failure: ${
      redact(error instanceof Error ? error.message : String(error))
    }. This is a bug in taiga-mcp; please report it.`,
  };
}

/** Any failure as a tool result: `isError`, the message first, then the facts as JSON. */
export function toolErrorResult(error: unknown): CallToolResult {
  const { message, ...facts } = describeFailure(error);
  // No structuredContent here: clients validate it against the tool's outputSchema even on errors.
  return {
    content: [{ type: "text", text: `Error: ${message}\n${JSON.stringify(facts)}` }],
    isError: true,
  };
}

/**
 * An McpError whose message is sent as written: McpError prefixes "MCP error <code>:" and the
 * client adds that prefix again on receipt.
 */
export class ProtocolError extends McpError {
  /** `code` is a JSON-RPC error code; `data` goes to the client as the error's data. */
  constructor(code: number, message: string, data?: unknown) {
    super(code, message, data);
    this.message = message;
  }
}

/**
 * Any failure as a JSON-RPC error: not found → `notFoundCode`, wrong input (or a field Taiga
 * refused) → InvalidParams, the rest → InternalError; always the readable message and the type.
 */
export function toProtocolError(
  error: unknown,
  notFoundCode: number = RESOURCE_NOT_FOUND,
): McpError {
  if (error instanceof McpError) return error;
  const payload = describeFailure(error);
  const code = payload.error_type === "not_found"
    ? notFoundCode
    : payload.error_type === "input" || payload.error_type === "validation"
    ? ErrorCode.InvalidParams
    : ErrorCode.InternalError;
  return new ProtocolError(code, payload.message, {
    error_type: payload.error_type,
    ...(payload.http_status ? { http_status: payload.http_status } : {}),
  });
}
