/**
 * Every tool definition of the server, in the order tools/list shows them.
 * @module
 */

import type { AnyTool } from "../mcp/define.ts";
import { attachmentTools } from "./attachments.ts";
import { attachmentFileTools } from "./attachment_files.ts";
import { followerTools } from "./followers.ts";
import { authTools } from "./auth.ts";
import { commentTools } from "./comments.ts";
import { customAttributeTools } from "./custom_attributes.ts";
import { itemTools } from "./items.ts";
import { memberTools } from "./members.ts";
import { membershipBulkTools } from "./memberships_bulk.ts";
import { roleTools } from "./roles.ts";
import { metadataTools } from "./metadata_tool.ts";
import { projectAdminTools } from "./project_admin.ts";
import { projectReadTools } from "./projects.ts";
import { searchTools } from "./search.ts";
import { sprintTools } from "./sprints.ts";
import { wikiTools } from "./wiki.ts";
import { historyTools } from "./history.ts";
import { planningTools } from "./planning.ts";
import { projectSettingTools } from "./project_settings.ts";
import { reportTools } from "./reports.ts";
import { webhookTools } from "./webhooks.ts";

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
  ...membershipBulkTools,
  ...roleTools,
  ...attachmentTools,
  ...attachmentFileTools,
  ...followerTools,
  ...customAttributeTools,
  ...historyTools,
  ...planningTools,
  ...reportTools,
  ...projectSettingTools,
  ...webhookTools,
];
