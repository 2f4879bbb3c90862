/**
 * Registers the project settings routes: value lists (statuses, points, priorities,
 * severities, issue types, due dates), swimlanes and their WIP limits, roles and the four
 * kinds of custom attribute definitions.
 *
 * @module
 */

import type { Router } from "../router.ts";
import { customAttributesRoutes } from "./custom_attributes.ts";
import { roleRoutes } from "./roles.ts";
import { swimlaneAllRoutes } from "./swimlanes.ts";
import { valueListRoutes } from "./value_lists.ts";

/** Registers the settings, roles and custom attribute routes. */
export function settingsRoutes(router: Router): void {
  swimlaneAllRoutes(router);
  valueListRoutes(router);
  roleRoutes(router);
  customAttributesRoutes(router);
}
