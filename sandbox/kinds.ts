/**
 * ONE table describing the four work-item kinds (epic, user story, task, issue): paths,
 * model names, permissions, status tables, writable fields, filters and ordering. The
 * routes, shapes and filters are generic and read this table.
 *
 * @module
 */

import type { Item, ItemKind, Project, SandboxState, SettingKind } from "./state.ts";

/** Everything that differs between the item kinds. */
export interface KindDef {
  kind: ItemKind;
  /** URL segment: `/userstories`. */
  plural: string;
  /** Django model name, for 404 bodies. */
  model: string;
  /** History key prefix: `userstories.userstory`. */
  historyKey: string;
  /** `/history/<historyType>/<id>`. */
  historyType: string;
  /** Timeline data key (`userstory`) and content-type name. */
  timelineKey: string;
  statusKind: SettingKind;
  defaultStatus: keyof Project;
  perms: { view: string; add: string; modify: string; delete: string; comment: string };
  /** Field of `bulk_create` holding the lines. */
  bulkField: string;
  /** `<kind>-custom-attributes`. */
  customAttributesPath: string;
  /** Writable fields besides the common ones, with their type. */
  fields: Record<string, FieldType>;
  /** Related filters (comma-separated ids, `null`, `exclude_*`). */
  relatedFilters: string[];
  /** Date filters (with __lt/__gt/__lte/__gte). */
  dateFilters: string[];
  /**
   * `order_by` whitelist (taiga-back's viewset `order_by_fields`, read at commit `b6eac2c5`,
   * not at the fact sheet's HEAD); any other field is ignored. See `ordering.ts`.
   */
  orderBy: readonly string[];
  /** Default ordering. */
  order: (a: Item, b: Item) => number;
}

/** How a writable field is validated. */
export type FieldType =
  | "string"
  | "text"
  | "bool"
  | "int"
  | "date"
  | "any"
  | "tags"
  | "users"
  | "user"
  | "points"
  | "milestone"
  | "userstory"
  | { setting: SettingKind };

/** Fields every kind accepts. */
export const COMMON_FIELDS: Record<string, FieldType> = {
  subject: "string",
  description: "text",
  assigned_to: "user",
  tags: "tags",
  is_blocked: "bool",
  blocked_note: "text",
  watchers: "users",
  external_reference: "any",
};

const DUE_FIELDS: Record<string, FieldType> = { due_date: "date", due_date_reason: "text" };

const byRef = (a: Item, b: Item) => a.project - b.project || a.ref - b.ref;

/** The four kinds. */
export const KINDS: Record<ItemKind, KindDef> = {
  epic: {
    kind: "epic",
    plural: "epics",
    model: "Epic",
    historyKey: "epics.epic",
    historyType: "epic",
    timelineKey: "epic",
    statusKind: "epic_status",
    defaultStatus: "default_epic_status",
    perms: {
      view: "view_epics",
      add: "add_epic",
      modify: "modify_epic",
      delete: "delete_epic",
      comment: "comment_epic",
    },
    bulkField: "bulk_epics",
    customAttributesPath: "epic-custom-attributes",
    fields: {
      status: { setting: "epic_status" },
      color: "string",
      epics_order: "int",
      client_requirement: "bool",
      team_requirement: "bool",
    },
    relatedFilters: ["status", "assigned_to", "owner"],
    dateFilters: ["created_date", "modified_date"],
    // EpicViewSet defines no order_by_fields, so Taiga ignores every order_by on epics.
    orderBy: [],
    order: (a, b) => a.project - b.project || a.epics_order - b.epics_order || a.id - b.id,
  },
  userstory: {
    kind: "userstory",
    plural: "userstories",
    model: "UserStory",
    historyKey: "userstories.userstory",
    historyType: "userstory",
    timelineKey: "userstory",
    statusKind: "us_status",
    defaultStatus: "default_us_status",
    perms: {
      view: "view_us",
      add: "add_us",
      modify: "modify_us",
      delete: "delete_us",
      comment: "comment_us",
    },
    bulkField: "bulk_stories",
    customAttributesPath: "userstory-custom-attributes",
    fields: {
      ...DUE_FIELDS,
      status: { setting: "us_status" },
      milestone: "milestone",
      points: "points",
      assigned_users: "users",
      client_requirement: "bool",
      team_requirement: "bool",
      backlog_order: "int",
      sprint_order: "int",
      swimlane: { setting: "swimlane" },
    },
    relatedFilters: ["status", "assigned_to", "assigned_users", "owner", "role", "epic"],
    dateFilters: ["created_date", "modified_date", "finish_date"],
    orderBy: [
      "backlog_order",
      "sprint_order",
      "kanban_order",
      "epic_order",
      "project",
      "milestone",
      "status",
      "created_date",
      "modified_date",
      "assigned_to",
      "subject",
      "total_voters",
    ],
    order: (a, b) => a.project - b.project || a.backlog_order - b.backlog_order || byRef(a, b),
  },
  task: {
    kind: "task",
    plural: "tasks",
    model: "Task",
    historyKey: "tasks.task",
    historyType: "task",
    timelineKey: "task",
    statusKind: "task_status",
    defaultStatus: "default_task_status",
    perms: {
      view: "view_tasks",
      add: "add_task",
      modify: "modify_task",
      delete: "delete_task",
      comment: "comment_task",
    },
    bulkField: "bulk_tasks",
    customAttributesPath: "task-custom-attributes",
    fields: {
      ...DUE_FIELDS,
      status: { setting: "task_status" },
      milestone: "milestone",
      user_story: "userstory",
      us_order: "int",
      taskboard_order: "int",
      is_iocaine: "bool",
    },
    relatedFilters: ["status", "assigned_to", "owner", "role"],
    dateFilters: ["created_date", "modified_date", "finished_date"],
    // No taskboard_order: TaskViewSet does not whitelist it.
    orderBy: [
      "project",
      "milestone",
      "status",
      "created_date",
      "modified_date",
      "assigned_to",
      "us_order",
      "subject",
      "total_voters",
    ],
    order: (a, b) =>
      a.project - b.project || a.created_date.localeCompare(b.created_date) || byRef(a, b),
  },
  issue: {
    kind: "issue",
    plural: "issues",
    model: "Issue",
    historyKey: "issues.issue",
    historyType: "issue",
    timelineKey: "issue",
    statusKind: "issue_status",
    defaultStatus: "default_issue_status",
    perms: {
      view: "view_issues",
      add: "add_issue",
      modify: "modify_issue",
      delete: "delete_issue",
      comment: "comment_issue",
    },
    bulkField: "bulk_issues",
    customAttributesPath: "issue-custom-attributes",
    fields: {
      ...DUE_FIELDS,
      status: { setting: "issue_status" },
      milestone: "milestone",
      type: { setting: "issue_type" },
      severity: { setting: "severity" },
      priority: { setting: "priority" },
    },
    relatedFilters: ["status", "assigned_to", "owner", "role", "type", "severity", "priority"],
    dateFilters: ["created_date", "modified_date", "finished_date"],
    orderBy: [
      "type",
      "project",
      "status",
      "severity",
      "priority",
      "created_date",
      "modified_date",
      "owner",
      "assigned_to",
      "subject",
      "total_voters",
      "ref",
    ],
    order: (a, b) => a.project - b.project || b.id - a.id,
  },
};

/** The kind whose URL segment is `plural`. */
export function kindByPlural(plural: string): KindDef | undefined {
  return Object.values(KINDS).find((k) => k.plural === plural);
}

/** The kind whose history segment is `type` (`userstory`, `task`, …). */
export function kindByHistoryType(type: string): KindDef | undefined {
  return Object.values(KINDS).find((k) => k.historyType === type);
}

/** History key of an item: `userstories.userstory:105`. */
export function itemKey(def: KindDef, id: number): string {
  return `${def.historyKey}:${id}`;
}

/** Whether the item's status is a closed one. */
export function isClosed(state: SandboxState, item: Item): boolean {
  if (item.status === null) return false;
  return state.settings[KINDS[item.kind].statusKind].get(item.status)?.is_closed === true;
}
