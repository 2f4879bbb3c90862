/**
 * Every tool definition of the server, in the order tools/list shows them.
 * @module
 */

import type { AnyTool } from "../tool.ts";
import { authTools } from "./auth.ts";
import { projectReadTools } from "./projects.ts";

/** All tools; toolsets.ts picks the enabled ones. */
export const ALL_TOOLS: readonly AnyTool[] = [...authTools, ...projectReadTools];
