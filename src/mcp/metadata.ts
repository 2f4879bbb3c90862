/**
 * Per-session project metadata (statuses, points, priorities, severities, types, roles, members,
 * sprints, tags, custom attributes) from one `GET projects/{id}`, cached briefly and dropped by our
 * own writes, so names can be turned into ids without a request per argument.
 * @module
 */

import type { Session } from "../sessions/store.ts";
import { fetchProject, type RawProject } from "./project_ref.ts";

/** How long metadata is trusted (ms). Short: other people edit projects too. */
export const METADATA_TTL_MS = 60_000;

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

/** Item kinds that have statuses. */
export type StatusKind = "epic" | "userstory" | "task" | "issue";

/** Everything a model needs to speak about a project by name. */
export interface ProjectMetadata {
  /** Project id. */
  id: number;
  /** Project slug. */
  slug: string;
  /** Project name. */
  name: string;
  /** Statuses per kind. */
  statuses: Record<StatusKind, NamedValue[]>;
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
  customAttributes: Record<StatusKind, Array<{ id: number; name: string; type?: string }>>;
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

function attributes(list: unknown): Array<{ id: number; name: string; type?: string }> {
  if (!Array.isArray(list)) return [];
  return (list as Raw[]).map((item) => ({
    id: Number(item.id),
    name: String(item.name),
    ...(item.type ? { type: String(item.type) } : {}),
  }));
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
    statuses: {
      epic: named(raw.epic_statuses),
      userstory: named(raw.us_statuses),
      task: named(raw.task_statuses),
      issue: named(raw.issue_statuses),
    },
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
    customAttributes: {
      epic: attributes(raw.epic_custom_attributes),
      userstory: attributes(raw.userstory_custom_attributes),
      task: attributes(raw.task_custom_attributes),
      issue: attributes(raw.issue_custom_attributes),
    },
    modules: Object.fromEntries(
      ["epics", "backlog", "kanban", "issues", "wiki"].map((
        m,
      ) => [m, raw[`is_${m}_activated`] === true]),
    ),
  };
}

interface Entry {
  at: number;
  value: Promise<ProjectMetadata>;
  projectId?: number;
}

/** Per-session cache of project metadata, keyed by project id and by slug. */
export class MetadataCache {
  readonly #entries = new Map<string, Entry>();
  readonly #now: () => number;

  /** `now` is injectable for tests. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Metadata of `project` (id or slug) as `session` sees it; fetched at most once per TTL. */
  async get(
    session: Session,
    project: number | string,
    signal?: AbortSignal,
  ): Promise<ProjectMetadata> {
    const key = `${session.id}:${String(project).toLowerCase()}`;
    const hit = this.#entries.get(key);
    if (hit && this.#now() - hit.at < METADATA_TTL_MS) return await hit.value;
    const value = fetchProject(session.client, project, signal).then(metadataFromProject);
    this.#entries.set(key, { at: this.#now(), value });
    try {
      const metadata = await value;
      const entry: Entry = { at: this.#now(), value, projectId: metadata.id };
      this.#entries.set(key, entry);
      this.#entries.set(`${session.id}:${metadata.id}`, entry);
      this.#entries.set(`${session.id}:${metadata.slug.toLowerCase()}`, entry);
      return metadata;
    } catch (error) {
      this.#entries.delete(key);
      throw error;
    }
  }

  /** Forgets a project's metadata for every session (after our own writes). */
  invalidate(projectId: number): void {
    for (const [key, entry] of this.#entries) {
      if (entry.projectId === undefined || entry.projectId === projectId) this.#entries.delete(key);
    }
  }
}
