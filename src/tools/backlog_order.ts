/**
 * reorder_backlog: stories put in order in the backlog, or in a sprint when one is named. Taiga's
 * backlog order without a sprint takes the stories out of theirs, so sprint stories are refused
 * there (reorder_board orders a sprint without moving anything).
 * @module
 */

import { z } from "zod";
import { resolveSprint, withMetadata } from "../domain/names.ts";
import { itemRefField, projectField } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { InputError } from "../taiga/errors.ts";
import { fetchItems, resolveItemRef } from "../taiga/reads.ts";
import { EXTRA_TOOLSET } from "./items_actions.ts";
import { nameOrId, storyRefs } from "./items_fields.ts";

/** reorder_backlog. */
export const reorderBacklog: AnyTool = defineTool({
  name: "reorder_backlog",
  title: "Reorder the backlog",
  description:
    'Put user stories, in the given order, right after (or before) another story of the backlog — or of a sprint when sprint is given (they move into it). Example: {"project":"jane-website","stories":["#15","#12"],"after":"#3"}.',
  toolset: EXTRA_TOOLSET,
  readOnly: false,
  input: () => ({
    project: projectField(),
    stories: storyRefs(),
    after: itemRefField().optional().describe("Place them right after this story"),
    before: itemRefField().optional().describe("Place them right before this story"),
    sprint: nameOrId().optional().describe("Order within this sprint instead of the backlog"),
  }),
  output: () => ({
    ordered: z.array(z.string()).describe('The stories in their new order, by ref (e.g. ["#12"])'),
  }),
  annotations: { idempotentHint: true },
  handler: async (args, ctx) => {
    if (args.after !== undefined && args.before !== undefined) {
      throw new InputError('Pass "after" or "before", not both.');
    }
    const session = await ctx.session();
    return await withMetadata(ctx, session, args.project, async (meta) => {
      const sprint = args.sprint === undefined ? undefined : resolveSprint(meta, args.sprint);
      const stories = await fetchItems(
        session.client,
        "userstory",
        meta.id,
        args.stories,
        ctx.signal,
      );
      // Taiga's backlog order without a sprint takes the stories out of theirs: refuse that.
      const planned = sprint === undefined ? stories.filter((story) => story.milestone) : [];
      if (planned.length > 0) {
        const where = planned.map((story) =>
          `#${story.ref} (${story.milestone_name ?? "a sprint"})`
        )
          .join(", ");
        throw new InputError(
          `${where} ${
            planned.length === 1 ? "is" : "are"
          } in a sprint: ordering them in the backlog would take them out of it. To order within a sprint pass sprint; to move stories to the backlog use move_stories_to_sprint with sprint "backlog". Nothing was changed.`,
          { argument: "sprint" },
        );
      }
      const ids = stories.map((story) => story.id);
      const twice = stories.filter((story, i) => ids.indexOf(story.id) !== i);
      if (twice.length > 0) {
        throw new InputError(
          `${
            twice.map((story) => `#${story.ref}`).join(", ")
          } appears more than once in stories: name each story once.`,
          { argument: "stories" },
        );
      }
      const anchor = args.after ?? args.before;
      const anchorId = anchor === undefined
        ? undefined
        : await resolveItemRef(session.client, "userstory", meta.id, anchor, ctx.signal);
      const itself = stories.find((story) => story.id === anchorId);
      if (itself) {
        throw new InputError(
          `#${itself.ref} cannot be placed relative to itself: name another story in "${
            args.after !== undefined ? "after" : "before"
          }".`,
          { argument: args.after !== undefined ? "after" : "before" },
        );
      }
      await session.client.post("userstories/bulk_update_backlog_order", {
        project_id: meta.id,
        ...(sprint !== undefined ? { milestone_id: sprint } : {}),
        ...(anchorId !== undefined
          ? { [args.after !== undefined ? "after_userstory_id" : "before_userstory_id"]: anchorId }
          : {}),
        bulk_userstories: ids,
      }, ctx.signal);
      return { ordered: stories.map((story) => `#${story.ref}`) };
    });
  },
});
