/**
 * Everything the server offers, in one catalog: every tool (toolsets pick the enabled ones),
 * resource and prompt, and the instructions a model reads first.
 * @module
 */

import { COMMON_ARGUMENTS } from "./mcp/args.ts";
import type { Catalog } from "./mcp/server.ts";
import { PROMPTS } from "./prompts/index.ts";
import { RESOURCES } from "./resources/index.ts";
import { ALL_TOOLS } from "./tools/index.ts";

/** What a model reads first: how to start and how names work. */
export const SERVER_INSTRUCTIONS =
  `taiga-mcp works in Taiga (projects, epics, user stories, tasks, issues, sprints, wiki).
Start: call session_status; if not logged in, call login_with_token (application token recommended) or login_from_cache.
Then list_projects to find a project's slug, and get_project_metadata for its statuses, people, points and sprints.
Arguments take what a person says: projects by slug or id, items by #ref (e.g. "#12") or id, statuses/priorities/severities/types by name, people by username, email or "me", sprints by name.
Lists return a page (limit, default 50) with the total and next_page; pass all:true to get everything.
${COMMON_ARGUMENTS}
Updates accept an optional version: given, a conflicting edit is refused with the current values; omitted, the latest version is used (last write wins for the fields you send).
Resources: taiga://projects, taiga://projects/{project}[/userstories|tasks|issues|epics|sprints|wiki][/{ref}|/{slug}]. Prompts: sprint_review, backlog_grooming, triage_issues, standup, release_notes.`;

/** The catalog every server of this process is built from. */
export const CATALOG: Catalog = {
  tools: ALL_TOOLS,
  resources: RESOURCES,
  prompts: PROMPTS,
  instructions: SERVER_INSTRUCTIONS,
};
