/**
 * The work-item service, shared by the routes and the seed: create (ref from the project's
 * shared sequence, project defaults), update (diff, history, version + 1, side effects)
 * and delete.
 *
 * @module
 */

import { isClosed, KINDS } from "./kinds.ts";
import { defaultPoints } from "./points.ts";
import { applyOrderUpdates } from "./reorder.ts";
import { takeSnapshot } from "./snapshot.ts";
import type { Item, ItemKind, Project, SandboxState, User } from "./state.ts";
import { renderMarkdown } from "./util.ts";

export { isClosed };

const lastOrders = new WeakMap<SandboxState, Map<number, number>>();

/**
 * A fresh order value, strictly increasing per state and scale: taiga-back uses the time
 * (ms, or µs for the story orders, `scale` 1000), which only grows.
 */
export function nextOrder(state: SandboxState, scale = 1): number {
  const last = lastOrders.get(state) ?? new Map<number, number>();
  lastOrders.set(state, last);
  const value = Math.max(Math.floor(state.clock()) * scale, (last.get(scale) ?? 0) + 1);
  last.set(scale, value);
  return value;
}

/** New item tags join the project's `tags_colors` (its own `tags` stay as they are). */
function remember(project: Project, tags: string[]): void {
  for (const t of tags) {
    if (!(t in project.tags_colors)) project.tags_colors[t] = null;
  }
}

/**
 * Creates an item with the project's defaults and records its creation (unless `record` is
 * false: taiga-back's issue bulk create and promotions save without a history snapshot).
 */
export function createItem(
  state: SandboxState,
  kind: ItemKind,
  project: Project,
  owner: User | null,
  data: Record<string, unknown>,
  options: { record?: boolean } = {},
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
  if (options.record ?? true) takeSnapshot(state, { kind, id: item.id }, owner);
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

type Orders = Record<string, number>;

/** The ordering keys taiga-back compares around a PATCH (`_*_order_key`). */
function orderKeys(item: Item): Record<string, string> {
  if (item.kind === "userstory") {
    return {
      backlog_order: `${item.project}-${item.backlog_order}`,
      sprint_order: `${item.project}-${item.milestone}-${item.sprint_order}`,
    };
  }
  if (item.kind === "epic") return { epics_order: `${item.project}-${item.epics_order}` };
  if (item.kind === "task") {
    return {
      us_order: `${item.project}-${item.user_story}-${item.us_order}`,
      taskboard_order: `${item.project}-${item.user_story}-${item.status}-${item.taskboard_order}`,
    };
  }
  return {};
}

/**
 * `_reorder_if_needed`: when an ordering key moved, the item keeps its new order and the
 * others of its list from that order on shift by one; returns the orders that changed.
 */
function reorderAround(state: SandboxState, item: Item, field: string): Orders {
  const rec = (i: Item) => i as unknown as Record<string, number>;
  const peers = [...state.items[item.kind].values()].filter((i) => {
    if (i.project !== item.project) return false;
    if (field === "sprint_order" && item.milestone !== null) return i.milestone === item.milestone;
    if (item.kind !== "task" || field !== "taskboard_order") return true;
    return (item.user_story === null || i.user_story === item.user_story) &&
      (item.status === null || i.status === item.status) &&
      (item.milestone === null || i.milestone === item.milestone);
  });
  const base = new Map(peers.map((i) => [i.id, rec(i)[field]]));
  const changed = applyOrderUpdates(
    base,
    new Map([[item.id, rec(item)[field]]]),
    item.kind === "userstory",
  );
  for (const [id, order] of changed) rec(state.items[item.kind].get(id)!)[field] = order;
  return Object.fromEntries([...changed].map(([id, order]) => [String(id), order]));
}

/**
 * Applies validated changes (and an optional comment) as one new version and snapshots the
 * item (history entry + timeline event, which the OCC window reads). As in taiga-back: a
 * story moved to another status or swimlane goes to the end of its new kanban cell; a task
 * follows its story's sprint; a change that changed nothing and has no comment bumps the
 * version but records no entry. Returns the `Taiga-Info-Order-Updated` orders (undefined for
 * issues, which have no order).
 */
export function updateItem(
  state: SandboxState,
  item: Item,
  user: User | null,
  changes: Record<string, unknown>,
  comment: string,
): Orders | undefined {
  const before = structuredClone(item);
  const keysBefore = orderKeys(item);
  if (changes.points) {
    changes = { ...changes, points: { ...item.points, ...changes.points as object } };
  }
  Object.assign(item, changes);
  syncAssignees(item, changes);
  if (item.kind === "task" && item.user_story !== null) {
    item.milestone = state.items.userstory.get(item.user_story)?.milestone ?? null;
  }
  if (
    item.kind === "userstory" &&
    (before.status !== item.status || before.swimlane !== item.swimlane)
  ) {
    item.kanban_order = nextOrder(state, 1000);
  }
  afterChange(state, item, before);
  remember(state.projects.get(item.project)!, item.tags);
  item.version += 1;
  item.modified_date = state.nowIso();
  // taiga-back makes whoever comments a watcher of the item.
  if (comment && user && !item.watchers.includes(user.id)) item.watchers.push(user.id);
  let orders: Orders | undefined;
  if (item.kind !== "issue") {
    orders = {};
    const keysAfter = orderKeys(item);
    for (const field of Object.keys(keysAfter)) {
      if (keysAfter[field] !== keysBefore[field]) {
        Object.assign(orders, reorderAround(state, item, field));
      }
    }
  }
  takeSnapshot(state, { kind: item.kind, id: item.id }, user, { comment });
  return orders;
}

/**
 * Deletes an item and what hangs on it (relations, attachments, custom values), recording
 * the deletion unless `record` is false (a promoted task is deleted without one).
 */
export function deleteItem(
  state: SandboxState,
  item: Item,
  user: User | null,
  options: { record?: boolean } = {},
): void {
  if (options.record ?? true) {
    takeSnapshot(state, { kind: item.kind, id: item.id }, user, { delete: true });
  }
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
}

/** The rendered `description_html`. */
export function descriptionHtml(item: Item): string {
  return renderMarkdown(item.description);
}
