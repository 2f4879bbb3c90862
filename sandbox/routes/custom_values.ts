/**
 * `{epics|userstories|tasks|issues}/custom-attributes-values/{itemId}`: GET, PATCH and PUT
 * of `{attributes_values, version}`, as taiga-back's `BaseCustomAttributesValuesViewSet`
 * (`custom_attributes/api.py`):
 *
 * - the values row has its own `version` (1 when the item is created); OCC runs on it, but
 *   taiga-back looks for the changes since a stale version in the history stored under the
 *   ROW's key, and the row has none (its snapshots go to the item), so a stale version is
 *   always accepted; missing, negative or too-high versions are still refused;
 * - `attributes_values` REPLACES the whole dict (it is one model field); without it the
 *   values stay as they are;
 * - keys must be custom attributes of that kind in the item's project;
 * - a change snapshots the ITEM: an entry with a `custom_attributes` diff in the item's
 *   history (see `snapshot.ts`), without bumping the item's version.
 *
 * @module
 */

import { badRequest, type Ctx, json } from "../http.ts";
import type { KindDef } from "../kinds.ts";
import { checkVersion } from "../occ.ts";
import type { Router } from "../router.ts";
import { takeSnapshot } from "../snapshot.ts";
import type { Item } from "../state.ts";
import { check } from "./common.ts";
import { itemOr404 } from "./items.ts";

const VALUES_KEY: Record<string, string> = {
  epic: "epic",
  userstory: "user_story",
  task: "task",
  issue: "issue",
};

/** taiga-back's history key of the values row: it never holds an entry. */
function rowKey(def: KindDef, item: Item): string {
  return `custom_attributes.${def.kind}customattributesvalues:${item.id}`;
}

/** Registers the custom-attributes-values routes of a kind (before its `/:id` routes). */
export function customValuesRoutes(router: Router, def: KindDef): void {
  const path = `/${def.plural}/custom-attributes-values/:id`;
  const current = (ctx: Ctx, item: Item) =>
    ctx.state.customValues.get(`${def.kind}:${item.id}`) ?? { values: {}, version: 1 };
  const shape = (ctx: Ctx, item: Item) => {
    const v = current(ctx, item);
    return { attributes_values: v.values, version: v.version, [VALUES_KEY[def.kind]]: item.id };
  };
  router.get(path, (ctx) => json(shape(ctx, itemOr404(ctx, def))));
  const write = (ctx: Ctx) => {
    const item = itemOr404(ctx, def);
    check(ctx, ctx.state.projects.get(item.project)!, def.perms.modify);
    const before = current(ctx, item);
    const values = ctx.body.attributes_values;
    if (
      values !== undefined &&
      (typeof values !== "object" || values === null || Array.isArray(values))
    ) {
      throw badRequest({ attributes_values: ["Invalid values: must be an object."] });
    }
    for (const id of Object.keys(values ?? {})) {
      const attr = ctx.state.customAttributes.get(Number(id));
      if (!attr || attr.kind !== def.kind || attr.project !== item.project) {
        throw badRequest({ attributes_values: ["It contains invalid custom fields."] });
      }
    }
    checkVersion(ctx.state, rowKey(def, item), before.version, ctx.body);
    const next = {
      values: values === undefined ? before.values : { ...(values as Record<string, unknown>) },
      version: before.version + 1,
    };
    ctx.state.customValues.set(`${def.kind}:${item.id}`, next);
    const comment = typeof ctx.body.comment === "string" ? ctx.body.comment.trim() : "";
    takeSnapshot(ctx.state, { kind: item.kind, id: item.id }, ctx.user, { comment });
    return json(shape(ctx, item));
  };
  router.patch(path, write);
  router.put(path, write);
}
