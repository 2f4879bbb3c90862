/**
 * Compact projections of Taiga project JSON: what a model needs, not Taiga's 80 fields.
 * @module
 */

import { lazy } from "../lazy.ts";
import { z } from "zod";

type Raw = Record<string, unknown>;

const MODULES = ["epics", "backlog", "kanban", "issues", "wiki"] as const;

/** Output schema of a compact project. */
export const compactProjectSchema = lazy(() =>
  z.looseObject({
    id: z.number(),
    slug: z.string(),
    name: z.string(),
    description: z.string().optional(),
    is_private: z.boolean().optional(),
    owner: z.string().optional(),
    modules: z.array(z.string()).optional(),
    members: z.number().optional(),
    modified_date: z.string().optional(),
  })
);

function ownerName(owner: unknown): string | undefined {
  if (owner && typeof owner === "object") {
    return String((owner as Raw).username ?? (owner as Raw).full_name_display ?? "");
  }
  return undefined;
}

/** The enabled modules of a project, e.g. ["backlog","issues","wiki"]. */
export function enabledModules(project: Raw): string[] {
  return MODULES.filter((module) => project[`is_${module}_activated`] === true);
}

function shorten(text: unknown, max: number): string | undefined {
  if (typeof text !== "string" || text === "") return undefined;
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

/** A project as one line of a list. */
export function compactProject(project: Raw): z.infer<ReturnType<typeof compactProjectSchema>> {
  const members = Array.isArray(project.members) ? project.members.length : undefined;
  return {
    id: project.id as number,
    slug: project.slug as string,
    name: project.name as string,
    description: shorten(project.description, 160),
    is_private: project.is_private as boolean | undefined,
    owner: ownerName(project.owner),
    modules: enabledModules(project),
    ...(members !== undefined ? { members } : {}),
    modified_date: project.modified_date as string | undefined,
  };
}

/** A project's detail: the compact fields plus full description, members and permissions. */
export function projectDetail(project: Raw): Record<string, unknown> {
  const members = Array.isArray(project.members) ? project.members as Raw[] : [];
  return {
    ...compactProject(project),
    description: typeof project.description === "string" ? project.description : "",
    created_date: project.created_date,
    i_am_admin: project.i_am_admin,
    i_am_member: project.i_am_member,
    members: members.length,
    member_list: members.filter((member) => typeof member === "object").map((member) => ({
      username: member.username,
      full_name: member.full_name_display ?? member.full_name,
      role: member.role_name,
    })),
    tags: Array.isArray(project.tags) ? project.tags : [],
    total_milestones: project.total_milestones ?? undefined,
    total_story_points: project.total_story_points ?? undefined,
  };
}
