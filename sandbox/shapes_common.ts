/**
 * Pieces shared by the item shapes (`shapes_items.ts`, `shapes_story.ts`): extra infos, a
 * story's tasks and epics, due dates and counters.
 *
 * @module
 */

import { isClosed } from "./items.ts";
import { KINDS } from "./kinds.ts";
import type { Item, SandboxState } from "./state.ts";
import { addDays } from "./util.ts";

type Json = Record<string, unknown>;

/** `project_extra_info`. */
export function projectExtraInfo(state: SandboxState, projectId: number): Json {
  const p = state.projects.get(projectId);
  return { name: p?.name, slug: p?.slug, logo_small_url: null, id: projectId };
}

export function statusExtraInfo(state: SandboxState, item: Item): Json | null {
  const row = item.status === null
    ? undefined
    : state.settings[KINDS[item.kind].statusKind].get(item.status);
  return row ? { name: row.name, color: row.color, is_closed: row.is_closed ?? false } : null;
}

/**
 * A story's tasks as Taiga attaches them with `include_tasks` (its SQL picks these seven columns,
 * ordered by us_order then ref).
 */
export function storyTasks(state: SandboxState, storyId: number): Json[] {
  return [...state.items.task.values()]
    .filter((task) => task.user_story === storyId)
    .sort((a, b) => a.us_order - b.us_order || a.ref - b.ref)
    .map((task) => ({
      id: task.id,
      ref: task.ref,
      subject: task.subject,
      status_id: task.status,
      is_blocked: task.is_blocked,
      is_iocaine: task.is_iocaine,
      is_closed: isClosed(state, task),
    }));
}

function dueDateStatus(state: SandboxState, item: Item): string {
  if (!item.due_date) return "not_set";
  if (isClosed(state, item)) return "no_longer_applicable";
  const today = new Date(state.clock()).toISOString().slice(0, 10);
  if (item.due_date < today) return "past_due";
  if (item.due_date <= addDays(today, 14)) return "due_soon";
  return "set";
}

/** The epics a story belongs to (`null` when none, as taiga-back answers). */
export function storyEpics(state: SandboxState, storyId: number): Json[] | null {
  const out: Json[] = [];
  for (const rel of state.relatedStories.values()) {
    if (rel.user_story !== storyId) continue;
    const epic = state.items.epic.get(rel.epic);
    if (!epic) continue;
    const p = state.projects.get(epic.project);
    out.push({
      id: epic.id,
      ref: epic.ref,
      subject: epic.subject,
      color: epic.color,
      project: { id: p?.id, name: p?.name, slug: p?.slug },
    });
  }
  return out.length ? out : null;
}

export function dueDates(state: SandboxState, item: Item): Json {
  return {
    due_date: item.due_date,
    due_date_reason: item.due_date_reason,
    due_date_status: dueDateStatus(state, item),
  };
}

export function milestoneSlug(state: SandboxState, item: Item): string | null {
  return item.milestone === null ? null : state.milestones.get(item.milestone)?.slug ?? null;
}

export function attachmentsCount(state: SandboxState, item: Item): number {
  let n = 0;
  for (const a of state.attachments.values()) {
    if (a.kind === item.kind && a.object_id === item.id) n++;
  }
  return n;
}
