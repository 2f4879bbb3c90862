/**
 * Sprint tools (Taiga calls sprints "milestones"; the tool names keep the seed's `milestone`):
 * list, read with progress and burndown, create, update, delete. Sprints are named by id, or by
 * name with the project. Every write drops the project's cached metadata (its sprint list).
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { InputError } from "../taiga/errors.ts";
import { z } from "zod";
import { resolveSprintId } from "../domain/refs.ts";
import {
  confirmField,
  dayField,
  listInput,
  listOutput,
  projectField,
  sprintField,
  sprintProjectField,
} from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import {
  burndown,
  burndownDaySchema,
  compactSprint,
  compactSprintSchema,
  sprintItemRow,
  sprintItemSchema,
  sprintProgress,
  sprintProgressSchema,
} from "../domain/shapes/sprint.ts";
import { listItems } from "../mcp/listing.ts";
import { TaigaError } from "../taiga/errors.ts";
import { fetchSprint } from "../taiga/reads.ts";
import { sprintBoardTools } from "./sprint_board.ts";

type Raw = Record<string, unknown>;

const nameField = lazy(() => z.string().trim().min(1).max(200));

function checkDates(start: string, finish: string): void {
  if (finish < start) {
    throw new InputError(`The sprint would finish (${finish}) before it starts (${start}).`, {
      start,
      finish,
    });
  }
}

const listMilestones = defineTool({
  name: "list_milestones",
  title: "List sprints",
  description:
    'Sprints (milestones) of a project: name, dates, closed, points, stories. E.g. {"project":"jane-website","state":"open"}.',
  toolset: "sprints",
  readOnly: true,
  input: () => ({
    project: projectField(),
    state: z.enum(["open", "closed", "all"]).default("all").describe(
      "Only open sprints, only closed ones, or all (default)",
    ),
    ...listInput(),
  }),
  output: () => ({ sprints: z.array(compactSprintSchema()), ...listOutput() }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    const closed = args.state === "all" ? undefined : args.state === "closed";
    const listed = await listItems<Raw>(
      session.client,
      "milestones",
      { project: meta.id, closed },
      args,
      ctx,
    );
    return { sprints: listed.items.map(compactSprint), ...listed.paging };
  },
});

const getMilestone = defineTool({
  name: "get_milestone",
  title: "Get a sprint with its progress",
  description:
    'One sprint: dates, progress (points, stories, tasks done), daily burndown, stories. E.g. {"project":"jane-website","sprint":"Sprint 3"}.',
  toolset: "sprints",
  readOnly: true,
  input: () => ({
    sprint: sprintField(),
    project: sprintProjectField(),
    include_stories: z.boolean().default(true).describe("List the sprint's stories (default true)"),
    include_burndown: z.boolean().default(true).describe(
      "Include the per-day burndown (default true)",
    ),
  }),
  output: () => ({
    sprint: compactSprintSchema(),
    progress: sprintProgressSchema(),
    burndown: z.array(burndownDaySchema()).optional(),
    stories: z.array(sprintItemSchema()).optional(),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const id = await resolveSprintId(session, ctx, args.sprint, args.project);
    const [milestone, stats] = await Promise.all([
      fetchSprint(session.client, id, ctx.signal),
      session.client.get<Raw>(`milestones/${id}/stats`, undefined, ctx.signal).catch((error) => {
        // Surface the detail's clearer not-found error, not the stats one.
        if (error instanceof TaigaError && error.type === "not_found") return {} as Raw;
        throw error;
      }),
    ]);
    const stories = Array.isArray(milestone.user_stories) ? milestone.user_stories as Raw[] : [];
    return {
      sprint: compactSprint(milestone),
      progress: sprintProgress(stats),
      ...(args.include_burndown ? { burndown: burndown(stats) } : {}),
      ...(args.include_stories ? { stories: stories.map(sprintItemRow) } : {}),
    };
  },
});

const createMilestone = defineTool({
  name: "create_milestone",
  title: "Create a sprint",
  description:
    'Create a sprint; fill it with move_stories_to_sprint. E.g. {"project":"jane-website","name":"Sprint 4","start":"2026-03-02","finish":"2026-03-13"}.',
  toolset: "sprints",
  readOnly: false,
  input: () => ({
    project: projectField(),
    name: nameField().describe("Sprint name, unique in the project"),
    start: dayField().describe("First day, YYYY-MM-DD"),
    finish: dayField().describe("Last day, YYYY-MM-DD (not before start)"),
  }),
  output: () => ({ sprint: compactSprintSchema() }),
  handler: async (args, ctx) => {
    checkDates(args.start, args.finish);
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    const created = await session.client.post<Raw>("milestones", {
      project: meta.id,
      name: args.name,
      estimated_start: args.start,
      estimated_finish: args.finish,
    }, ctx.signal);
    ctx.metadata.invalidate(session, meta.id);
    return { sprint: compactSprint(created) };
  },
});

const updateMilestone = defineTool({
  name: "update_milestone",
  title: "Update a sprint",
  description:
    'Rename a sprint, move its dates, close or reopen it (last write wins). E.g. {"project":"jane-website","sprint":"Sprint 3","finish":"2026-03-20"}.',
  toolset: "sprints",
  readOnly: false,
  annotations: { idempotentHint: true },
  input: () => ({
    sprint: sprintField(),
    project: sprintProjectField(),
    name: nameField().optional().describe("New name"),
    start: dayField().optional().describe("New first day, YYYY-MM-DD"),
    finish: dayField().optional().describe("New last day, YYYY-MM-DD"),
    closed: z.boolean().optional().describe("Close (true) or reopen (false) the sprint"),
  }),
  output: () => ({ sprint: compactSprintSchema() }),
  handler: async (args, ctx) => {
    const changes: Raw = {};
    if (args.name !== undefined) changes.name = args.name;
    if (args.start !== undefined) changes.estimated_start = args.start;
    if (args.finish !== undefined) changes.estimated_finish = args.finish;
    if (args.closed !== undefined) changes.closed = args.closed;
    if (Object.keys(changes).length === 0) {
      throw new InputError("Nothing to change: pass name, start, finish or closed.");
    }
    const session = await ctx.session();
    const id = await resolveSprintId(session, ctx, args.sprint, args.project);
    const current = await fetchSprint(session.client, id, ctx.signal);
    checkDates(
      args.start ?? String(current.estimated_start),
      args.finish ?? String(current.estimated_finish),
    );
    const updated = await session.client.patch<Raw>(`milestones/${id}`, changes, ctx.signal);
    ctx.metadata.invalidate(session, Number(current.project));
    return { sprint: compactSprint(updated) };
  },
});

const deleteMilestone = defineTool({
  name: "delete_milestone",
  title: "Delete a sprint",
  description:
    'Delete a sprint; its stories and tasks go back to the backlog. The person is asked first. E.g. {"project":"jane-website","sprint":"Sprint 3"}.',
  toolset: "sprints",
  readOnly: false,
  annotations: { destructiveHint: true, idempotentHint: true },
  input: () => ({ sprint: sprintField(), project: sprintProjectField(), confirm: confirmField() }),
  output: () => ({
    deleted: z.boolean(),
    sprint: z.object({ id: z.number(), name: z.string() }),
    stories_back_to_backlog: z.number(),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const id = await resolveSprintId(session, ctx, args.sprint, args.project);
    const current = await fetchSprint(session.client, id, ctx.signal);
    const stories = Array.isArray(current.user_stories) ? current.user_stories.length : 0;
    await ctx.confirm(
      `Delete sprint "${current.name}" (${current.estimated_start} – ${current.estimated_finish})? ${
        stories > 0 ? `Its ${stories} user stories go back to the backlog. ` : ""
      }Taiga has no undo.`,
      args.confirm,
    );
    await session.client.delete(`milestones/${id}`, undefined, ctx.signal);
    ctx.metadata.invalidate(session, Number(current.project));
    return {
      deleted: true,
      sprint: { id, name: String(current.name) },
      stories_back_to_backlog: stories,
    };
  },
});

/** Sprint tools (toolset `sprints`, in the default selection). */
export const sprintTools: readonly AnyTool[] = [
  listMilestones,
  getMilestone,
  createMilestone,
  updateMilestone,
  deleteMilestone,
  ...sprintBoardTools,
];
