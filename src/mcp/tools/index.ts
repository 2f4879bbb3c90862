/**
 * Every tool definition of the server, in the order tools/list shows them.
 * @module
 */

import type { AnyTool } from "../tool.ts";
import { authTools } from "./auth.ts";
import { projectReadTools } from "./projects.ts";
import { projectAdminTools } from "./project_admin.ts";
import { sprintTools } from "./sprints.ts";
import { wikiTools } from "./wiki.ts";
import { itemTools } from "./items.ts";
import { commentTools } from "./comments.ts";
import { metadataTools } from "./metadata_tool.ts";
import { searchTools } from "./search.ts";
import { memberTools } from "./members.ts";
import { attachmentTools } from "./attachments.ts";
import { customAttributeTools } from "./custom_attributes.ts";

/** All tools; toolsets.ts picks the enabled ones. */
export const ALL_TOOLS: readonly AnyTool[] = [
  ...authTools,
  ...projectReadTools,
  ...projectAdminTools,
  ...sprintTools,
  ...wikiTools,
  ...metadataTools,
  ...itemTools,
  ...commentTools,
  ...searchTools,
  ...memberTools,
  ...attachmentTools,
  ...customAttributeTools,
];
