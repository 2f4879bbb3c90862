/**
 * Prompts that gather Taiga data and hand the model a ready task: sprint_review, backlog_grooming,
 * triage_issues, standup and release_notes. Arguments complete (project slugs, sprint names,
 * usernames); each prompt returns one user message with the instructions and the data as
 * compact JSON.
 * @module
 */

import { z } from "zod";
// @ts-types="@modelcontextprotocol/sdk/server/mcp"
import type { McpServer } from "@modelcontextprotocol/sdk/server/mcp.js";
// @ts-types="@modelcontextprotocol/sdk/server/completable"
import { completable } from "@modelcontextprotocol/sdk/server/completable.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import { ErrorCode } from "@modelcontextprotocol/sdk/types.js";
import type { GetPromptResult } from "@modelcontextprotocol/sdk/types.js";
import type { ServerDeps } from "./deps.ts";
import {
  gatherBacklog,
  type GatherContext,
  gatherReleaseNotes,
  gatherSprintReview,
  gatherStandup,
  gatherTriage,
  STANDUP_WINDOW_HOURS,
} from "./prompts_data.ts";
import { completeProject, completeSprint, completeUser } from "./resources_complete.ts";
import { asMcp, defaultSession } from "./resources_support.ts";

type Args = Record<string, string | undefined>;
type Context = { arguments?: Record<string, string> };

/** One prompt: how to describe it, what to gather, and what to ask of the model. */
interface PromptSpec {
  name: string;
  title: string;
  description: string;
  /** Argument names this prompt takes (see the shared argument schemas). */
  args: ReadonlyArray<"project" | "sprint" | "user">;
  gather(gc: GatherContext, args: Args): Promise<Record<string, unknown>>;
  instructions(data: Record<string, unknown>): string;
}

const RULES =
  "Use only the data below; do not invent items, people or numbers. Refer to items as #ref with their subject. Do not change anything in Taiga unless the user asks; when you suggest changes, name the tool calls (e.g. update_user_story, update_issue, assign_item) that would make them.";

function named(data: Record<string, unknown>, key: string): string {
  const value = data[key] as { name?: unknown } | undefined;
  return String(value?.name ?? "");
}

const PROMPTS: readonly PromptSpec[] = [
  {
    name: "sprint_review",
    title: "Sprint review",
    description:
      "Review a sprint: progress (points, stories, tasks), what was done, what was not, issues found, and suggestions for the next sprint.",
    args: ["project", "sprint"],
    gather: (gc, a) => gatherSprintReview(gc, a.project!, a.sprint!),
    instructions: (data) =>
      `Write a sprint review of "${named(data, "sprint")}" in project "${
        named(data, "project")
      }", in Markdown, with these sections:
1. Summary: goal and outcome in two or three sentences, with points done of total and percent (from "progress").
2. Done: the completed user stories.
3. Not done: the unfinished user stories with their status, and whether each should carry over.
4. Issues: notable issues in the sprint and their state.
5. Observations and suggestions for the next sprint (scope, estimation, blockers).`,
  },
  {
    name: "backlog_grooming",
    title: "Backlog grooming",
    description:
      "Groom a project's backlog (open stories in no sprint): find unclear, unestimated, oversized or duplicate stories and propose an order.",
    args: ["project"],
    gather: (gc, a) => gatherBacklog(gc, a.project!),
    instructions: (data) =>
      `Groom the backlog of project "${named(data, "project")}". In Markdown:
1. Stories that need work before a sprint can take them: unestimated (no points), unclear subjects, too large (suggest how to split), blocked.
2. Likely duplicates or overlapping stories.
3. A proposed order for the top 10 stories (value and risk first), with one line of reasoning each.
4. Questions for the product owner.
Points must come from "points_scale" and statuses from "statuses".`,
  },
  {
    name: "triage_issues",
    title: "Triage issues",
    description:
      "Triage a project's open issues: propose type, severity, priority and assignee for each, flag duplicates and missing information.",
    args: ["project"],
    gather: (gc, a) => gatherTriage(gc, a.project!),
    instructions: (data) =>
      `Triage the open issues of project "${named(data, "project")}".
Give a Markdown table with one row per issue: #ref, subject, proposed type, severity, priority, assignee (a member's username, chosen by role), and next action (fix, needs info, duplicate of #ref, reject).
Use only the names in "types", "severities", "priorities" and "members". Then list the five most urgent issues and why.`,
  },
  {
    name: "standup",
    title: "Daily standup",
    description:
      `Standup notes for a person (username or "me") or, without one, the whole team in the current sprint: done in the last ${STANDUP_WINDOW_HOURS} hours, doing today, blockers.`,
    args: ["project", "user"],
    gather: (gc, a) => gatherStandup(gc, a.project!, a.user),
    instructions: (data) =>
      `Write standup notes for ${
        data.person === "whole team" ? "each member of the team" : `"${data.person}"`
      } in project "${named(data, "project")}", as short bullet points:
- Done: items closed or moved forward since ${data.changed_since} (compare modified dates).
- Today: open items in progress, most important first.
- Blockers: blocked items (with the reason when given) and anything waiting on someone.
${
        data.person === "whole team"
          ? "Group the notes by assignee; list unassigned work separately."
          : ""
      }`,
  },
  {
    name: "release_notes",
    title: "Release notes",
    description:
      "Release notes for what a sprint delivered: new features from the closed user stories and fixes from the closed issues.",
    args: ["project", "sprint"],
    gather: (gc, a) => gatherReleaseNotes(gc, a.project!, a.sprint!),
    instructions: (data) =>
      `Write release notes for end users of "${named(data, "project")}" covering sprint "${
        named(data, "sprint")
      }", in Markdown:
- A title with the sprint name and its finish date.
- "New features" and "Improvements" from "delivered_user_stories"; "Bug fixes" from "fixed_issues".
- One line per item in plain language a user understands, ending with (#ref).
Leave out everything in "not_delivered" and internal details (tasks, points, people).`,
  },
];

/** Registers the prompts on `server`; they read with the default session of connection `owner`. */
export function registerPrompts(server: McpServer, deps: ServerDeps, owner?: string): void {
  // completable() marks the schema object itself, so each server gets its own schemas.
  const schemas = {
    project: completable(
      z.string().trim().min(1).describe('Project slug or id, e.g. "jane-website"'),
      (typed: string) => completeProject(deps, owner, typed),
    ),
    sprint: completable(
      z.string().trim().min(1).describe('Sprint name or id, e.g. "Sprint 3"'),
      (typed: string, ctx?: Context) => completeSprint(deps, owner, ctx?.arguments?.project, typed),
    ),
    user: completable(
      z.string().trim().min(1).optional().describe(
        'Username, or "me"; leave out for the whole team in the current sprint',
      ),
      (typed: string | undefined, ctx?: Context) =>
        completeUser(deps, owner, ctx?.arguments?.project, typed ?? ""),
    ),
  };
  for (const spec of PROMPTS) {
    const argsSchema = Object.fromEntries(spec.args.map((arg) => [arg, schemas[arg]]));
    server.registerPrompt(
      spec.name,
      { title: spec.title, description: spec.description, argsSchema },
      (args: Args, extra: { signal: AbortSignal }) =>
        asMcp(() => runPrompt(spec, deps, owner, args, extra.signal), ErrorCode.InvalidParams),
    );
  }
}

async function runPrompt(
  spec: PromptSpec,
  deps: ServerDeps,
  owner: string | undefined,
  args: Args,
  signal: AbortSignal,
): Promise<GetPromptResult> {
  const session = await defaultSession(deps, owner);
  const data = await spec.gather({ deps, session, signal, owner }, args);
  const text = `${spec.instructions(data).trim()}

${RULES}

Data from Taiga (compact JSON, fetched ${new Date().toISOString()}):
\`\`\`json
${JSON.stringify(data)}
\`\`\``;
  return {
    description: `${spec.title}: ${Object.values(args).filter(Boolean).join(", ")}`,
    messages: [{ role: "user", content: { type: "text", text } }],
  };
}
