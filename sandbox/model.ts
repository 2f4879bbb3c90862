/**
 * Record types of the sandbox store (one interface per Taiga model).
 *
 * @module
 */

/** The four work-item kinds, named as Taiga's history keys name them. */
export type ItemKind = "epic" | "userstory" | "task" | "issue";

/** A Taiga user. `password` is kept in clear: this is a sandbox. */
export interface User {
  id: number;
  username: string;
  password: string;
  full_name: string;
  email: string;
  color: string;
  bio: string;
  lang: string;
  theme: string;
  timezone: string;
  is_active: boolean;
  gravatar_id: string;
  uuid: string;
  date_joined: string;
  verified_email: boolean;
  accepted_terms: boolean;
  read_new_terms: boolean;
}

/** A project (no OCC: projects have no `version`). */
export interface Project {
  id: number;
  name: string;
  slug: string;
  description: string;
  owner: number;
  created_date: string;
  modified_date: string;
  is_private: boolean;
  anon_permissions: string[];
  public_permissions: string[];
  is_backlog_activated: boolean;
  is_kanban_activated: boolean;
  is_wiki_activated: boolean;
  is_issues_activated: boolean;
  is_epics_activated: boolean;
  is_contact_activated: boolean;
  is_featured: boolean;
  is_looking_for_people: boolean;
  looking_for_people_note: string;
  videoconferences: string | null;
  videoconferences_extra_data: string | null;
  total_milestones: number | null;
  total_story_points: number | null;
  tags: string[];
  tags_colors: Record<string, string | null>;
  default_epic_status: number | null;
  default_us_status: number | null;
  default_task_status: number | null;
  default_issue_status: number | null;
  default_points: number | null;
  default_priority: number | null;
  default_severity: number | null;
  default_issue_type: number | null;
  default_swimlane: number | null;
  watchers: number[];
  fans: number[];
  totals_updated_datetime: string;
}

/** A project membership (a pending invitation has `user: null`). */
export interface Membership {
  id: number;
  user: number | null;
  email: string | null;
  project: number;
  role: number;
  is_admin: boolean;
  created_at: string;
  invited_by: number | null;
  invitation_extra_text: string | null;
  user_order: number;
}

/** A project role. */
export interface Role {
  id: number;
  project: number;
  name: string;
  slug: string;
  order: number;
  computable: boolean;
  permissions: string[];
}

/** The project-settings tables that share one record shape. */
export type SettingKind =
  | "us_status"
  | "task_status"
  | "issue_status"
  | "epic_status"
  | "points"
  | "priority"
  | "severity"
  | "issue_type"
  | "swimlane"
  | "us_duedate"
  | "task_duedate"
  | "issue_duedate";

/** One row of a settings table; which optional fields are used depends on the kind. */
export interface SettingRow {
  id: number;
  project: number;
  name: string;
  order: number;
  color?: string;
  slug?: string;
  is_closed?: boolean;
  is_archived?: boolean;
  wip_limit?: number | null;
  value?: number | null;
  by_default?: boolean;
  days_to_due?: number | null;
}

/** One work item. Fields that a kind does not have keep their neutral default. */
export interface Item {
  kind: ItemKind;
  id: number;
  ref: number;
  project: number;
  subject: string;
  description: string;
  status: number | null;
  owner: number | null;
  assigned_to: number | null;
  assigned_users: number[];
  tags: string[];
  created_date: string;
  modified_date: string;
  version: number;
  is_blocked: boolean;
  blocked_note: string;
  watchers: number[];
  voters: number[];
  external_reference: unknown;
  due_date: string | null;
  due_date_reason: string;
  milestone: number | null;
  // user story
  points: Record<string, number>;
  backlog_order: number;
  sprint_order: number;
  kanban_order: number;
  swimlane: number | null;
  finish_date: string | null;
  client_requirement: boolean;
  team_requirement: boolean;
  generated_from_issue: number | null;
  generated_from_task: number | null;
  from_task_ref: string | null;
  // task
  user_story: number | null;
  us_order: number;
  taskboard_order: number;
  is_iocaine: boolean;
  // task + issue
  finished_date: string | null;
  // issue
  type: number | null;
  severity: number | null;
  priority: number | null;
  // epic
  color: string;
  epics_order: number;
}

/** A sprint. No OCC. */
export interface Milestone {
  id: number;
  project: number;
  name: string;
  slug: string;
  owner: number | null;
  estimated_start: string;
  estimated_finish: string;
  created_date: string;
  modified_date: string;
  closed: boolean;
  disponibility: number;
  order: number;
  watchers: number[];
}

/** A wiki page (OCC-versioned). */
export interface WikiPage {
  id: number;
  project: number;
  slug: string;
  content: string;
  owner: number | null;
  last_modifier: number | null;
  created_date: string;
  modified_date: string;
  version: number;
  editions: number;
  watchers: number[];
}

/** A wiki link (the wiki sidebar). */
export interface WikiLink {
  id: number;
  project: number;
  title: string;
  href: string;
  order: number;
}

/** An epic ↔ user story relation. */
export interface RelatedStory {
  id: number;
  epic: number;
  user_story: number;
  order: number;
}

/** A custom attribute definition. */
export interface CustomAttribute {
  id: number;
  kind: ItemKind;
  project: number;
  name: string;
  description: string;
  type: string;
  order: number;
  extra: unknown;
  created_date: string;
  modified_date: string;
}

/** The WIP limit of one user story status in one swimlane. */
export interface SwimlaneStatus {
  id: number;
  project: number;
  swimlane: number;
  status: number;
  wip_limit: number | null;
}

/** The custom attribute values of one item (own `version`). */
export interface CustomAttributeValues {
  values: Record<string, unknown>;
  version: number;
}

/** An attachment; the file bytes are kept in memory. */
export interface Attachment {
  id: number;
  kind: ItemKind | "wiki";
  project: number;
  object_id: number;
  owner: number | null;
  name: string;
  /** Storage path (`attachments/5/1/f/6/<60 hex>/<name>`), as `attached_file`. */
  path: string;
  size: number;
  bytes: Uint8Array;
  description: string;
  is_deprecated: boolean;
  from_comment: boolean;
  order: number;
  sha1: string;
  created_date: string;
  modified_date: string;
}

export type * from "./model_logs.ts";
export type * from "./model_apps.ts";
