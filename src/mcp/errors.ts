/**
 * The one place failures become MCP answers. Two kinds reach here: a person's wrong input
 * ({@link InputError}: fix the argument) and Taiga's refusals or failures ({@link TaigaError}:
 * typed by what Taiga said). Anything else is our bug and says so. Tool calls get an `isError`
 * result; resources, prompts and completion get a JSON-RPC error. Secrets are masked in both.
 * @module
 */

import { redact, redactValue } from "../log/redact.ts";
import { CacheAccessError } from "../sessions/cache_dir.ts";
import { InputError, TaigaError } from "../taiga/errors.ts";
import {
  type CallToolResult,
  ProtocolError,
  ProtocolErrorCode,
  ResourceNotFoundError,
} from "./sdk.ts";

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
  if (error instanceof CacheAccessError) {
    return { status: "error", error_type: error.type, message: redact(error.message) };
  }
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
 * Any failure as a JSON-RPC error for resources, prompts and completion: a missing resource is
 * the specification's resource-not-found error (SEP-2164, with the URI); other not-found and
 * wrong input (or a field Taiga refused) → InvalidParams; the rest → InternalError. Always the
 * readable message and the error type as data.
 */
export function toProtocolError(
  error: unknown,
  resourceUri?: string,
  notFoundCode: number = ProtocolErrorCode.InvalidParams,
): Error {
  if (error instanceof ProtocolError) return error;
  const payload = describeFailure(error);
  if (payload.error_type === "not_found" && resourceUri !== undefined) {
    const missing = new ResourceNotFoundError(resourceUri);
    missing.message = payload.message;
    return missing;
  }
  const code = payload.error_type === "not_found"
    ? notFoundCode
    : payload.error_type === "input" || payload.error_type === "validation"
    ? ProtocolErrorCode.InvalidParams
    : ProtocolErrorCode.InternalError;
  return new ProtocolError(code, payload.message, {
    error_type: payload.error_type,
    ...(payload.http_status ? { http_status: payload.http_status } : {}),
  });
}
