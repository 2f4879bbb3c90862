/**
 * Project permissions as taiga-back computes them: admins (and the owner) have all of
 * them, members those of their role, others the project's `public_permissions`
 * (authenticated) or `anon_permissions` (anonymous).
 *
 * @module
 */

import { permissionDenied } from "./http.ts";
import type { Project, SandboxState, User } from "./state.ts";

/** Permissions of the default member roles (taiga-back's project template). */
export const MEMBER_PERMISSIONS: readonly string[] = [
  "add_issue",
  "modify_issue",
  "delete_issue",
  "view_issues",
  "add_milestone",
  "modify_milestone",
  "delete_milestone",
  "view_milestones",
  "view_project",
  "add_task",
  "modify_task",
  "delete_task",
  "view_tasks",
  "add_us",
  "modify_us",
  "delete_us",
  "view_us",
  "add_wiki_page",
  "modify_wiki_page",
  "delete_wiki_page",
  "view_wiki_pages",
  "add_wiki_link",
  "delete_wiki_link",
  "view_wiki_links",
  "view_epics",
  "add_epic",
  "modify_epic",
  "delete_epic",
  "comment_epic",
  "comment_us",
  "comment_task",
  "comment_issue",
  "comment_wiki_page",
];

/** Permissions of the template's Stakeholder role. */
export const STAKEHOLDER_PERMISSIONS: readonly string[] = [
  "add_issue",
  "modify_issue",
  "delete_issue",
  "view_issues",
  "view_milestones",
  "view_project",
  "view_tasks",
  "view_us",
  "modify_wiki_page",
  "view_wiki_pages",
  "add_wiki_link",
  "delete_wiki_link",
  "view_wiki_links",
  "view_epics",
  "comment_epic",
  "comment_us",
  "comment_task",
  "comment_issue",
  "comment_wiki_page",
];

/** What only admins have on top of the member permissions. */
export const ADMIN_ONLY_PERMISSIONS: readonly string[] = [
  "admin_roles",
  "add_member",
  "remove_member",
  "delete_project",
  "admin_project_values",
  "modify_project",
  "modify_wiki_link",
];

/** Anonymous / public permissions of a public project. */
export const PUBLIC_VIEW_PERMISSIONS: readonly string[] = [
  "view_project",
  "view_milestones",
  "view_epics",
  "view_us",
  "view_tasks",
  "view_issues",
  "view_wiki_pages",
  "view_wiki_links",
];

/** Every permission of a project admin, in the order Taiga lists `my_permissions`. */
export const ADMIN_PERMISSIONS: readonly string[] = [
  ...new Set([...ADMIN_ONLY_PERMISSIONS, ...MEMBER_PERMISSIONS]),
];

/** The permissions a user (or anonymous caller) has on a project. */
export function permissionsOf(state: SandboxState, user: User | null, project: Project): string[] {
  if (!user) return project.anon_permissions;
  const membership = state.membershipOf(user.id, project.id);
  if (project.owner === user.id || membership?.is_admin) return [...ADMIN_PERMISSIONS];
  if (membership) {
    const role = state.roles.get(membership.role);
    return [...new Set([...(role?.permissions ?? []), ...project.public_permissions])];
  }
  return project.public_permissions;
}

/** Whether the user has `perm` on the project. */
export function can(
  state: SandboxState,
  user: User | null,
  project: Project,
  perm: string,
): boolean {
  return permissionsOf(state, user, project).includes(perm);
}

/** Throws 401 (anonymous) or 403 (authenticated) unless the user has `perm`. */
export function requirePerm(
  state: SandboxState,
  user: User | null,
  project: Project,
  perm: string,
): void {
  if (!can(state, user, project, perm)) throw permissionDenied(user);
}

/** Whether the user is an admin (or the owner) of the project. */
export function isAdmin(state: SandboxState, user: User | null, project: Project): boolean {
  if (!user) return false;
  return project.owner === user.id || state.membershipOf(user.id, project.id)?.is_admin === true;
}

/** Throws unless the user is a project admin. */
export function requireAdmin(state: SandboxState, user: User | null, project: Project): void {
  if (!isAdmin(state, user, project)) throw permissionDenied(user);
}
