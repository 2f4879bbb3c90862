/**
 * The work-item service, shared by the routes and the seed: create (ref from the project's
 * shared sequence, project defaults), update (diff, history, version + 1, side effects)
 * and delete.
 *
 * @module
 */

import { pushTimeline, recordHistory } from "./history.ts";
import { itemKey, KINDS } from "./kinds.ts";
import { defaultPoints } from "./points.ts";
import type { Item, ItemKind, Project, SandboxState, User } from "./state.ts";
import { renderMarkdown } from "./util.ts";

let orderTick = 0;

/** A fresh, increasing order value (taiga-back uses timestamps). */
export function nextOrder(state: SandboxState, scale = 1): number {
  orderTick = (orderTick + 1) % 1000;
  return Math.floor(state.clock()) * scale + orderTick;
}

/** Whether the item's status is a closed one. */
export function isClosed(state: SandboxState, item: Item): boolean {
  if (item.status === null) return false;
  return state.settings[KINDS[item.kind].statusKind].get(item.status)?.is_closed === true;
}

/** The timeline object of an item (`{id, ref, subject}`, tasks add their story). */
export function timelineObject(state: SandboxState, item: Item): Record<string, unknown> {
  const out: Record<string, unknown> = { id: item.id, ref: item.ref, subject: item.subject };
  if (item.kind === "task" && item.user_story !== null) {
    const us = state.items.userstory.get(item.user_story);
    if (us) out.userstory = { id: us.id, ref: us.ref, subject: us.subject };
  }
  return out;
}

/** The item part of timeline data: the item (and a story's sprint). */
export function timelineExtras(state: SandboxState, item: Item): Record<string, unknown> {
  const out: Record<string, unknown> = {
    [KINDS[item.kind].timelineKey]: timelineObject(state, item),
  };
  const m = item.milestone === null ? undefined : state.milestones.get(item.milestone);
  if (m && item.kind === "userstory") out.milestone = { id: m.id, name: m.name, slug: m.slug };
  return out;
}

/** New item tags join the project's `tags_colors` (its own `tags` stay as they are). */
function remember(project: Project, tags: string[]): void {
  for (const t of tags) {
    if (!(t in project.tags_colors)) project.tags_colors[t] = null;
  }
}

/** Creates an item with the project's defaults and records its creation. */
export function createItem(
  state: SandboxState,
  kind: ItemKind,
  project: Project,
  owner: User | null,
  data: Record<string, unknown>,
): Item {
  const def = KINDS[kind];
  const now = state.nowIso();
  const item: Item = {
    kind,
    id: state.nextId(`item:${kind}`),
    ref: state.nextRef(project.id),
    project: project.id,
    subject: "",
    description: "",
    status: project[def.defaultStatus] as number | null,
    owner: owner?.id ?? null,
    assigned_to: null,
    assigned_users: [],
    tags: [],
    created_date: now,
    modified_date: now,
    version: 1,
    is_blocked: false,
    blocked_note: "",
    watchers: [],
    voters: [],
    external_reference: null,
    due_date: null,
    due_date_reason: "",
    milestone: null,
    points: kind === "userstory" ? defaultPoints(state, project.id) : {},
    backlog_order: nextOrder(state, 1000),
    sprint_order: nextOrder(state, 1000),
    kanban_order: nextOrder(state, 1000),
    swimlane: null,
    finish_date: null,
    client_requirement: false,
    team_requirement: false,
    generated_from_issue: null,
    generated_from_task: null,
    from_task_ref: null,
    user_story: null,
    us_order: nextOrder(state),
    taskboard_order: nextOrder(state),
    is_iocaine: false,
    finished_date: null,
    type: kind === "issue" ? project.default_issue_type : null,
    severity: kind === "issue" ? project.default_severity : null,
    priority: kind === "issue" ? project.default_priority : null,
    color: kind === "epic" ? randomColor() : "",
    epics_order: nextOrder(state),
  };
  const { points, ...rest } = data;
  Object.assign(item, rest);
  if (points) item.points = { ...item.points, ...(points as Record<string, number>) };
  syncAssignees(item, data);
  afterChange(state, item, undefined);
  remember(project, item.tags);
  state.items[kind].set(item.id, item);
  recordHistory(state, {
    key: itemKey(def, item.id),
    project: project.id,
    user: owner?.id ?? null,
    type: 2,
  });
  pushTimeline(state, project, owner, {
    type: `${def.historyKey}.create`,
    model: def.timelineKey,
    data: timelineExtras(state, item),
  });
  return item;
}

function randomColor(): string {
  const n = crypto.getRandomValues(new Uint32Array(1))[0] & 0xffffff;
  return `#${n.toString(16).padStart(6, "0").toUpperCase()}`;
}

function syncAssignees(item: Item, data: Record<string, unknown>): void {
  if (item.kind !== "userstory") return;
  if ("assigned_users" in data && !("assigned_to" in data)) {
    item.assigned_to = item.assigned_users[0] ?? null;
  } else if ("assigned_to" in data && !("assigned_users" in data)) {
    const a = item.assigned_to;
    if (a !== null && !item.assigned_users.includes(a)) item.assigned_users.unshift(a);
    if (a === null) item.assigned_users = [];
  }
}

/** Derived fields: finish dates on closing, tasks following their story's sprint. */
function afterChange(state: SandboxState, item: Item, before: Item | undefined): void {
  const closed = isClosed(state, item);
  const wasClosed = before ? isClosed(state, before) : false;
  const field = item.kind === "userstory" ? "finish_date" : "finished_date";
  if (item.kind !== "epic" && closed !== wasClosed) {
    item[field] = closed ? state.nowIso() : null;
  }
  if (item.kind === "userstory" && before && before.milestone !== item.milestone) {
    for (const task of state.items.task.values()) {
      if (task.user_story === item.id) task.milestone = item.milestone;
    }
  }
}

const NAMED: Record<string, (state: SandboxState, id: number) => string | undefined> = {
  assigned_to: (s, id) => s.users.get(id)?.full_name,
  milestone: (s, id) => s.milestones.get(id)?.name,
};

function valuesDiff(
  state: SandboxState,
  item: Item,
  diff: Record<string, [unknown, unknown]>,
): Record<string, [unknown, unknown]> {
  const out: Record<string, [unknown, unknown]> = {};
  const statusKind = KINDS[item.kind].statusKind;
  for (const [field, [a, b]] of Object.entries(diff)) {
    const name = (id: unknown) => {
      if (typeof id !== "number") return id;
      if (field === "status") return state.settings[statusKind].get(id)?.name ?? id;
      if (field === "type") return state.settings.issue_type.get(id)?.name ?? id;
      if (field === "severity" || field === "priority") {
        return state.settings[field].get(id)?.name ?? id;
      }
      return NAMED[field]?.(state, id) ?? id;
    };
    out[field] = [name(a), name(b)];
  }
  if (diff.description) {
    out.description_diff = [null, String(diff.description[1])];
    delete out.description;
  }
  return out;
}

/**
 * Applies validated changes (and an optional comment) as one new version: records the diff
 * in the history (which the OCC window reads) and a timeline event. Like taiga-back, a
 * change that changed nothing and has no comment bumps the version but records no entry.
 */
export function updateItem(
  state: SandboxState,
  item: Item,
  user: User | null,
  changes: Record<string, unknown>,
  comment: string,
): void {
  const before = structuredClone(item);
  if (changes.points) {
    changes = { ...changes, points: { ...item.points, ...changes.points as object } };
  }
  Object.assign(item, changes);
  syncAssignees(item, changes);
  afterChange(state, item, before);
  const diff: Record<string, [unknown, unknown]> = {};
  for (const field of Object.keys(changes)) {
    const a = (before as unknown as Record<string, unknown>)[field];
    const b = (item as unknown as Record<string, unknown>)[field];
    if (JSON.stringify(a) !== JSON.stringify(b)) diff[field] = [a, b];
  }
  if (diff.assigned_users && !diff.assigned_to && before.assigned_to !== item.assigned_to) {
    diff.assigned_to = [before.assigned_to, item.assigned_to];
  }
  remember(state.projects.get(item.project)!, item.tags);
  item.version += 1;
  item.modified_date = state.nowIso();
  // taiga-back makes whoever comments a watcher of the item.
  if (comment && user && !item.watchers.includes(user.id)) item.watchers.push(user.id);
  if (Object.keys(diff).length === 0 && comment === "") return;
  recordItemChange(state, item, user, diff, valuesDiff(state, item, diff), comment);
}

/** Records a change entry in the item's history and its timeline event, as taiga-back does. */
export function recordItemChange(
  state: SandboxState,
  item: Item,
  user: User | null,
  diff: Record<string, [unknown, unknown]>,
  values: Record<string, unknown>,
  comment: string,
): void {
  const def = KINDS[item.kind];
  recordHistory(state, {
    key: itemKey(def, item.id),
    project: item.project,
    user: user?.id ?? null,
    type: 1,
    diff,
    valuesDiff: values,
    comment,
  });
  pushTimeline(state, state.projects.get(item.project)!, user, {
    type: `${def.historyKey}.change`,
    model: def.timelineKey,
    data: { ...timelineExtras(state, item), values_diff: comment ? {} : values },
    comment,
  });
}

/** Deletes an item and what hangs on it (relations, votes, custom values). */
export function deleteItem(state: SandboxState, item: Item, user: User | null): void {
  const def = KINDS[item.kind];
  state.items[item.kind].delete(item.id);
  state.customValues.delete(`${item.kind}:${item.id}`);
  for (const [id, rel] of state.relatedStories) {
    if (
      (item.kind === "epic" && rel.epic === item.id) ||
      (item.kind === "userstory" && rel.user_story === item.id)
    ) {
      state.relatedStories.delete(id);
    }
  }
  if (item.kind === "userstory") {
    for (const task of state.items.task.values()) {
      if (task.user_story === item.id) task.user_story = null;
    }
  }
  for (const [id, att] of state.attachments) {
    if (att.kind === item.kind && att.object_id === item.id) state.attachments.delete(id);
  }
  const project = state.projects.get(item.project);
  if (project) {
    pushTimeline(state, project, user, {
      type: `${def.historyKey}.delete`,
      model: def.timelineKey,
      data: { [def.timelineKey]: timelineObject(state, item) },
    });
  }
}

/** The rendered `description_html`. */
export function descriptionHtml(item: Item): string {
  return renderMarkdown(item.description);
}
