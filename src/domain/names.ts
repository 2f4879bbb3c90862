/**
 * Names → ids, the way a person says them: statuses, priorities, severities, types and points by
 * name (case-insensitive), people by username, email, id or "me", sprints by name or "backlog".
 * Unknown names fail with the list of valid ones ({@link UnknownNameError}), after one retry
 * with fresh metadata ({@link withMetadata}). Items by id, `#ref` or URL: see taiga/reads.ts.
 * @module
 */

import type { Session } from "../sessions/store.ts";
import { InputError, UnknownNameError } from "../taiga/errors.ts";
import { type ItemKind, KINDS } from "../taiga/kinds.ts";
import type { ProjectMetadata } from "./metadata.ts";
import type { MetadataCache } from "./metadata_cache.ts";

/** What domain work needs from its caller: the metadata cache and the caller's cancellation. */
export interface WorkContext {
  /** Project metadata per session. */
  readonly metadata: MetadataCache;
  /** Aborts when the caller gives up. */
  readonly signal?: AbortSignal;
}

/** Anything with an id and a name (statuses, priorities, roles, sprints...). */
export interface Named {
  /** Taiga id. */
  id: number;
  /** Display name. */
  name: string;
  /** Optional slug, also accepted. */
  slug?: string;
}

/** How people write the same name: case, dashes, underscores and runs of spaces do not matter. */
export function normaliseName(text: string): string {
  return text.trim().toLowerCase().replace(/[\s_-]+/g, " ");
}

/**
 * Finds `value` in `list` by name (case-insensitive, also slug), else by id (a number or a string of
 * digits). Throws an {@link UnknownNameError} listing the valid names when nothing matches.
 */
export function resolveNamed<T extends Named>(
  list: readonly T[],
  value: string | number,
  what: string,
): T {
  if (typeof value === "string") {
    const wanted = normaliseName(value);
    const byName = list.find((item) =>
      normaliseName(item.name) === wanted || (item.slug !== undefined && item.slug === value.trim())
    );
    if (byName) return byName;
  }
  const id = typeof value === "number" ? value : /^\s*\d+\s*$/.test(value) ? Number(value) : NaN;
  const byId = Number.isInteger(id) ? list.find((item) => item.id === id) : undefined;
  if (byId) return byId;
  throw new UnknownNameError(what, value, list.map((item) => item.name));
}

/** The id of the `kind` status named `value` (name or id). */
export function resolveStatus(
  meta: ProjectMetadata,
  kind: ItemKind,
  value: string | number,
): number {
  return resolveNamed(meta.statuses[kind], value, `${KINDS[kind].label} status`).id;
}

const ME = new Set(["me", "myself", "i", "@me"]);
const NOBODY = new Set(["none", "nobody", "unassigned", "null", ""]);

interface RawMembership {
  user: number | null;
  email?: string | null;
  user_email?: string | null;
}

/**
 * The user id of a project member named by `"me"`, username (with or without `@`), email, full name
 * or id. Emails need `GET memberships?project=` (only project admins see them).
 */
export async function resolveUser(
  session: Session,
  meta: ProjectMetadata,
  value: string | number,
  signal?: AbortSignal,
): Promise<number> {
  const members = meta.members;
  const valid = (): string[] => [
    "me",
    ...members.map((member) => member.username),
  ];
  if (typeof value === "number" || /^\s*\d+\s*$/.test(value)) {
    const id = Number(value);
    if (members.length === 0 || members.some((member) => member.id === id)) return id;
    throw new UnknownNameError("user", value, valid());
  }
  const text = value.trim();
  if (ME.has(text.toLowerCase())) return session.user.id;
  const handle = text.replace(/^@/, "").toLowerCase();
  const byUsername = members.find((member) => member.username.toLowerCase() === handle);
  if (byUsername) return byUsername.id;
  if (text.includes("@") && !text.startsWith("@")) {
    const memberships = await session.client.get<RawMembership[]>(
      "memberships",
      { project: meta.id, page_size: 1000 },
      signal,
    );
    const email = text.toLowerCase();
    const hit = (Array.isArray(memberships) ? memberships : []).find((membership) =>
      [membership.user_email, membership.email].some((candidate) =>
        typeof candidate === "string" && candidate.toLowerCase() === email
      )
    );
    if (hit?.user) return hit.user;
    throw new InputError(
      hit
        ? `${text} has been invited to the project but has not joined yet, so cannot be assigned.`
        : `No member of ${meta.slug} has the email ${text} (only project admins can see emails). Use a username: ${
          valid().join(", ")
        }.`,
      { argument: "user", unknown: text, valid: valid() },
    );
  }
  const byFullName = members.filter((member) =>
    normaliseName(member.full_name) === normaliseName(text)
  );
  if (byFullName.length === 1) return byFullName[0].id;
  throw new UnknownNameError("user", value, valid());
}

/** Like {@link resolveUser}, but "none"/"nobody"/null mean "no one" (null). */
export async function resolveAssignee(
  session: Session,
  meta: ProjectMetadata,
  value: string | number | null,
  signal?: AbortSignal,
): Promise<number | null> {
  if (value === null || (typeof value === "string" && NOBODY.has(value.trim().toLowerCase()))) {
    return null;
  }
  return await resolveUser(session, meta, value, signal);
}

const BACKLOG = new Set(["backlog", "none", "no sprint", "null", ""]);

/** The sprint (milestone) id named by `value` (name, slug or id); "backlog"/"none"/null → null. */
export function resolveSprint(meta: ProjectMetadata, value: string | number | null): number | null {
  if (value === null) return null;
  if (typeof value === "string" && BACKLOG.has(normaliseName(value))) return null;
  return resolveNamed(meta.sprints, value, "sprint").id;
}

/**
 * Story points per role, by role name and points name or value — `{"Back": "5", "Front": 3}` →
 * `{"<roleId>": <pointsId>}`. Only roles that estimate (computable) are accepted.
 */
export function resolvePoints(
  meta: ProjectMetadata,
  points: Record<string, string | number>,
): Record<string, number> {
  const roles = meta.roles.filter((role) => role.computable !== false);
  const result: Record<string, number> = {};
  for (const [roleName, wanted] of Object.entries(points)) {
    const role = resolveNamed(roles, roleName, "role");
    // Points are named by name ("1/2", "?") or value (0.5, 3) — never by id, which would
    // silently pick a different estimate ("4" is not the points with id 4).
    const text = String(wanted).trim();
    const value = Number(text);
    const match = meta.points.find((point) => normaliseName(point.name) === normaliseName(text)) ??
      (text !== "" && Number.isFinite(value)
        ? meta.points.find((point) => point.value === value)
        : undefined);
    if (!match) {
      throw new UnknownNameError(
        "points",
        wanted,
        meta.points.map((point) => point.name),
      );
    }
    result[String(role.id)] = match.id;
  }
  return result;
}

/**
 * Runs `work` with the project's metadata as `session` sees it. When `work` fails on a name the
 * metadata does not know, the metadata may just be stale (someone added a sprint or a member a
 * moment ago), so it is fetched fresh and `work` runs once more. No other failure is retried.
 */
export async function withMetadata<T>(
  ctx: WorkContext,
  session: Session,
  project: number | string,
  work: (meta: ProjectMetadata) => Promise<T>,
): Promise<T> {
  const meta = await ctx.metadata.get(session, project, ctx.signal);
  try {
    return await work(meta);
  } catch (error) {
    if (!(error instanceof UnknownNameError)) throw error;
    ctx.metadata.invalidate(session, meta.id);
    const fresh = await ctx.metadata.get(session, project, ctx.signal);
    return await work(fresh);
  }
}
