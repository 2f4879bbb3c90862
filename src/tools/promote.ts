/**
 * Promoting an issue or a task to a user story (Taiga's promote_to_user_story), which links the
 * new story back to what it came from.
 * @module
 */

import { z } from "zod";
import { itemProjectField, itemRefField } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { KINDS } from "../taiga/kinds.ts";
import { fetchItem } from "../taiga/reads.ts";

/** The promote tool. */
export const promoteTool: AnyTool = defineTool({
  name: "promote_to_user_story",
  title: "Promote an issue or task to a user story",
  description:
    'Turn an issue (kept, linked) or a task (deleted) into a user story. E.g. {"kind":"issue","project":"jane-website","item":"#9"}.',
  toolset: KINDS.issue.toolset,
  readOnly: false,
  input: {
    kind: z.enum(["issue", "task"]).default("issue").describe('"issue" (default) or "task"'),
    item: itemRefField.describe('The issue or task: "#ref" with project, or id'),
    project: itemProjectField,
  },
  output: {
    user_stories: z.array(z.string()).describe('Refs of the new user stories, e.g. ["#14"]'),
    from: z.string(),
  },
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const info = KINDS[args.kind];
    const raw = await fetchItem(session.client, info.kind, args.project, args.item, ctx.signal);
    const refs = await session.client.post<unknown>(
      `${info.path}/${raw.id}/promote_to_user_story`,
      { project_id: raw.project },
      ctx.signal,
    );
    const list = Array.isArray(refs) ? refs : [refs];
    return { user_stories: list.map((ref) => `#${ref}`), from: `${info.label} #${raw.ref}` };
  },
});
