/**
 * Which MCP connection a piece of work runs for, carried through async calls, so log records
 * caused by one client's request reach that client only (over HTTP several clients share a
 * process). A stateless (2026) request carries its own way to send log records.
 * @module
 */

import { AsyncLocalStorage } from "node:async_hooks";

/** Sends one log record to the client of the current request (level, data). */
export type RequestLog = (level: "debug" | "info" | "warning" | "error", data: unknown) => void;

interface Caller {
  /** The connection's owner id, or "" for the single stdio client and stateless requests. */
  owner: string;
  /** Set for a stateless request: its own log channel. */
  log?: RequestLog;
}

/** The caller of the current work. */
export const callerContext: AsyncLocalStorage<Caller> = new AsyncLocalStorage<Caller>();

/**
 * Runs `work` on behalf of `owner` (undefined: the stdio client, or a stateless request that
 * passes its own `log`).
 */
export function runAsCaller<T>(
  owner: string | undefined,
  work: () => Promise<T>,
  log?: RequestLog,
): Promise<T> {
  return callerContext.run({ owner: owner ?? "", log }, work);
}

/**
 * Whether a log record made now belongs to the connection `owner`: records made while serving
 * that connection do; records made outside any request go to the stdio client only; records of
 * a stateless request go through that request's own channel, to no connection.
 */
export function belongsTo(owner: string | undefined): boolean {
  const caller = callerContext.getStore();
  if (caller === undefined) return owner === undefined;
  return caller.log === undefined && caller.owner === (owner ?? "");
}

/** The log channel of the stateless request running now, if any. */
export function requestLog(): RequestLog | undefined {
  return callerContext.getStore()?.log;
}
