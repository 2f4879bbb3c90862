/**
 * What the in-memory and the HTTP harness share: calling tools through an SDK client (raw, "must
 * succeed", "must fail") and a logger that records every line it writes for leak checks.
 * @module
 */

// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { Logger, type LogLevel } from "../../src/log/logger.ts";
import type { TestClient } from "./clients.ts";

/** Tool calls through one MCP client. */
export interface ToolCaller {
  /** Calls a tool, returning the raw result. */
  call(name: string, args?: Record<string, unknown>): Promise<CallToolResult>;
  /** Calls a tool and returns structuredContent; throws with the error text when isError. */
  ok(name: string, args?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Calls a tool that must fail; returns its error text. */
  fails(name: string, args?: Record<string, unknown>): Promise<string>;
}

/** The text parts of a tool result, joined by newlines. */
export function resultText(result: CallToolResult): string {
  return (result.content as Array<{ type: string; text?: string }>).map((part) =>
    part.type === "text" ? part.text ?? "" : ""
  ).join("\n");
}

/** {@link ToolCaller} over `client`. */
export function toolCaller(client: Pick<TestClient, "callTool">): ToolCaller {
  const call = async (name: string, args: Record<string, unknown> = {}) =>
    await client.callTool({ name, arguments: args }) as CallToolResult;
  return {
    call,
    ok: async (name, args) => {
      const result = await call(name, args);
      if (result.isError) throw new Error(`${name} failed: ${resultText(result)}`);
      return result.structuredContent as Record<string, unknown>;
    },
    fails: async (name, args) => {
      const result = await call(name, args);
      if (!result.isError) throw new Error(`${name} unexpectedly succeeded: ${resultText(result)}`);
      return resultText(result);
    },
  };
}

/** A logger at `level` that writes nothing to stderr and keeps each (redacted) line in `lines`. */
export function recordingLogger(level: LogLevel): { log: Logger; lines: string[] } {
  const lines: string[] = [];
  const log = new Logger({ level, stderr: false });
  log.addSink((record) =>
    lines.push(`${record.level} ${record.message} ${JSON.stringify(record.data ?? {})}`)
  );
  return { log, lines };
}
