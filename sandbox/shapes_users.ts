/**
 * JSON shapes of users: the basic `*_extra_info` form, Taiga's public `UserSerializer` and
 * the `UserAdminSerializer` of `/users/me`.
 *
 * @module
 */

import type { SandboxState, User } from "./state.ts";

type Json = Record<string, unknown>;

/** `*_extra_info` / project owner: the basic user shape. */
export function userBasic(state: SandboxState, id: number | null): Json | null {
  const u = id === null ? undefined : state.users.get(id);
  if (!u) return null;
  return {
    username: u.username,
    full_name_display: u.full_name || u.username,
    photo: null,
    big_photo: null,
    gravatar_id: u.gravatar_id,
    is_active: u.is_active,
    id: u.id,
  };
}

function roleNames(state: SandboxState, user: User): string[] {
  const names = new Set<string>();
  for (const m of state.memberships.values()) {
    if (m.user === user.id) {
      const role = state.roles.get(m.role);
      if (role) names.add(role.name);
    }
  }
  return [...names];
}

/** Taiga's public `UserSerializer`. */
export function userPublic(state: SandboxState, u: User): Json {
  return {
    id: u.id,
    username: u.username,
    full_name: u.full_name,
    full_name_display: u.full_name || u.username,
    color: u.color,
    bio: u.bio,
    lang: u.lang,
    theme: u.theme,
    timezone: u.timezone,
    is_active: u.is_active,
    photo: null,
    big_photo: null,
    gravatar_id: u.gravatar_id,
    roles: roleNames(state, u),
  };
}

/** `UserAdminSerializer`: `/users/me` and the login body (without the tokens). */
export function userAdmin(state: SandboxState, u: User): Json {
  const owned = [...state.projects.values()].filter((p) => p.owner === u.id);
  return {
    ...userPublic(state, u),
    total_private_projects: owned.filter((p) => p.is_private).length,
    total_public_projects: owned.filter((p) => !p.is_private).length,
    email: u.email,
    uuid: u.uuid,
    date_joined: u.date_joined,
    read_new_terms: u.read_new_terms,
    accepted_terms: u.accepted_terms,
    max_private_projects: null,
    max_public_projects: null,
    max_memberships_private_projects: null,
    max_memberships_public_projects: null,
    verified_email: u.verified_email,
  };
}
