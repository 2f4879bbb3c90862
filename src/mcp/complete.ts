/**
 * Argument completion for resource templates and prompts: project slugs (the user's projects),
 * item refs (the project's items), sprint names and member usernames. Completion never fails: a
 * missing login or an unknown project simply offers nothing.
 * @module
 */

import { gather, gatherMyProjects } from "../domain/gather.ts";
import type { ProjectMetadata } from "../domain/metadata.ts";
import type { Session } from "../sessions/store.ts";
import { fetchAll } from "../taiga/pagination.ts";
import type { RequestContext } from "./context.ts";

/** Most refs offered from one project (newest first). */
const REF_CAP = 10_000;

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
  ctx: RequestContext,
  what: string,
  work: () => Promise<string[]>,
): Promise<string[]> {
  try {
    return await work();
  } catch (error) {
    ctx.deps.log.debug(`no completion for ${what}`, {
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
  ctx: RequestContext,
  project: string | undefined,
  what: string,
  work: (session: Session, meta: ProjectMetadata) => string[] | Promise<string[]>,
  none: string[] = [],
): Promise<string[]> {
  if (!project) return none;
  return await safely(ctx, what, async () => {
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, project, ctx.signal);
    return await work(session, meta);
  });
}

/** Slugs of the projects the session's user is a member of. */
async function projectSlugs(session: Session): Promise<string[]> {
  const listed = await gatherMyProjects(session);
  return listed.items.map((project) => String(project.slug ?? "")).filter((slug) => slug !== "");
}

/** Completes a project argument from the slugs of the user's projects. */
export async function completeProject(ctx: RequestContext, typed: string): Promise<string[]> {
  return await safely(ctx, "project", async () => {
    const session = await ctx.session();
    const slugs = await ctx.deps.completions.get(
      session.id,
      "projects",
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
  ctx: RequestContext,
  path: string,
  project: string | undefined,
  typed: string,
): Promise<string[]> {
  return await inProject(ctx, project, `${path} ref`, async (session, meta) => {
    const refs = await ctx.deps.completions.get(session.id, `${meta.id}:${path}`, async () => {
      const listed = await fetchAll<{ ref?: number }>(session.client, path, { project: meta.id }, {
        maxItems: REF_CAP,
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
  ctx: RequestContext,
  project: string | undefined,
  typed: string,
): Promise<string[]> {
  return await inProject(ctx, project, "sprint", (_session, meta) => {
    const ordered = [
      ...meta.sprints.filter((s) => !s.closed),
      ...meta.sprints.filter((s) => s.closed),
    ];
    return matchTyped(ordered.map((sprint) => sprint.name), typed);
  });
}

/** Completes a user argument: "me", then the project's members by username. */
export async function completeUser(
  ctx: RequestContext,
  project: string | undefined,
  typed: string,
): Promise<string[]> {
  return await inProject(
    ctx,
    project,
    "user",
    (_session, meta) => matchTyped(["me", ...meta.members.map((member) => member.username)], typed),
    matchTyped(["me"], typed),
  );
}

/** Completes a wiki page slug of `project`. */
export async function completeWikiSlug(
  ctx: RequestContext,
  project: string | undefined,
  typed: string,
): Promise<string[]> {
  return await inProject(ctx, project, "wiki slug", async (session, meta) => {
    const slugs = await ctx.deps.completions.get(session.id, `${meta.id}:wiki`, async () => {
      const listed = await gather(session, "wiki", { project: meta.id });
      return listed.items.map((page) => String(page.slug ?? "")).filter((slug) => slug !== "");
    });
    return matchTyped(slugs, typed);
  });
}
