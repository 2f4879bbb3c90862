/**
 * The history toolset (filled in by its own commit).
 * @module
 */

import type { AnyTool } from "../mcp/define.ts";

/** The tools of this toolset. */
export const historyTools: readonly AnyTool[] = [];
