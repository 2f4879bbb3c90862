/**
 * `take_snapshot` (taiga-back `history/services.py`): freezes an object, diffs it against its
 * last snapshot and records a history entry — `create` the first time, `change` when a field
 * moved or a comment came, `delete` before it goes — then pushes the timeline event of the
 * entry. Every write path calls it after mutating, so bulk updates, moves and attachment or
 * custom-value changes show up in the object's history exactly when Taiga's would.
 *
 * Rules kept: a change that touches only order fields is hidden (not listed, no timeline
 * event); a story's deprecated `assigned_to` never appears in its diff; a change without a
 * diff and without a comment records nothing.
 *
 * @module
 */

import { type Diff, freezeItem, freezeMilestone, freezeProject, freezeRelated } from "./freeze.ts";
import { freezeWiki, type Frozen, makeDiff } from "./freeze.ts";
import { recordHistory } from "./history.ts";
import { KINDS } from "./kinds.ts";
import type { HistoryEntry, Item, ItemKind, Project, SandboxState, User } from "./state.ts";
import { pushTimeline, type TimelineEvent, timelineProject } from "./timeline.ts";
import { valuesDiffOf, valuesOf } from "./values_diff.ts";

/** An object that has a history. */
export type SnapshotTarget = {
  kind: ItemKind | "wiki" | "project" | "milestone" | "relateduserstory";
  id: number;
};

/** Fields whose change alone makes an entry hidden. */
const NOT_IMPORTANT: Record<string, string[]> = {
  "epics.epic": ["epics_order", "user_stories"],
  "userstories.userstory": ["backlog_order", "sprint_order", "kanban_order"],
  "tasks.task": ["us_order", "taskboard_order"],
};

const EXCLUDED: Record<string, string[]> = { "userstories.userstory": ["assigned_to"] };

interface Resolved {
  key: string;
  typename: string;
  project: Project;
  frozen: () => Frozen;
  model: TimelineEvent["model"];
  data: () => Record<string, unknown>;
  related: () => number[];
}

const TYPENAMES: Record<SnapshotTarget["kind"], string> = {
  epic: "epics.epic",
  userstory: "userstories.userstory",
  task: "tasks.task",
  issue: "issues.issue",
  wiki: "wiki.wikipage",
  project: "projects.project",
  milestone: "milestones.milestone",
  relateduserstory: "epics.relateduserstory",
};

function brief(item: Item): Record<string, unknown> {
  return { id: item.id, ref: item.ref, subject: item.subject };
}

function itemData(state: SandboxState, item: Item, project: Project): Record<string, unknown> {
  const own = brief(item);
  const out: Record<string, unknown> = { [KINDS[item.kind].timelineKey]: own };
  out.project = timelineProject(project);
  if (item.kind === "task" && item.user_story !== null) {
    const us = state.items.userstory.get(item.user_story);
    if (us) own.userstory = brief(us);
  }
  const m = item.milestone === null ? undefined : state.milestones.get(item.milestone);
  if (m && item.kind === "userstory") out.milestone = { id: m.id, slug: m.slug, name: m.name };
  return out;
}

function people(...ids: (number | null | undefined)[]): number[] {
  return ids.filter((x): x is number => typeof x === "number");
}

function resolveItem(state: SandboxState, item: Item, project: Project): Resolved {
  return {
    key: `${KINDS[item.kind].historyKey}:${item.id}`,
    typename: KINDS[item.kind].historyKey,
    project,
    frozen: () => freezeItem(state, item),
    model: KINDS[item.kind].timelineKey,
    data: () => itemData(state, item, project),
    related: () => people(...item.watchers, item.owner, item.assigned_to),
  };
}

/** The history key, project, freezer and timeline data of a target (undefined when gone). */
export function resolveTarget(state: SandboxState, t: SnapshotTarget): Resolved | undefined {
  const typename = TYPENAMES[t.kind];
  const key = `${typename}:${t.id}`;
  if (t.kind === "project") {
    const p = state.projects.get(t.id);
    if (!p) return undefined;
    return {
      key,
      typename,
      project: p,
      frozen: () => freezeProject(p),
      model: "project",
      data: () => ({ project: timelineProject(p) }),
      // Members watch their projects (a notify policy other than "none"), and so get its events.
      related: () =>
        people(p.owner, ...p.watchers, ...state.membershipsOf(p.id).map((m) => m.user)),
    };
  }
  if (t.kind === "milestone") {
    const m = state.milestones.get(t.id);
    const p = m && state.projects.get(m.project);
    if (!m || !p) return undefined;
    return {
      key,
      typename,
      project: p,
      frozen: () => freezeMilestone(m),
      model: "milestone",
      data: () => ({
        milestone: { id: m.id, slug: m.slug, name: m.name },
        project: timelineProject(p),
      }),
      related: () => people(m.owner, ...m.watchers),
    };
  }
  if (t.kind === "wiki") {
    const w = state.wikiPages.get(t.id);
    const p = w && state.projects.get(w.project);
    if (!w || !p) return undefined;
    return {
      key,
      typename,
      project: p,
      frozen: () => freezeWiki(state, w),
      model: "wikipage",
      data: () => ({ wikipage: { id: w.id, slug: w.slug }, project: timelineProject(p) }),
      related: () => people(w.owner, ...w.watchers),
    };
  }
  if (t.kind === "relateduserstory") {
    const rel = state.relatedStories.get(t.id);
    const epic = rel && state.items.epic.get(rel.epic);
    const us = rel && state.items.userstory.get(rel.user_story);
    const p = epic && state.projects.get(epic.project);
    const usProject = us && state.projects.get(us.project);
    if (!rel || !epic || !us || !p || !usProject) return undefined;
    return {
      key,
      typename,
      project: p,
      frozen: () => freezeRelated(rel),
      model: "relateduserstory",
      data: () => ({
        relateduserstory: { id: rel.id, subject: us.subject },
        epic: brief(epic),
        userstory: { ...brief(us), project: timelineProject(usProject) },
        project: timelineProject(p),
      }),
      related: () => [],
    };
  }
  const item = state.items[t.kind].get(t.id);
  const project = item && state.projects.get(item.project);
  return item && project ? resolveItem(state, item, project) : undefined;
}

function isHidden(typename: string, diff: Diff): boolean {
  const fields = Object.keys(diff);
  const minor = NOT_IMPORTANT[typename];
  return minor !== undefined && fields.length > 0 && fields.every((f) => minor.includes(f));
}

/** Pushes the timeline event of a history entry (also when a comment is edited or deleted). */
export function pushEntryEvent(state: SandboxState, entry: HistoryEntry): void {
  if (entry.is_hidden || entry.user === null) return;
  const actor = state.users.get(entry.user);
  const [kind, id] = entry.key.split(":");
  const t = Object.entries(TYPENAMES).find(([, name]) => name === kind)?.[0];
  const resolved = t && resolveTarget(state, { kind: t as SnapshotTarget["kind"], id: Number(id) });
  if (!actor || !resolved) return;
  const valuesDiff = { ...entry.values_diff };
  delete valuesDiff.description_html;
  if ("description_diff" in valuesDiff) {
    valuesDiff.description_diff = "Check the history API for the exact diff";
  }
  const extra: Record<string, unknown> = {
    values_diff: valuesDiff,
    user: { id: actor.id },
    comment: entry.comment,
    comment_html: entry.comment_html,
  };
  if (entry.delete_comment_date) extra.comment_deleted = true;
  if (entry.comment_versions?.length) extra.comment_edited = true;
  const type = entry.type === 2 ? "create" : entry.type === 3 ? "delete" : "change";
  pushTimeline(state, resolved.project, actor, {
    type: `${resolved.typename}.${type}`,
    model: resolved.model,
    data: { ...resolved.data(), ...extra },
    created: entry.created_at,
  }, resolved.related());
}

/**
 * Takes a snapshot of `target` by `user` (with an optional comment); returns the entry, or
 * undefined when nothing changed and there was no comment.
 */
export function takeSnapshot(
  state: SandboxState,
  target: SnapshotTarget,
  user: User | null,
  options: { comment?: string; delete?: boolean } = {},
): HistoryEntry | undefined {
  const resolved = resolveTarget(state, target);
  if (!resolved) return undefined;
  const comment = options.comment ?? "";
  const now = resolved.frozen();
  const old = state.frozen.get(resolved.key);
  const type = options.delete ? 3 : old ? 1 : 2;
  const diff = old ? makeDiff(old, now, EXCLUDED[resolved.typename]) : {};
  if (type === 1 && Object.keys(diff).length === 0 && !comment) return undefined;
  const values = valuesOf(state, resolved.typename, diff);
  const entry = recordHistory(state, {
    key: resolved.key,
    project: resolved.project.id,
    user: user?.id ?? null,
    type,
    diff,
    values,
    valuesDiff: valuesDiffOf(diff, values),
    comment,
    hidden: comment ? false : isHidden(resolved.typename, diff),
  });
  const rebuilt: Frozen = old && type === 1 ? { ...old } : now;
  if (rebuilt !== now) { for (const [k, [, b]] of Object.entries(diff)) rebuilt[k] = b; }
  if (type === 3) state.frozen.delete(resolved.key);
  else state.frozen.set(resolved.key, rebuilt);
  pushEntryEvent(state, entry);
  return entry;
}
