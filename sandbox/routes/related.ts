/**
 * Epic ↔ story links, `/epics/{id}/related_userstories[/{story id}]` (taiga-back
 * `EpicRelatedUserStoryViewSet`): list (paginated), create `{epic, user_story, order?}` →
 * 201, detail / PATCH `{order}` / DELETE looked up by the STORY id. A PATCH that moves the
 * order shifts the epic's other links and answers `Taiga-Info-Order-Updated`. Each write is
 * snapshotted (`epics.relateduserstory.*` timeline events).
 *
 * @module
 */

import { badRequest, type Ctx, json, noContent, notFound } from "../http.ts";
import { KINDS } from "../kinds.ts";
import { paginated } from "../pagination.ts";
import { applyOrderUpdates } from "../reorder.ts";
import type { Router } from "../router.ts";
import { takeSnapshot } from "../snapshot.ts";
import type { Item, RelatedStory } from "../state.ts";
import { toInt } from "../util.ts";
import { check, FieldErrors, pathId, pkField } from "./common.ts";
import { itemOr404 } from "./items.ts";

/** A link as the API renders it. */
export function relatedShape(rel: RelatedStory): Record<string, unknown> {
  return { epic: rel.epic, user_story: rel.user_story, order: rel.order };
}

function findRel(ctx: Ctx): { epic: Item; rel: RelatedStory } {
  const epic = itemOr404(ctx, KINDS.epic);
  const usId = pathId(ctx, "RelatedUserStory", "us");
  const rel = [...ctx.state.relatedStories.values()].find((r) =>
    r.epic === epic.id && r.user_story === usId
  );
  if (!rel) throw notFound("RelatedUserStory");
  return { epic, rel };
}

/** Registers the epic link routes. */
export function relatedRoutes(router: Router): void {
  const base = "/epics/:id/related_userstories";
  router.get(base, (ctx) => {
    const epic = itemOr404(ctx, KINDS.epic);
    const rels = [...ctx.state.relatedStories.values()].filter((r) => r.epic === epic.id)
      .sort((a, b) => a.order - b.order || a.id - b.id);
    return paginated(ctx, rels, relatedShape);
  });
  router.post(base, (ctx) => {
    const epic = itemOr404(ctx, KINDS.epic);
    check(ctx, ctx.state.projects.get(epic.project)!, "modify_epic");
    const errors = new FieldErrors();
    // `epic` is a required model field of the validator, though the URL's epic wins.
    const epicField = pkField(ctx.body.epic, (id) => ctx.state.items.epic.get(id));
    if (ctx.body.epic === undefined) errors.add("epic", "This field is required.");
    else if (!epicField.ok) errors.add("epic", epicField.error);
    const res = pkField(ctx.body.user_story, (id) => ctx.state.items.userstory.get(id));
    if (ctx.body.user_story === undefined) errors.add("user_story", "This field is required.");
    else if (!res.ok) errors.add("user_story", res.error);
    errors.throwIfAny();
    const us = (res as { value: Item }).value;
    const taken = [...ctx.state.relatedStories.values()].some((r) =>
      r.epic === epic.id && r.user_story === us.id
    );
    if (taken) {
      throw badRequest({
        non_field_errors: ["The fields epic, user_story must make a unique set."],
      });
    }
    const rel = {
      id: ctx.state.nextId("related"),
      epic: epic.id,
      user_story: us.id,
      order: toInt(ctx.body.order) ?? Math.floor(ctx.state.clock()),
    };
    ctx.state.relatedStories.set(rel.id, rel);
    takeSnapshot(ctx.state, { kind: "relateduserstory", id: rel.id }, ctx.user);
    return json(relatedShape(rel), 201);
  });
  router.get(`${base}/:us`, (ctx) => json(relatedShape(findRel(ctx).rel)));
  router.patch(`${base}/:us`, (ctx) => {
    const { epic, rel } = findRel(ctx);
    check(ctx, ctx.state.projects.get(epic.project)!, "modify_epic");
    const before = rel.order;
    if (ctx.body.order !== undefined) rel.order = toInt(ctx.body.order) ?? rel.order;
    let orders: Record<string, number> = {};
    if (rel.order !== before) {
      const links = [...ctx.state.relatedStories.values()].filter((r) => r.epic === epic.id);
      const base = new Map(links.map((r) => [r.user_story, r.order]));
      const changed = applyOrderUpdates(base, new Map([[rel.user_story, rel.order]]));
      for (const r of links) if (changed.has(r.user_story)) r.order = changed.get(r.user_story)!;
      orders = Object.fromEntries([...changed].map(([id, o]) => [String(id), o]));
    }
    takeSnapshot(ctx.state, { kind: "relateduserstory", id: rel.id }, ctx.user);
    return json(relatedShape(rel), 200, { "Taiga-Info-Order-Updated": JSON.stringify(orders) });
  });
  router.delete(`${base}/:us`, (ctx) => {
    const { epic, rel } = findRel(ctx);
    check(ctx, ctx.state.projects.get(epic.project)!, "modify_epic");
    takeSnapshot(ctx.state, { kind: "relateduserstory", id: rel.id }, ctx.user, { delete: true });
    ctx.state.relatedStories.delete(rel.id);
    return noContent();
  });
}
