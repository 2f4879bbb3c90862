/**
 * What taiga-back freezes of an object to build its history (`history/freeze_impl.py`): one
 * flat snapshot per object, with the same keys, so that the diff of two snapshots names the
 * same fields a real Taiga names (a story's status change also carries `kanban_order`, a
 * description change `description_html`, a closing status `is_closed` and `finish_date`…).
 *
 * @module
 */

import { isClosed, KINDS } from "./kinds.ts";
import type {
  Attachment,
  Item,
  Milestone,
  Project,
  RelatedStory,
  SandboxState,
  WikiPage,
} from "./state.ts";
import { renderMarkdown } from "./util.ts";

/** A frozen object. */
export type Frozen = Record<string, unknown>;

/** A history diff: `{field: [old, new]}`. */
export type Diff = Record<string, [unknown, unknown]>;

/** The model name an attachment's `#_taiga-refresh=` fragment and content type use. */
export function attachmentModel(kind: Attachment["kind"]): string {
  return kind === "wiki" ? "wikipage" : kind;
}

/** The absolute URL of an attachment's file (with its refresh fragment). */
export function attachmentUrl(state: SandboxState, a: Attachment): string {
  return `${state.origin}/media/${a.path}#_taiga-refresh=${attachmentModel(a.kind)}:${a.id}`;
}

/** An object's attachments as `extract_attachments` freezes them (by order, then id). */
export function frozenAttachments(
  state: SandboxState,
  kind: Attachment["kind"],
  id: number,
): Frozen[] {
  return [...state.attachments.values()]
    .filter((a) => a.kind === kind && a.object_id === id)
    .sort((a, b) =>
      a.order - b.order || a.created_date.localeCompare(b.created_date) || a.id - b.id
    )
    .map((a) => ({
      id: a.id,
      filename: a.name,
      url: `${state.origin}/media/${a.path}`,
      attached_file: a.path,
      thumbnail_file: null,
      is_deprecated: a.is_deprecated,
      description: a.description,
      order: a.order,
    }));
}

/** The item's custom attribute values, by attribute order then name (only those with a value). */
export function frozenCustomAttributes(state: SandboxState, item: Item): Frozen[] {
  const values = state.customValues.get(`${item.kind}:${item.id}`)?.values ?? {};
  return [...state.customAttributes.values()]
    .filter((a) => a.kind === item.kind && a.project === item.project)
    .sort((a, b) => a.order - b.order || a.name.localeCompare(b.name))
    .filter((a) => String(a.id) in values)
    .map((a) => ({ id: a.id, name: a.name, value: values[String(a.id)], type: a.type }));
}

function common(state: SandboxState, item: Item): Frozen {
  return {
    subject: item.subject,
    description: item.description,
    description_html: renderMarkdown(item.description),
    assigned_to: item.assigned_to,
    attachments: frozenAttachments(state, item.kind, item.id),
    tags: [...item.tags],
    is_blocked: item.is_blocked,
    blocked_note: item.blocked_note,
    blocked_note_html: renderMarkdown(item.blocked_note),
    custom_attributes: frozenCustomAttributes(state, item),
  };
}

function promotedTo(state: SandboxState, item: Item): number[] {
  const field = item.kind === "issue" ? "generated_from_issue" : "generated_from_task";
  return [...state.items.userstory.values()].filter((u) => u[field] === item.id).map((u) => u.id);
}

/** An epic, story, task or issue as its kind's freezer sees it. */
export function freezeItem(state: SandboxState, item: Item): Frozen {
  const c = common(state, item);
  const status = item.status;
  const due = item.due_date ?? null;
  switch (item.kind) {
    case "epic":
      return {
        ref: item.ref,
        color: item.color,
        owner: item.owner,
        status,
        epics_order: item.epics_order,
        ...c,
        client_requirement: item.client_requirement,
        team_requirement: item.team_requirement,
      };
    case "userstory":
      return {
        ref: item.ref,
        owner: item.owner,
        status,
        swimlane: item.swimlane,
        is_closed: isClosed(state, item),
        finish_date: item.finish_date ?? "None",
        backlog_order: item.backlog_order,
        sprint_order: item.sprint_order,
        kanban_order: item.kanban_order,
        ...c,
        assigned_users: item.assigned_users.length
          ? [...item.assigned_users]
          : item.assigned_to === null
          ? []
          : [item.assigned_to],
        milestone: item.milestone,
        client_requirement: item.client_requirement,
        team_requirement: item.team_requirement,
        points: { ...item.points },
        from_issue: item.generated_from_issue,
        from_task: item.generated_from_task,
        tribe_gig: null,
        due_date: due,
      };
    case "task":
      return {
        ref: item.ref,
        owner: item.owner,
        status,
        milestone: item.milestone,
        ...c,
        taskboard_order: item.taskboard_order,
        us_order: item.us_order,
        user_story: item.user_story,
        is_iocaine: item.is_iocaine,
        due_date: due,
        promoted_to: promotedTo(state, item),
      };
    case "issue":
      return {
        ref: item.ref,
        owner: item.owner,
        status,
        priority: item.priority,
        severity: item.severity,
        type: item.type,
        milestone: item.milestone,
        ...c,
        due_date: due,
        promoted_to: promotedTo(state, item),
      };
  }
}

/** A wiki page (`wikipage_freezer`). */
export function freezeWiki(state: SandboxState, page: WikiPage): Frozen {
  return {
    slug: page.slug,
    owner: page.owner,
    content: page.content,
    content_html: renderMarkdown(page.content),
    attachments: frozenAttachments(state, "wiki", page.id),
  };
}

/** A project (`project_freezer`). */
export function freezeProject(p: Project): Frozen {
  return {
    name: p.name,
    slug: p.slug,
    created_at: p.created_date,
    owner_id: p.owner,
    is_private: p.is_private,
    anon_permissions: [...p.anon_permissions],
    public_permissions: [...p.public_permissions],
    total_milestones: p.total_milestones,
    total_story_points: p.total_story_points,
    tags: [...p.tags],
    is_epics_activated: p.is_epics_activated,
    is_backlog_activated: p.is_backlog_activated,
    is_kanban_activated: p.is_kanban_activated,
    is_wiki_activated: p.is_wiki_activated,
    is_issues_activated: p.is_issues_activated,
  };
}

/** A sprint (`milestone_freezer`). */
export function freezeMilestone(m: Milestone): Frozen {
  return {
    name: m.name,
    slug: m.slug,
    owner: m.owner,
    estimated_start: m.estimated_start,
    estimated_finish: m.estimated_finish,
    closed: m.closed,
    disponibility: m.disponibility,
  };
}

/** An epic ↔ story link (`epic_related_userstory_freezer`). */
export function freezeRelated(rel: RelatedStory): Frozen {
  return { user_story: rel.user_story, epic: rel.epic, order: rel.order };
}

const same = (a: unknown, b: unknown) => JSON.stringify(a) === JSON.stringify(b);

/** Fields an attachment may change without it counting (`_make_diff_in_attachments`). */
const ATTACHMENT_NOISE = ["filename", "url", "thumb_url", "order"];

function attachmentsChanged(before: Frozen[], after: Frozen[]): boolean {
  const old = new Map(before.map((a) => [a.id, a]));
  const now = new Map(after.map((a) => [a.id, a]));
  for (const id of new Set([...old.keys(), ...now.keys()])) {
    const a = old.get(id);
    const b = now.get(id);
    if (!a || !b) return true;
    for (const k of new Set([...Object.keys(a), ...Object.keys(b)])) {
      if (!ATTACHMENT_NOISE.includes(k) && !same(a[k], b[k])) return true;
    }
  }
  return false;
}

/**
 * `make_diff` of two snapshots (`history/services.py`): every key whose value differs, minus
 * `excluded`; `attachments` only when an attachment came, went or changed more than its
 * order, name or URL.
 */
export function makeDiff(before: Frozen, after: Frozen, excluded: readonly string[] = []): Diff {
  const diff: Diff = {};
  for (const key of new Set([...Object.keys(before), ...Object.keys(after)])) {
    if (key === "attachments" || excluded.includes(key)) continue;
    const a = before[key] ?? null;
    const b = after[key] ?? null;
    if (!same(a, b)) diff[key] = [a, b];
  }
  const a = (before.attachments ?? []) as Frozen[];
  const b = (after.attachments ?? []) as Frozen[];
  if (attachmentsChanged(a, b)) diff.attachments = [a, b];
  return diff;
}

/** The item kinds' history typenames (`userstories.userstory`…). */
export function typenameOf(kind: Item["kind"]): string {
  return KINDS[kind].historyKey;
}
