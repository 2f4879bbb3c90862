/**
 * Toolsets: named groups of tools, a default selection that stays within the 40 tools some clients
 * accept, `all`, and `--read-only`, which hides every tool that writes.
 * @module
 */

import type { AnyTool } from "./tool.ts";
import { TaigaError } from "../taiga/errors.ts";

/** A named group of tools. */
export interface ToolsetInfo {
  /** What it covers, for --help and the docs. */
  description: string;
  /** Part of the default selection. */
  inDefault: boolean;
}

/** Every toolset; tool definitions name one of these. */
export const TOOLSETS: Readonly<Record<string, ToolsetInfo>> = {
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
  members: { description: "project members: list, invite, change role, remove", inDefault: false },
  attachments: { description: "files attached to items and wiki pages", inDefault: false },
  custom_attributes: { description: "custom attribute values of items", inDefault: false },
};

/** Picks the tools for the requested toolsets (`default`, `all`, or names) and read-only flag. */
export function selectTools(
  tools: readonly AnyTool[],
  requested: readonly string[],
  readOnly: boolean,
): AnyTool[] {
  const wanted = new Set<string>(["session"]);
  for (const name of requested.map((item) => item.trim().toLowerCase()).filter(Boolean)) {
    if (name === "all") Object.keys(TOOLSETS).forEach((key) => wanted.add(key));
    else if (name === "default") {
      Object.entries(TOOLSETS).filter(([, info]) => info.inDefault).forEach(([key]) =>
        wanted.add(key)
      );
    } else if (name in TOOLSETS) wanted.add(name);
    else {
      throw new TaigaError(
        "input",
        `Unknown toolset "${name}". Valid: default, all, ${Object.keys(TOOLSETS).join(", ")}.`,
      );
    }
  }
  return tools.filter((tool) =>
    wanted.has(tool.toolset) && (!readOnly || tool.readOnly || tool.toolset === "session")
  );
}
