/**
 * Sprint rollover: a sprint's unfinished work moves to the next sprint (by start date), a named
 * one or the backlog, the way Taiga's "move to sprint" does it — open stories (their tasks
 * follow them), open tasks outside a story, open issues; closed items stay. Everything is
 * resolved and checked before the first write.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import type { ProjectMetadata } from "../domain/metadata.ts";
import { patchItem } from "../domain/item_write.ts";
import { resolveSprint, withMetadata } from "../domain/names.ts";
import { resolveSprintId } from "../domain/refs.ts";
import { sprintField, sprintProjectField } from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { Session } from "../sessions/store.ts";
import { InputError, UnknownNameError } from "../taiga/errors.ts";
import { KINDS } from "../taiga/kinds.ts";
import { fetchSprint } from "../taiga/reads.ts";
import type { RawItem, RawRecord } from "../taiga/types.ts";
import { nameOrId } from "./items_fields.ts";
import { byOrder, everyItem, itemLine, stoppedMidway } from "./planning_common.ts";

const lines = lazy(() => z.array(z.string()));

/** The sprint the work goes to; null is the backlog. */
type Target = { id: number; name: string } | null;

function describe(sprint: RawRecord): string {
  return `"${sprint.name}" (${sprint.estimated_start} to ${sprint.estimated_finish})`;
}

/** The next open sprint: first (by start, then id) from source's finish, else after its start. */
async function nextSprint(
  session: Session,
  source: RawRecord,
  signal: AbortSignal,
): Promise<Target> {
  const open = await everyItem(
    session,
    "milestones",
    { project: Number(source.project), closed: false },
    signal,
  ) as unknown as RawRecord[];
  const start = String(source.estimated_start);
  const later = open.filter((s) => {
    const other = String(s.estimated_start);
    return s.id !== source.id &&
      (other > start || (other === start && Number(s.id) > Number(source.id)));
  }).sort((a, b) =>
    String(a.estimated_start).localeCompare(String(b.estimated_start)) ||
    Number(a.id) - Number(b.id)
  );
  if (later.length === 0) {
    const names = open.filter((s) => s.id !== source.id).map((s) => `"${s.name}"`);
    throw new InputError(
      `No open sprint starts after ${
        describe(source)
      }. Create one with create_milestone, or pass "to": ${
        names.length ? `${names.join(", ")} or ` : ""
      }"backlog".`,
      { argument: "to" },
    );
  }
  // A sprint that starts once this one ends is "the next"; one running alongside is a last resort.
  const finish = String(source.estimated_finish);
  const next = later.find((s) => String(s.estimated_start) >= finish) ?? later[0];
  return { id: Number(next.id), name: String(next.name) };
}

/** The sprint `to` names in the source's project; refuses the source itself and closed ones. */
async function namedTarget(
  session: Session,
  ctx: RequestContext,
  meta: ProjectMetadata,
  source: RawRecord,
  to: string | number,
): Promise<Target> {
  let id: number | null;
  try {
    id = resolveSprint(meta, to);
  } catch (error) {
    const digits = typeof to === "number" || /^\d+$/.test(to.trim());
    if (!(error instanceof UnknownNameError) || !digits) throw error;
    const other = await fetchSprint(session.client, Number(to), ctx.signal).catch(() => undefined);
    if (other === undefined || other.project === meta.id) throw error;
    throw new InputError(
      `Sprint ${to} ("${other.name}") belongs to another project, not ${meta.slug}: work moves only within its project. Sprints of ${meta.slug}: ${
        meta.sprints.map((s) => s.name).join(", ")
      }.`,
      { argument: "to" },
    );
  }
  if (id === null) return null;
  if (id === source.id) {
    throw new InputError(
      `"to" is the sprint being rolled over ("${source.name}"): name another sprint, "backlog", or omit "to" for the next one.`,
      { argument: "to" },
    );
  }
  const target = await fetchSprint(session.client, id, ctx.signal);
  if (target.closed === true) {
    // Rolling open work into a finished sprint hides it from every active board, and Taiga's
    // bulk moves do not reopen the sprint.
    throw new InputError(
      `Sprint "${target.name}" is closed: unfinished work moved there would sit in a finished sprint. Reopen it first (update_milestone with closed: false) or choose an open sprint.`,
      { argument: "to" },
    );
  }
  return { id, name: String(target.name) };
}

/** The sprint's items split into what moves and what stays. */
function plan(stories: RawItem[], tasks: RawItem[], issues: RawItem[]) {
  const open = stories.filter((s) => s.is_closed !== true).sort(byOrder("sprint_order"));
  const closedStories = stories.filter((s) => s.is_closed === true);
  const moving = new Set(open.map((s) => s.id));
  const closedIds = new Map(closedStories.map((s) => [s.id, s]));
  const following = tasks.filter((t) => moving.has(t.user_story as number));
  const loose = tasks.filter((t) =>
    !moving.has(t.user_story as number) && !closedIds.has(t.user_story as number)
  );
  const looseOpen = loose.filter((t) => t.is_closed !== true).sort(byOrder("taskboard_order"));
  const stayingTasks = [
    ...loose.filter((t) => t.is_closed === true).map(itemLine),
    ...tasks.filter((t) => closedIds.has(t.user_story as number)).map((t) =>
      t.is_closed === true
        ? itemLine(t)
        : `${itemLine(t)} (open; its story #${
          closedIds.get(t.user_story as number)!.ref
        } is closed)`
    ),
  ];
  return {
    stories: open,
    tasks: looseOpen,
    issues: issues.filter((i) => i.is_closed !== true),
    following,
    stayed: {
      user_stories: closedStories.map(itemLine),
      tasks: stayingTasks,
      issues: issues.filter((i) => i.is_closed === true).map(itemLine),
    },
  };
}

type Plan = ReturnType<typeof plan>;

/** The writes, one per kind (to the backlog: one per task and issue); what was done so far. */
async function move(
  session: Session,
  ctx: RequestContext,
  meta: ProjectMetadata,
  sourceId: number,
  target: Target,
  work: Plan,
): Promise<void> {
  const done: string[] = [];
  const step = async (what: string, write: () => Promise<unknown>) => {
    try {
      await write();
      done.push(what);
    } catch (error) {
      throw stoppedMidway(error, done);
    }
  };
  const post = (path: string, body: RawRecord) =>
    session.client.post(`milestones/${sourceId}/${path}`, body, ctx.signal);
  const base = { project_id: meta.id, milestone_id: target?.id };
  const storyIds = work.stories.map((s) => s.id);
  const storiesDone = `user stories ${work.stories.map((s) => `#${s.ref}`).join(", ")} moved`;
  if (storyIds.length > 0) {
    await step(
      storiesDone,
      () =>
        target === null
          // No sprint move reaches the backlog; without milestone_id this one does (top of it).
          ? session.client.post("userstories/bulk_update_backlog_order", {
            project_id: meta.id,
            bulk_userstories: storyIds,
          }, ctx.signal)
          : post("move_userstories_to_sprint", {
            ...base,
            bulk_stories: storyIds.map((id, index) => ({ us_id: id, order: index + 1 })),
          }),
    );
  }
  if (target === null) {
    for (const [kind, items] of [["task", work.tasks], ["issue", work.issues]] as const) {
      for (const item of items) {
        await step(
          `${KINDS[kind].label} #${item.ref} moved`,
          () =>
            patchItem(session, KINDS[kind], item, { milestone: null }, {
              shown: ["sprint"],
              signal: ctx.signal,
            }),
        );
      }
    }
    return;
  }
  if (work.tasks.length > 0) {
    await step(
      `tasks ${work.tasks.map((t) => `#${t.ref}`).join(", ")} moved`,
      () =>
        post("move_tasks_to_sprint", {
          ...base,
          bulk_tasks: work.tasks.map((t, index) => ({ task_id: t.id, order: index + 1 })),
        }),
    );
  }
  if (work.issues.length > 0) {
    await step(
      `issues ${work.issues.map((i) => `#${i.ref}`).join(", ")} moved`,
      () =>
        post("move_issues_to_sprint", {
          ...base,
          bulk_issues: work.issues.map((i) => ({ issue_id: i.id })),
        }),
    );
  }
}

const rolloverSprint = defineTool({
  name: "rollover_sprint",
  title: "Roll a sprint's unfinished work over",
  description:
    'Move a sprint\'s open stories (tasks follow), open loose tasks and open issues to the next sprint by dates, a named one or "backlog"; closed items stay. E.g. {"project":"jane-website","sprint":"Sprint 3"}.',
  toolset: "planning",
  readOnly: false,
  annotations: { idempotentHint: true },
  input: () => ({
    sprint: sprintField(),
    project: sprintProjectField(),
    to: nameOrId().optional().describe(
      'Sprint name or id, or "backlog"; omit: the next open sprint by start date',
    ),
    dry_run: z.boolean().default(false).describe("Only report what would move"),
  }),
  output: () => ({
    from: z.string(),
    to: z.string().describe('Sprint name, or "backlog"'),
    dry_run: z.boolean().optional(),
    moved: z.object({
      user_stories: lines(),
      tasks: lines().describe("Open tasks outside a moved story"),
      tasks_with_stories: lines().describe("Tasks that move with their story (closed ones too)"),
      issues: lines(),
    }),
    stayed: z.object({ user_stories: lines(), tasks: lines(), issues: lines() }),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const sourceId = await resolveSprintId(session, ctx, args.sprint, args.project);
    const source = await fetchSprint(session.client, sourceId, ctx.signal);
    const projectId = Number(source.project);
    const target = await withMetadata(
      ctx,
      session,
      projectId,
      (meta) =>
        args.to === undefined
          ? nextSprint(session, source, ctx.signal)
          : namedTarget(session, ctx, meta, source, args.to),
    );
    const query = { project: projectId, milestone: sourceId };
    const [stories, tasks, issues] = await Promise.all(
      (["userstory", "task", "issue"] as const).map((kind) =>
        everyItem(session, KINDS[kind].path, query, ctx.signal)
      ),
    );
    const work = plan(stories, tasks, issues);
    if (!args.dry_run) {
      const meta = await ctx.metadata.get(session, projectId, ctx.signal);
      await move(session, ctx, meta, sourceId, target, work);
      // Taiga recomputes which sprints are closed after moves; the cached list may be stale.
      ctx.metadata.invalidate(session, projectId);
    }
    return {
      from: String(source.name),
      to: target === null ? "backlog" : target.name,
      ...(args.dry_run ? { dry_run: true } : {}),
      moved: {
        user_stories: work.stories.map(itemLine),
        tasks: work.tasks.map(itemLine),
        tasks_with_stories: work.following.map(itemLine),
        issues: work.issues.map(itemLine),
      },
      stayed: work.stayed,
    };
  },
});

/** The rollover tool. */
export const rolloverTools: readonly AnyTool[] = [rolloverSprint];
