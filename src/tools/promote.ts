/**
 * Promoting an issue or a task to a user story (Taiga's promote_to_user_story), which links the
 * new story back to what it came from.
 * @module
 */

import { z } from "zod";
import { confirmField, itemProjectField, itemRefField } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { shortValue } from "../taiga/errors.ts";
import { KINDS } from "../taiga/kinds.ts";
import { fetchItem } from "../taiga/reads.ts";

/** The promote tool. */
export const promoteTool: AnyTool = defineTool({
  name: "promote_to_user_story",
  title: "Promote an issue or task to a user story",
  description:
    'Turn an issue (kept, linked) or a task (deleted; the person is asked first) into a user story. E.g. {"kind":"issue","project":"jane-website","item":"#9"}.',
  toolset: KINDS.issue.toolset,
  readOnly: false,
  input: () => ({
    kind: z.enum(["issue", "task"]).default("issue").describe('"issue" (default) or "task"'),
    item: itemRefField().describe('The issue or task: "#ref" with project, or id'),
    project: itemProjectField(),
    confirm: confirmField(),
  }),
  annotations: { destructiveHint: true },
  output: () => ({
    user_stories: z.array(z.string()).describe('Refs of the new user stories, e.g. ["#14"]'),
    from: z.string(),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const info = KINDS[args.kind];
    const raw = await fetchItem(session.client, info.kind, args.project, args.item, ctx.signal);
    const earlier = Array.isArray(raw.generated_user_stories)
      ? raw.generated_user_stories as Array<{ ref?: number; subject?: string }>
      : [];
    if (earlier.length > 0) {
      // Taiga promotes again without a word: a retried call would make a second story.
      const made = earlier.map((story) => `#${story.ref} "${shortValue(story.subject)}"`).join(
        ", ",
      );
      await ctx.confirm(
        `${info.label} #${raw.ref} was already promoted to ${made}. Promote it again, making another user story?`,
        args.confirm,
      );
    }
    if (info.kind === "task") {
      await ctx.confirm(
        `Promote task #${raw.ref} "${
          shortValue(raw.subject)
        }" to a user story? The story gets its subject, description, comments, attachments and watchers; the task itself is deleted, with its change history.`,
        args.confirm,
      );
    }
    const refs = await session.client.post<unknown>(
      `${info.path}/${raw.id}/promote_to_user_story`,
      { project_id: raw.project },
      ctx.signal,
    );
    const list = Array.isArray(refs) ? refs : [refs];
    return { user_stories: list.map((ref) => `#${ref}`), from: `${info.label} #${raw.ref}` };
  },
});
