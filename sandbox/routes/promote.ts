/**
 * `POST /tasks/{id}/promote_to_user_story` and `/issues/{id}/promote_to_user_story`
 * `{project_id}` (taiga-back `mixins/promote.py`, `services/promote.py`): creates a story
 * from the item and answers `[<story ref>]`. The story gets the subject, description, tags,
 * sprint and owner, the assignee as its only assigned user, a copy of the comments, the
 * attachments and the watchers; from a task also the due date, blocked state and votes,
 * and `from_task_ref` — after which the TASK IS DELETED (an issue stays, linked through
 * `generated_from_issue`). Tasks need `view_tasks`, issues `add_us`. The new story has no
 * history snapshot of its creation, as in taiga-back.
 *
 * @module
 */

import { listedHistory } from "../history.ts";
import { type Ctx, json, notAuthenticated } from "../http.ts";
import { createItem, deleteItem } from "../items.ts";
import { itemKey, type KindDef, KINDS } from "../kinds.ts";
import type { Router } from "../router.ts";
import { takeSnapshot } from "../snapshot.ts";
import type { Item } from "../state.ts";
import { randomHex } from "../tokens.ts";
import { check, FieldErrors, projectIdField } from "./common.ts";
import { itemOr404 } from "./items.ts";

function copyComments(ctx: Ctx, source: Item, target: Item): void {
  const from = listedHistory(ctx.state, itemKey(KINDS[source.kind], source.id), "comment")
    .reverse();
  const key = itemKey(KINDS.userstory, target.id);
  const list = ctx.state.history.get(key) ?? [];
  for (const e of from) list.push({ ...structuredClone(e), id: crypto.randomUUID(), key });
  ctx.state.history.set(key, list);
}

function copyAttachments(ctx: Ctx, source: Item, target: Item): void {
  for (const a of [...ctx.state.attachments.values()]) {
    if (a.kind !== source.kind || a.object_id !== source.id) continue;
    const hash = randomHex(32);
    const id = ctx.state.nextId("attachment");
    ctx.state.attachments.set(id, {
      ...a,
      id,
      kind: "userstory",
      object_id: target.id,
      path: `attachments/${[...hash.slice(0, 4)].join("/")}/${hash.slice(4)}/${a.name}`,
      order: 0,
      from_comment: false,
      modified_date: ctx.state.nowIso(),
    });
  }
}

function promote(def: KindDef) {
  return (ctx: Ctx) => {
    const errors = new FieldErrors();
    const project = projectIdField(ctx, errors);
    errors.throwIfAny();
    if (!ctx.user) throw notAuthenticated();
    check(ctx, project!, def.kind === "task" ? "view_tasks" : "add_us");
    const source = itemOr404(ctx, def);
    const owner = ctx.state.users.get(source.owner ?? -1) ?? null;
    const fromTask = def.kind === "task";
    const us = createItem(ctx.state, "userstory", project!, owner, {
      subject: source.subject,
      description: source.description,
      tags: [...source.tags],
      milestone: source.milestone,
      generated_from_issue: fromTask ? null : source.id,
      from_task_ref: fromTask ? `Task #${source.ref}` : null,
      assigned_users: source.assigned_to === null ? [] : [source.assigned_to],
      watchers: [...source.watchers],
      ...(fromTask
        ? {
          due_date: source.due_date,
          due_date_reason: source.due_date_reason,
          is_blocked: source.is_blocked,
          blocked_note: source.blocked_note,
          voters: [...source.voters],
        }
        : {}),
    }, { record: false });
    copyComments(ctx, source, us);
    copyAttachments(ctx, source, us);
    takeSnapshot(ctx.state, { kind: def.kind, id: source.id }, ctx.user);
    if (fromTask) deleteItem(ctx.state, source, ctx.user, { record: false });
    return json([us.ref]);
  };
}

/** Registers the promote actions (tasks and issues). */
export function promoteRoutes(router: Router): void {
  router.post("/tasks/:id/promote_to_user_story", promote(KINDS.task));
  router.post("/issues/:id/promote_to_user_story", promote(KINDS.issue));
}
