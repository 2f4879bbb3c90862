/**
 * The one shape of everything a server offers: a definition object per tool, resource and
 * prompt (name, words for the model, schemas or arguments, handler). Registration turns them
 * into the SDK's calls (register.ts); nothing else talks to the SDK about them.
 * @module
 */

import type { z } from "zod";
import type { RequestContext } from "./context.ts";
import type { ToolAnnotations } from "./sdk.ts";
import type { ToolsetId } from "./toolsets.ts";

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
  toolset: ToolsetId;
  /** True when the tool changes nothing (kept under --read-only). */
  readOnly: boolean;
  /**
   * Input fields, built on first need (a call's validation; tools/list reads the generated
   * schemas, see schema.ts): building every tool's zod at start-up cost most of the cold start.
   */
  input: () => I;
  /**
   * Output fields (structuredContent): they type the handler's result and write the tools
   * reference; the server never builds them (tools/list sends no output schema).
   */
  output: () => O;
  /**
   * Works on the operator's local token cache: offered to the stdio client only, never to the
   * (possibly many) clients of the HTTP transport.
   */
  localOnly?: boolean;
  /**
   * Logs in or out of a session this server keeps: not offered under `--auth oauth`, where each
   * person is signed in with OAuth and acts only as themselves.
   */
  serverLogin?: boolean;
  /** Extra MCP hints (destructive, idempotent, open world). */
  annotations?: Omit<ToolAnnotations, "title" | "readOnlyHint">;
  /** Does the work. Throws InputError or TaigaError on failure. */
  handler(args: z.infer<z.ZodObject<I>>, ctx: RequestContext): Promise<z.infer<z.ZodObject<O>>>;
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

/**
 * The MCP annotations of a tool definition, without the values the specification takes by
 * default (not read-only, destructive, not idempotent, open world) and without a second copy of
 * the title: tools/list is context a model pays for.
 */
export function annotationsOf(tool: AnyTool): ToolAnnotations {
  if (tool.readOnly) {
    return {
      readOnlyHint: true,
      ...(tool.annotations?.openWorldHint === false ? { openWorldHint: false } : {}),
    };
  }
  const { destructiveHint, idempotentHint, openWorldHint } = tool.annotations ?? {};
  return {
    ...(destructiveHint === false ? { destructiveHint: false } : {}),
    ...(idempotentHint === true ? { idempotentHint: true } : {}),
    ...(openWorldHint === false ? { openWorldHint: false } : {}),
  };
}

/**
 * Offers candidates for an argument from what was typed and the other arguments given so far.
 * Completion never fails: it offers nothing instead.
 */
export type Completer = (
  typed: string,
  given: Readonly<Record<string, string | undefined>>,
  ctx: RequestContext,
) => Promise<string[]>;

/** A concrete resource offered in resources/list. */
export interface ListedResource {
  /** Its URI. */
  uri: string;
  /** Short name. */
  name: string;
  /** Human title. */
  title?: string;
}

/** Everything that defines one resource or resource template. */
export interface ResourceDefinition {
  /** Unique name. */
  name: string;
  /** A fixed URI, or a URI template with `{variables}`. */
  uri: string;
  /** Human title. */
  title: string;
  /** What it holds, for a model. */
  description: string;
  /** Completion per template variable. */
  complete?: Readonly<Record<string, Completer>>;
  /** Concrete resources of a template for resources/list (never fails: lists none instead). */
  list?(ctx: RequestContext): Promise<ListedResource[]>;
  /** The type of what reads return when it is not JSON data (a file: varies per read). */
  mimeType?: string;
  /**
   * Reads it as JSON data, or as a {@link ResourceFile}; `vars` are the template's variables,
   * decoded.
   */
  read(vars: Readonly<Record<string, string>>, ctx: RequestContext): Promise<unknown>;
}

/** A resource read's answer when it is a file, not JSON data: sent as text or base64. */
export class ResourceFile {
  /** The file's type and bytes. */
  constructor(readonly mimeType: string, readonly bytes: Uint8Array) {}
}

/** Identity helper for resource definitions. */
export function defineResource(definition: ResourceDefinition): ResourceDefinition {
  return definition;
}

/** One argument of a prompt. */
export interface PromptArgument {
  /** What to pass, with an example. */
  description: string;
  /** Must be given. */
  required: boolean;
  /** Completion of its value. */
  complete?: Completer;
}

/** What a prompt hands the model: one user message. */
export interface PromptMessage {
  /** Short description of this rendering. */
  description: string;
  /** The message text. */
  text: string;
}

/** Everything that defines one prompt. */
export interface PromptDefinition {
  /** Unique name. */
  name: string;
  /** Human title. */
  title: string;
  /** What it does, for the person choosing it. */
  description: string;
  /** Its arguments by name. */
  args: Readonly<Record<string, PromptArgument>>;
  /** Gathers the data and writes the message. */
  render(args: Readonly<Record<string, string | undefined>>, ctx: RequestContext): Promise<
    PromptMessage
  >;
}

/** Identity helper for prompt definitions. */
export function definePrompt(definition: PromptDefinition): PromptDefinition {
  return definition;
}
