/**
 * Kind-specific tools for planning: bulk creation of stories and tasks, moving stories between
 * sprints and the backlog, backlog order, and promoting an issue or task to a user story.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import type { ProjectMetadata } from "../domain/metadata.ts";
import { resolveSprint, resolveStatus, withMetadata } from "../domain/names.ts";
import { itemRefField, projectField } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { compactItem, compactItemSchema } from "../domain/shapes/item.ts";
import type { Session } from "../sessions/store.ts";
import { KINDS } from "../taiga/kinds.ts";
import { TaigaError } from "../taiga/errors.ts";
import { fetchItem, fetchItems } from "../taiga/reads.ts";
import type { RawItem } from "../taiga/types.ts";
import { EXTRA_TOOLSET } from "./items_actions.ts";
import { nameOrId, storyRefs, subjectSchema } from "./items_fields.ts";
import { promoteTool } from "./promote.ts";
import { reorderBacklog } from "./backlog_order.ts";
import { z } from "zod";

const subjects = lazy(() =>
  z.array(subjectSchema().regex(/^[^\r\n]*$/, "one line per subject")).min(1)
    .max(500).describe("Subjects, one item each (1-500 characters, no line breaks)")
);

const createdOutput = lazy(() => ({ created: z.number(), items: z.array(compactItemSchema()) }));

const bulkInput = lazy(() => ({
  project: projectField(),
  subjects: subjects(),
  status: nameOrId().optional().describe("Status name for all of them (default: project default)"),
}));

/** `status_id` for a bulk creation when a status was named. */
function statusOption(
  meta: ProjectMetadata,
  kind: "userstory" | "task",
  status: string | number | undefined,
): { status_id?: number } {
  return status === undefined ? {} : { status_id: resolveStatus(meta, kind, status) };
}

function rows(kind: "userstory" | "task", list: RawItem[], meta: ProjectMetadata) {
  return list.map((raw) => {
    const row: Record<string, unknown> = compactItem(kind, raw, meta);
    delete row.project;
    return row as z.infer<ReturnType<typeof compactItemSchema>>;
  });
}

/** Moves the user stories `ids` into the sprint `sprint`, in that order. */
async function putInSprint(
  session: Session,
  project: number,
  sprint: number,
  ids: readonly number[],
  signal: AbortSignal,
): Promise<void> {
  await session.client.post("userstories/bulk_update_milestone", {
    project_id: project,
    milestone_id: sprint,
    bulk_stories: ids.map((id, order) => ({ us_id: id, order })),
  }, signal);
}

const bulkCreateStories = defineTool({
  name: "bulk_create_user_stories",
  title: "Create several user stories",
  description:
    'Create many user stories at once from a list of subjects, optionally with a status and in a sprint. Example: {"project":"jane-website","subjects":["Log in","Log out"],"sprint":"Sprint 3"}.',
  toolset: EXTRA_TOOLSET,
  readOnly: false,
  input: () => ({
    ...bulkInput(),
    sprint: nameOrId().optional().describe("Sprint name or id to put them in (default: backlog)"),
  }),
  output: () => createdOutput(),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    return await withMetadata(ctx, session, args.project, async (meta) => {
      const sprint = args.sprint === undefined ? null : resolveSprint(meta, args.sprint);
      let created = await session.client.post<RawItem[]>("userstories/bulk_create", {
        project_id: meta.id,
        ...statusOption(meta, "userstory", args.status),
        bulk_stories: args.subjects.join("\n"),
      }, ctx.signal);
      if (sprint !== null && created.length > 0) {
        await putInSprint(session, meta.id, sprint, created.map((story) => story.id), ctx.signal);
        created = created.map((story) => ({
          ...story,
          milestone: sprint,
          milestone_name: undefined,
        }));
      }
      return { created: created.length, items: rows("userstory", created, meta) };
    });
  },
});

const bulkCreateTasks = defineTool({
  name: "bulk_create_tasks",
  title: "Create several tasks",
  description:
    'Create many tasks at once from a list of subjects, optionally under a user story (they then join its sprint). Example: {"project":"jane-website","user_story":"#12","subjects":["Backend","Frontend","Tests"]}.',
  toolset: EXTRA_TOOLSET,
  readOnly: false,
  input: () => ({
    ...bulkInput(),
    user_story: itemRefField().optional().describe('Parent user story: "#ref" or id'),
    sprint: nameOrId().optional().describe("Sprint name or id (default: the story's sprint)"),
  }),
  output: () => createdOutput(),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    return await withMetadata(ctx, session, args.project, async (meta) => {
      const status = statusOption(meta, "task", args.status);
      let sprint = args.sprint === undefined ? null : resolveSprint(meta, args.sprint);
      let storyId: number | undefined;
      if (args.user_story !== undefined) {
        const story = await fetchItem(
          session.client,
          "userstory",
          meta.id,
          args.user_story,
          ctx.signal,
        );
        storyId = story.id;
        if (args.sprint === undefined) sprint = (story.milestone as number | null) ?? null;
      }
      const created: RawItem[] = [];
      if (sprint !== null) {
        created.push(
          ...await session.client.post<RawItem[]>("tasks/bulk_create", {
            project_id: meta.id,
            milestone_id: sprint,
            ...(storyId !== undefined ? { us_id: storyId } : {}),
            ...status,
            bulk_tasks: args.subjects.join("\n"),
          }, ctx.signal),
        );
      } else {
        // Taiga's tasks/bulk_create requires a sprint (milestone_id is a required field), so
        // backlog tasks are created one by one; a failure says what was already created.
        for (const [index, subject] of args.subjects.entries()) {
          try {
            created.push(
              await session.client.post<RawItem>("tasks", {
                project: meta.id,
                subject,
                ...(storyId !== undefined ? { user_story: storyId } : {}),
                ...(status.status_id !== undefined ? { status: status.status_id } : {}),
              }, ctx.signal),
            );
            await ctx.progress(index + 1, args.subjects.length, `created ${index + 1} tasks`);
          } catch (error) {
            throw partialFailure(error, created, args.subjects.length);
          }
        }
      }
      return { created: created.length, items: rows("task", created, meta) };
    });
  },
});

/** The error of a one-by-one creation that stopped midway: what failed, and what exists now. */
function partialFailure(error: unknown, created: RawItem[], wanted: number): unknown {
  if (!(error instanceof TaigaError) || created.length === 0) return error;
  const refs = created.map((item) => `#${item.ref}`).join(", ");
  return new TaigaError(
    error.type,
    `${error.message} ${created.length} of ${wanted} tasks were created before that (${refs}); create only the rest when you retry.`,
    {
      status: error.status,
      details: { ...error.details, created: created.map((item) => item.ref) },
    },
  );
}

const moveStories = defineTool({
  name: "move_stories_to_sprint",
  title: "Move user stories to a sprint",
  description:
    'Put stories into a sprint, or back with sprint "backlog". E.g. {"project":"jane-website","stories":["#12","#15"],"sprint":"Sprint 3"}.',
  toolset: KINDS.userstory.toolset,
  readOnly: false,
  input: () => ({
    project: projectField(),
    stories: storyRefs(),
    sprint: nameOrId().describe('Sprint name or id, or "backlog"'),
  }),
  output: () => ({
    moved: z.number(),
    sprint: z.string().nullable(),
    stories: z.array(z.string()).describe('The stories moved, by ref (e.g. ["#12"])'),
  }),
  annotations: { idempotentHint: true },
  handler: async (args, ctx) => {
    const session = await ctx.session();
    return await withMetadata(ctx, session, args.project, async (meta) => {
      const sprint = resolveSprint(meta, args.sprint);
      const stories = await fetchItems(
        session.client,
        "userstory",
        meta.id,
        args.stories,
        ctx.signal,
      );
      const ids = stories.map((story) => story.id);
      if (sprint === null) {
        await session.client.post("userstories/bulk_update_backlog_order", {
          project_id: meta.id,
          milestone_id: null,
          bulk_userstories: ids,
        }, ctx.signal);
      } else {
        await putInSprint(session, meta.id, sprint, ids, ctx.signal);
      }
      const name = sprint === null ? null : meta.sprints.find((s) => s.id === sprint)?.name;
      return {
        moved: ids.length,
        sprint: name ?? null,
        stories: stories.map((story) => `#${story.ref}`),
      };
    });
  },
});

/** Planning extras for stories, tasks and issues. */
export const storyExtraTools: readonly AnyTool[] = [
  moveStories,
  bulkCreateStories,
  bulkCreateTasks,
  reorderBacklog,
  promoteTool,
];
