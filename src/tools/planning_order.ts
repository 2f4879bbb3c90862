/**
 * Ordering by #refs on Taiga's boards, one tool: the backlog or a sprint (stories), a kanban
 * column (stories; the only board where a story may change column), a sprint's taskboard cell
 * and a story's task list (tasks). Ordering never moves an item to another sprint: Taiga's
 * backlog endpoint pulls sprint stories into the backlog when no sprint is named, and its kanban
 * endpoint takes stories out of their swimlane when none is named, so both are always named
 * from what the items are, and an item outside the list ordered is refused.
 * @module
 */

import { z } from "zod";
import type { ProjectMetadata } from "../domain/metadata.ts";
import { resolveNamed, resolveSprint, resolveStatus, withMetadata } from "../domain/names.ts";
import { itemRefField, projectField } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { Session } from "../sessions/store.ts";
import { InputError } from "../taiga/errors.ts";
import { KINDS } from "../taiga/kinds.ts";
import { fetchItem } from "../taiga/reads.ts";
import type { RawItem, RawRecord } from "../taiga/types.ts";
import { nameOrId } from "./items_fields.ts";
import { common, everyItem, fetchItems, itemLine } from "./planning_common.ts";

type Kind = "userstory" | "task";

interface Job {
  session: Session;
  meta: ProjectMetadata;
  items: RawItem[];
  anchor?: { item: RawItem; after: boolean };
  signal: AbortSignal;
}

interface Done {
  where: string;
  changed?: string[];
}

/** Refuses items (and the anchor) outside the list being ordered. */
function requireIn(job: Job, inList: (i: RawItem) => boolean, where: string, fix: string): void {
  const all = job.anchor ? [...job.items, job.anchor.item] : job.items;
  const outside = all.find((item) => !inList(item));
  if (outside) throw new InputError(`${itemLine(outside)} is not in ${where}. ${fix}`);
}

function anchorBody(job: Job): RawRecord {
  if (!job.anchor) return {};
  return { [job.anchor.after ? "after_userstory_id" : "before_userstory_id"]: job.anchor.item.id };
}

function sprintLabel(meta: ProjectMetadata, id: unknown): string {
  if (id === null || id === undefined) return "the backlog";
  return `sprint "${meta.sprints.find((s) => s.id === id)?.name ?? id}"`;
}

function statusName(meta: ProjectMetadata, kind: Kind, id: unknown): string {
  return meta.statuses[kind].find((s) => s.id === id)?.name ?? `status ${id}`;
}

async function backlog(job: Job, sprintArg: string | number | undefined): Promise<Done> {
  const sprint = sprintArg === undefined ? null : resolveSprint(job.meta, sprintArg);
  const where = sprintLabel(job.meta, sprint);
  requireIn(
    job,
    (s) => (s.milestone ?? null) === sprint,
    where,
    sprint === null
      ? "Ordering never moves stories: pass sprint to order that sprint, or move it first (move_stories_to_sprint)."
      : "Ordering never moves stories: move it first (move_stories_to_sprint).",
  );
  await job.session.client.post("userstories/bulk_update_backlog_order", {
    project_id: job.meta.id,
    bulk_userstories: job.items.map((s) => s.id),
    ...(sprint === null ? {} : { milestone_id: sprint }),
    ...anchorBody(job),
  }, job.signal);
  return { where };
}

async function kanban(
  job: Job,
  statusArg: string | number | undefined,
  laneArg: string | number | undefined,
): Promise<Done> {
  const { meta, items } = job;
  const status = statusArg === undefined
    ? common(
      items,
      (s) => s.status,
      "columns",
      "Pass status to put them all in one column.",
      (id) => `"${statusName(meta, "userstory", id as number)}"`,
    )
    : resolveStatus(meta, "userstory", statusArg);
  const usesLanes = laneArg !== undefined || items.some((s) => s.swimlane != null);
  const lanes = usesLanes
    ? await job.session.client.get<Array<{ id: number; name: string }>>(
      "swimlanes",
      { project: meta.id },
      job.signal,
    )
    : [];
  const lane = laneArg === undefined
    ? common(items, (s) => s.swimlane ?? null, "swimlanes", "Pass swimlane to put them in one.")
    : resolveNamed(lanes, laneArg, "swimlane").id;
  const laneName = lanes.find((l) => l.id === lane)?.name;
  const where = `kanban column "${statusName(meta, "userstory", status)}"${
    laneName ? ` of swimlane "${laneName}"` : ""
  }`;
  if (job.anchor) {
    requireIn(
      { ...job, items: [] },
      (s) => s.status === status && (s.swimlane ?? null) === lane,
      where,
      "Place them relative to a story of that column and swimlane.",
    );
  }
  await job.session.client.post("userstories/bulk_update_kanban_order", {
    project_id: meta.id,
    status_id: status,
    ...(lane === null ? {} : { swimlane_id: lane }),
    bulk_userstories: items.map((s) => s.id),
    ...anchorBody(job),
  }, job.signal);
  const changed = items.filter((s) => s.status !== status || (s.swimlane ?? null) !== lane)
    .map((s) => `${itemLine(s)}: ${statusName(meta, "userstory", s.status)} → ${where}`);
  return { where, ...(changed.length ? { changed } : {}) };
}

/** Taskboard cell or story task list: explicit orders from the anchor, or the list's top. */
async function tasks(job: Job, board: "taskboard" | "story"): Promise<Done> {
  const { meta, items } = job;
  const field = board === "taskboard" ? "taskboard_order" : "us_order";
  let scope: RawRecord;
  let where: string;
  if (board === "taskboard") {
    const sprint = common(
      items,
      (t) => t.milestone ?? null,
      "sprints",
      "Order one sprint's tasks at a time.",
      (id) => sprintLabel(meta, id as number),
    );
    if (sprint === null) {
      throw new InputError("These tasks are in no sprint: the taskboard shows sprint tasks only.");
    }
    const status = common(
      items,
      (t) => t.status,
      "columns",
      "Order one column at a time (change status with update_task).",
      (id) => `"${statusName(meta, "task", id as number)}"`,
    );
    scope = { milestone_id: sprint, status_id: status };
    where = `taskboard of ${sprintLabel(meta, sprint)}, column "${
      statusName(meta, "task", status)
    }"`;
    requireIn(
      job,
      (t) => t.milestone === sprint && t.status === status,
      where,
      "Place them relative to a task of that cell.",
    );
  } else {
    const story = common(
      items,
      (t) => t.user_story ?? null,
      "stories",
      "Order one story's tasks at a time.",
    );
    if (story === null) {
      throw new InputError("These tasks belong to no story: order a story's tasks.");
    }
    const extra = items[0].user_story_extra_info as RawRecord | undefined;
    scope = { us_id: story };
    where = `tasks of story ${extra?.ref !== undefined ? `#${extra.ref}` : `id ${story}`}`;
    requireIn(
      job,
      (t) => t.user_story === story,
      where,
      "Place them relative to a task of that story.",
    );
  }
  let start: number;
  if (job.anchor) start = Number(job.anchor.item[field]) + (job.anchor.after ? 1 : 0);
  else {
    const query = board === "taskboard"
      ? {
        project: meta.id,
        milestone: scope.milestone_id as number,
        status: scope.status_id as number,
      }
      : { project: meta.id, user_story: scope.us_id as number };
    const list = await everyItem(job.session, KINDS.task.path, query, job.signal);
    start = list.length ? Math.min(...list.map((t) => Number(t[field]) || 0)) : 1;
  }
  await job.session.client.post(`tasks/bulk_update_${field}`, {
    project_id: meta.id,
    ...scope,
    bulk_tasks: items.map((t, index) => ({ task_id: t.id, order: start + index })),
  }, job.signal);
  return { where };
}

const reorderBoard = defineTool({
  name: "reorder_board",
  title: "Order items on a board",
  description:
    'Order stories or tasks by #ref on a board: backlog or sprint, kanban column, taskboard cell, a story\'s tasks. E.g. {"project":"jane-website","board":"backlog","items":["#15","#12"],"after":"#3"}.',
  toolset: "planning",
  readOnly: false,
  annotations: { idempotentHint: true },
  input: () => ({
    project: projectField(),
    board: z.enum(["backlog", "kanban", "taskboard", "story"]).describe(
      "backlog/kanban order stories; taskboard/story order tasks",
    ),
    items: z.array(itemRefField()).min(1).max(100).describe(
      "In the wanted order; they go first unless after/before",
    ),
    after: itemRefField().optional(),
    before: itemRefField().optional(),
    sprint: nameOrId().optional().describe("backlog board: order this sprint instead"),
    status: nameOrId().optional().describe("kanban: the column (stories from others move to it)"),
    swimlane: nameOrId().optional().describe("kanban: the swimlane (default: the stories' own)"),
  }),
  output: () => ({
    board: z.string(),
    where: z.string(),
    ordered: z.array(z.string()),
    anchor: z.string().optional(),
    changed: z.array(z.string()).optional().describe("Stories that changed column or swimlane"),
  }),
  handler: async (args, ctx) => {
    if (args.after !== undefined && args.before !== undefined) {
      throw new InputError('Pass "after" or "before", not both.');
    }
    const misplaced = [
      ["sprint", "backlog"],
      ["status", "kanban"],
      ["swimlane", "kanban"],
    ].find(([arg, board]) => args[arg as "sprint"] !== undefined && args.board !== board);
    if (misplaced) {
      throw new InputError(`"${misplaced[0]}" applies to the ${misplaced[1]} board only.`, {
        argument: misplaced[0],
      });
    }
    const session = await ctx.session();
    const kind: Kind = args.board === "backlog" || args.board === "kanban" ? "userstory" : "task";
    return await withMetadata(ctx, session, args.project, async (meta) => {
      const items = await fetchItems(session, kind, meta.id, args.items, ctx.signal);
      const anchorRef = args.after ?? args.before;
      const anchorItem = anchorRef === undefined
        ? undefined
        : await fetchItem(session.client, kind, meta.id, anchorRef, ctx.signal);
      if (anchorItem && items.some((i) => i.id === anchorItem.id)) {
        throw new InputError(`${itemLine(anchorItem)} cannot be placed relative to itself.`);
      }
      const job: Job = {
        session,
        meta,
        items,
        anchor: anchorItem && { item: anchorItem, after: args.after !== undefined },
        signal: ctx.signal,
      };
      const done = args.board === "backlog"
        ? await backlog(job, args.sprint)
        : args.board === "kanban"
        ? await kanban(job, args.status, args.swimlane)
        : await tasks(job, args.board);
      return {
        board: args.board,
        ...done,
        ordered: items.map(itemLine),
        ...(anchorItem
          ? { anchor: `${args.after !== undefined ? "after" : "before"} ${itemLine(anchorItem)}` }
          : {}),
      };
    });
  },
});

/** The board ordering tool. */
export const orderTools: readonly AnyTool[] = [reorderBoard];
