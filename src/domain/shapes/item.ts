/**
 * Compact projections of Taiga work items (epics, stories, tasks, issues): the fields a model
 * needs, names instead of ids, nothing empty — a small fraction of Taiga's JSON.
 * @module
 */

import { lazy } from "../lazy.ts";
import { z } from "zod";
import { type CompactField, type ItemKind, type KindInfo, KINDS } from "../../taiga/kinds.ts";
import type { ProjectMetadata } from "../metadata.ts";

type Raw = Record<string, unknown>;

/** Output schema of a compact item (open: kind-specific fields are added). */
export const compactItemSchema = lazy(() =>
  z.looseObject({
    id: z.number(),
    ref: z.number(),
    subject: z.string(),
    status: z.string().optional(),
    closed: z.boolean().optional(),
    assigned_to: z.string().optional(),
    assigned_users: z.array(z.string()).optional(),
    sprint: z.string().optional(),
    points: z.number().optional(),
    tags: z.array(z.string()).optional(),
    version: z.number(),
    created: z.string().optional(),
    modified: z.string().optional(),
    project: z.string().optional(),
  })
);

/** A compact item. */
export type CompactItem = z.infer<ReturnType<typeof compactItemSchema>>;

function nameById(
  list: ReadonlyArray<{ id: number; name: string }>,
  id: unknown,
): string | undefined {
  if (typeof id !== "number") return undefined;
  return list.find((entry) => entry.id === id)?.name;
}

function extraName(raw: Raw, key: string, field: string): string | undefined {
  const extra = raw[`${key}_extra_info`];
  if (extra && typeof extra === "object") {
    const value = (extra as Raw)[field];
    if (typeof value === "string") return value;
  }
  return undefined;
}

/** Username of a user id, from the item's extra info or the project's members. */
function username(raw: Raw, key: string, meta: ProjectMetadata | undefined): string | undefined {
  const id = raw[key];
  if (typeof id !== "number") return undefined;
  return extraName(raw, key, "username") ??
    meta?.members.find((member) => member.id === id)?.username ?? `user ${id}`;
}

/** Tag names from Taiga's `[[name, color], ...]` (or plain names). */
export function tagNames(tags: unknown): string[] {
  if (!Array.isArray(tags)) return [];
  return tags.map((tag) => Array.isArray(tag) ? String(tag[0]) : String(tag));
}

function sprintName(raw: Raw, meta: ProjectMetadata | undefined): string | undefined {
  if (typeof raw.milestone_name === "string") return raw.milestone_name;
  const id = raw.milestone;
  if (typeof id !== "number") return undefined;
  return nameById(meta?.sprints ?? [], id) ??
    (typeof raw.milestone_slug === "string" ? raw.milestone_slug : `sprint ${id}`);
}

function day(value: unknown): string | undefined {
  return typeof value === "string" && value !== "" ? value : undefined;
}

function prune(record: Record<string, unknown>): Record<string, unknown> {
  for (const [key, value] of Object.entries(record)) {
    if (
      value === undefined || value === null || value === false ||
      (Array.isArray(value) && value.length === 0)
    ) delete record[key];
  }
  return record;
}

type Extract = (raw: Raw, meta: ProjectMetadata | undefined, info: KindInfo) => unknown;

/** How each kind-specific compact field is read; which kinds have which is in the kind table. */
const COMPACT_FIELDS: Readonly<Record<CompactField, Extract>> = {
  assigned_users: (raw, meta) => {
    const ids = Array.isArray(raw.assigned_users) ? raw.assigned_users as number[] : [];
    const others = ids.filter((id) => id !== raw.assigned_to);
    return others.length > 0
      ? ids.map((id) => username({ u: id }, "u", meta) ?? String(id))
      : undefined;
  },
  points: (raw) => typeof raw.total_points === "number" ? raw.total_points : undefined,
  due: (raw) => day(raw.due_date),
  finished: (raw, _meta, info) => info.finishedField && day(raw[info.finishedField]),
  blocked: (raw) => raw.is_blocked === true,
  user_story: (raw) => {
    const story = raw.user_story_extra_info as Raw | null | undefined;
    if (story && typeof story.ref === "number") return `#${story.ref}`;
    return typeof raw.user_story === "number" ? `id ${raw.user_story}` : undefined;
  },
  iocaine: (raw) => raw.is_iocaine === true,
  type: (raw, meta) => nameById(meta?.issueTypes ?? [], raw.type),
  priority: (raw, meta) => nameById(meta?.priorities ?? [], raw.priority),
  severity: (raw, meta) => nameById(meta?.severities ?? [], raw.severity),
  color: (raw) => raw.color,
  stories: (raw) => {
    const counts = raw.user_stories_counts as Raw | undefined;
    return typeof counts?.total === "number" && counts.total > 0 ? counts.total : undefined;
  },
};

function kindFields(kind: ItemKind, raw: Raw, meta: ProjectMetadata | undefined): Raw {
  const info = KINDS[kind];
  return Object.fromEntries(
    info.compactFields.map((field) => [field, COMPACT_FIELDS[field](raw, meta, info)]),
  );
}

/** One item as a list row: id, ref, subject, status, people, sprint, points, tags, version, dates. */
export function compactItem(
  kind: ItemKind,
  raw: Raw,
  meta: ProjectMetadata | undefined,
): CompactItem {
  const statusName = extraName(raw, "status", "name") ??
    nameById(meta?.statuses[kind] ?? [], raw.status);
  const project = raw.project_extra_info && typeof raw.project_extra_info === "object"
    ? (raw.project_extra_info as Raw).slug
    : meta?.slug;
  return prune({
    id: raw.id,
    ref: raw.ref,
    subject: raw.subject,
    status: statusName,
    closed: raw.is_closed === true,
    assigned_to: username(raw, "assigned_to", meta),
    sprint: sprintName(raw, meta),
    ...kindFields(kind, raw, meta),
    tags: tagNames(raw.tags),
    version: raw.version,
    created: day(raw.created_date),
    modified: raw.modified_date === raw.created_date ? undefined : day(raw.modified_date),
    project,
  }) as CompactItem;
}

/** One item in full: the compact row plus description, owner, counters, and a story's epics. */
export function itemDetail(
  kind: ItemKind,
  raw: Raw,
  meta: ProjectMetadata | undefined,
): Record<string, unknown> {
  const detail: Record<string, unknown> = {
    ...compactItem(kind, raw, meta),
    description: typeof raw.description === "string" ? raw.description : "",
    owner: username(raw, "owner", meta),
    blocked_note: raw.is_blocked === true ? raw.blocked_note : undefined,
    watchers: typeof raw.total_watchers === "number" && raw.total_watchers > 0
      ? raw.total_watchers
      : undefined,
    votes: typeof raw.total_voters === "number" && raw.total_voters > 0
      ? raw.total_voters
      : undefined,
    comments: typeof raw.total_comments === "number" && raw.total_comments > 0
      ? raw.total_comments
      : undefined,
  };
  if (kind === "userstory") {
    const epics = Array.isArray(raw.epics) ? raw.epics as Raw[] : [];
    detail.epics = epics.length > 0
      ? epics.map((epic) => ({ id: epic.id, ref: epic.ref, subject: epic.subject }))
      : undefined;
    detail.points_by_role = pointsByRole(raw.points, meta);
  }
  return prune(detail);
}

/** Story points per role name, e.g. `{"Back": "5", "Front": "?"}`. */
export function pointsByRole(
  points: unknown,
  meta: ProjectMetadata | undefined,
): Record<string, string> | undefined {
  if (!points || typeof points !== "object" || !meta) return undefined;
  const result: Record<string, string> = {};
  for (const [roleId, pointsId] of Object.entries(points as Record<string, unknown>)) {
    const role = nameById(meta.roles, Number(roleId));
    const value = nameById(meta.points, pointsId);
    if (role && value && value !== "?") result[role] = value;
  }
  return Object.keys(result).length > 0 ? result : undefined;
}

/** A task as one line under its user story. */
export function taskLine(raw: Raw): Record<string, unknown> {
  return prune({
    ref: raw.ref,
    subject: raw.subject,
    status: extraName(raw, "status", "name"),
    assigned_to: extraName(raw, "assigned_to", "username"),
    closed: raw.is_closed === true,
  });
}
