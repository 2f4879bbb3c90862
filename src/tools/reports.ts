/**
 * Reporting: project, issue, member and user statistics in one tool (`get_stats`, a `scope`
 * mode), and project health (health.ts). Everything by name: role names, usernames, status
 * names — never the ids Taiga keys its figures by.
 * @module
 */

import { z } from "zod";
import { resolveUser, withMetadata } from "../domain/names.ts";
import { openObject, projectField, verboseField } from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { Session } from "../sessions/store.ts";
import { InputError, readOrNotFound, shortValue } from "../taiga/errors.ts";
import { nameOrId } from "./items_fields.ts";
import { healthTools } from "./health.ts";
import {
  issueStatsShape,
  memberStatsShape,
  projectStatsShape,
  userStatsShape,
} from "./report_shapes.ts";

type Raw = Record<string, unknown>;

const PROJECT_SCOPES = {
  project: "stats",
  issues: "issues_stats",
  members: "member_stats",
} as const;

const ME = new Set(["me", "@me", "myself"]);

/** The id and username of the person `user` names; with a project, any name a member goes by. */
async function resolvePerson(
  ctx: RequestContext,
  session: Session,
  user: string | number | undefined,
  project: string | number | undefined,
): Promise<{ id: number; username: string }> {
  if (user === undefined || (typeof user === "string" && ME.has(user.trim().toLowerCase()))) {
    return { id: session.user.id, username: session.user.username };
  }
  if (project !== undefined) {
    return await withMetadata(ctx, session, project, async (meta) => {
      const id = await resolveUser(session, meta, user, ctx.signal);
      const member = meta.members.find((entry) => entry.id === id);
      return { id, username: member?.username ?? session.user.username };
    });
  }
  const text = String(user).trim().replace(/^@/, "");
  const byId = /^\d+$/.test(text);
  const found = await readOrNotFound(
    () =>
      byId
        ? session.client.get<Raw>(`users/${Number(text)}`, undefined, ctx.signal)
        : session.client.get<Raw>("users/by_username", { username: text }, ctx.signal),
    `No Taiga user ${byId ? "with id" : "named"} "${
      shortValue(text)
    }". Pass a username, "me", or a project to name a member by full name or email.`,
  );
  return { id: Number(found.id), username: String(found.username ?? text) };
}

const getStats = defineTool({
  name: "get_stats",
  title: "Project, issue, member or user statistics",
  description:
    'Stats by scope: "project" (points, speed, burn-up), "issues" (counts by type, status, priority, severity, person), "members" or "user". E.g. {"project":"jane-website","scope":"issues"}.',
  toolset: "reports",
  readOnly: true,
  input: () => ({
    scope: z.enum(["project", "issues", "members", "user"]).default("project"),
    project: projectField().optional().describe('Required unless scope is "user"'),
    user: nameOrId().optional().describe('For scope "user": username, "me" (default) or id'),
    verbose: verboseField(),
  }),
  output: () => ({
    scope: z.string(),
    project: z.string().optional(),
    user: z.string().optional(),
    stats: openObject().describe("Figures by name; Taiga's JSON when verbose"),
  }),
  handler: async (args, ctx) => {
    if (args.scope !== "user" && args.project === undefined) {
      throw new InputError(`Scope "${args.scope}" needs "project" (slug or id).`, {
        argument: "project",
      });
    }
    if (args.scope !== "user" && args.user !== undefined) {
      throw new InputError('"user" only goes with scope "user".', { argument: "user" });
    }
    const session = await ctx.session();
    if (args.scope === "user") {
      const person = await resolvePerson(ctx, session, args.user, args.project);
      const raw = await session.client.get<Raw>(
        `users/${person.id}/stats`,
        undefined,
        ctx.signal,
      );
      return {
        scope: args.scope,
        user: person.username,
        stats: args.verbose ? raw : userStatsShape(raw),
      };
    }
    const meta = await ctx.metadata.get(session, args.project!, ctx.signal);
    const raw = await session.client.get<Raw>(
      `projects/${meta.id}/${PROJECT_SCOPES[args.scope]}`,
      undefined,
      ctx.signal,
    );
    const shaped = args.verbose
      ? raw
      : args.scope === "project"
      ? projectStatsShape(raw, meta)
      : args.scope === "issues"
      ? issueStatsShape(raw)
      : memberStatsShape(raw, meta);
    return { scope: args.scope, project: meta.slug, stats: shaped };
  },
});

/** The tools of this toolset. */
export const reportTools: readonly AnyTool[] = [getStats, ...healthTools];
