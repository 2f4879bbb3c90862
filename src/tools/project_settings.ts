/**
 * Project settings: value lists (statuses, points, priorities, severities, types, swimlanes),
 * tags and custom attribute definitions.
 * @module
 */

import type { AnyTool } from "../mcp/define.ts";
import { customFieldTools } from "./custom_attribute_defs.ts";
import { valueDeleteTools } from "./settings_delete.ts";
import { valueListTools } from "./settings_values.ts";
import { tagTools } from "./tags.ts";

/** The tools of this toolset. */
export const projectSettingTools: readonly AnyTool[] = [
  ...valueListTools,
  ...valueDeleteTools,
  ...tagTools,
  ...customFieldTools,
];
