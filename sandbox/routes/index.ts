/**
 * Builds the sandbox router. Registration order matters (first matching pattern wins, as
 * in Django): literal sub-paths such as `/userstories/by_ref` come before `/userstories/:id`.
 *
 * @module
 */

import { authRoutes } from "../auth.ts";
import { KINDS } from "../kinds.ts";
import { Router } from "../router.ts";
import type { TokenService } from "../tokens.ts";
import { attachmentRoutes } from "./attachments.ts";
import { externalAppRoutes } from "./external_apps.ts";
import { historyRoutes } from "./history.ts";
import { itemCollectionActions, itemDetailActions } from "./item_actions.ts";
import { itemCollectionRoutes, itemDetailRoutes } from "./items.ts";
import { membershipRoutes } from "./memberships.ts";
import { milestoneRoutes } from "./milestones.ts";
import { projectRoutes } from "./projects.ts";
import { searchRoutes } from "./search.ts";
import { settingsRoutes } from "./settings.ts";
import { statsRoutes } from "./stats.ts";
import { tagRoutes } from "./tags.ts";
import { sprintMoveRoutes } from "./sprint_moves.ts";
import { timelineRoutes } from "./timeline.ts";
import { userRoutes } from "./users.ts";
import { webhookRoutes } from "./webhooks.ts";
import { wikiAllRoutes } from "./wiki.ts";

/** The router with every sandbox route. */
export function buildRouter(tokens: TokenService): Router {
  const router = new Router();
  authRoutes(router, tokens);
  statsRoutes(router);
  userRoutes(router);
  tagRoutes(router);
  projectRoutes(router);
  settingsRoutes(router);
  membershipRoutes(router);
  attachmentRoutes(router);
  const kinds = Object.values(KINDS);
  for (const def of kinds) itemCollectionRoutes(router, def);
  itemCollectionActions(router, kinds);
  itemDetailActions(router);
  for (const def of kinds) itemDetailRoutes(router, def);
  milestoneRoutes(router);
  sprintMoveRoutes(router);
  wikiAllRoutes(router);
  historyRoutes(router);
  searchRoutes(router);
  timelineRoutes(router);
  webhookRoutes(router);
  externalAppRoutes(router);
  return router;
}
