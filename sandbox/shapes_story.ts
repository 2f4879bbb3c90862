/**
 * JSON shapes of user stories: the story fields of `itemShape` and the nested story of a
 * milestone's `user_stories`.
 *
 * @module
 */

import { isClosed } from "./items.ts";
import { itemKey, KINDS } from "./kinds.ts";
import { totalPoints } from "./points.ts";
import {
  attachmentsCount,
  dueDates,
  projectExtraInfo,
  statusExtraInfo,
  storyEpics,
} from "./shapes_common.ts";
import { userBasic } from "./shapes_users.ts";
import type { Item, SandboxState, User } from "./state.ts";
import { commentCount } from "./history.ts";

type Json = Record<string, unknown>;

/** The fields of a user story, in Taiga's key order (`c`: the fields all kinds share). */
export function userStoryFields(
  state: SandboxState,
  item: Item,
  c: Json,
  viewer: User | null,
): Json {
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
