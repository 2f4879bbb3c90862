/**
 * What resources and prompts share: the connection's default session, Taiga failures turned into
 * MCP protocol errors that say what to do, and the JSON contents of a resource.
 * @module
 */

// @ts-types="@modelcontextprotocol/sdk/types"
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { ReadResourceResult } from "@modelcontextprotocol/sdk/types.js";
import { redact } from "../log.ts";
import type { Session } from "../sessions/store.ts";
import type { QueryValue } from "../taiga/client.ts";
import { TaigaError } from "../taiga/errors.ts";
import { fetchAll } from "../taiga/pagination.ts";
import { resolveSession, type ServerDeps } from "./deps.ts";
import type { ProjectMetadata } from "./metadata.ts";

/** JSON-RPC code the MCP specification gives to "resource not found". */
export const RESOURCE_NOT_FOUND = -32002;

/** Most items a list resource or prompt gathers before it stops and says so. */
export const GATHER_CAP = 1000;

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

/** The default session of the MCP connection `owner`; throws TaigaError "auth" when there is none. */
export async function defaultSession(deps: ServerDeps, owner?: string): Promise<Session> {
  return await resolveSession(deps, undefined, owner);
}

/**
 * Any failure as an McpError: not found → `notFoundCode`, wrong input → InvalidParams, the rest →
 * InternalError, always with the readable message (secrets redacted) and the error type as data.
 */
export function toMcpError(error: unknown, notFoundCode: number = RESOURCE_NOT_FOUND): McpError {
  if (error instanceof McpError) return error;
  if (error instanceof TaigaError) {
    const code = error.type === "not_found"
      ? notFoundCode
      : error.type === "input" || error.type === "validation"
      ? ErrorCode.InvalidParams
      : ErrorCode.InternalError;
    return new ProtocolError(code, redact(error.message), {
      error_type: error.type,
      ...(error.status ? { http_status: error.status } : {}),
    });
  }
  const message = redact(error instanceof Error ? error.message : String(error));
  return new ProtocolError(
    ErrorCode.InternalError,
    `Unexpected failure: ${message}. This is a bug in taiga-mcp; please report it.`,
    { error_type: "internal" },
  );
}

/** Runs `work`, rethrowing any failure as an McpError (see {@link toMcpError}). */
export async function asMcp<T>(
  work: () => Promise<T>,
  notFoundCode: number = RESOURCE_NOT_FOUND,
): Promise<T> {
  try {
    return await work();
  } catch (error) {
    throw toMcpError(error, notFoundCode);
  }
}

/** A resource read result holding `data` as compact JSON. */
export function jsonResource(uri: URL, data: unknown): ReadResourceResult {
  return {
    contents: [{ uri: uri.href, mimeType: "application/json", text: JSON.stringify(data) }],
  };
}

/** One URI-template variable as a single decoded string (the SDK may hand over a list). */
export function variable(value: string | string[] | undefined): string {
  const text = Array.isArray(value) ? value.join(",") : value ?? "";
  try {
    return decodeURIComponent(text);
  } catch {
    return text;
  }
}

/** The project a resource or prompt is about, as `{id, slug, name}`. */
export function projectRef(meta: ProjectMetadata): Record<string, unknown> {
  return { id: meta.id, slug: meta.slug, name: meta.name };
}

/** Raw Taiga JSON object. */
export type RawObject = Record<string, unknown>;

/** Every item of a list, up to {@link GATHER_CAP}, with the facts needed to say when it is not all. */
export interface Gathered {
  /** Raw items. */
  items: RawObject[];
  /** Items Taiga has. */
  total: number;
  /** True when the cap stopped the walk. */
  truncated: boolean;
  /** The cap that applied. */
  cap: number;
}

/** Walks every page of `path` (page size 1000) up to `cap` items (default {@link GATHER_CAP}). */
export async function gather(
  session: Session,
  path: string,
  query: Record<string, QueryValue>,
  signal?: AbortSignal,
  cap: number = GATHER_CAP,
): Promise<Gathered> {
  const result = await fetchAll<RawObject>(session.client, path, query, {
    maxItems: cap,
    signal,
  });
  return { items: result.items, total: result.total, truncated: result.truncated, cap };
}

/**
 * The paging facts of a gathered list: `total` and `returned`, plus `truncated` and a `note`
 * naming the tool to page with when the cap was hit — never a silent cut.
 */
export function gatheredFacts(
  gathered: Gathered,
  returned: number,
  tool: string,
): Record<string, unknown> {
  return {
    total: gathered.total,
    returned,
    ...(gathered.truncated
      ? {
        truncated: true,
        note:
          `Only the first ${gathered.cap} of ${gathered.total}; call ${tool} with page/limit for the rest.`,
      }
      : {}),
  };
}

/** The projects the session's user is a member of, in the user's order (up to {@link GATHER_CAP}). */
export async function gatherMyProjects(session: Session, signal?: AbortSignal): Promise<Gathered> {
  return await gather(session, "projects", {
    member: session.user.id,
    order_by: "user_order",
  }, signal);
}
