/**
 * project_health: a project's state for a model in one call — open items by status per kind,
 * the overdue, unassigned and blocked ones (counts and a few refs each), and the current
 * sprint's progress and burndown point. The same tool with `bucket` pages through one whole
 * bucket, so nothing is ever cut without a way to the rest.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import { ALL_ITEMS_CAP, listInput, listOutput, projectField } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { InputError } from "../taiga/errors.ts";
import {
  BUCKETS,
  gatherHealth,
  type HealthRow,
  OPEN_ITEMS_CAP,
  sprintHealth,
} from "./report_health.ts";

const rowSchema = lazy(() =>
  z.object({
    kind: z.string(),
    ref: z.number(),
    subject: z.string(),
    due: z.string().optional(),
    note: z.string().optional().describe("Why it is blocked"),
  })
);

const bucketSchema = lazy(() => z.object({ count: z.number(), items: z.array(rowSchema()) }));

const sprintSchema = lazy(() =>
  z.object({
    name: z.string(),
    state: z.string().describe("running, upcoming, or overrun (past its finish, still open)"),
    start: z.string(),
    finish: z.string(),
    days_left: z.number(),
    progress: z.record(z.string(), z.number()),
    burndown: z.object({
      day: z.string(),
      open_points: z.number(),
      optimal_points: z.number(),
      behind_by: z.number().describe("open minus optimal points; above 0 is behind"),
    }).optional(),
  })
);

/** The page of `rows` the list arguments ask for, with the usual paging facts. */
function pageOf(
  rows: HealthRow[],
  args: { limit: number; page: number; all: boolean },
): { items: HealthRow[]; paging: z.infer<z.ZodObject<ReturnType<typeof listOutput>>> } {
  const total = rows.length;
  if (args.all) {
    const items = rows.slice(0, ALL_ITEMS_CAP);
    const truncated = total > items.length;
    return {
      items,
      paging: {
        total,
        returned: items.length,
        page: 1,
        has_more: truncated,
        ...(truncated ? { truncated } : {}),
      },
    };
  }
  const start = (args.page - 1) * args.limit;
  if (args.page > 1 && start >= total) {
    throw new InputError(
      `Page ${args.page} is past the last page (${total} items). Start again from page 1.`,
      { argument: "page" },
    );
  }
  const items = rows.slice(start, start + args.limit);
  const more = start + items.length < total;
  return {
    items,
    paging: {
      total,
      returned: items.length,
      page: args.page,
      has_more: more,
      ...(more ? { next_page: args.page + 1 } : {}),
    },
  };
}

const projectHealth = defineTool({
  name: "project_health",
  title: "Project health at a glance",
  description:
    'Open items by status per kind; overdue, unassigned and blocked items (counts + a few refs); the current sprint\'s progress and burndown. bucket lists one bucket whole. E.g. {"project":"jane-website"}.',
  toolset: "reports",
  readOnly: true,
  input: () => ({
    project: projectField(),
    bucket: z.enum(BUCKETS).optional().describe(
      "List this bucket whole (paged) instead of the summary",
    ),
    sample: z.number().int().min(0).max(20).default(3).describe(
      "Refs shown per bucket in the summary",
    ),
    ...listInput(),
  }),
  output: () => ({
    project: z.string(),
    today: z.string(),
    open: z.record(
      z.string(),
      z.object({
        total: z.number(),
        by_status: z.record(z.string(), z.number()),
        partial: z.boolean().optional().describe(
          `More than ${OPEN_ITEMS_CAP} open: counts cover the first ones`,
        ),
      }),
    ).optional().describe("Open items per kind"),
    overdue: bucketSchema().optional(),
    unassigned: bucketSchema().optional(),
    blocked: bucketSchema().optional(),
    sprint: sprintSchema().nullable().optional().describe("The open sprint running now, else next"),
    more: z.string().optional().describe("How to get the rest"),
    bucket: z.string().optional(),
    items: z.array(rowSchema()).optional(),
    ...Object.fromEntries(
      Object.entries(listOutput()).map(([key, schema]) => [key, schema.optional()]),
    ) as {
      [K in keyof ReturnType<typeof listOutput>]: z.ZodOptional<(ReturnType<typeof listOutput>)[K]>;
    },
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    const today = new Date().toISOString().slice(0, 10);
    if (args.bucket !== undefined) {
      const data = await gatherHealth(ctx, session, meta, today);
      const { items, paging } = pageOf(data.buckets[args.bucket], args);
      return { project: meta.slug, today, bucket: args.bucket, items, ...paging };
    }
    const [data, sprint] = await Promise.all([
      gatherHealth(ctx, session, meta, today),
      sprintHealth(ctx, session, meta, today),
    ]);
    const summary = (rows: HealthRow[]) => ({
      count: rows.length,
      items: rows.slice(0, args.sample),
    });
    return {
      project: meta.slug,
      today,
      open: data.open,
      overdue: summary(data.buckets.overdue),
      unassigned: summary(data.buckets.unassigned),
      blocked: summary(data.buckets.blocked),
      sprint,
      more:
        'Whole bucket: call again with bucket "overdue", "unassigned" or "blocked". Full burndown: get_milestone.',
    };
  },
});

/** The project-health tool (toolset `reports`). */
export const healthTools: readonly AnyTool[] = [projectHealth];
