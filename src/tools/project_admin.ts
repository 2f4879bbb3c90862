/**
 * Project administration tools: create, update (PATCH, never PUT), delete, and switch modules
 * (epics, backlog, kanban, issues, wiki) on or off. Projects have no version in Taiga: the last
 * write wins.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { InputError } from "../taiga/errors.ts";
import { z } from "zod";
import { projectField } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { compactProject, compactProjectSchema, enabledModules } from "../domain/shapes/project.ts";
import { fetchProject } from "../taiga/reads.ts";

type Raw = Record<string, unknown>;

const MODULE_NAMES = ["epics", "backlog", "kanban", "issues", "wiki"] as const;

const nameField = lazy(() => z.string().trim().min(1).max(250));
const descriptionField = lazy(() => z.string().trim().min(1).max(10_000));

const createProject = defineTool({
  name: "create_project",
  title: "Create a project",
  description:
    'Create a Taiga project owned by you. Taiga gives it the default statuses, points, priorities and roles, and a slug "<your username>-<name>" to use with every other tool. Projects are private unless is_private is false. Example: {"name":"Website","description":"Company website relaunch"}.',
  toolset: "admin",
  readOnly: false,
  input: () => ({
    name: nameField().describe("Project name"),
    description: descriptionField().describe("What the project is about (Taiga requires one)"),
    is_private: z.boolean().default(true).describe("Private project (default true)"),
  }),
  output: () => ({ project: compactProjectSchema() }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const created = await session.client.post<Raw>("projects", {
      name: args.name,
      description: args.description,
      is_private: args.is_private,
    }, ctx.signal);
    return { project: compactProject(created) };
  },
});

const updateProject = defineTool({
  name: "update_project",
  title: "Update a project",
  description:
    'Change a project\'s name, description, privacy or tags. Only the fields you pass change (PATCH); projects have no version, so the last write wins. Example: {"project":"jane-website","description":"Relaunch, phase 2"}.',
  toolset: "admin",
  readOnly: false,
  annotations: { idempotentHint: true },
  input: () => ({
    project: projectField(),
    name: nameField().optional().describe("New name (the slug does not change)"),
    description: descriptionField().optional().describe("New description"),
    is_private: z.boolean().optional().describe("Make the project private (true) or public"),
    tags: z.array(z.string().trim().min(1).max(255)).max(100).optional().describe(
      "Replace the project's tags with these",
    ),
  }),
  output: () => ({ project: compactProjectSchema() }),
  handler: async (args, ctx) => {
    const { project, ...fields } = args;
    const changes = Object.fromEntries(
      Object.entries(fields).filter(([, value]) => value !== undefined),
    );
    if (Object.keys(changes).length === 0) {
      throw new InputError("Nothing to change: pass name, description, is_private or tags.");
    }
    const session = await ctx.session();
    const current = await fetchProject(session.client, project, ctx.signal);
    const updated = await session.client.patch<Raw>(`projects/${current.id}`, changes, ctx.signal);
    ctx.metadata.invalidate(session, current.id);
    return { project: compactProject(updated) };
  },
});

const deleteProject = defineTool({
  name: "delete_project",
  title: "Delete a project",
  description:
    'Delete a project with ALL its stories, tasks, issues, sprints and wiki. This cannot be undone. To guard against deleting the wrong one, confirm_slug must repeat the project\'s slug (see list_projects). Example: {"project":"jane-website","confirm_slug":"jane-website"}.',
  toolset: "admin",
  readOnly: false,
  annotations: { destructiveHint: true, idempotentHint: true },
  input: () => ({
    project: projectField(),
    confirm_slug: z.string().trim().min(1).max(255).describe(
      "The project's slug, repeated to confirm the deletion",
    ),
  }),
  output: () => ({
    deleted: z.boolean(),
    project: z.object({ id: z.number(), slug: z.string(), name: z.string() }),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const current = await fetchProject(session.client, args.project, ctx.signal);
    if (args.confirm_slug !== current.slug) {
      throw new InputError(
        `confirm_slug "${args.confirm_slug}" does not match the project's slug "${current.slug}". Nothing was deleted.`,
        { expected: current.slug },
      );
    }
    await session.client.delete(`projects/${current.id}`, undefined, ctx.signal);
    ctx.metadata.invalidate(session, current.id);
    return { deleted: true, project: { id: current.id, slug: current.slug, name: current.name } };
  },
});

const moduleFields = lazy(() =>
  Object.fromEntries(
    MODULE_NAMES.map((module) => [
      module,
      z.boolean().optional().describe(`Turn the ${module} module on (true) or off (false)`),
    ]),
  ) as Record<(typeof MODULE_NAMES)[number], z.ZodOptional<z.ZodBoolean>>
);

const setProjectModules = defineTool({
  name: "set_project_modules",
  title: "Turn project modules on or off",
  description:
    'Enable or disable a project\'s modules: epics, backlog (sprints and the backlog), kanban, issues, wiki. Modules you leave out keep their state; data of a disabled module is kept. Returns the enabled modules. Example: {"project":"jane-website","epics":true,"kanban":false}.',
  toolset: "admin",
  readOnly: false,
  annotations: { idempotentHint: true },
  input: () => ({ project: projectField(), ...moduleFields() }),
  output: () => ({
    project: z.object({ id: z.number(), slug: z.string() }),
    modules: z.array(z.string()).describe("Enabled modules after the change"),
  }),
  handler: async (args, ctx) => {
    const changes: Record<string, boolean> = {};
    for (const module of MODULE_NAMES) {
      const value = args[module];
      if (value !== undefined) changes[`is_${module}_activated`] = value;
    }
    if (Object.keys(changes).length === 0) {
      throw new InputError(`Nothing to change: pass at least one of ${MODULE_NAMES.join(", ")}.`);
    }
    const session = await ctx.session();
    const current = await fetchProject(session.client, args.project, ctx.signal);
    const updated = await session.client.patch<Raw>(`projects/${current.id}`, changes, ctx.signal);
    ctx.metadata.invalidate(session, current.id);
    return {
      project: { id: current.id, slug: current.slug },
      modules: enabledModules(updated),
    };
  },
});

/** Project administration tools (toolset `admin`, not in the default selection). */
export const projectAdminTools: readonly AnyTool[] = [
  createProject,
  updateProject,
  deleteProject,
  setProjectModules,
];
