/**
 * JSON shapes of epics, user stories, tasks and issues, with the keys (and key order) of
 * the recorded taiga-back 6.10 responses. Variants (§8 of taiga-api.md):
 * - `list`: no `description`, `description_html`, `blocked_note_html`, `neighbors`;
 *   task, issue and epic lists also leave out `comment` and `generated_user_stories`;
 * - `write`: create / PATCH / PUT answers (no `neighbors`);
 * - `detail`: retrieve and `by_ref` (with `neighbors`).
 *
 * @module
 */

import { commentCount } from "./history.ts";
import { isClosed } from "./items.ts";
import { itemKey, KINDS } from "./kinds.ts";
import { pointsPerRole, totalPoints } from "./points.ts";
import { userBasic } from "./shapes_users.ts";
import type { Item, SandboxState, User } from "./state.ts";
import { addDays, renderMarkdown } from "./util.ts";

type Json = Record<string, unknown>;

/** Which variant of an item to render. */
export type Variant = "list" | "write" | "detail";

/** `project_extra_info`. */
export function projectExtraInfo(state: SandboxState, projectId: number): Json {
  const p = state.projects.get(projectId);
  return { name: p?.name, slug: p?.slug, logo_small_url: null, id: projectId };
}

function statusExtraInfo(state: SandboxState, item: Item): Json | null {
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

function common(state: SandboxState, item: Item, viewer: User | null): Json {
  return {
    tags: item.tags.map((t) => [t, state.projects.get(item.project)?.tags_colors[t] ?? null]),
    attachments: [],
    project: item.project,
    project_extra_info: projectExtraInfo(state, item.project),
    status: item.status,
    status_extra_info: statusExtraInfo(state, item),
    assigned_to: item.assigned_to,
    assigned_to_extra_info: userBasic(state, item.assigned_to),
    owner: item.owner,
    owner_extra_info: userBasic(state, item.owner),
    is_watcher: viewer !== null && item.watchers.includes(viewer.id),
    total_watchers: item.watchers.length,
    is_voter: viewer !== null && item.voters.includes(viewer.id),
    total_voters: item.voters.length,
  };
}

function dueDates(state: SandboxState, item: Item): Json {
  return {
    due_date: item.due_date,
    due_date_reason: item.due_date_reason,
    due_date_status: dueDateStatus(state, item),
  };
}

function milestoneSlug(state: SandboxState, item: Item): string | null {
  return item.milestone === null ? null : state.milestones.get(item.milestone)?.slug ?? null;
}

function attachmentsCount(state: SandboxState, item: Item): number {
  let n = 0;
  for (const a of state.attachments.values()) {
    if (a.kind === item.kind && a.object_id === item.id) n++;
  }
  return n;
}

function userStoryFields(state: SandboxState, item: Item, c: Json, viewer: User | null): Json {
  const m = item.milestone === null ? undefined : state.milestones.get(item.milestone);
  const { tags, attachments, ...rest } = c;
  const epicOrder = [...state.relatedStories.values()].find((r) => r.user_story === item.id);
  return {
    ...dueDates(state, item),
    total_comments: commentCount(state, itemKey(KINDS.userstory, item.id)),
    tags,
    attachments,
    status: rest.status,
    status_extra_info: rest.status_extra_info,
    assigned_to: rest.assigned_to,
    assigned_to_extra_info: rest.assigned_to_extra_info,
    owner: rest.owner,
    owner_extra_info: rest.owner_extra_info,
    is_watcher: viewer !== null && item.watchers.includes(viewer.id),
    total_watchers: item.watchers.length,
    is_voter: viewer !== null && item.voters.includes(viewer.id),
    total_voters: item.voters.length,
    project: item.project,
    project_extra_info: rest.project_extra_info,
    id: item.id,
    ref: item.ref,
    milestone: item.milestone,
    milestone_slug: m?.slug ?? null,
    milestone_name: m?.name ?? null,
    is_closed: isClosed(state, item),
    points: item.points,
    backlog_order: item.backlog_order,
    sprint_order: item.sprint_order,
    kanban_order: item.kanban_order,
    created_date: item.created_date,
    modified_date: item.modified_date,
    finish_date: item.finish_date,
    subject: item.subject,
    client_requirement: item.client_requirement,
    team_requirement: item.team_requirement,
    generated_from_issue: item.generated_from_issue,
    generated_from_task: item.generated_from_task,
    from_task_ref: item.from_task_ref,
    external_reference: item.external_reference,
    tribe_gig: null,
    version: item.version,
    watchers: item.watchers,
    is_blocked: item.is_blocked,
    blocked_note: item.blocked_note,
    total_points: totalPoints(state, item),
    comment: "",
    origin_issue: originOf(state, "issue", item.generated_from_issue),
    origin_task: originOf(state, "task", item.generated_from_task),
    epics: storyEpics(state, item.id),
    epic_order: epicOrder?.order ?? null,
    tasks: [],
    total_attachments: attachmentsCount(state, item),
    swimlane: item.swimlane,
    assigned_users: item.assigned_users,
  };
}

function originOf(state: SandboxState, kind: "issue" | "task", id: number | null): Json | null {
  const o = id === null ? undefined : state.items[kind].get(id);
  return o ? { id: o.id, ref: o.ref, subject: o.subject } : null;
}

/** The version, watchers, blocked state and closed flag, in Taiga's key order (tasks, issues, epics). */
function stateFields(state: SandboxState, item: Item): Json {
  return {
    version: item.version,
    watchers: item.watchers,
    is_blocked: item.is_blocked,
    blocked_note: item.blocked_note,
    is_closed: isClosed(state, item),
  };
}

function taskFields(state: SandboxState, item: Item, c: Json): Json {
  const us = item.user_story === null ? undefined : state.items.userstory.get(item.user_story);
  const { tags, attachments, ...rest } = c;
  const { project, project_extra_info, ...others } = rest;
  return {
    ...dueDates(state, item),
    total_comments: commentCount(state, itemKey(KINDS.task, item.id)),
    tags,
    attachments,
    project,
    project_extra_info,
    ...others,
    id: item.id,
    user_story: item.user_story,
    ref: item.ref,
    milestone: item.milestone,
    milestone_slug: milestoneSlug(state, item),
    created_date: item.created_date,
    modified_date: item.modified_date,
    finished_date: item.finished_date,
    subject: item.subject,
    us_order: item.us_order,
    taskboard_order: item.taskboard_order,
    is_iocaine: item.is_iocaine,
    external_reference: item.external_reference,
    ...stateFields(state, item),
    user_story_extra_info: us
      ? { id: us.id, ref: us.ref, subject: us.subject, epics: storyEpics(state, us.id) }
      : null,
    comment: "",
    generated_user_stories: null,
  };
}

function generatedStories(state: SandboxState, issueId: number): Json[] | null {
  const out = [...state.items.userstory.values()].filter((u) => u.generated_from_issue === issueId)
    .map((u) => ({ id: u.id, ref: u.ref, subject: u.subject }));
  return out.length ? out : null;
}

function issueFields(state: SandboxState, item: Item, c: Json): Json {
  const { tags, ...rest } = c;
  return {
    tags,
    ...dueDates(state, item),
    ...rest,
    id: item.id,
    ref: item.ref,
    severity: item.severity,
    priority: item.priority,
    type: item.type,
    milestone: item.milestone,
    created_date: item.created_date,
    modified_date: item.modified_date,
    finished_date: item.finished_date,
    subject: item.subject,
    external_reference: item.external_reference,
    ...stateFields(state, item),
    comment: "",
    generated_user_stories: generatedStories(state, item.id),
  };
}

function epicFields(state: SandboxState, item: Item, c: Json): Json {
  const stories = [...state.relatedStories.values()]
    .filter((r) => r.epic === item.id)
    .map((r) => state.items.userstory.get(r.user_story))
    .filter((us): us is Item => us !== undefined);
  const total = Object.values(pointsPerRole(state, stories)).reduce((a, b) => a + b, 0);
  const closed = Object.values(pointsPerRole(state, stories.filter((u) => isClosed(state, u))))
    .reduce((a, b) => a + b, 0);
  return {
    ...c,
    id: item.id,
    ref: item.ref,
    created_date: item.created_date,
    modified_date: item.modified_date,
    subject: item.subject,
    color: item.color,
    epics_order: item.epics_order,
    client_requirement: item.client_requirement,
    team_requirement: item.team_requirement,
    ...stateFields(state, item),
    user_stories_counts: {
      total: stories.length,
      progress: stories.length ? (total ? closed / total : null) : null,
    },
    comment: "",
  };
}

/** Renders an item in one of the variants. `neighbors` is needed for `detail`. */
export function itemShape(
  state: SandboxState,
  item: Item,
  viewer: User | null,
  variant: Variant,
  neighbors?: { previous: Json | null; next: Json | null },
): Json {
  const c = common(state, item, viewer);
  const out = item.kind === "userstory"
    ? userStoryFields(state, item, c, viewer)
    : item.kind === "task"
    ? taskFields(state, item, c)
    : item.kind === "issue"
    ? issueFields(state, item, c)
    : epicFields(state, item, c);
  if (variant === "list") {
    if (item.kind !== "userstory") {
      delete out.comment;
      delete out.generated_user_stories;
    }
    return out;
  }
  out.blocked_note_html = renderMarkdown(item.blocked_note);
  out.description = item.description;
  out.description_html = renderMarkdown(item.description);
  if (variant === "detail") out.neighbors = neighbors ?? { previous: null, next: null };
  return out;
}

/** The nested story shape of a milestone's `user_stories`. */
export function milestoneStoryShape(state: SandboxState, us: Item): Json {
  return {
    ...dueDates(state, us),
    assigned_to: us.assigned_to,
    assigned_to_extra_info: userBasic(state, us.assigned_to),
    status: us.status,
    status_extra_info: statusExtraInfo(state, us),
    project: us.project,
    project_extra_info: projectExtraInfo(state, us.project),
    id: us.id,
    ref: us.ref,
    milestone: us.milestone,
    is_closed: isClosed(state, us),
    created_date: us.created_date,
    modified_date: us.modified_date,
    finish_date: us.finish_date,
    subject: us.subject,
    client_requirement: us.client_requirement,
    team_requirement: us.team_requirement,
    external_reference: us.external_reference,
    version: us.version,
    is_blocked: us.is_blocked,
    blocked_note: us.blocked_note,
    backlog_order: us.backlog_order,
    sprint_order: us.sprint_order,
    kanban_order: us.kanban_order,
    epics: storyEpics(state, us.id),
    points: us.points,
    total_points: totalPoints(state, us),
  };
}
