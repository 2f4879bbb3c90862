/**
 * Story points: a user story has one points value per computable role; its total is the
 * sum of the values (`null` when every value is `?`).
 *
 * @module
 */

import type { Item, SandboxState } from "./state.ts";

/** Role id → numeric value (null for `?`) of a story. */
export function pointValues(state: SandboxState, us: Item): Map<number, number | null> {
  const out = new Map<number, number | null>();
  for (const [role, pointsId] of Object.entries(us.points)) {
    out.set(Number(role), state.settings.points.get(pointsId)?.value ?? null);
  }
  return out;
}

/** `total_points` of a story. */
export function totalPoints(state: SandboxState, us: Item): number | null {
  const values = [...pointValues(state, us).values()].filter((v): v is number => v !== null);
  return values.length ? values.reduce((a, b) => a + b, 0) : null;
}

/** Sums stories' points per role, leaving out roles whose values are all `?`. */
export function pointsPerRole(state: SandboxState, stories: Item[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const us of stories) {
    for (const [role, value] of pointValues(state, us)) {
      if (value === null) continue;
      out[role] = (out[role] ?? 0) + value;
    }
  }
  return out;
}

/** Default `points` of a new story: the project's default points for each computable role. */
export function defaultPoints(state: SandboxState, projectId: number): Record<string, number> {
  const project = state.projects.get(projectId);
  const out: Record<string, number> = {};
  if (!project?.default_points) return out;
  for (const role of state.rolesOf(projectId)) {
    if (role.computable) out[String(role.id)] = project.default_points;
  }
  return out;
}

/** Sum of a per-role dict. */
export function sumValues(values: Record<string, number>): number {
  return Object.values(values).reduce((a, b) => a + b, 0);
}

/**
 * `Project.update_role_points`: every story of the project gets the "?" points (the first
 * points without value) for each computable role it lacks, and loses those of roles that are
 * gone or no longer computable.
 */
export function updateRolePoints(state: SandboxState, projectId: number): void {
  const computable = state.rolesOf(projectId).filter((r) => r.computable).map((r) => String(r.id));
  const none = state.settingsOf("points", projectId).find((p) =>
    p.value === null || p.value === undefined
  );
  for (const us of state.items.userstory.values()) {
    if (us.project !== projectId) continue;
    for (const role of Object.keys(us.points)) {
      if (!computable.includes(role)) delete us.points[role];
    }
    if (!none) continue;
    for (const role of computable) if (!(role in us.points)) us.points[role] = none.id;
  }
}
