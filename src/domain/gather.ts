/**
 * Gathering whole lists for resources and prompts: every page up to a cap, with the facts needed
 * to say when it is not all — never a silent cut.
 * @module
 */

import type { Session } from "../sessions/store.ts";
import { fetchAll } from "../taiga/pagination.ts";
import type { QueryValue } from "../taiga/url.ts";
import type { ProjectMetadata } from "./metadata.ts";

/** Most items a list resource or prompt gathers before it stops and says so. */
export const GATHER_CAP = 1000;

/** The project a resource or prompt is about, as `{id, slug, name}`. */
export function projectRef(meta: ProjectMetadata): Record<string, unknown> {
  return { id: meta.id, slug: meta.slug, name: meta.name };
}

/** Raw Taiga JSON object. */
export type RawObject = Record<string, unknown>;

/** Every item of a list, up to {@link GATHER_CAP}, with the facts needed to say when it is not all. */
export interface Gathered {
  /** Raw items. */
  items: RawObject[];
  /** Items Taiga has. */
  total: number;
  /** True when the cap stopped the walk. */
  truncated: boolean;
  /** The cap that applied. */
  cap: number;
}

/** Walks every page of `path` (page size 1000) up to `cap` items (default {@link GATHER_CAP}). */
export async function gather(
  session: Session,
  path: string,
  query: Record<string, QueryValue>,
  signal?: AbortSignal,
  cap: number = GATHER_CAP,
): Promise<Gathered> {
  const result = await fetchAll<RawObject>(session.client, path, query, {
    maxItems: cap,
    signal,
  });
  return { items: result.items, total: result.total, truncated: result.truncated, cap };
}

/**
 * The paging facts of a gathered list: `total` and `returned`, plus `truncated` and a `note`
 * naming the tool to page with when the cap was hit — never a silent cut.
 */
export function gatheredFacts(
  gathered: Gathered,
  returned: number,
  tool: string,
): Record<string, unknown> {
  return {
    total: gathered.total,
    returned,
    ...(gathered.truncated
      ? {
        truncated: true,
        note:
          `Only the first ${gathered.cap} of ${gathered.total}; call ${tool} with page/limit for the rest.`,
      }
      : {}),
  };
}

/** The projects the session's user is a member of, in the user's order (up to {@link GATHER_CAP}). */
export async function gatherMyProjects(session: Session, signal?: AbortSignal): Promise<Gathered> {
  return await gather(session, "projects", {
    member: session.user.id,
    order_by: "user_order",
  }, signal);
}
