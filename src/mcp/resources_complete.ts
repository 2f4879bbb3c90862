/**
 * Argument completion for resource templates and prompts: project slugs (the user's projects),
 * item refs (the project's items), sprint names and member usernames. Completion never fails: a
 * missing login or an unknown project simply offers nothing.
 * @module
 */

import type { Session } from "../sessions/store.ts";
import { fetchAll } from "../taiga/pagination.ts";
import type { ServerDeps } from "./deps.ts";
import type { ProjectMetadata } from "./metadata.ts";
import { ALL_ITEMS_CAP } from "./listing.ts";
import { defaultSession, gather, gatherMyProjects } from "./resources_support.ts";

/** How long completion candidates are reused: a client asks again on every keystroke. */
export const COMPLETION_TTL_MS = 15_000;

const MAX_ENTRIES = 200;

interface Entry {
  at: number;
  values: Promise<string[]>;
}

/** Candidate lists per session and question, kept briefly. */
class CandidateCache {
  readonly #entries = new Map<string, Entry>();

  async get(key: string, load: () => Promise<string[]>): Promise<string[]> {
    const now = Date.now();
    const hit = this.#entries.get(key);
    if (hit && now - hit.at < COMPLETION_TTL_MS) return await hit.values;
    if (this.#entries.size >= MAX_ENTRIES) {
      for (const [old, entry] of this.#entries) {
        if (now - entry.at >= COMPLETION_TTL_MS) this.#entries.delete(old);
      }
      if (this.#entries.size >= MAX_ENTRIES) this.#entries.clear();
    }
    const values = load();
    this.#entries.set(key, { at: now, values });
    try {
      return await values;
    } catch (error) {
      this.#entries.delete(key);
      throw error;
    }
  }
}

const caches = new WeakMap<ServerDeps, CandidateCache>();

function cacheOf(deps: ServerDeps): CandidateCache {
  let cache = caches.get(deps);
  if (!cache) {
    cache = new CandidateCache();
    caches.set(deps, cache);
  }
  return cache;
}

/**
 * The candidates matching what was typed: prefix matches first, then the ones that contain it
 * (case-insensitive), without duplicates. The SDK sends the first 100 and reports the total.
 */
export function matchTyped(candidates: readonly string[], typed: string): string[] {
  const needle = typed.trim().replace(/^#/, "").toLowerCase();
  const prefix: string[] = [];
  const inside: string[] = [];
  for (const candidate of new Set(candidates)) {
    const lower = candidate.toLowerCase();
    if (lower.startsWith(needle)) prefix.push(candidate);
    else if (needle !== "" && lower.includes(needle)) inside.push(candidate);
  }
  return [...prefix, ...inside];
}

/** Runs a completion, offering nothing (and logging why at debug level) when it fails. */
async function safely(
  deps: ServerDeps,
  what: string,
  work: () => Promise<string[]>,
): Promise<string[]> {
  try {
    return await work();
  } catch (error) {
    deps.log.debug(`no completion for ${what}`, {
      error: error instanceof Error ? error.message : String(error),
    });
    return [];
  }
}

/**
 * Runs a completion within `project` (see {@link safely}): `work` gets the connection's default
 * session and the project's metadata. Without a project it offers `none`.
 */
async function inProject(
  deps: ServerDeps,
  owner: string | undefined,
  project: string | undefined,
  what: string,
  work: (session: Session, meta: ProjectMetadata) => string[] | Promise<string[]>,
  none: string[] = [],
): Promise<string[]> {
  if (!project) return none;
  return await safely(deps, what, async () => {
    const session = await defaultSession(deps, owner);
    const meta = await deps.metadata.get(session, project);
    return await work(session, meta);
  });
}

/** Slugs of the projects the session's user is a member of. */
async function projectSlugs(session: Session): Promise<string[]> {
  const listed = await gatherMyProjects(session);
  return listed.items.map((project) => String(project.slug ?? "")).filter((slug) => slug !== "");
}

/** Completes a project argument from the slugs of the user's projects. */
export async function completeProject(
  deps: ServerDeps,
  owner: string | undefined,
  typed: string,
): Promise<string[]> {
  return await safely(deps, "project", async () => {
    const session = await defaultSession(deps, owner);
    const slugs = await cacheOf(deps).get(
      `${session.id}:projects`,
      () => projectSlugs(session),
    );
    return matchTyped(slugs, typed);
  });
}

/**
 * Completes an item ref of `path` (`userstories`, `tasks`, `issues`, `epics`) in `project`,
 * newest first.
 */
export async function completeRef(
  deps: ServerDeps,
  owner: string | undefined,
  path: string,
  project: string | undefined,
  typed: string,
): Promise<string[]> {
  return await inProject(deps, owner, project, `${path} ref`, async (session, meta) => {
    const refs = await cacheOf(deps).get(`${session.id}:${meta.id}:${path}`, async () => {
      const listed = await fetchAll<{ ref?: number }>(session.client, path, { project: meta.id }, {
        maxItems: ALL_ITEMS_CAP,
      });
      return listed.items
        .map((item) => Number(item.ref))
        .filter((ref) => Number.isInteger(ref))
        .sort((a, b) => b - a)
        .map(String);
    });
    return matchTyped(refs, typed);
  });
}

/** Completes a sprint argument from the project's sprint names, open sprints first. */
export async function completeSprint(
  deps: ServerDeps,
  owner: string | undefined,
  project: string | undefined,
  typed: string,
): Promise<string[]> {
  return await inProject(deps, owner, project, "sprint", (_session, meta) => {
    const ordered = [
      ...meta.sprints.filter((s) => !s.closed),
      ...meta.sprints.filter((s) => s.closed),
    ];
    return matchTyped(ordered.map((sprint) => sprint.name), typed);
  });
}

/** Completes a user argument: "me", then the project's members by username. */
export async function completeUser(
  deps: ServerDeps,
  owner: string | undefined,
  project: string | undefined,
  typed: string,
): Promise<string[]> {
  return await inProject(
    deps,
    owner,
    project,
    "user",
    (_session, meta) => matchTyped(["me", ...meta.members.map((member) => member.username)], typed),
    matchTyped(["me"], typed),
  );
}

/** Completes a wiki page slug of `project`. */
export async function completeWikiSlug(
  deps: ServerDeps,
  owner: string | undefined,
  project: string | undefined,
  typed: string,
): Promise<string[]> {
  return await inProject(deps, owner, project, "wiki slug", async (session, meta) => {
    const slugs = await cacheOf(deps).get(`${session.id}:${meta.id}:wiki`, async () => {
      const listed = await gather(session, "wiki", { project: meta.id });
      return listed.items.map((page) => String(page.slug ?? "")).filter((slug) => slug !== "");
    });
    return matchTyped(slugs, typed);
  });
}
