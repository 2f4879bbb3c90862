/**
 * Registers the item actions beyond CRUD, per kind: collection actions (`filters_data`,
 * custom attribute values, bulk creates, board ordering, sprint moves) before the kinds'
 * `/:id` routes, and per-item actions (promote, epic links) after them.
 *
 * @module
 */

import type { KindDef } from "../kinds.ts";
import type { Router } from "../router.ts";
import { boardOrderRoutes } from "./board_order.ts";
import { bulkCreateRoutes } from "./bulk_create.ts";
import { customValuesRoutes } from "./custom_values.ts";
import { filtersDataRoutes } from "./filters_data.ts";
import { promoteRoutes } from "./promote.ts";
import { relatedRoutes } from "./related.ts";
import { bulkMilestoneRoutes } from "./sprint_moves.ts";

/** Registers the collection actions of every kind (before any `/:id` route). */
export function itemCollectionActions(router: Router, kinds: KindDef[]): void {
  for (const def of kinds) {
    filtersDataRoutes(router, def);
    customValuesRoutes(router, def);
  }
  bulkCreateRoutes(router);
  boardOrderRoutes(router);
  bulkMilestoneRoutes(router);
}

/** Registers the per-item actions. */
export function itemDetailActions(router: Router): void {
  promoteRoutes(router);
  relatedRoutes(router);
}
