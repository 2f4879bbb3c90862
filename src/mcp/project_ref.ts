/**
 * Projects are named by id or by slug, as a person would: `42`, `"42"` or `"acme-website"`.
 * @module
 */

import { z } from "zod";
import type { TaigaClient } from "../taiga/client.ts";
import { readOrNotFound } from "./item_ref.ts";

/** The `project` argument: an id or a slug. */
export const projectField: z.ZodUnion<readonly [z.ZodNumber, z.ZodString]> = z.union([
  z.number().int().positive(),
  z.string().trim().min(1).max(255),
]).describe('Project id (e.g. 12) or slug (e.g. "jane-website")');

/** A project's raw Taiga JSON. */
export type RawProject = Record<string, unknown> & { id: number; slug: string; name: string };

/** Fetches a project's detail by id or slug; a missing slug gets a clear not-found error. */
export async function fetchProject(
  client: TaigaClient,
  project: number | string,
  signal?: AbortSignal,
): Promise<RawProject> {
  const asNumber = typeof project === "number" ? project : Number(project);
  if (Number.isInteger(asNumber) && asNumber > 0) {
    return await client.get<RawProject>(`projects/${asNumber}`, undefined, signal);
  }
  return await readOrNotFound(
    () => client.get<RawProject>("projects/by_slug", { slug: String(project) }, signal),
    `No project with slug "${project}" (or you cannot see it). Call list_projects to see the slugs you can use.`,
  );
}
