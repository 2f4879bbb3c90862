/**
 * What each prompt gathers from Taiga before it hands the model its task: the sprint, its items
 * and progress; the backlog; the open issues; the work of a person or the team; what a sprint
 * delivered. Everything in the compact shapes the tools use.
 * @module
 */

import { InputError } from "../taiga/errors.ts";
import { gather, gatheredFacts, projectRef, type RawObject } from "../domain/gather.ts";
import type { ProjectMetadata } from "../domain/metadata.ts";
import { resolveSprint, resolveUser, withMetadata, type WorkContext } from "../domain/names.ts";
import { compactItem } from "../domain/shapes/item.ts";
import { compactSprint, sprintProgress } from "../domain/shapes/sprint.ts";
import type { Session } from "../sessions/store.ts";
import { type ItemKind, KINDS } from "../taiga/kinds.ts";
import type { QueryValue } from "../taiga/url.ts";

/**
 * Items per list a prompt carries: a prompt lands whole in the model's context, so a project with
 * thousands of open issues gets the newest 200 and a note naming the list tool for the rest.
 */
const PROMPT_CAP = 200;

/** How far back the standup looks for changes. */
export const STANDUP_WINDOW_HOURS = 24;

/** Where a prompt gathers from: the connection's default session, metadata and signal. */
export interface GatherContext extends WorkContext {
  /** The session to read with. */
  readonly session: Session;
  /** Cancellation of the prompts/get request. */
  readonly signal: AbortSignal;
}

/** Runs `work` with the project's metadata, refreshing it once when a name was not found. */
function withMeta<T>(
  gc: GatherContext,
  project: string,
  work: (meta: ProjectMetadata) => Promise<T>,
): Promise<T> {
  return withMetadata(gc, gc.session, project, work);
}

/** A gathered list in compact form, with `total` (and `truncated` + `note` when capped). */
async function compactList(
  gc: GatherContext,
  kind: ItemKind,
  query: Record<string, QueryValue>,
  keep: (item: RawObject) => boolean = () => true,
): Promise<{ items: RawObject[]; facts: Record<string, unknown> }> {
  const listed = await gather(gc.session, KINDS[kind].path, query, gc.signal, PROMPT_CAP);
  const kept = listed.items.filter(keep);
  return {
    items: kept,
    facts: gatheredFacts(listed, kept.length, `list_${KINDS[kind].plural}`),
  };
}

function shaped(kind: ItemKind, items: RawObject[], meta: ProjectMetadata): unknown[] {
  return items.map((item) => compactItem(kind, item, meta));
}

const isClosed = (item: RawObject): boolean => item.is_closed === true;

/** The sprint id named by `sprint` (name, slug or id); "backlog" is not a sprint here. */
function sprintId(meta: ProjectMetadata, sprint: string): number {
  const id = resolveSprint(meta, sprint);
  if (id === null) {
    throw new InputError(
      `"${sprint}" is the backlog, not a sprint. Name a sprint: ${
        meta.sprints.map((s) => s.name).join(", ") || "(this project has no sprints)"
      }.`,
    );
  }
  return id;
}

/** sprint_review: the sprint, its progress, its stories, tasks and issues. */
export async function gatherSprintReview(
  gc: GatherContext,
  project: string,
  sprint: string,
): Promise<Record<string, unknown>> {
  return await withMeta(gc, project, async (meta) => {
    const id = sprintId(meta, sprint);
    const client = gc.session.client;
    const scope = { project: meta.id, milestone: id };
    const [milestone, stats, stories, tasks, issues] = await Promise.all([
      client.get<RawObject>(`milestones/${id}`, undefined, gc.signal),
      client.get<RawObject>(`milestones/${id}/stats`, undefined, gc.signal),
      compactList(gc, "userstory", scope),
      compactList(gc, "task", scope),
      compactList(gc, "issue", scope),
    ]);
    return {
      project: projectRef(meta),
      sprint: compactSprint(milestone),
      progress: sprintProgress(stats),
      user_stories_done: shaped("userstory", stories.items.filter(isClosed), meta),
      user_stories_not_done: shaped("userstory", stories.items.filter((s) => !isClosed(s)), meta),
      user_stories: stories.facts,
      tasks: { ...tasks.facts, items: shaped("task", tasks.items, meta) },
      issues: { ...issues.facts, items: shaped("issue", issues.items, meta) },
    };
  });
}

/** backlog_grooming: the open stories outside any sprint, in backlog order, and the scales. */
export async function gatherBacklog(
  gc: GatherContext,
  project: string,
): Promise<Record<string, unknown>> {
  const meta = await gc.metadata.get(gc.session, project, gc.signal);
  const stories = await compactList(gc, "userstory", {
    project: meta.id,
    milestone__isnull: true,
    status__is_closed: false,
    order_by: "backlog_order",
  }, (story) => story.milestone == null && !isClosed(story));
  return {
    project: projectRef(meta),
    statuses: meta.statuses.userstory.map((status) => status.name),
    points_scale: meta.points.map((point) => point.name),
    estimating_roles: meta.roles.filter((role) => role.computable !== false).map((r) => r.name),
    backlog: {
      ...stories.facts,
      without_points: stories.items.filter((story) => !Number(story.total_points)).length,
      blocked: stories.items.filter((story) => story.is_blocked === true).length,
    },
    user_stories: shaped("userstory", stories.items, meta),
  };
}

/** triage_issues: the open issues and the names they can be triaged with. */
export async function gatherTriage(
  gc: GatherContext,
  project: string,
): Promise<Record<string, unknown>> {
  const meta = await gc.metadata.get(gc.session, project, gc.signal);
  const issues = await compactList(gc, "issue", {
    project: meta.id,
    status__is_closed: false,
    order_by: "-created_date",
  }, (issue) => !isClosed(issue));
  const names = (list: Array<{ name: string }>) => list.map((item) => item.name);
  return {
    project: projectRef(meta),
    types: names(meta.issueTypes),
    severities: names(meta.severities),
    priorities: names(meta.priorities),
    statuses: meta.statuses.issue.map((s) => ({ name: s.name, is_closed: s.is_closed ?? false })),
    members: meta.members.map((m) => ({ username: m.username, role: m.role })),
    open_issues: issues.facts,
    issues: shaped("issue", issues.items, meta),
  };
}

/** The open sprint running today, else the first open one. */
function currentSprint(sprints: RawObject[]): RawObject | undefined {
  const today = new Date().toISOString().slice(0, 10);
  const open = sprints.filter((sprint) => sprint.closed !== true);
  return open.find((sprint) =>
    String(sprint.estimated_start ?? "") <= today && today <= String(sprint.estimated_finish ?? "")
  ) ?? open[0];
}

/** The items of one kind a standup covers: open in scope, or changed since `since`. */
async function standupItems(
  gc: GatherContext,
  meta: ProjectMetadata,
  kind: ItemKind,
  scope: Record<string, QueryValue>,
  since: string,
  includeOpen: boolean,
): Promise<unknown[]> {
  const [open, changed] = await Promise.all([
    includeOpen
      ? compactList(gc, kind, { ...scope, status__is_closed: false })
      : Promise.resolve({ items: [] as RawObject[] }),
    compactList(gc, kind, { ...scope, modified_date__gte: since }),
  ]);
  const byId = new Map<unknown, RawObject>();
  for (const item of [...open.items, ...changed.items]) byId.set(item.id, item);
  return shaped(kind, [...byId.values()], meta);
}

/** standup: what a person (or the team in the current sprint) did, is doing, and is blocked by. */
export async function gatherStandup(
  gc: GatherContext,
  project: string,
  user: string | undefined,
): Promise<Record<string, unknown>> {
  return await withMeta(gc, project, async (meta) => {
    const since = new Date(Date.now() - STANDUP_WINDOW_HOURS * 3_600_000).toISOString();
    const userId = user ? await resolveUser(gc.session, meta, user, gc.signal) : undefined;
    const sprints = await gather(gc.session, "milestones", { project: meta.id, closed: false });
    const sprint = currentSprint(sprints.items);
    const base = { project: meta.id };
    const inSprint = sprint ? { milestone: sprint.id as number } : {};
    const team = { ...base, ...inSprint };
    /** One kind's standup items: the person's (under `assignee`), else the team's `teamScope`. */
    const forKind = (
      kind: ItemKind,
      assignee: string,
      teamScope: Record<string, QueryValue>,
      teamOpen: boolean,
    ): Promise<unknown[]> =>
      standupItems(
        gc,
        meta,
        kind,
        userId ? { ...base, [assignee]: userId } : teamScope,
        since,
        userId !== undefined || teamOpen,
      );
    const [stories, tasks, issues] = await Promise.all([
      forKind("userstory", "assigned_users", team, sprint !== undefined),
      forKind("task", "assigned_to", team, sprint !== undefined),
      forKind("issue", "assigned_to", base, false),
    ]);
    const member = meta.members.find((m) => m.id === userId);
    return {
      project: projectRef(meta),
      person: userId === undefined
        ? "whole team"
        : member?.username ?? (userId === gc.session.user.id ? gc.session.user.username : userId),
      now: new Date().toISOString(),
      changed_since: since,
      current_sprint: sprint ? compactSprint(sprint) : null,
      user_stories: stories,
      tasks,
      issues,
    };
  });
}

/** release_notes: what a sprint delivered (closed stories and issues) and what it did not. */
export async function gatherReleaseNotes(
  gc: GatherContext,
  project: string,
  sprint: string,
): Promise<Record<string, unknown>> {
  return await withMeta(gc, project, async (meta) => {
    const id = sprintId(meta, sprint);
    const scope = { project: meta.id, milestone: id };
    const [milestone, stories, issues] = await Promise.all([
      gc.session.client.get<RawObject>(`milestones/${id}`, undefined, gc.signal),
      compactList(gc, "userstory", scope),
      compactList(gc, "issue", scope),
    ]);
    const unfinished = [...stories.items, ...issues.items].filter((item) => !isClosed(item));
    return {
      project: projectRef(meta),
      sprint: compactSprint(milestone),
      delivered_user_stories: shaped("userstory", stories.items.filter(isClosed), meta),
      fixed_issues: shaped("issue", issues.items.filter(isClosed), meta),
      not_delivered: unfinished.map((item) => ({ ref: item.ref, subject: item.subject })),
      user_stories: stories.facts,
      issues: issues.facts,
    };
  });
}
