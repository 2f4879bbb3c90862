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
import {
  dueDates,
  milestoneSlug,
  projectExtraInfo,
  statusExtraInfo,
  storyEpics,
} from "./shapes_common.ts";
import { milestoneStoryShape, userStoryFields } from "./shapes_story.ts";
import { isClosed } from "./items.ts";
import { itemKey, KINDS } from "./kinds.ts";
import { pointsPerRole } from "./points.ts";
import { userBasic } from "./shapes_users.ts";
import type { Item, SandboxState, User } from "./state.ts";
import { renderMarkdown } from "./util.ts";

type Json = Record<string, unknown>;

/** Which variant of an item to render. */
export type Variant = "list" | "write" | "detail";

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

export { milestoneStoryShape, projectExtraInfo };
export { storyTasks } from "./shapes_common.ts";
