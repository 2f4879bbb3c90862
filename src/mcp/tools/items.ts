/**
 * Every work-item tool: the generated CRUD tools of each kind, the cross-kind actions and the
 * kind-specific extras.
 * @module
 */

import { ITEM_KINDS, KINDS } from "../../taiga/kinds.ts";
import type { AnyTool } from "../tool.ts";
import { crudTools } from "./items_crud.ts";

/** Item tools (stories, tasks, issues, epics). */
export const itemTools: readonly AnyTool[] = [
  ...ITEM_KINDS.flatMap((kind) => crudTools(KINDS[kind])),
];
