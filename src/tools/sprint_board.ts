/**
 * The sprint board: every story of a sprint with its tasks, plus the sprint's tasks that belong to
 * no story of it — what a team looks at in a stand-up, in two Taiga requests.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import { resolveSprintId } from "../domain/refs.ts";
import { ALL_ITEMS_CAP, sprintField, sprintProjectField } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { sprintItemRow, sprintItemSchema } from "../domain/shapes/sprint.ts";
import { fetchAll } from "../taiga/pagination.ts";
import { fetchSprint } from "../taiga/reads.ts";

type Raw = Record<string, unknown>;
type Row = z.infer<ReturnType<typeof sprintItemSchema>>;

const storyRowSchema = lazy(() =>
  sprintItemSchema().extend({ tasks: z.array(sprintItemSchema()) })
);

const listSprintItems = defineTool({
  name: "list_sprint_items",
  title: "List a sprint's stories and tasks",
  description:
    'The sprint board: its stories with their tasks, tasks outside them, open/closed counts. E.g. {"project":"jane-website","sprint":"Sprint 3"}.',
  toolset: "sprints",
  readOnly: true,
  input: () => ({
    sprint: sprintField(),
    project: sprintProjectField(),
    open_only: z.boolean().default(false).describe("Leave out closed stories and tasks"),
  }),
  output: () => ({
    sprint: z.object({ id: z.number(), name: z.string(), closed: z.boolean() }),
    stories: z.array(storyRowSchema()),
    other_tasks: z.array(sprintItemSchema()).describe("Tasks of the sprint outside its stories"),
    counts: z.object({
      stories: z.number(),
      stories_closed: z.number(),
      tasks: z.number(),
      tasks_closed: z.number(),
    }),
    truncated: z.boolean().optional(),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const id = await resolveSprintId(session, ctx, args.sprint, args.project);
    const options = { maxItems: ALL_ITEMS_CAP, signal: ctx.signal };
    const [milestone, stories, tasks] = await Promise.all([
      fetchSprint(session.client, id, ctx.signal),
      fetchAll<Raw>(session.client, "userstories", { milestone: id }, options),
      fetchAll<Raw>(session.client, "tasks", { milestone: id }, options),
    ]);
    const storyRows = stories.items.map((story) => ({
      ...sprintItemRow(story),
      tasks: [] as Row[],
    }));
    const byId = new Map(storyRows.map((row) => [row.id, row]));
    const otherTasks: Row[] = [];
    let tasksClosed = 0;
    for (const task of tasks.items) {
      const row = sprintItemRow(task);
      if (row.is_closed) tasksClosed++;
      const parent = typeof task.user_story === "number" ? byId.get(task.user_story) : undefined;
      (parent ? parent.tasks : otherTasks).push(row);
    }
    const counts = {
      stories: storyRows.length,
      stories_closed: storyRows.filter((row) => row.is_closed).length,
      tasks: tasks.items.length,
      tasks_closed: tasksClosed,
    };
    const open = <T extends { is_closed?: boolean }>(rows: T[]): T[] =>
      args.open_only ? rows.filter((row) => !row.is_closed) : rows;
    return {
      sprint: { id, name: String(milestone.name), closed: milestone.closed === true },
      stories: open(storyRows).map((row) => ({ ...row, tasks: open(row.tasks) })),
      other_tasks: open(otherTasks),
      counts,
      ...(stories.truncated || tasks.truncated ? { truncated: true } : {}),
    };
  },
});

/** The sprint board tool. */
export const sprintBoardTools: readonly AnyTool[] = [listSprintItems];
