/**
 * Planning: sprint rollover, board ordering, due dates, filter values, bulk creation.
 * @module
 */

import type { AnyTool } from "../mcp/define.ts";
import { bulkTools } from "./planning_bulk.ts";
import { dueTools } from "./planning_due.ts";
import { filterCountTools } from "./planning_filters.ts";
import { orderTools } from "./planning_order.ts";
import { rolloverTools } from "./planning_rollover.ts";

/** The tools of this toolset. */
export const planningTools: readonly AnyTool[] = [
  ...rolloverTools,
  ...orderTools,
  ...dueTools,
  ...filterCountTools,
  ...bulkTools,
];
