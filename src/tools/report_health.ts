/**
 * What project_health reads and how it sorts it: every open item of each kind the project uses
 * (one list walk per kind, `status__is_closed=false`), put into buckets (overdue, unassigned,
 * blocked), and the sprint that matters now with its progress and today's burndown point.
 * @module
 */

import type { ProjectMetadata } from "../domain/metadata.ts";
import { burndown, sprintProgress } from "../domain/shapes/sprint.ts";
import type { RequestContext } from "../mcp/context.ts";
import type { Session } from "../sessions/store.ts";
import { ITEM_KINDS, type ItemKind, KINDS } from "../taiga/kinds.ts";
import { fetchAll } from "../taiga/pagination.ts";

type Raw = Record<string, unknown>;

/** The buckets of items that need attention. */
export const BUCKETS = ["overdue", "unassigned", "blocked"] as const;

/** One bucket name. */
export type Bucket = typeof BUCKETS[number];

/** Most open items read per kind; beyond it the counts say they are partial. */
export const OPEN_ITEMS_CAP = 5_000;

const SUBJECT_CHARS = 80;

/** An item as a row of a bucket: enough to name it and call its get_ tool. */
export interface HealthRow {
  /** Value of the `kind` argument (user_story, task, issue, epic). */
  kind: string;
  /** The item's #ref. */
  ref: number;
  /** Its subject, shortened. */
  subject: string;
  /** Due date (overdue rows). */
  due?: string;
  /** Why it is blocked (blocked rows), shortened. */
  note?: string;
}

/** Open items of one kind, counted by status. */
export interface KindCount {
  /** Open items of this kind. */
  total: number;
  /** Counts per status name, in the project's status order. */
  by_status: Record<string, number>;
  /** True when more than {@link OPEN_ITEMS_CAP} are open: the counts cover the first ones. */
  partial?: boolean;
}

/** Everything project_health gathers. */
export interface HealthData {
  /** Open items per kind argument value. */
  open: Record<string, KindCount>;
  /** The rows of each bucket, sorted (overdue: most overdue first). */
  buckets: Record<Bucket, HealthRow[]>;
}

function short(text: unknown, max = SUBJECT_CHARS): string {
  const value = String(text ?? "").replace(/\s+/g, " ").trim();
  return value.length > max ? `${value.slice(0, max - 1)}…` : value;
}

/** The kinds a project uses: epics and issues only when their module is on. */
export function kindsOf(meta: ProjectMetadata): ItemKind[] {
  return ITEM_KINDS.filter((kind) =>
    kind === "epic" ? meta.modules.epics : kind === "issue" ? meta.modules.issues : true
  );
}

function isOverdue(raw: Raw, today: string): boolean {
  if (typeof raw.due_date !== "string" || raw.due_date === "") return false;
  if (typeof raw.due_date_status === "string") return raw.due_date_status === "past_due";
  return raw.due_date < today;
}

function isUnassigned(raw: Raw): boolean {
  const users = Array.isArray(raw.assigned_users) ? raw.assigned_users : [];
  return raw.assigned_to == null && users.length === 0;
}

function statusName(kind: ItemKind, raw: Raw, meta: ProjectMetadata): string {
  const extra = raw.status_extra_info as Raw | null | undefined;
  if (typeof extra?.name === "string") return extra.name;
  return meta.statuses[kind].find((status) => status.id === raw.status)?.name ??
    `status ${raw.status}`;
}

/** Reads every open item of the project's kinds and sorts them into counts and buckets. */
export async function gatherHealth(
  ctx: RequestContext,
  session: Session,
  meta: ProjectMetadata,
  today: string,
): Promise<HealthData> {
  const kinds = kindsOf(meta);
  const lists = await Promise.all(
    kinds.map((kind) =>
      fetchAll<Raw>(session.client, KINDS[kind].path, {
        project: meta.id,
        status__is_closed: false,
      }, { maxItems: OPEN_ITEMS_CAP, signal: ctx.signal })
    ),
  );
  const open: Record<string, KindCount> = {};
  const buckets: Record<Bucket, HealthRow[]> = { overdue: [], unassigned: [], blocked: [] };
  kinds.forEach((kind, index) => {
    const info = KINDS[kind];
    const listed = lists[index];
    const counts: Record<string, number> = {};
    for (const status of meta.statuses[kind]) if (!status.is_closed) counts[status.name] = 0;
    for (const raw of listed.items) {
      const name = statusName(kind, raw, meta);
      counts[name] = (counts[name] ?? 0) + 1;
      const row: HealthRow = { kind: info.arg, ref: Number(raw.ref), subject: short(raw.subject) };
      if (isOverdue(raw, today)) buckets.overdue.push({ ...row, due: String(raw.due_date) });
      if (isUnassigned(raw)) buckets.unassigned.push(row);
      if (raw.is_blocked === true) {
        const note = short(raw.blocked_note);
        buckets.blocked.push(note === "" ? row : { ...row, note });
      }
    }
    for (const [name, count] of Object.entries(counts)) if (count === 0) delete counts[name];
    open[info.arg] = {
      total: listed.total,
      by_status: counts,
      ...(listed.truncated ? { partial: true } : {}),
    };
  });
  buckets.overdue.sort((a, b) => a.due!.localeCompare(b.due!) || a.ref - b.ref);
  buckets.unassigned.sort((a, b) => a.ref - b.ref);
  buckets.blocked.sort((a, b) => a.ref - b.ref);
  return { open, buckets };
}

/** The sprint that matters today, with its progress and today's burndown point. */
export interface SprintHealth {
  /** Sprint name. */
  name: string;
  /** running (today is within its dates), upcoming, or overrun (finished but still open). */
  state: "running" | "upcoming" | "overrun";
  /** First day. */
  start: string;
  /** Last day. */
  finish: string;
  /** Days from today to the last day (0 once it is over). */
  days_left: number;
  /** Points, stories and tasks done. */
  progress: ReturnType<typeof sprintProgress>;
  /** Today's (or the last past) burndown point; behind_by > 0 means behind the ideal line. */
  burndown?: { day: string; open_points: number; optimal_points: number; behind_by: number };
}

function daysBetween(from: string, to: string): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000);
}

/** Picks the open sprint running today, else the next one, else the latest overrun one. */
export function pickSprint(sprints: Raw[], today: string): Raw | undefined {
  const dated = sprints.filter((s) =>
    typeof s.estimated_start === "string" && typeof s.estimated_finish === "string"
  );
  const start = (s: Raw) => String(s.estimated_start);
  const finish = (s: Raw) => String(s.estimated_finish);
  const running = dated.filter((s) => start(s) <= today && today <= finish(s))
    .sort((a, b) => start(b).localeCompare(start(a)));
  const upcoming = dated.filter((s) => start(s) > today)
    .sort((a, b) => start(a).localeCompare(start(b)));
  const overrun = dated.filter((s) => finish(s) < today)
    .sort((a, b) => finish(b).localeCompare(finish(a)));
  return running[0] ?? upcoming[0] ?? overrun[0];
}

/** The current sprint of the project (see {@link pickSprint}), or null when none is open. */
export async function sprintHealth(
  ctx: RequestContext,
  session: Session,
  meta: ProjectMetadata,
  today: string,
): Promise<SprintHealth | null> {
  const listed = await fetchAll<Raw>(
    session.client,
    "milestones",
    { project: meta.id, closed: false },
    { maxItems: 1_000, signal: ctx.signal },
  );
  const sprint = pickSprint(listed.items, today);
  if (!sprint) return null;
  const stats = await session.client.get<Raw>(
    `milestones/${sprint.id}/stats`,
    undefined,
    ctx.signal,
  );
  const start = String(sprint.estimated_start);
  const finish = String(sprint.estimated_finish);
  const days = burndown(stats).filter((day) => day.day <= today);
  const point = days[days.length - 1];
  return {
    name: String(sprint.name ?? ""),
    state: today < start ? "upcoming" : today > finish ? "overrun" : "running",
    start,
    finish,
    days_left: Math.max(0, daysBetween(today, finish)),
    progress: sprintProgress(stats),
    ...(point
      ? {
        burndown: {
          ...point,
          behind_by: Math.round((point.open_points - point.optimal_points) * 100) / 100,
        },
      }
      : {}),
  };
}
