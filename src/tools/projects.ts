/**
 * Project tools: list the projects you belong to and read one by id or slug.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import { listInput, listOutput, projectField } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { compactProject, compactProjectSchema, projectDetail } from "../domain/shapes/project.ts";
import { listItems } from "../mcp/listing.ts";
import { fetchProject } from "../taiga/reads.ts";

const verboseField = lazy(() =>
  z.boolean().default(false).describe(
    "Return Taiga's full JSON instead of the compact form",
  )
);

const listProjects = defineTool({
  name: "list_projects",
  title: "List projects",
  description:
    'Projects you are a member of (or all you can see): id, slug, name, owner, modules. E.g. {"q":"web"}.',
  toolset: "projects",
  readOnly: true,
  input: () => ({
    member: z.string().trim().min(1).max(255).default("me").describe(
      '"me" (default: projects you belong to), "all" (every project you can see), or a username or user id',
    ),
    q: z.string().max(200).optional().describe("Text to search in project names"),
    ...listInput(),
  }),
  output: () => ({ projects: z.array(compactProjectSchema()), ...listOutput() }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    let member: number | undefined;
    if (args.member === "me") member = session.user.id;
    else if (/^\d+$/.test(args.member)) member = Number(args.member);
    else if (args.member !== "all") {
      const user = await session.client.get<{ id: number }>(
        "users/by_username",
        { username: args.member },
        ctx.signal,
      );
      member = user.id;
    }
    const listed = await listItems<Record<string, unknown>>(
      session.client,
      "projects",
      { member, q: args.q, order_by: "user_order" },
      args,
      ctx,
    );
    return { projects: listed.items.map(compactProject), ...listed.paging };
  },
});

const getProject = defineTool({
  name: "get_project",
  title: "Get a project",
  description:
    'One project: description, modules, members with roles, tags. E.g. {"project":"jane-website"}.',
  toolset: "projects",
  readOnly: true,
  input: () => ({ project: projectField(), verbose: verboseField() }),
  output: () => ({ project: z.record(z.string(), z.unknown()) }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const raw = await fetchProject(session.client, args.project, ctx.signal);
    return { project: args.verbose ? raw : projectDetail(raw) };
  },
});

/** Project read tools. */
export const projectReadTools: readonly AnyTool[] = [listProjects, getProject];
