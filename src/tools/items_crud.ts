/**
 * The list/get/create/update/delete tools of every work-item kind, generated from the kind table
 * by one implementation (list_user_stories, get_task, create_issue, update_epic, ...).
 * @module
 */

import { patchItem } from "../domain/item_write.ts";
import type { ProjectMetadata } from "../domain/metadata.ts";
import { withMetadata } from "../domain/names.ts";
import {
  itemArg,
  itemProjectField,
  listInput,
  listOutput,
  openObject,
  projectField,
  verboseField,
} from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { compactItem, compactItemSchema, itemDetail, taskLine } from "../domain/shapes/item.ts";
import { listItems } from "../mcp/listing.ts";
import type { Session } from "../sessions/store.ts";
import type { KindInfo } from "../taiga/kinds.ts";
import { InputError } from "../taiga/errors.ts";
import { fetchItem } from "../taiga/reads.ts";
import type { RawItem } from "../taiga/types.ts";
import type { QueryValue } from "../taiga/url.ts";
import { deleteTool } from "./items_delete.ts";
import { buildPayload, fieldShape, shownKeys } from "./items_fields.ts";
import { settleTaskSprint } from "./task_sprint.ts";
import { buildQuery, filterShape } from "./items_filters.ts";
import { z } from "zod";

/** Drops metadata after a write that introduced tags the cache does not know. */
export function noteNewTags(
  ctx: RequestContext,
  session: Session,
  meta: ProjectMetadata,
  tags: unknown,
): void {
  if (!Array.isArray(tags)) return;
  if (tags.some((tag) => !meta.tags.includes(String(tag)))) {
    ctx.metadata.invalidate(session, meta.id);
  }
}

/** Reads an item and its project's metadata (for names). */
export async function loadItem(
  ctx: RequestContext,
  session: Session,
  info: KindInfo,
  args: { item: string | number; project?: string | number },
  extraQuery?: Record<string, QueryValue>,
): Promise<{ raw: RawItem; meta: ProjectMetadata }> {
  const raw = await fetchItem(
    session.client,
    info.kind,
    args.project,
    args.item,
    ctx.signal,
    extraQuery,
  );
  const meta = await ctx.metadata.get(session, raw.project as number, ctx.signal);
  return { raw, meta };
}

/** The compact detail of an item, or its raw JSON when verbose. */
export function present(
  info: KindInfo,
  raw: RawItem,
  meta: ProjectMetadata | undefined,
  verbose = false,
): Record<string, unknown> {
  return verbose ? raw : itemDetail(info.kind, raw, meta);
}

function listTool(info: KindInfo): AnyTool {
  return defineTool({
    name: `list_${info.plural}`,
    title: `List ${info.labelPlural}`,
    description: `${
      info.labelPlural[0].toUpperCase() + info.labelPlural.slice(1)
    } of a project; filters combine with AND. Rows (#ref, subject, status, assignee, sprint, tags, version), total, next_page. E.g. {"project":"jane-website","status":"open","assignee":"me"}.`,
    toolset: info.toolset,
    readOnly: true,
    input: () => ({
      project: projectField().optional().describe(
        "Project id or slug (omit to search every project you can see; name filters then need it)",
      ),
      ...filterShape(info),
      verbose: verboseField(),
      ...listInput(),
    }),
    output: () => ({
      items: z.array(z.union([compactItemSchema(), openObject()])),
      project: z.string().optional(),
      ...listOutput(),
    }),
    handler: async (args, ctx) => {
      const session = await ctx.session();
      const run = async (meta: ProjectMetadata | undefined) => {
        const filters = await buildQuery(info, args, { session, meta, signal: ctx.signal });
        const query = { ...(meta ? { project: meta.id } : {}), ...filters };
        return await listItems<RawItem>(session.client, info.path, query, args, ctx);
      };
      const project = args.project;
      let meta: ProjectMetadata | undefined;
      const listed = project === undefined ? await run(undefined) : await withMetadata(
        ctx,
        session,
        project,
        (fresh) => {
          meta = fresh;
          return run(fresh);
        },
      );
      const items = listed.items.map((raw) => {
        if (args.verbose) return raw;
        const row: Record<string, unknown> = compactItem(info.kind, raw, meta);
        if (meta) delete row.project;
        return row;
      });
      return { items, ...(meta ? { project: meta.slug } : {}), ...listed.paging };
    },
  });
}

function getTool(info: KindInfo): AnyTool {
  return defineTool({
    name: `get_${info.one}`,
    title: `Get a ${info.label}`,
    description: `One ${info.label}: status, people, sprint, tags, description${
      info.kind === "userstory" ? ", tasks, epics, points per role" : ""
    }, version. E.g. {"project":"jane-website","item":"#12"}.`,
    toolset: info.toolset,
    readOnly: true,
    input: () => ({ item: itemArg(info), project: itemProjectField(), verbose: verboseField() }),
    output: () => ({ item: openObject() }),
    handler: async (args, ctx) => {
      const session = await ctx.session();
      // Taiga inlines a story's tasks only when asked (include_tasks): one request, not two.
      const extra = info.kind === "userstory" ? { include_tasks: true } : undefined;
      const { raw, meta } = await loadItem(ctx, session, info, args, extra);
      const item = present(info, raw, meta, args.verbose);
      const tasks = Array.isArray(raw.tasks) ? raw.tasks as RawItem[] : [];
      if (info.kind === "userstory" && !args.verbose && tasks.length > 0) {
        const statusName = new Map(meta.statuses.task.map((status) => [status.id, status.name]));
        Object.assign(item, {
          tasks: tasks.map((task) =>
            taskLine({
              ...task,
              status_extra_info: { name: statusName.get(task.status_id as number) },
            })
          ),
          tasks_total: tasks.length,
        });
      }
      return { item };
    },
  });
}

function createTool(info: KindInfo): AnyTool {
  return defineTool({
    name: `create_${info.one}`,
    title: `Create a ${info.label}`,
    description: `Create a ${info.label}; names for status, people, sprint${
      info.kind === "issue" ? ", type, priority, severity (project defaults if omitted)" : ""
    }. Returns it with its #ref. E.g. ${info.createExample}.`,
    toolset: info.toolset,
    readOnly: false,
    input: () => ({ project: projectField(), ...fieldShape(info, ["subject"]) }),
    output: () => ({ item: openObject() }),
    handler: async (args, ctx) => {
      const session = await ctx.session();
      return await withMetadata(ctx, session, args.project, async (meta) => {
        const payload = await buildPayload(info, args, {
          session,
          meta,
          kind: info.kind,
          signal: ctx.signal,
        });
        if (info.kind === "task") await settleTaskSprint(session, payload, undefined, ctx.signal);
        const created = await session.client.post<RawItem>(
          info.path,
          { project: meta.id, ...payload },
          ctx.signal,
        );
        noteNewTags(ctx, session, meta, payload.tags);
        return { item: present(info, created, meta) };
      });
    },
  });
}

function updateTool(info: KindInfo): AnyTool {
  return defineTool({
    name: `update_${info.one}`,
    title: `Update a ${info.label}`,
    description:
      `Change the fields you pass. With version, a concurrent change is refused (the error shows the current values); without, last write wins. E.g. {"project":"jane-website","item":"#12","status":"Done","version":3}.`,
    toolset: info.toolset,
    readOnly: false,
    input: () => ({
      item: itemArg(info),
      project: itemProjectField(),
      version: z.number().int().positive().optional().describe(
        `The version you read (from get_${info.one}); omit for last-write-wins`,
      ),
      ...fieldShape(info),
    }),
    output: () => ({ item: openObject() }),
    annotations: { idempotentHint: true },
    handler: async (args, ctx) => {
      const changes = shownKeys(info, args);
      if (changes.length === 0) {
        throw new InputError(
          `Nothing to change: pass at least one of ${info.fields.join(", ")}.`,
          { valid: [...info.fields] },
        );
      }
      const session = await ctx.session();
      const { raw, meta } = await loadItem(ctx, session, info, args);
      const payload = await withMetadata(
        ctx,
        session,
        meta.id,
        (fresh) =>
          buildPayload(info, args, { session, meta: fresh, kind: info.kind, signal: ctx.signal }),
      );
      if (info.kind === "task") await settleTaskSprint(session, payload, raw, ctx.signal);
      const updated = await patchItem(session, info, raw, payload, {
        version: args.version,
        shown: changes,
        meta,
        signal: ctx.signal,
      });
      noteNewTags(ctx, session, meta, payload.tags);
      return { item: present(info, updated, meta) };
    },
  });
}

/** The five CRUD tools of one kind. */
export function crudTools(info: KindInfo): AnyTool[] {
  return [listTool(info), getTool(info), createTool(info), updateTool(info), deleteTool(info)];
}
