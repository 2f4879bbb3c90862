/**
 * Taiga's default project template ("Scrum"): what every new project gets — statuses,
 * points, priorities, severities, issue types, due-date kinds, roles — and the creator as
 * admin member with the Product Owner role. Values are those a real 6.10 server returns.
 *
 * @module
 */

import {
  MEMBER_PERMISSIONS,
  PUBLIC_VIEW_PERMISSIONS,
  STAKEHOLDER_PERMISSIONS,
} from "./permissions.ts";
import { takeSnapshot } from "./snapshot.ts";
import type { Membership, Project, SandboxState, SettingKind, SettingRow, User } from "./state.ts";
import { pushTimeline, timelineProject } from "./timeline.ts";
import { slugify, uniqueSlug } from "./util.ts";

type Seed = Omit<SettingRow, "id" | "project" | "order"> & { order?: number };

const EPIC_STATUSES: Seed[] = [
  { name: "New", color: "#70728F", is_closed: false },
  { name: "Ready", color: "#E44057", is_closed: false },
  { name: "In progress", color: "#E47C40", is_closed: false },
  { name: "Ready for test", color: "#E4CE40", is_closed: false },
  { name: "Done", color: "#A8E440", is_closed: true },
];

const US_STATUSES: Seed[] = [
  { name: "New", color: "#70728F", is_closed: false, is_archived: false, wip_limit: null },
  { name: "Ready", color: "#E44057", is_closed: false, is_archived: false, wip_limit: null },
  { name: "In progress", color: "#E47C40", is_closed: false, is_archived: false, wip_limit: null },
  {
    name: "Ready for test",
    color: "#E4CE40",
    is_closed: false,
    is_archived: false,
    wip_limit: null,
  },
  { name: "Done", color: "#A8E440", is_closed: true, is_archived: false, wip_limit: null },
  { name: "Archived", color: "#A9AABC", is_closed: true, is_archived: true, wip_limit: null },
];

const TASK_STATUSES: Seed[] = [
  { name: "New", color: "#70728F", is_closed: false },
  { name: "In progress", color: "#E47C40", is_closed: false },
  { name: "Ready for test", color: "#E4CE40", is_closed: false },
  { name: "Closed", color: "#A8E440", is_closed: true },
  { name: "Needs Info", color: "#5178D3", is_closed: false },
];

const ISSUE_STATUSES: Seed[] = [
  { name: "New", color: "#70728F", is_closed: false },
  { name: "In progress", color: "#40A8E4", is_closed: false },
  { name: "Ready for test", color: "#E4CE40", is_closed: false },
  { name: "Closed", color: "#A8E440", is_closed: true },
  { name: "Needs Info", color: "#E44057", is_closed: false },
  { name: "Rejected", color: "#A9AABC", is_closed: true },
  { name: "Postponed", color: "#5178D3", is_closed: false },
];

const POINTS: Seed[] = [
  ["?", null],
  ["0", 0],
  ["1/2", 0.5],
  ["1", 1],
  ["2", 2],
  ["3", 3],
  ["5", 5],
  ["8", 8],
  ["10", 10],
  ["13", 13],
  ["20", 20],
  ["40", 40],
].map(([name, value]) => ({ name: name as string, value: value as number | null }));

const PRIORITIES: Seed[] = [
  { name: "Low", color: "#A8E440", order: 1 },
  { name: "Normal", color: "#E4CE40", order: 3 },
  { name: "High", color: "#E47C40", order: 5 },
];

const SEVERITIES: Seed[] = [
  { name: "Wishlist", color: "#70728F" },
  { name: "Minor", color: "#40A8E4" },
  { name: "Normal", color: "#40E47C" },
  { name: "Important", color: "#E4A240" },
  { name: "Critical", color: "#D35450" },
];

const ISSUE_TYPES: Seed[] = [
  { name: "Bug", color: "#E44057" },
  { name: "Question", color: "#5178D3" },
  { name: "Enhancement", color: "#40E4CE" },
];

const DUE_DATES: Seed[] = [
  { name: "Default", color: "#9dce0a", by_default: true, days_to_due: null },
  { name: "Due soon", color: "#ff9900", by_default: false, days_to_due: 14 },
  { name: "Past due", color: "#E44057", by_default: false, days_to_due: 0 },
];

const ROLES: { name: string; computable: boolean; permissions: readonly string[] }[] = [
  { name: "UX", computable: true, permissions: MEMBER_PERMISSIONS },
  { name: "Design", computable: true, permissions: MEMBER_PERMISSIONS },
  { name: "Front", computable: true, permissions: MEMBER_PERMISSIONS },
  { name: "Back", computable: true, permissions: MEMBER_PERMISSIONS },
  { name: "Product Owner", computable: false, permissions: MEMBER_PERMISSIONS },
  { name: "Stakeholder", computable: false, permissions: STAKEHOLDER_PERMISSIONS },
];

/** Kinds whose rows carry a slug. */
const SLUGGED: SettingKind[] = ["us_status", "task_status", "issue_status", "epic_status"];

/** Adds a settings row (used by the template and by the settings endpoints). */
export function addSetting(
  state: SandboxState,
  kind: SettingKind,
  project: number,
  seed: Seed,
): SettingRow {
  const existing = state.settingsOf(kind, project);
  const row: SettingRow = {
    ...seed,
    id: state.nextId(`setting:${kind}`),
    project,
    order: seed.order ?? (existing.length ? Math.max(...existing.map((r) => r.order)) + 1 : 1),
  };
  if (SLUGGED.includes(kind) && !row.slug) {
    row.slug = uniqueSlug(row.name, (s) => existing.some((r) => r.slug === s));
  }
  state.settings[kind].set(row.id, row);
  return row;
}

function addAll(state: SandboxState, kind: SettingKind, project: number, seeds: Seed[]): number {
  const rows = seeds.map((s, i) => addSetting(state, kind, project, { order: i + 1, ...s }));
  return rows[0].id;
}

/** Input of `createProject`. */
export interface ProjectInit {
  name: string;
  description: string;
  is_private?: boolean;
  tags?: string[];
  [field: string]: unknown;
}

/**
 * Creates a project from the default template, with `owner` as admin member; `configure`
 * runs before the creation is recorded (the flags and fields of a create request).
 */
export function createProject(
  state: SandboxState,
  owner: User,
  init: ProjectInit,
  configure?: (project: Project) => void,
): Project {
  const now = state.nowIso();
  const id = state.nextId("project");
  const isPrivate = init.is_private ?? true;
  const slug = uniqueSlug(
    `${owner.username}-${slugify(init.name)}`,
    (s) => [...state.projects.values()].some((p) => p.slug === s),
  );
  const project: Project = {
    id,
    name: init.name,
    slug,
    description: init.description,
    owner: owner.id,
    created_date: now,
    modified_date: now,
    is_private: isPrivate,
    anon_permissions: isPrivate ? [] : [...PUBLIC_VIEW_PERMISSIONS],
    public_permissions: isPrivate ? [] : [...PUBLIC_VIEW_PERMISSIONS],
    is_backlog_activated: true,
    is_kanban_activated: false,
    is_wiki_activated: true,
    is_issues_activated: true,
    is_epics_activated: false,
    is_contact_activated: true,
    is_featured: false,
    is_looking_for_people: false,
    looking_for_people_note: "",
    videoconferences: null,
    videoconferences_extra_data: null,
    total_milestones: null,
    total_story_points: null,
    tags: init.tags ?? [],
    tags_colors: {},
    default_epic_status: null,
    default_us_status: null,
    default_task_status: null,
    default_issue_status: null,
    default_points: null,
    default_priority: null,
    default_severity: null,
    default_issue_type: null,
    default_swimlane: null,
    watchers: [owner.id],
    fans: [],
    totals_updated_datetime: now,
  };
  for (const tag of project.tags) project.tags_colors[tag] = null;
  state.projects.set(id, project);
  project.default_epic_status = addAll(state, "epic_status", id, EPIC_STATUSES);
  project.default_us_status = addAll(state, "us_status", id, US_STATUSES);
  project.default_task_status = addAll(state, "task_status", id, TASK_STATUSES);
  project.default_issue_status = addAll(state, "issue_status", id, ISSUE_STATUSES);
  project.default_points = addAll(state, "points", id, POINTS);
  project.default_severity = addAll(state, "severity", id, SEVERITIES) + 2;
  project.default_issue_type = addAll(state, "issue_type", id, ISSUE_TYPES);
  project.default_priority = addAll(state, "priority", id, PRIORITIES) + 1;
  for (const kind of ["us_duedate", "task_duedate", "issue_duedate"] as const) {
    addAll(state, kind, id, DUE_DATES);
  }
  let ownerRole = 0;
  ROLES.forEach((r, i) => {
    const role = {
      id: state.nextId("role"),
      project: id,
      name: r.name,
      slug: slugify(r.name),
      order: (i + 1) * 10,
      computable: r.computable,
      permissions: [...r.permissions],
    };
    state.roles.set(role.id, role);
    if (r.name === "Product Owner") ownerRole = role.id;
  });
  addMember(state, project, owner, ownerRole, true, null);
  configure?.(project);
  takeSnapshot(state, { kind: "project", id }, owner);
  return project;
}

/**
 * The timeline event of a membership (`projects.membership.create|delete`): pushed as the
 * member, with the member as `data.user`; none for the project owner's own membership.
 */
export function membershipEvent(
  state: SandboxState,
  m: Membership,
  action: "create" | "delete",
): void {
  const project = state.projects.get(m.project);
  const user = m.user === null ? undefined : state.users.get(m.user);
  const role = state.roles.get(m.role);
  if (!project || !user || (action === "create" && user.id === project.owner)) return;
  pushTimeline(state, project, user, {
    type: `projects.membership.${action}`,
    model: "membership",
    data: {
      user: { id: user.id },
      project: timelineProject(project),
      role: { id: role?.id ?? null, name: role?.name ?? null },
    },
  }, [user.id]);
}

/** Adds a user to a project with a role. */
export function addMember(
  state: SandboxState,
  project: Project,
  user: User,
  role: number,
  isAdmin: boolean,
  invitedBy: number | null,
): Membership {
  const membership: Membership = {
    id: state.nextId("membership"),
    user: user.id,
    email: user.email,
    project: project.id,
    role,
    is_admin: isAdmin,
    created_at: state.nowIso(),
    invited_by: invitedBy,
    invitation_extra_text: null,
    user_order: state.membershipsOf(project.id).length,
  };
  state.memberships.set(membership.id, membership);
  membershipEvent(state, membership, "create");
  return membership;
}
