/**
 * JSON shapes of projects and project settings, with the keys a real taiga-back 6.10
 * returns (see `tests/fixtures/taiga-samples*`). Users are in `shapes_users.ts`.
 *
 * @module
 */

import { isAdmin, permissionsOf } from "./permissions.ts";
import { userBasic } from "./shapes_users.ts";
import type {
  CustomAttribute,
  Membership,
  Project,
  Role,
  SandboxState,
  SettingKind,
  SettingRow,
  User,
} from "./state.ts";

type Json = Record<string, unknown>;

/** Which embedded key each settings kind uses in the project detail. */
export const EMBEDDED_SETTINGS: [string, SettingKind][] = [
  ["epic_statuses", "epic_status"],
  ["us_statuses", "us_status"],
  ["us_duedates", "us_duedate"],
  ["points", "points"],
  ["task_statuses", "task_status"],
  ["task_duedates", "task_duedate"],
  ["issue_statuses", "issue_status"],
  ["issue_types", "issue_type"],
  ["issue_duedates", "issue_duedate"],
  ["priorities", "priority"],
  ["severities", "severity"],
];

/** A settings row, with `project` (list endpoints) or `project_id` (embedded). */
export function settingShape(kind: SettingKind, r: SettingRow, projectKey = "project"): Json {
  const base: Json = { id: r.id, name: r.name };
  if (kind.endsWith("_status")) base.slug = r.slug;
  base.order = r.order;
  if (kind === "points") base.value = r.value ?? null;
  else if (kind.endsWith("_duedate")) {
    Object.assign(base, { by_default: r.by_default, color: r.color, days_to_due: r.days_to_due });
  } else if (kind.endsWith("_status")) {
    base.is_closed = r.is_closed ?? false;
    if (kind === "us_status") base.is_archived = r.is_archived ?? false;
    base.color = r.color;
    if (kind === "us_status") base.wip_limit = r.wip_limit ?? null;
  } else if (kind !== "swimlane") base.color = r.color;
  base[projectKey] = r.project;
  return base;
}

/** A role in `/roles` (`members_count`) or embedded (`project_id`). */
export function roleShape(state: SandboxState, r: Role, embedded = false): Json {
  if (embedded) {
    return {
      id: r.id,
      name: r.name,
      slug: r.slug,
      permissions: r.permissions,
      order: r.order,
      computable: r.computable,
      project_id: r.project,
    };
  }
  const members = [...state.memberships.values()].filter((m) => m.role === r.id).length;
  return {
    id: r.id,
    name: r.name,
    slug: r.slug,
    project: r.project,
    order: r.order,
    computable: r.computable,
    permissions: r.permissions,
    members_count: members,
  };
}

/**
 * A membership; `MembershipAdminSerializer` (with `email`, `user_email`) when `admin` says so,
 * by default when the viewer is an admin of the project.
 */
export function membershipShape(
  state: SandboxState,
  m: Membership,
  viewer: User | null,
  admin?: boolean,
): Json {
  const u = m.user === null ? undefined : state.users.get(m.user);
  const project = state.projects.get(m.project)!;
  const out: Json = {
    id: m.id,
    user: m.user,
    project: m.project,
    role: m.role,
    is_admin: m.is_admin,
    created_at: m.created_at,
    invited_by: userBasic(state, m.invited_by),
    invitation_extra_text: m.invitation_extra_text,
    user_order: m.user_order,
    role_name: state.roles.get(m.role)?.name ?? null,
    full_name: u ? u.full_name || u.username : null,
    is_user_active: u?.is_active ?? false,
    color: u?.color ?? "",
    photo: null,
    gravatar_id: u?.gravatar_id ?? null,
    project_name: project.name,
    project_slug: project.slug,
    is_owner: m.user !== null && project.owner === m.user,
  };
  if (admin ?? isAdmin(state, viewer, project)) {
    out.email = m.email;
    out.user_email = u?.email ?? null;
  }
  return out;
}

/** A custom attribute definition (`project` or embedded `project_id`). */
export function customAttributeShape(a: CustomAttribute, projectKey = "project"): Json {
  return {
    id: a.id,
    name: a.name,
    description: a.description,
    type: a.type,
    order: a.order,
    [projectKey]: a.project,
    extra: a.extra,
    created_date: a.created_date,
    modified_date: a.modified_date,
  };
}

/** Events in the project's own timeline. */
export function activityCount(state: SandboxState, p: Project): number {
  const namespace = `project:${p.id}`;
  return state.timeline.filter((t) => t.namespace === namespace).length;
}

/** The list shape of a project (`members` as ids). */
export function projectListShape(state: SandboxState, p: Project, viewer: User | null): Json {
  const members = state.membershipsOf(p.id).filter((m) => m.user !== null);
  const milestones = [...state.milestones.values()].filter((m) => m.project === p.id);
  const membership = state.membershipOf(viewer?.id, p.id);
  const activity = activityCount(state, p);
  return {
    id: p.id,
    name: p.name,
    slug: p.slug,
    description: p.description,
    created_date: p.created_date,
    modified_date: p.modified_date,
    owner: userBasic(state, p.owner),
    members: members.map((m) => m.user),
    total_milestones: p.total_milestones,
    total_story_points: p.total_story_points,
    is_contact_activated: p.is_contact_activated,
    is_epics_activated: p.is_epics_activated,
    is_backlog_activated: p.is_backlog_activated,
    is_kanban_activated: p.is_kanban_activated,
    is_wiki_activated: p.is_wiki_activated,
    is_issues_activated: p.is_issues_activated,
    videoconferences: p.videoconferences,
    videoconferences_extra_data: p.videoconferences_extra_data,
    creation_template: 1,
    is_private: p.is_private,
    anon_permissions: p.anon_permissions,
    public_permissions: p.public_permissions,
    is_featured: p.is_featured,
    is_looking_for_people: p.is_looking_for_people,
    looking_for_people_note: p.looking_for_people_note,
    blocked_code: null,
    archived_code: null,
    totals_updated_datetime: p.totals_updated_datetime,
    total_fans: p.fans.length,
    total_fans_last_week: p.fans.length,
    total_fans_last_month: p.fans.length,
    total_fans_last_year: p.fans.length,
    total_activity: activity,
    total_activity_last_week: activity,
    total_activity_last_month: activity,
    total_activity_last_year: activity,
    tags: p.tags,
    tags_colors: p.tags_colors,
    default_epic_status: p.default_epic_status,
    default_points: p.default_points,
    default_us_status: p.default_us_status,
    default_task_status: p.default_task_status,
    default_priority: p.default_priority,
    default_severity: p.default_severity,
    default_issue_status: p.default_issue_status,
    default_issue_type: p.default_issue_type,
    default_swimlane: p.default_swimlane,
    my_permissions: permissionsOf(state, viewer, p),
    i_am_owner: viewer !== null && p.owner === viewer.id,
    i_am_admin: isAdmin(state, viewer, p),
    i_am_member: membership !== undefined,
    notify_level: membership ? 1 : null,
    total_closed_milestones: milestones.filter((m) => m.closed).length,
    is_watcher: viewer !== null && p.watchers.includes(viewer.id),
    total_watchers: p.watchers.length,
    logo_small_url: null,
    logo_big_url: null,
    is_fan: viewer !== null && p.fans.includes(viewer.id),
    my_homepage: false,
  };
}

/** The detail shape of a project (embedded settings, roles, members, milestones). */
export function projectDetailShape(state: SandboxState, p: Project, viewer: User | null): Json {
  const out = projectListShape(state, p, viewer);
  const memberships = state.membershipsOf(p.id).filter((m) => m.user !== null);
  out.members = memberships.map((m) => {
    const u = state.users.get(m.user!)!;
    return {
      role: m.role,
      role_name: state.roles.get(m.role)?.name ?? null,
      full_name: u.full_name || u.username,
      full_name_display: u.full_name || u.username,
      is_active: u.is_active,
      id: u.id,
      color: u.color,
      username: u.username,
      photo: null,
      gravatar_id: u.gravatar_id,
    };
  });
  for (const [key, kind] of EMBEDDED_SETTINGS) {
    out[key] = state.settingsOf(kind, p.id).map((r) => settingShape(kind, r, "project_id"));
  }
  const swimlanes = state.settingsOf("swimlane", p.id);
  out.swimlanes = swimlanes.length ? swimlanes.map((r) => settingShape("swimlane", r)) : null;
  for (const kind of ["epic", "userstory", "task", "issue"] as const) {
    const attrs = [...state.customAttributes.values()]
      .filter((a) => a.project === p.id && a.kind === kind)
      .sort((a, b) => a.order - b.order || a.id - b.id);
    out[`${kind}_custom_attributes`] = attrs.length
      ? attrs.map((a) => customAttributeShape(a, "project_id"))
      : null;
  }
  out.roles = state.rolesOf(p.id).map((r) => roleShape(state, r, true));
  out.total_memberships = memberships.length;
  out.is_out_of_owner_limits = false;
  if (isAdmin(state, viewer, p)) {
    // ProjectDetailAdminSerializer: only admins get these.
    out.is_private_extra_info = { can_be_updated: true, reason: null };
    out.max_memberships = null;
    out.epics_csv_uuid = null;
    out.userstories_csv_uuid = null;
    out.tasks_csv_uuid = null;
    out.issues_csv_uuid = null;
    out.transfer_token = null;
  }
  out.milestones = [...state.milestones.values()]
    .filter((m) => m.project === p.id)
    .sort((a, b) => a.estimated_start.localeCompare(b.estimated_start))
    .map((m) => ({ id: m.id, name: m.name, slug: m.slug, closed: m.closed }));
  return out;
}
