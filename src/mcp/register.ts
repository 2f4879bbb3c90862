/**
 * Registers resource and prompt definitions on an McpServer: resources and templates with
 * completion and listing, prompts with completion (tools: register_tools.ts). Each call gets one
 * {@link RequestContext}; every failure becomes the JSON-RPC error errors.ts says.
 * @module
 */

import { Buffer } from "node:buffer";
import { z } from "zod";
import { lazy } from "../domain/lazy.ts";
import { createContext, type RequestContext } from "./context.ts";
import {
  type Completer,
  type PromptDefinition,
  type ResourceDefinition,
  ResourceFile,
} from "./define.ts";
import type { ServerDeps } from "./deps.ts";
import { toProtocolError } from "./errors.ts";
import { InputError, shortValue } from "../taiga/errors.ts";
import { NAME_MAX } from "./args.ts";
import { closestName, unstorable } from "./schema.ts";
import { asCaller, type Audience, partsOf } from "./request.ts";
import {
  type CacheHint,
  completable,
  type CompleteResourceTemplateCallback,
  type McpServer,
  ProtocolErrorCode,
  ResourceTemplate,
  type ServerContext,
} from "./sdk.ts";

/** Resource reads are per person and change all the time: a short private cache hint. */
const READ_HINT: CacheHint = { ttlMs: 0, cacheScope: "private" };

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
        createContext(deps, partsOf(undefined, audience, deps), audience.owner),
      ));
}

/**
 * One URI-template variable as a single decoded string (the SDK may hand over a list), held to
 * what a tool argument may be: at most NAME_MAX characters, nothing Taiga cannot store.
 */
function variable(name: string, value: string | string[] | undefined): string {
  let text = Array.isArray(value) ? value.join(",") : value ?? "";
  try {
    text = decodeURIComponent(text);
  } catch {
    // A malformed %-escape stays as written; the lookup then finds nothing.
  }
  if (text.length > NAME_MAX) {
    throw new InputError(
      `The resource URI's {${name}} is ${text.length} characters long; at most ${NAME_MAX}.`,
      { argument: name },
    );
  }
  if (unstorable(text)) {
    throw new InputError(
      `The resource URI's {${name}} holds a NUL character or a broken UTF-16 surrogate.`,
      { argument: name },
    );
  }
  return text;
}

/**
 * A prompt's arguments checked as a tool's are: an unknown name is refused with the closest
 * valid one (the schema passes unknown names through so that this can see them), and text
 * Taiga cannot store is refused.
 */
function checkPromptArgs(prompt: PromptDefinition, args: Record<string, unknown>): void {
  const valid = Object.keys(prompt.args);
  for (const [name, value] of Object.entries(args)) {
    if (!valid.includes(name)) {
      const near = closestName(name, valid);
      throw new InputError(
        `Unknown argument "${shortValue(name)}" for prompt ${prompt.name}${
          near ? `; did you mean "${near}"?` : "."
        } Its arguments: ${valid.join(", ")}.`,
        { argument: name },
      );
    }
    if (typeof value === "string" && unstorable(value)) {
      throw new InputError(
        `The argument "${name}" of prompt ${prompt.name} holds a NUL character or a broken UTF-16 surrogate.`,
        { argument: name },
      );
    }
  }
}

/** A file as resource contents: text when its type is text and its bytes UTF-8, else base64. */
function fileContents(uri: string, file: ResourceFile) {
  if (/^text\/|\+json$|\+xml$|^application\/(json|xml)$/.test(file.mimeType)) {
    try {
      const text = new TextDecoder("utf-8", { fatal: true }).decode(file.bytes);
      return { uri, mimeType: file.mimeType, text };
    } catch {
      // Not UTF-8 after all: sent as bytes.
    }
  }
  return { uri, mimeType: file.mimeType, blob: Buffer.from(file.bytes).toString("base64") };
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
      mimeType: resource.mimeType ?? "application/json",
      title: resource.title,
      description: resource.description,
      cacheHint: READ_HINT,
    };
    const read = async (uri: URL, vars: Record<string, string | string[]>, ctx: ServerContext) => {
      const request: RequestContext = createContext(
        deps,
        partsOf(ctx, audience, deps),
        audience.owner,
      );
      try {
        const decoded = Object.fromEntries(
          Object.entries(vars).map(([name, value]) => [name, variable(name, value)]),
        );
        const data = await asCaller(audience, ctx, () => resource.read(decoded, request));
        if (data instanceof ResourceFile) return { contents: [fileContents(uri.href, data)] };
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
              () => list(createContext(deps, partsOf(ctx, audience, deps), audience.owner)),
            )).map((entry) => ({ mimeType: metadata.mimeType, ...entry })),
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

/** A prompt argument's text: one schema, shared by every argument of every prompt. */
const ARG_TEXT = lazy(() => z.string().trim().min(1).max(500));

/** A prompt's arguments: each a string, optional or not. */
type ArgsSchema = z.ZodObject<Record<string, z.ZodType<string | undefined>>>;

/** The argument schema of `prompt`, whose completers serve `audience`. */
function buildArgsSchema(
  prompt: PromptDefinition,
  deps: ServerDeps,
  audience: Audience,
): ArgsSchema {
  return z.looseObject(Object.fromEntries(
    Object.entries(prompt.args).map(([name, arg]) => {
      const base = ARG_TEXT().describe(arg.description);
      // The SDK looks for the completer under an optional wrapper: mark the inner schema.
      const inner = arg.complete
        ? completable(base, completion(arg.complete, deps, audience))
        : base;
      return [name, arg.required ? inner : inner.optional().describe(arg.description)];
    }),
  ));
}

/**
 * Argument schemas of servers without an owner (the stdio client, every 2026 request): their
 * completers are alike, so they are built once per process and era, not per request.
 */
const shared = new WeakMap<ServerDeps, Map<string, WeakMap<PromptDefinition, ArgsSchema>>>();

/**
 * The argument schema of `prompt` for `audience`. completable() marks the schema object itself
 * with a completer bound to the audience, so a connection with an owner gets its own.
 */
function argsSchemaOf(
  prompt: PromptDefinition,
  deps: ServerDeps,
  audience: Audience,
): ArgsSchema {
  if (audience.owner !== undefined) return buildArgsSchema(prompt, deps, audience);
  let eras = shared.get(deps);
  if (!eras) shared.set(deps, eras = new Map());
  let schemas = eras.get(audience.era);
  if (!schemas) eras.set(audience.era, schemas = new WeakMap());
  let schema = schemas.get(prompt);
  if (!schema) schemas.set(prompt, schema = buildArgsSchema(prompt, deps, audience));
  return schema;
}

/** Registers `prompts` on `server` for `audience`. */
export function registerPrompts(
  server: McpServer,
  prompts: readonly PromptDefinition[],
  deps: ServerDeps,
  audience: Audience,
): void {
  for (const prompt of prompts) {
    const argsSchema = argsSchemaOf(prompt, deps, audience);
    server.registerPrompt(
      prompt.name,
      { title: prompt.title, description: prompt.description, argsSchema },
      async (args: Record<string, string | undefined>, ctx: ServerContext) => {
        try {
          checkPromptArgs(prompt, args);
          const request = createContext(deps, partsOf(ctx, audience, deps), audience.owner);
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
