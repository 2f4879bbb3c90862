/**
 * The per swimlane × story status rows (`SwimlaneUserStoryStatus`) that hold a swimlane's WIP
 * limits, created by taiga-back's signals when a swimlane or a story status is created.
 *
 * @module
 */

import type { Project, SandboxState, SettingRow, SwimlaneStatus } from "./state.ts";

/**
 * Creates the WIP-limit rows of a new swimlane (one per status) or of a new status (one per
 * swimlane); the status's own limit is copied while the project has a single swimlane.
 */
export function addSwimlaneStatuses(
  state: SandboxState,
  project: Project,
  added: { swimlane?: SettingRow; status?: SettingRow },
): void {
  const single = state.settingsOf("swimlane", project.id).length === 1;
  const lanes = added.swimlane ? [added.swimlane] : state.settingsOf("swimlane", project.id);
  const statuses = added.status ? [added.status] : state.settingsOf("us_status", project.id);
  for (const lane of lanes) {
    for (const status of statuses) {
      const id = state.nextId("swimlane-status");
      state.swimlaneStatuses.set(id, {
        id,
        project: project.id,
        swimlane: lane.id,
        status: status.id,
        wip_limit: single ? status.wip_limit ?? null : null,
      });
    }
  }
}

/** The row of one swimlane and status. */
export function laneStatus(
  state: SandboxState,
  lane: number,
  status: number,
): SwimlaneStatus | undefined {
  for (const r of state.swimlaneStatuses.values()) {
    if (r.swimlane === lane && r.status === status) return r;
  }
  return undefined;
}
