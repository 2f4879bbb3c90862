/**
 * Project metadata (statuses, points, priorities, severities, types, roles, members, sprints,
 * tags, custom attributes) built from one `GET projects/{id}`: everything needed to speak about
 * a project by name.
 * @module
 */

import { ITEM_KINDS, type ItemKind, KINDS } from "../taiga/kinds.ts";
import type { RawProject } from "../taiga/types.ts";

/** A named value of a project (status, priority, points, ...). */
export interface NamedValue {
  /** Taiga id. */
  id: number;
  /** Display name. */
  name: string;
  /** Statuses: whether it counts as closed. */
  is_closed?: boolean;
  /** Points: numeric value (null for "?"). */
  value?: number | null;
  /** Display order. */
  order?: number;
}

/** A project member. */
export interface Member {
  /** User id. */
  id: number;
  /** Username. */
  username: string;
  /** Display name. */
  full_name: string;
  /** Role name. */
  role: string;
  /** Role id. */
  role_id: number;
}

/** A sprint (milestone) as metadata. */
export interface SprintInfo {
  /** Milestone id. */
  id: number;
  /** Sprint name. */
  name: string;
  /** Slug. */
  slug?: string;
  /** Closed sprints are done. */
  closed: boolean;
}

/** A custom attribute as a project's metadata carries it. */
export type CustomAttributeDefinition = {
  /** Taiga's id. */
  id: number;
  /** Its name, as people use it. */
  name: string;
  /** text, multiline, richtext, date, url, dropdown, checkbox or number. */
  type?: string;
  /** A dropdown's choices (Taiga's `extra`). */
  options?: string[];
};

/** Everything a model needs to speak about a project by name. */
export interface ProjectMetadata {
  /** Project id. */
  id: number;
  /** Project slug. */
  slug: string;
  /** Project name. */
  name: string;
  /** Statuses per kind. */
  statuses: Record<ItemKind, NamedValue[]>;
  /** Defaults for new items. */
  defaults: Record<string, number | null>;
  /** Story point values. */
  points: NamedValue[];
  /** Issue priorities. */
  priorities: NamedValue[];
  /** Issue severities. */
  severities: NamedValue[];
  /** Issue types. */
  issueTypes: NamedValue[];
  /** Roles (points are estimated per computable role). */
  roles: Array<NamedValue & { computable?: boolean }>;
  /** Members. */
  members: Member[];
  /** Sprints, newest first as Taiga lists them. */
  sprints: SprintInfo[];
  /** Tags in use. */
  tags: string[];
  /** Custom attribute definitions per kind. */
  customAttributes: Record<ItemKind, CustomAttributeDefinition[]>;
  /** Enabled modules. */
  modules: Record<string, boolean>;
}

type Raw = Record<string, unknown>;

function named(list: unknown): NamedValue[] {
  if (!Array.isArray(list)) return [];
  return (list as Raw[]).map((item) => ({
    id: Number(item.id),
    name: String(item.name ?? ""),
    ...(typeof item.is_closed === "boolean" ? { is_closed: item.is_closed } : {}),
    ...("value" in item ? { value: item.value as number | null } : {}),
    ...(typeof item.order === "number" ? { order: item.order } : {}),
  }));
}

function attributes(list: unknown): CustomAttributeDefinition[] {
  if (!Array.isArray(list)) return [];
  return (list as Raw[]).map((item) => ({
    id: Number(item.id),
    name: String(item.name),
    ...(item.type ? { type: String(item.type) } : {}),
    ...(Array.isArray(item.extra) ? { options: item.extra.map(String) } : {}),
  }));
}

function perKind<T>(value: (kind: ItemKind) => T): Record<ItemKind, T> {
  return Object.fromEntries(ITEM_KINDS.map((kind) => [kind, value(kind)])) as Record<
    ItemKind,
    T
  >;
}

/** Builds the metadata from a project's detail JSON. */
export function metadataFromProject(project: RawProject): ProjectMetadata {
  const raw = project as Raw;
  const roles = Array.isArray(raw.roles) ? raw.roles as Raw[] : [];
  const roleName = new Map(roles.map((role) => [Number(role.id), String(role.name)]));
  const members = (Array.isArray(raw.members) ? raw.members as Raw[] : [])
    .filter((member) => typeof member === "object" && member !== null)
    .map((member) => ({
      id: Number(member.id),
      username: String(member.username ?? ""),
      full_name: String(member.full_name_display ?? member.full_name ?? ""),
      role: String(member.role_name ?? roleName.get(Number(member.role)) ?? ""),
      role_id: Number(member.role),
    }));
  const sprints = (Array.isArray(raw.milestones) ? raw.milestones as Raw[] : []).map((m) => ({
    id: Number(m.id),
    name: String(m.name),
    ...(m.slug ? { slug: String(m.slug) } : {}),
    closed: Boolean(m.closed),
  }));
  const defaults: Record<string, number | null> = {};
  for (const [key, value] of Object.entries(raw)) {
    if (key.startsWith("default_")) defaults[key.slice(8)] = (value as number | null) ?? null;
  }
  const tagsColors = raw.tags_colors && typeof raw.tags_colors === "object"
    ? Object.keys(raw.tags_colors as Raw)
    : [];
  const tags = Array.isArray(raw.tags) ? (raw.tags as unknown[]).map(String) : [];
  return {
    id: project.id,
    slug: project.slug,
    name: project.name,
    statuses: perKind((kind) => named(raw[KINDS[kind].metadataKeys.statuses])),
    defaults,
    points: named(raw.points),
    priorities: named(raw.priorities),
    severities: named(raw.severities),
    issueTypes: named(raw.issue_types),
    roles: roles.map((role) => ({
      id: Number(role.id),
      name: String(role.name),
      computable: role.computable as boolean | undefined,
    })),
    members,
    sprints,
    tags: [...new Set([...tags, ...tagsColors])],
    customAttributes: perKind((kind) => attributes(raw[KINDS[kind].metadataKeys.customAttributes])),
    modules: Object.fromEntries(
      ["epics", "backlog", "kanban", "issues", "wiki"].map((
        m,
      ) => [m, raw[`is_${m}_activated`] === true]),
    ),
  };
}
