/**
 * Names → ids, the way a person says them: statuses, priorities, severities, types and points by
 * name (case-insensitive), people by username, email, id or "me", sprints by name or "backlog",
 * items by id, `#ref` or Taiga URL. Unknown names fail with the list of valid ones.
 *
 * Stable API (other tool files import it): {@link resolveNamed}, {@link resolveStatus},
 * {@link resolveUser}, {@link resolveAssignee}, {@link resolveSprint}, {@link resolvePoints},
 * {@link parseRef}, {@link resolveItemRef}, {@link resolveItemRefs}, {@link fetchItem}, {@link withMetadata},
 * {@link readOrNotFound}, {@link noSuchMessage}.
 * @module
 */

import type { Session } from "../sessions/store.ts";
import type { QueryValue } from "../taiga/client.ts";
import { TaigaError } from "../taiga/errors.ts";
import { type ItemKind, KINDS } from "../taiga/kinds.ts";
import type { ProjectMetadata, StatusKind } from "./metadata.ts";
import type { ToolContext } from "./tool.ts";

/** Anything with an id and a name (statuses, priorities, roles, sprints...). */
export interface Named {
  /** Taiga id. */
  id: number;
  /** Display name. */
  name: string;
  /** Optional slug, also accepted. */
  slug?: string;
}

/** A raw Taiga work item. */
export type RawItem = Record<string, unknown> & { id: number; ref: number; version: number };

/** How people write the same name: case, dashes, underscores and runs of spaces do not matter. */
export function normaliseName(text: string): string {
  return text.trim().toLowerCase().replace(/[\s_-]+/g, " ");
}

/** The error for an unknown name: says what was asked and lists every valid name. */
export function unknownNameError(
  what: string,
  value: unknown,
  valid: readonly string[],
): TaigaError {
  const list = valid.length > 0 ? valid.join(", ") : "(none defined in this project)";
  return new TaigaError(
    "input",
    `Unknown ${what} "${String(value)}". Valid ${what} names: ${list}.`,
    { details: { argument: what, unknown: String(value), valid: [...valid] } },
  );
}

/**
 * Finds `value` in `list` by name (case-insensitive, also slug), else by id (a number or a string of
 * digits). Throws an "input" TaigaError listing the valid names when nothing matches.
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
  throw unknownNameError(what, value, list.map((item) => item.name));
}

/** The id of the `kind` status named `value` (name or id). */
export function resolveStatus(
  meta: ProjectMetadata,
  kind: StatusKind,
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
    throw unknownNameError("user", value, valid());
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
    throw new TaigaError(
      "input",
      hit
        ? `${text} has been invited to the project but has not joined yet, so cannot be assigned.`
        : `No member of ${meta.slug} has the email ${text} (only project admins can see emails). Use a username: ${
          valid().join(", ")
        }.`,
      { details: { argument: "user", unknown: text, valid: valid() } },
    );
  }
  const byFullName = members.filter((member) =>
    normaliseName(member.full_name) === normaliseName(text)
  );
  if (byFullName.length === 1) return byFullName[0].id;
  throw unknownNameError("user", value, valid());
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
    if (!match) throw unknownNameError("points", wanted, meta.points.map((point) => point.name));
    result[String(role.id)] = match.id;
  }
  return result;
}

/** An item reference as parsed from what a person wrote. */
export interface ParsedRef {
  /** Item id (a JSON number, or digits without a project). */
  id?: number;
  /** Project-wide reference number (`#12`). */
  ref?: number;
  /** Project slug, when the reference was a Taiga URL. */
  project?: string;
}

const URL_REF = /\/project\/([^/?#]+)\/(us|task|issue|epic)\/(\d+)/;

/**
 * Parses an item reference: a number is an id; `"#12"` is a ref; a Taiga URL
 * (`…/project/<slug>/us/12`) is a ref in that project; `"12"` is a ref when a project is given,
 * otherwise an id.
 */
export function parseRef(value: string | number, hasProject: boolean): ParsedRef {
  if (typeof value === "number") {
    if (Number.isInteger(value) && value > 0) return { id: value };
  } else {
    const text = value.trim();
    const url = URL_REF.exec(text);
    if (url) return { project: decodeURIComponent(url[1]), ref: Number(url[3]) };
    const hash = /^#\s*(\d+)$/.exec(text);
    if (hash) return { ref: Number(hash[1]) };
    const digits = /^(\d+)$/.exec(text);
    if (digits && Number(digits[1]) > 0) {
      return hasProject ? { ref: Number(digits[1]) } : { id: Number(digits[1]) };
    }
    const refWord = /^ref\s*[:=]?\s*(\d+)$/i.exec(text);
    if (refWord) return { ref: Number(refWord[1]) };
  }
  throw new TaigaError(
    "input",
    `"${
      String(value)
    }" is not an item reference. Use an id (e.g. 1234), a #ref with a project (e.g. "#12"), or a Taiga URL.`,
    { details: { argument: "item", value: String(value) } },
  );
}

/**
 * Runs `read`; when Taiga answers not found, throws a "not_found" TaigaError (status 404) with
 * `message`, which says what was looked for and how to find it. Any other failure passes through.
 */
export async function readOrNotFound<T>(read: () => Promise<T>, message: string): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof TaigaError && error.type === "not_found") {
      throw new TaigaError("not_found", message, { status: 404 });
    }
    throw error;
  }
}

/** The not-found message for `what` (e.g. "sprint with id 7"), naming the list tool that finds it. */
export function noSuchMessage(what: string, listTool: string): string {
  return `There is no ${what} (it may have been deleted, or you cannot see it). Use ${listTool} to find it.`;
}

function projectQuery(project: number | string): Record<string, string | number> {
  const id = typeof project === "number" ? project : Number(project);
  return Number.isInteger(id) && id > 0 ? { project: id } : { project__slug: String(project) };
}

/**
 * Reads an item by id, `#ref` or URL (see {@link parseRef}); a ref needs `project` (id or slug).
 * Not found becomes a clear "not_found" error naming what was looked for.
 */
export async function fetchItem(
  session: Session,
  kind: ItemKind,
  project: number | string | undefined,
  value: string | number,
  signal?: AbortSignal,
  extraQuery: Record<string, QueryValue> = {},
): Promise<RawItem> {
  const info = KINDS[kind];
  const parsed = parseRef(value, project !== undefined);
  const inProject = parsed.project ?? project;
  const which = parsed.id !== undefined
    ? `with id ${parsed.id}`
    : `#${parsed.ref} in project ${inProject}`;
  return await readOrNotFound(async () => {
    if (parsed.id !== undefined) {
      const item = await session.client.get<RawItem>(
        `${info.path}/${parsed.id}`,
        extraQuery,
        signal,
      );
      if (project !== undefined) assertInProject(item, project, info.label);
      return item;
    }
    if (inProject === undefined) {
      throw new TaigaError(
        "input",
        `A #ref needs the project: pass "project" (slug or id) along with ${info.label} "${value}".`,
        { details: { argument: "project" } },
      );
    }
    return await session.client.get<RawItem>(
      `${info.path}/by_ref`,
      { ref: parsed.ref, ...projectQuery(inProject), ...extraQuery },
      signal,
    );
  }, noSuchMessage(`${info.label} ${which}`, `list_${info.plural}`));
}

/**
 * Refuses an item fetched by id that lives in another project than the one the caller named: a
 * bare number is an id, and acting on another project's item by mistake must not happen.
 */
function assertInProject(item: RawItem, project: number | string, label: string): void {
  const extra = (item.project_extra_info ?? {}) as { slug?: string };
  const matches = typeof project === "number" || /^\d+$/.test(String(project))
    ? Number(project) === item.project
    : String(project).toLowerCase() === extra.slug?.toLowerCase();
  if (matches) return;
  throw new TaigaError(
    "input",
    `The ${label} with id ${item.id} belongs to project ${
      extra.slug ?? item.project
    }, not ${project}: a bare number is an item id. To name an item by its ref in ${project}, pass it as "#12".`,
    { details: { argument: "item", id: item.id, project: extra.slug ?? item.project } },
  );
}

/** The id of an item named by id, `#ref` or URL; a ref costs one `by_ref` request. */
export async function resolveItemRef(
  session: Session,
  kind: ItemKind,
  project: number | string | undefined,
  value: string | number,
  signal?: AbortSignal,
): Promise<number> {
  const parsed = parseRef(value, project !== undefined);
  if (parsed.id !== undefined) return parsed.id;
  return (await fetchItem(session, kind, project, value, signal)).id;
}

/** The ids of several items (see {@link resolveItemRef}); refs are looked up in parallel. */
export async function resolveItemRefs(
  session: Session,
  kind: ItemKind,
  project: number | string | undefined,
  values: ReadonlyArray<string | number>,
  signal?: AbortSignal,
): Promise<number[]> {
  return await Promise.all(
    values.map((value) => resolveItemRef(session, kind, project, value, signal)),
  );
}

/**
 * Runs `work` with the project's metadata; when it fails on an unknown name, the metadata may just
 * be stale (someone added a sprint or a member a moment ago), so it is fetched fresh and `work`
 * runs once more.
 */
export async function withMetadata<T>(
  ctx: ToolContext,
  session: Session,
  project: number | string,
  work: (meta: ProjectMetadata) => Promise<T>,
): Promise<T> {
  const meta = await ctx.deps.metadata.get(session, project, ctx.signal);
  try {
    return await work(meta);
  } catch (error) {
    const unknownName = error instanceof TaigaError && error.type === "input" &&
      error.details?.valid !== undefined;
    if (!unknownName) throw error;
    ctx.deps.metadata.invalidate(meta.id);
    const fresh = await ctx.deps.metadata.get(session, project, ctx.signal);
    return await work(fresh);
  }
}
