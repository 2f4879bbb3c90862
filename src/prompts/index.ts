/**
 * Prompts that gather Taiga data and hand the model a ready task: sprint_review, backlog_grooming,
 * triage_issues, standup and release_notes. Arguments complete (project slugs, sprint names,
 * usernames); each prompt returns one user message with the instructions and the data as
 * compact JSON.
 * @module
 */

import { completeProject, completeSprint, completeUser } from "../mcp/complete.ts";
import { definePrompt, type PromptArgument, type PromptDefinition } from "../mcp/define.ts";
import {
  gatherBacklog,
  type GatherContext,
  gatherReleaseNotes,
  gatherSprintReview,
  gatherStandup,
  gatherTriage,
  STANDUP_WINDOW_HOURS,
} from "./data.ts";

type Args = Readonly<Record<string, string | undefined>>;

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

const SPECS: readonly PromptSpec[] = [
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

const project: PromptArgument = {
  description: 'Project slug or id, e.g. "jane-website"',
  required: true,
  complete: (typed, _given, ctx) => completeProject(ctx, typed),
};
const sprint: PromptArgument = {
  description: 'Sprint name or id, e.g. "Sprint 3"',
  required: true,
  complete: (typed, given, ctx) => completeSprint(ctx, given.project, typed),
};
const user: PromptArgument = {
  description: 'Username, or "me"; leave out for the whole team in the current sprint',
  required: false,
  complete: (typed, given, ctx) => completeUser(ctx, given.project, typed),
};
const ARGUMENTS = { project, sprint, user };

/** Every prompt, in the order prompts/list shows them. */
export const PROMPTS: readonly PromptDefinition[] = SPECS.map((spec) =>
  definePrompt({
    name: spec.name,
    title: spec.title,
    description: spec.description,
    args: Object.fromEntries(spec.args.map((name) => [name, ARGUMENTS[name]])),
    render: async (args, ctx) => {
      const session = await ctx.session();
      const data = await spec.gather({ session, metadata: ctx.metadata, signal: ctx.signal }, args);
      const text = `${spec.instructions(data).trim()}

${RULES}

Data from Taiga (compact JSON, fetched ${new Date().toISOString()}):
\`\`\`json
${JSON.stringify(data)}
\`\`\``;
      return {
        description: `${spec.title}: ${Object.values(args).filter(Boolean).join(", ")}`,
        text,
      };
    },
  })
);
