/**
 * Timelines as taiga-back keeps them (`timeline/service.py`, `signals.py`): every event is
 * stored once in its project's namespace (`project:<id>`, owned by the project) and once per
 * related person of the object (owner, assignee, watchers) in the ACTOR's namespace
 * (`user:<actor id>`, owned by that person). `/timeline/user/{id}` reads the actor namespace
 * (so an event shows once per related person), `/timeline/profile/{id}` the rows owned by
 * the user (events on objects they are related to, by anyone).
 *
 * `data` is frozen when the event happens; only `data.user` is refreshed when read.
 *
 * @module
 */

import { can, isAdmin } from "./permissions.ts";
import type { Project, SandboxState, TimelineEntry, User } from "./state.ts";

/** Django content-type ids (those of the recording server; any stable numbers would do). */
export const CONTENT_TYPES: Record<string, number> = {
  user: 6,
  membership: 14,
  project: 15,
  milestone: 49,
  epic: 50,
  relateduserstory: 51,
  userstory: 53,
  task: 54,
  issue: 55,
  wikipage: 57,
};

/** The permission that lets a member see events of each content type. */
const VIEW_PERM: Record<string, string> = {
  project: "view_project",
  milestone: "view_milestones",
  epic: "view_epics",
  userstory: "view_us",
  task: "view_tasks",
  issue: "view_issues",
  wikipage: "view_wiki_pages",
};

/** An event to store: `<app>.<model>.<create|change|delete>`, its model and frozen data. */
export interface TimelineEvent {
  type: string;
  model: keyof typeof CONTENT_TYPES;
  data: Record<string, unknown>;
  /** Defaults to now (comment edits re-push with the entry's original time). */
  created?: string;
}

/** The `project` object of timeline data. */
export function timelineProject(project: Project): Record<string, unknown> {
  return {
    id: project.id,
    slug: project.slug,
    name: project.name,
    description: project.description,
  };
}

/**
 * Stores an event: one row in the project's namespace (when there is a project) and one per
 * related person in the actor's namespace.
 */
export function pushTimeline(
  state: SandboxState,
  project: Project | null,
  actor: User,
  event: TimelineEvent,
  related: Iterable<number>,
): void {
  const created = event.created ?? state.nowIso();
  const row = (contentType: number, objectId: number, namespace: string): TimelineEntry => ({
    id: state.nextId("timeline"),
    content_type: contentType,
    object_id: objectId,
    namespace,
    event_type: event.type,
    project: project?.id ?? null,
    data: structuredClone(event.data),
    data_content_type: CONTENT_TYPES[event.model],
    created,
  });
  if (project) {
    state.timeline.push(row(CONTENT_TYPES.project, project.id, `project:${project.id}`));
  }
  for (const person of new Set(related)) {
    const user = state.users.get(person);
    if (!user?.is_active) continue;
    state.timeline.push(row(CONTENT_TYPES.user, person, `user:${actor.id}`));
  }
}

/** Whether `viewer` may see a timeline row (`filter_timeline_for_user`). */
export function timelineVisible(
  state: SandboxState,
  viewer: User | null,
  row: TimelineEntry,
): boolean {
  if (row.project === null) return true;
  const project = state.projects.get(row.project);
  if (!project) return false;
  if (!project.is_private || isAdmin(state, viewer, project)) return true;
  const model = Object.keys(CONTENT_TYPES).find((k) => CONTENT_TYPES[k] === row.data_content_type);
  if (model === "membership") {
    return state.membershipOf(viewer?.id, project.id) !== undefined ||
      project.anon_permissions.includes("view_project");
  }
  const perm = model ? VIEW_PERM[model] : undefined;
  return perm !== undefined && can(state, viewer, project, perm);
}

/** The `data.user` of a timeline row, as the serializer refreshes it. */
export function timelineUser(user: User): Record<string, unknown> {
  return {
    id: user.id,
    name: user.full_name || user.username,
    photo: null,
    big_photo: null,
    gravatar_id: user.gravatar_id,
    username: user.username,
    is_profile_visible: user.is_active,
    date_joined: user.date_joined,
  };
}

/** jsonb key order (shorter keys first, then bytewise), as PostgreSQL returns `data`. */
function jsonbOrder(data: Record<string, unknown>): Record<string, unknown> {
  const keys = Object.keys(data).sort((a, b) => a.length - b.length || (a < b ? -1 : 1));
  return Object.fromEntries(keys.map((k) => [k, data[k]]));
}

/** A timeline row as `TimelineSerializer` renders it. */
export function timelineShape(state: SandboxState, row: TimelineEntry): Record<string, unknown> {
  const data = { ...row.data };
  const who = (data.user as { id?: number } | undefined)?.id;
  const user = who === undefined ? undefined : state.users.get(who);
  if (user) data.user = timelineUser(user);
  return {
    data: jsonbOrder(data),
    id: row.id,
    content_type: row.content_type,
    object_id: row.object_id,
    namespace: row.namespace,
    event_type: row.event_type,
    project: row.project,
    data_content_type: row.data_content_type,
    created: row.created,
  };
}

/** Rows newest first (`-created`; the later row first on a tie). */
export function newestFirst(rows: TimelineEntry[]): TimelineEntry[] {
  return rows.slice().sort((a, b) => b.created.localeCompare(a.created) || b.id - a.id);
}
