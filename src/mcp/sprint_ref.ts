/**
 * Sprints (milestones) are named as a person would: by id, or by name or slug within a project.
 * Shared by the sprint tools and anything else that takes a sprint argument.
 * @module
 */

import { z } from "zod";
import { projectField } from "./project_ref.ts";
import { resolveSprint, withMetadata } from "./resolve.ts";
import { noSuchMessage, readOrNotFound } from "./item_ref.ts";
import { inputError, type ToolContext } from "./tool.ts";
import type { Session } from "../sessions/store.ts";

type Raw = Record<string, unknown>;

/** The `sprint` argument: an id, or a name (with `project`). */
export const sprintField: z.ZodUnion<readonly [z.ZodNumber, z.ZodString]> = z.union([
  z.number().int().positive(),
  z.string().trim().min(1).max(200),
]).describe('Sprint id (e.g. 7) or name (e.g. "Sprint 3", needs project)');

/** The optional `project` argument of tools that name a sprint. */
export const sprintProjectField: z.ZodOptional<typeof projectField> = projectField.optional()
  .describe('Project id or slug; required when the sprint is given by name (e.g. "jane-website")');

/** The milestone id named by `sprint` (id, or name/slug within `project`). */
export async function resolveSprintId(
  session: Session,
  ctx: ToolContext,
  sprint: number | string,
  project: number | string | undefined,
): Promise<number> {
  if (project === undefined) {
    if (typeof sprint === "number") return sprint;
    if (/^\d+$/.test(sprint)) return Number(sprint);
    throw inputError(`Pass project too: the sprint "${sprint}" is given by name.`, {
      argument: "project",
    });
  }
  const id = await withMetadata(ctx, session, project, (meta) => {
    const found = resolveSprint(meta, sprint);
    if (found === null) {
      throw inputError(
        `"${sprint}" means the backlog, not a sprint. Name a sprint: ${
          meta.sprints.map((s) => s.name).join(", ") || "(this project has none)"
        }.`,
      );
    }
    return Promise.resolve(found);
  });
  return id;
}

/** Reads a milestone; a missing one becomes a clear not-found error. */
export async function fetchSprint(session: Session, ctx: ToolContext, id: number): Promise<Raw> {
  return await readOrNotFound(
    () => session.client.get<Raw>(`milestones/${id}`, undefined, ctx.signal),
    noSuchMessage(`sprint with id ${id}`, "list_milestones"),
  );
}
