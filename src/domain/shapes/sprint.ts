/**
 * Compact projections of Taiga sprints (milestones): the list row, the progress summary from
 * `milestones/{id}/stats`, the burndown, and the rows of a sprint board. Taiga's milestone JSON
 * nests every story of the sprint; none of that reaches a model unless asked for.
 * @module
 */

import { lazy } from "../lazy.ts";
import { z } from "zod";

type Raw = Record<string, unknown>;

/** Output schema of a sprint as one line of a list. */
export const compactSprintSchema = lazy(() =>
  z.looseObject({
    id: z.number(),
    name: z.string(),
    slug: z.string().optional(),
    project: z.union([z.string(), z.number()]).optional().describe("Slug (id when unknown)"),
    start: z.string().describe("estimated_start, YYYY-MM-DD"),
    finish: z.string().describe("estimated_finish, YYYY-MM-DD"),
    closed: z.boolean(),
    total_points: z.number().nullable().optional(),
    closed_points: z.number().nullable().optional(),
    stories: z.number().optional().describe("User stories in the sprint"),
  })
);

/** A compact sprint. */
export type CompactSprint = z.infer<ReturnType<typeof compactSprintSchema>>;

/** Output schema of a sprint's progress (from `milestones/{id}/stats`). */
export const sprintProgressSchema = lazy(() =>
  z.object({
    points_total: z.number(),
    points_done: z.number(),
    percent_done: z.number().describe("points_done / points_total, 0-100 (0 when no points)"),
    stories_total: z.number(),
    stories_done: z.number(),
    tasks_total: z.number(),
    tasks_done: z.number(),
    iocaine_doses: z.number().optional().describe("Tasks flagged as iocaine (extra effort)"),
  })
);

/** One day of the burndown. */
export const burndownDaySchema = lazy(() =>
  z.object({
    day: z.string(),
    open_points: z.number(),
    optimal_points: z.number(),
  })
);

/** A story or task as one row inside a sprint. */
export const sprintItemSchema = lazy(() =>
  z.looseObject({
    id: z.number(),
    ref: z.number(),
    subject: z.string(),
    status: z.string().optional(),
    is_closed: z.boolean().optional(),
    total_points: z.number().nullable().optional(),
    assigned_to: z.string().nullable().optional(),
  })
);

function numberOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? value : null;
}

function round(value: number): number {
  return Math.round(value * 100) / 100;
}

/**
 * Sums Taiga's point figures, which come as a number, a `{roleId: points}` dict (stats
 * `total_points`) or a list of numbers (stats `completed_points`).
 */
export function sumPoints(value: unknown): number {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  const values = Array.isArray(value)
    ? value
    : value && typeof value === "object"
    ? Object.values(value as Raw)
    : [];
  return round(
    values.reduce<number>((sum, item) => sum + (typeof item === "number" ? item : 0), 0),
  );
}

/** The sprint's project by slug, as every other output names projects. */
function projectOf(milestone: Raw): { project?: string | number } {
  const info = milestone.project_extra_info as Raw | undefined;
  if (typeof info?.slug === "string") return { project: info.slug };
  return typeof milestone.project === "number" ? { project: milestone.project } : {};
}

/** A sprint as one line of a list. */
export function compactSprint(milestone: Raw): CompactSprint {
  return {
    id: milestone.id as number,
    name: String(milestone.name ?? ""),
    ...(typeof milestone.slug === "string" ? { slug: milestone.slug } : {}),
    ...projectOf(milestone),
    start: String(milestone.estimated_start ?? ""),
    finish: String(milestone.estimated_finish ?? ""),
    closed: milestone.closed === true,
    total_points: numberOrNull(milestone.total_points),
    closed_points: numberOrNull(milestone.closed_points),
    ...(Array.isArray(milestone.user_stories) ? { stories: milestone.user_stories.length } : {}),
  };
}

/** Progress figures from a `milestones/{id}/stats` answer. */
export function sprintProgress(stats: Raw): z.infer<ReturnType<typeof sprintProgressSchema>> {
  const total = sumPoints(stats.total_points);
  const done = sumPoints(stats.completed_points);
  return {
    points_total: total,
    points_done: done,
    percent_done: total > 0 ? Math.round((done / total) * 1000) / 10 : 0,
    stories_total: Number(stats.total_userstories ?? 0),
    stories_done: Number(stats.completed_userstories ?? 0),
    tasks_total: Number(stats.total_tasks ?? 0),
    tasks_done: Number(stats.completed_tasks ?? 0),
    iocaine_doses: Number(stats.iocaine_doses ?? 0),
  };
}

/** The per-day burndown, without Taiga's redundant day numbers. */
export function burndown(stats: Raw): Array<z.infer<ReturnType<typeof burndownDaySchema>>> {
  const days = Array.isArray(stats.days) ? stats.days as Raw[] : [];
  return days.map((day) => ({
    day: String(day.day),
    open_points: round(Number(day.open_points ?? 0)),
    optimal_points: round(Number(day.optimal_points ?? 0)),
  }));
}

function username(extra: unknown): string | null {
  if (extra && typeof extra === "object") {
    const info = extra as Raw;
    return String(info.username ?? info.full_name_display ?? "");
  }
  return null;
}

/** A story or task as one row inside a sprint: ref, subject, status, points, assignee. */
export function sprintItemRow(item: Raw): z.infer<ReturnType<typeof sprintItemSchema>> {
  const status = item.status_extra_info as Raw | undefined;
  return {
    id: item.id as number,
    ref: item.ref as number,
    subject: String(item.subject ?? ""),
    ...(status?.name !== undefined ? { status: String(status.name) } : {}),
    is_closed: item.is_closed === true || status?.is_closed === true,
    ...("total_points" in item ? { total_points: numberOrNull(item.total_points) } : {}),
    assigned_to: username(item.assigned_to_extra_info),
  };
}
