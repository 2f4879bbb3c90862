/**
 * Compact projections of Taiga's statistics answers (`projects/{id}/stats`, `issues_stats`,
 * `member_stats`, `users/{id}/stats`): names instead of the ids Taiga keys them by, per-week
 * sums instead of 28 daily figures, nothing Taiga repeats (colours, ids twice).
 * @module
 */

import type { ProjectMetadata } from "../domain/metadata.ts";

type Raw = Record<string, unknown>;

/** The key an unassigned bucket gets (Taiga's `"0"` / `"null"`), never a username. */
export const UNASSIGNED = "(unassigned)";

function num(value: unknown): number {
  return typeof value === "number" && Number.isFinite(value) ? Math.round(value * 100) / 100 : 0;
}

function numOrNull(value: unknown): number | null {
  return typeof value === "number" && Number.isFinite(value) ? num(value) : null;
}

function record(value: unknown): Raw {
  return value !== null && typeof value === "object" && !Array.isArray(value) ? value as Raw : {};
}

/** The username of user id `key` in `meta` (Taiga keys per-user figures by id). */
function usernameOf(meta: ProjectMetadata, key: string): string {
  if (key === "null" || key === "0") return UNASSIGNED;
  return meta.members.find((member) => String(member.id) === key)?.username ?? `user ${key}`;
}

function roleName(meta: ProjectMetadata, key: string): string {
  return meta.roles.find((role) => String(role.id) === key)?.name ?? `role ${key}`;
}

/** `projects/{id}/stats`: points, per-role points by role name, speed and the burn-up rows. */
export function projectStatsShape(raw: Raw, meta: ProjectMetadata): Raw {
  const planned = numOrNull(raw.total_points);
  const defined = num(raw.defined_points);
  const closed = num(raw.closed_points);
  const base = planned ?? defined;
  const perRole: Record<string, Record<string, number>> = {};
  for (const figure of ["defined", "closed", "assigned"]) {
    for (const [key, value] of Object.entries(record(raw[`${figure}_points_per_role`]))) {
      (perRole[roleName(meta, key)] ??= { defined: 0, closed: 0, assigned: 0 })[figure] = num(
        value,
      );
    }
  }
  const rows = Array.isArray(raw.milestones) ? raw.milestones as Raw[] : [];
  return {
    points: {
      planned,
      defined,
      closed,
      assigned: num(raw.assigned_points),
      percent_closed: base > 0 ? Math.round((closed / base) * 1000) / 10 : 0,
    },
    per_role: perRole,
    sprints_planned: numOrNull(raw.total_milestones),
    speed: num(raw.speed),
    burnup: rows.map((row) => ({
      sprint: String(row.name ?? ""),
      optimal: num(row.optimal),
      remaining: numOrNull(row.evolution),
      ...(num(row["team-increment"]) ? { team_increment: num(row["team-increment"]) } : {}),
      ...(num(row["client-increment"]) ? { client_increment: num(row["client-increment"]) } : {}),
    })),
  };
}

/** Taiga's `{"<id>": {count, name|username, …}}` buckets as `{name: count}`. */
function buckets(value: unknown, byUsername = false): Record<string, number> {
  const out: Record<string, number> = {};
  for (const [key, bucket] of Object.entries(record(value))) {
    const entry = record(bucket);
    const name = byUsername
      ? key === "0" ? UNASSIGNED : String(entry.username ?? entry.name ?? `user ${key}`)
      : String(entry.name ?? key);
    out[name] = (out[name] ?? 0) + num(entry.count);
  }
  return out;
}

/** 28 daily figures (oldest first, today last) as 4 weekly sums, oldest first. */
export function weekly(days: unknown): number[] {
  const list = Array.isArray(days) ? days.map(num) : [];
  const weeks: number[] = [];
  for (let end = list.length; end > 0 && weeks.length < 4; end -= 7) {
    weeks.unshift(list.slice(Math.max(0, end - 7), end).reduce((sum, n) => sum + n, 0));
  }
  return weeks;
}

/** `projects/{id}/issues_stats`: totals and counts per type, status, priority, severity, person. */
export function issueStatsShape(raw: Raw): Raw {
  const days = record(record(raw.last_four_weeks_days).by_open_closed);
  return {
    total: num(raw.total_issues),
    open: num(raw.opened_issues),
    closed: num(raw.closed_issues),
    by_type: buckets(raw.issues_per_type),
    by_status: buckets(raw.issues_per_status),
    by_priority: buckets(raw.issues_per_priority),
    by_severity: buckets(raw.issues_per_severity),
    by_owner: buckets(raw.issues_per_owner, true),
    by_assignee: buckets(raw.issues_per_assigned_to, true),
    last_4_weeks: { created: weekly(days.open), closed: weekly(days.closed) },
  };
}

const MEMBER_FIGURES = [
  "closed_bugs",
  "created_bugs",
  "closed_tasks",
  "iocaine_tasks",
  "wiki_changes",
] as const;

/** `projects/{id}/member_stats`: one row per member (by username), unassigned work apart. */
export function memberStatsShape(raw: Raw, meta: ProjectMetadata): Raw {
  const rows = new Map<string, Record<string, number>>();
  for (const figure of MEMBER_FIGURES) {
    for (const [key, value] of Object.entries(record(raw[figure]))) {
      const name = usernameOf(meta, key);
      const row = rows.get(name) ??
        Object.fromEntries(MEMBER_FIGURES.map((f) => [f, 0])) as Record<string, number>;
      row[figure] = num(value);
      rows.set(name, row);
    }
  }
  const unassigned = rows.get(UNASSIGNED);
  rows.delete(UNASSIGNED);
  return {
    members: [...rows].map(([username, figures]) => ({ username, ...figures })),
    ...(unassigned
      ? {
        unassigned: { closed_bugs: unassigned.closed_bugs, closed_tasks: unassigned.closed_tasks },
      }
      : {}),
  };
}

/** `users/{id}/stats`, counted over the projects the caller can see. */
export function userStatsShape(raw: Raw): Raw {
  return {
    projects: num(raw.total_num_projects),
    roles: Array.isArray(raw.roles) ? raw.roles.map(String) : [],
    contacts: num(raw.total_num_contacts),
    closed_user_stories: num(raw.total_num_closed_userstories),
  };
}
