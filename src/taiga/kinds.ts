/**
 * The one table of work-item kinds (epic, user story, task, issue): API paths, history keys, tool
 * names, and which filters and fields each kind supports. Every item tool is generated from it.
 * @module
 */

/** The four work-item kinds, named as Taiga's history keys name them. */
export type ItemKind = "epic" | "userstory" | "task" | "issue";

/** Typed list filters; each kind supports a subset (see {@link KindInfo.filters}). */
export type FilterName =
  | "status"
  | "assignee"
  | "owner"
  | "tags"
  | "text"
  | "sprint"
  | "epic"
  | "user_story"
  | "type"
  | "priority"
  | "severity"
  | "dates"
  | "order_by";

/** Create/update fields; each kind supports a subset (see {@link KindInfo.fields}). */
export type FieldName =
  | "subject"
  | "description"
  | "status"
  | "assigned_to"
  | "assigned_users"
  | "tags"
  | "is_blocked"
  | "blocked_note"
  | "due_date"
  | "sprint"
  | "points"
  | "client_requirement"
  | "team_requirement"
  | "user_story"
  | "is_iocaine"
  | "type"
  | "priority"
  | "severity"
  | "color";

/** Everything the generic item tools need to know about one kind. */
export interface KindInfo {
  /** Kind key (history key, metadata status kind). */
  kind: ItemKind;
  /** API collection path, e.g. `userstories`. */
  path: string;
  /** Segment of `history/<key>/<id>`. */
  historyKey: string;
  /** Singular tool-name part, e.g. `user_story` (get_user_story). */
  one: string;
  /** Plural tool-name part, e.g. `user_stories` (list_user_stories). */
  plural: string;
  /** Human label, e.g. "user story". */
  label: string;
  /** Human plural label. */
  labelPlural: string;
  /** Toolset of its CRUD tools. */
  toolset: string;
  /** Segment in Taiga web URLs (`/project/<slug>/us/12`). */
  urlSegment: string;
  /** Custom attributes definitions path. */
  customAttributesPath: string;
  /** Field holding the date it was finished, if any. */
  finishedField?: "finish_date" | "finished_date";
  /** Supported list filters. */
  filters: readonly FilterName[];
  /** Supported create/update fields. */
  fields: readonly FieldName[];
  /** Whitelisted `order_by` fields (without `-`). */
  orderFields: readonly string[];
}

const COMMON_FILTERS: readonly FilterName[] = [
  "status",
  "assignee",
  "owner",
  "tags",
  "text",
  "dates",
  "order_by",
];

const COMMON_FIELDS: readonly FieldName[] = [
  "subject",
  "description",
  "status",
  "assigned_to",
  "tags",
  "is_blocked",
  "blocked_note",
];

// Taiga silently ignores an order_by outside its per-kind whitelist (taiga-back's
// order_by_fields), so only whitelisted fields are offered: no "ref", no "total_points".
const COMMON_ORDER = ["created_date", "modified_date", "subject", "status", "assigned_to"];

/** The kind table. */
export const KINDS: Readonly<Record<ItemKind, KindInfo>> = {
  epic: {
    kind: "epic",
    path: "epics",
    historyKey: "epic",
    one: "epic",
    plural: "epics",
    label: "epic",
    labelPlural: "epics",
    toolset: "epics",
    urlSegment: "epic",
    customAttributesPath: "epic-custom-attributes",
    filters: COMMON_FILTERS,
    fields: [...COMMON_FIELDS, "color", "client_requirement", "team_requirement"],
    // Taiga's EpicViewSet has no order_by whitelist: it ignores every order_by on epics.
    orderFields: [],
  },
  userstory: {
    kind: "userstory",
    path: "userstories",
    historyKey: "userstory",
    one: "user_story",
    plural: "user_stories",
    label: "user story",
    labelPlural: "user stories",
    toolset: "userstories",
    urlSegment: "us",
    customAttributesPath: "userstory-custom-attributes",
    finishedField: "finish_date",
    filters: [...COMMON_FILTERS, "sprint", "epic"],
    fields: [
      ...COMMON_FIELDS,
      "assigned_users",
      "due_date",
      "sprint",
      "points",
      "client_requirement",
      "team_requirement",
    ],
    orderFields: [
      ...COMMON_ORDER,
      "backlog_order",
      "sprint_order",
      "kanban_order",
      "epic_order",
      "milestone",
      "total_voters",
    ],
  },
  task: {
    kind: "task",
    path: "tasks",
    historyKey: "task",
    one: "task",
    plural: "tasks",
    label: "task",
    labelPlural: "tasks",
    toolset: "tasks",
    urlSegment: "task",
    customAttributesPath: "task-custom-attributes",
    finishedField: "finished_date",
    filters: [...COMMON_FILTERS, "sprint", "user_story"],
    fields: [...COMMON_FIELDS, "due_date", "sprint", "user_story", "is_iocaine"],
    orderFields: [...COMMON_ORDER, "us_order", "milestone", "total_voters"],
  },
  issue: {
    kind: "issue",
    path: "issues",
    historyKey: "issue",
    one: "issue",
    plural: "issues",
    label: "issue",
    labelPlural: "issues",
    toolset: "issues",
    urlSegment: "issue",
    customAttributesPath: "issue-custom-attributes",
    finishedField: "finished_date",
    filters: [...COMMON_FILTERS, "sprint", "type", "priority", "severity"],
    fields: [...COMMON_FIELDS, "due_date", "sprint", "type", "priority", "severity"],
    orderFields: [...COMMON_ORDER, "type", "priority", "severity", "owner", "total_voters", "ref"],
  },
};

/** Every kind key, in tool-list order. */
export const ITEM_KINDS: readonly ItemKind[] = ["userstory", "task", "issue", "epic"];

/** The kind names a person may use for the `kind` argument ("story", "us", "bug"...). */
const KIND_ALIASES: Record<string, ItemKind> = {
  epic: "epic",
  epics: "epic",
  userstory: "userstory",
  userstories: "userstory",
  user_story: "userstory",
  user_stories: "userstory",
  story: "userstory",
  stories: "userstory",
  us: "userstory",
  task: "task",
  tasks: "task",
  issue: "issue",
  issues: "issue",
};

/** The kind named by `name` (case-insensitive, aliases allowed), or undefined. */
export function kindByName(name: string): ItemKind | undefined {
  return KIND_ALIASES[name.trim().toLowerCase().replaceAll(" ", "_")];
}
