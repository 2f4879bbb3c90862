/**
 * Which MCP connection a piece of work runs for, carried through async calls, so log records
 * caused by one client's request reach that client only (over HTTP several clients share a process).
 * @module
 */

import { AsyncLocalStorage } from "node:async_hooks";

/** The caller of the current tool call: its owner id, or "" for the single stdio client. */
export const callerContext: AsyncLocalStorage<string> = new AsyncLocalStorage<string>();

/** Runs `work` on behalf of `owner` (undefined: the stdio client). */
export function runAsCaller<T>(owner: string | undefined, work: () => Promise<T>): Promise<T> {
  return callerContext.run(owner ?? "", work);
}

/**
 * Whether a log record made now belongs to the connection `owner`: records made while serving
 * that connection do; records made outside any request go to the stdio client only.
 */
export function belongsTo(owner: string | undefined): boolean {
  const caller = callerContext.getStore();
  return caller === undefined ? owner === undefined : caller === (owner ?? "");
}
