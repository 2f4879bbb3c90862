/**
 * get_project_metadata: in one call, every name a model needs to speak about a project — statuses
 * per kind, points, priorities, severities, issue types, roles, members, sprints, tags, custom
 * attributes and defaults.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import type { NamedValue, ProjectMetadata } from "../domain/metadata.ts";
import { projectField } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";

const entry = lazy(() => z.looseObject({ id: z.number(), name: z.string() }));

/** Output shape of get_project_metadata. */
export const metadataOutput = lazy(() => ({
  project: z.object({ id: z.number(), slug: z.string(), name: z.string() }),
  modules: z.array(z.string()),
  statuses: z.record(z.string(), z.array(entry())),
  points: z.array(z.looseObject({ id: z.number(), name: z.string() })),
  priorities: z.array(entry()),
  severities: z.array(entry()),
  issue_types: z.array(entry()),
  estimating_roles: z.array(z.string()),
  members: z.array(z.looseObject({ username: z.string() })),
  sprints: z.array(entry()),
  tags: z.array(z.string()),
  custom_attributes: z.record(z.string(), z.array(entry())).optional(),
  defaults: z.record(z.string(), z.string()),
}));

function rows(list: readonly NamedValue[]): Array<z.infer<ReturnType<typeof entry>>> {
  return list.map((value) => ({
    id: value.id,
    name: value.name,
    ...(value.is_closed ? { closed: true } : {}),
  }));
}

function nameOf(list: readonly NamedValue[], id: number | null | undefined): string | undefined {
  return id === null || id === undefined ? undefined : list.find((v) => v.id === id)?.name;
}

/** The compact metadata of a project, as get_project_metadata returns it. */
export function compactMetadata(
  meta: ProjectMetadata,
): z.infer<z.ZodObject<ReturnType<typeof metadataOutput>>> {
  const defaults: Record<string, string | undefined> = {
    epic_status: nameOf(meta.statuses.epic, meta.defaults.epic_status),
    userstory_status: nameOf(meta.statuses.userstory, meta.defaults.us_status),
    task_status: nameOf(meta.statuses.task, meta.defaults.task_status),
    issue_status: nameOf(meta.statuses.issue, meta.defaults.issue_status),
    points: nameOf(meta.points, meta.defaults.points),
    priority: nameOf(meta.priorities, meta.defaults.priority),
    severity: nameOf(meta.severities, meta.defaults.severity),
    issue_type: nameOf(meta.issueTypes, meta.defaults.issue_type),
  };
  const custom = Object.fromEntries(
    Object.entries(meta.customAttributes).filter(([, list]) => list.length > 0),
  );
  return {
    project: { id: meta.id, slug: meta.slug, name: meta.name },
    modules: Object.entries(meta.modules).filter(([, on]) => on).map(([name]) => name),
    statuses: {
      userstory: rows(meta.statuses.userstory),
      task: rows(meta.statuses.task),
      issue: rows(meta.statuses.issue),
      epic: rows(meta.statuses.epic),
    },
    points: meta.points.map((p) => ({ id: p.id, name: p.name, value: p.value ?? null })),
    priorities: rows(meta.priorities),
    severities: rows(meta.severities),
    issue_types: rows(meta.issueTypes),
    estimating_roles: meta.roles.filter((role) => role.computable !== false).map((r) => r.name),
    members: meta.members.map((member) => ({
      username: member.username,
      full_name: member.full_name,
      role: member.role,
    })),
    sprints: [...meta.sprints].sort((a, b) => Number(a.closed) - Number(b.closed)).map((s) => ({
      id: s.id,
      name: s.name,
      ...(s.closed ? { closed: true } : {}),
    })),
    tags: meta.tags,
    ...(Object.keys(custom).length > 0 ? { custom_attributes: custom } : {}),
    defaults: Object.fromEntries(
      Object.entries(defaults).filter((pair): pair is [string, string] => pair[1] !== undefined),
    ),
  };
}

const getProjectMetadata = defineTool({
  name: "get_project_metadata",
  title: "Get project metadata",
  description:
    'The names every other tool takes, for one project: statuses per kind, points, priorities, severities, types, roles, members, sprints, tags, custom attributes, defaults. E.g. {"project":"jane-website"}.',
  toolset: "metadata",
  readOnly: true,
  input: () => ({
    project: projectField(),
    refresh: z.boolean().default(false).describe(
      "Skip the short-lived cache (use after changes made outside this session)",
    ),
  }),
  output: () => metadataOutput(),

  handler: async (args, ctx) => {
    const session = await ctx.session();
    const projectId = Number(args.project);
    if (args.refresh && Number.isInteger(projectId)) ctx.metadata.invalidate(session, projectId);
    let meta = await ctx.metadata.get(session, args.project, ctx.signal);
    if (args.refresh && !Number.isInteger(projectId)) {
      ctx.metadata.invalidate(session, meta.id);
      meta = await ctx.metadata.get(session, args.project, ctx.signal);
    }
    return compactMetadata(meta);
  },
});

/** The metadata tool. */
export const metadataTools: readonly AnyTool[] = [getProjectMetadata];
