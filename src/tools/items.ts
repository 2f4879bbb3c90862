/**
 * Every work-item tool: the generated CRUD tools of each kind, the cross-kind actions and the
 * kind-specific extras.
 * @module
 */

import type { AnyTool } from "../mcp/define.ts";
import { ITEM_KINDS, KINDS } from "../taiga/kinds.ts";
import { epicExtraTools } from "./epic_extras.ts";
import { itemActionTools } from "./items_actions.ts";
import { crudTools } from "./items_crud.ts";
import { storyExtraTools } from "./story_extras.ts";

/** Item tools (stories, tasks, issues, epics). */
export const itemTools: readonly AnyTool[] = [
  ...ITEM_KINDS.flatMap((kind) => crudTools(KINDS[kind])),
  ...storyExtraTools,
  ...epicExtraTools,
  ...itemActionTools,
];
