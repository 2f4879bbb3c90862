/**
 * Toolsets: named groups of tools, a default selection that stays within the 40 tools some clients
 * accept, `all`, and `--read-only`, which hides every tool that writes.
 * @module
 */

import { InputError } from "../taiga/errors.ts";

/** Every toolset id. */
export const TOOLSET_IDS = [
  "session",
  "projects",
  "admin",
  "metadata",
  "userstories",
  "tasks",
  "issues",
  "epics",
  "sprints",
  "wiki",
  "comments",
  "items_extra",
  "members",
  "attachments",
  "custom_attributes",
  "history",
  "planning",
  "reports",
  "project_settings",
  "webhooks",
] as const;

/** One toolset id. */
export type ToolsetId = typeof TOOLSET_IDS[number];

/** A named group of tools. */
export interface ToolsetInfo {
  /** What it covers, for --help and the docs. */
  description: string;
  /** Part of the default selection. */
  inDefault: boolean;
}

/** Every toolset; tool definitions name one of these. */
export const TOOLSETS: Readonly<Record<ToolsetId, ToolsetInfo>> = {
  session: { description: "login, tokens and sessions (always on)", inDefault: true },
  projects: { description: "projects: list and read", inDefault: true },
  admin: {
    description: "project administration: create, update, delete projects, turn modules on/off",
    inDefault: false,
  },
  metadata: { description: "project metadata: statuses, people, points, tags", inDefault: true },
  userstories: { description: "user stories", inDefault: true },
  tasks: { description: "tasks", inDefault: true },
  issues: { description: "issues", inDefault: true },
  epics: { description: "epics and their related stories", inDefault: false },
  sprints: { description: "sprints (milestones) and their progress", inDefault: true },
  wiki: { description: "wiki pages and links", inDefault: false },
  comments: { description: "comments and history on any item", inDefault: true },
  items_extra: {
    description: "bulk creation, backlog order, assign/status shortcuts, votes, watchers",
    inDefault: false,
  },
  members: {
    description:
      "project members and roles: list, invite (one or many), resend, change role, remove; roles and their permissions",
    inDefault: false,
  },
  attachments: { description: "files attached to items and wiki pages", inDefault: false },
  custom_attributes: { description: "custom attribute values of items", inDefault: false },
  history: {
    description: "what changed: item history with diffs, comment edits, timelines, my work",
    inDefault: false,
  },
  planning: {
    description: "sprint rollover, board ordering, due dates, filter values, bulk creation",
    inDefault: false,
  },
  reports: {
    description: "project, issue, member and user statistics; project health",
    inDefault: false,
  },
  project_settings: {
    description: "statuses, points, priorities, severities, types, swimlanes, tags, custom fields",
    inDefault: false,
  },
  webhooks: { description: "webhooks: create, update, delete, test, logs", inDefault: false },
};

/** Picks the tools for the requested toolsets (`default`, `all`, or names) and read-only flag. */
export function selectTools<T extends { toolset: ToolsetId; readOnly: boolean }>(
  tools: readonly T[],
  requested: readonly string[],
  readOnly: boolean,
): T[] {
  const wanted = new Set<ToolsetId>(["session"]);
  for (const name of requested.map((item) => item.trim().toLowerCase()).filter(Boolean)) {
    if (name === "all") TOOLSET_IDS.forEach((id) => wanted.add(id));
    else if (name === "default") {
      TOOLSET_IDS.filter((id) => TOOLSETS[id].inDefault).forEach((id) => wanted.add(id));
    } else if ((TOOLSET_IDS as readonly string[]).includes(name)) wanted.add(name as ToolsetId);
    else {
      throw new InputError(
        `Unknown toolset "${name}". Valid: default, all, ${TOOLSET_IDS.join(", ")}.`,
      );
    }
  }
  return tools.filter((tool) =>
    wanted.has(tool.toolset) && (!readOnly || tool.readOnly || tool.toolset === "session")
  );
}
