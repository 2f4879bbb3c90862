/**
 * The one table of work-item kinds (epic, user story, task, issue): API paths, history keys,
 * project-detail keys, tool names and argument values, examples, which filters, fields and
 * compact output fields each kind has. Every item tool, shape and read is driven by it.
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

/** Kind-specific fields of an item's compact form (see domain/shapes/item.ts). */
export type CompactField =
  | "assigned_users"
  | "points"
  | "due"
  | "finished"
  | "blocked"
  | "user_story"
  | "iocaine"
  | "type"
  | "priority"
  | "severity"
  | "color"
  | "stories";

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
  toolset: "epics" | "userstories" | "tasks" | "issues";
  /** Segment in Taiga web URLs (`/project/<slug>/us/12`). */
  urlSegment: string;
  /** Value of the `kind` argument of cross-kind tools, e.g. `user_story`. */
  arg: KindArg;
  /** Custom attributes definitions path. */
  customAttributesPath: string;
  /** Attachments collection path, e.g. `userstories/attachments`. */
  attachmentsPath: string;
  /** Keys of this kind's lists in a project's detail JSON. */
  metadataKeys: { statuses: string; customAttributes: string };
  /** Query parameter that filters by assignee (stories have several assignees). */
  assigneeFilter: "assigned_users" | "assigned_to";
  /** Arguments of an example create call, as JSON. */
  createExample: string;
  /** Kind-specific fields of the compact form, in output order. */
  compactFields: readonly CompactField[];
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
    arg: "epic",
    customAttributesPath: "epic-custom-attributes",
    attachmentsPath: "epics/attachments",
    metadataKeys: { statuses: "epic_statuses", customAttributes: "epic_custom_attributes" },
    assigneeFilter: "assigned_to",
    createExample: '{"project":"jane-website","subject":"Checkout","color":"#A5694F"}',
    compactFields: ["color", "stories", "blocked"],
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
    arg: "user_story",
    customAttributesPath: "userstory-custom-attributes",
    attachmentsPath: "userstories/attachments",
    metadataKeys: { statuses: "us_statuses", customAttributes: "userstory_custom_attributes" },
    assigneeFilter: "assigned_users",
    createExample:
      '{"project":"jane-website","subject":"Pay by card","assigned_users":["alice"],"points":{"Back":"5"},"sprint":"Sprint 3"}',
    compactFields: ["assigned_users", "points", "due", "finished", "blocked"],
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
    arg: "task",
    customAttributesPath: "task-custom-attributes",
    attachmentsPath: "tasks/attachments",
    metadataKeys: { statuses: "task_statuses", customAttributes: "task_custom_attributes" },
    assigneeFilter: "assigned_to",
    createExample:
      '{"project":"jane-website","subject":"Write tests","user_story":"#12","assigned_to":"me"}',
    compactFields: ["user_story", "due", "finished", "blocked", "iocaine"],
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
    arg: "issue",
    customAttributesPath: "issue-custom-attributes",
    attachmentsPath: "issues/attachments",
    metadataKeys: { statuses: "issue_statuses", customAttributes: "issue_custom_attributes" },
    assigneeFilter: "assigned_to",
    createExample:
      '{"project":"jane-website","subject":"Login fails","type":"Bug","priority":"High"}',
    compactFields: ["type", "priority", "severity", "due", "finished", "blocked"],
    finishedField: "finished_date",
    filters: [...COMMON_FILTERS, "sprint", "type", "priority", "severity"],
    fields: [...COMMON_FIELDS, "due_date", "sprint", "type", "priority", "severity"],
    orderFields: [...COMMON_ORDER, "type", "priority", "severity", "owner", "total_voters", "ref"],
  },
};

/** Every kind key, in tool-list order. */
export const ITEM_KINDS: readonly ItemKind[] = ["userstory", "task", "issue", "epic"];

/** Values of the `kind` argument of the tools that work on any kind. */
export const KIND_ARGS = ["user_story", "task", "issue", "epic"] as const;

/** One value of the `kind` argument. */
export type KindArg = typeof KIND_ARGS[number];

/** The kind named by a `kind` argument value. */
export function kindOfArg(arg: KindArg): KindInfo {
  return KINDS[ITEM_KINDS.find((kind) => KINDS[kind].arg === arg)!];
}
