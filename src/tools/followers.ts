/**
 * Who follows an item: its watchers or its voters, for every kind, in one tool
 * (`list_followers`) with a `list` mode instead of eight near-identical ones. People come back as
 * usernames with their display names, never bare user ids.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import { itemProjectField, itemRefField, kindField, listInput, listOutput } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { listItems } from "../mcp/listing.ts";
import { kindOfArg } from "../taiga/kinds.ts";
import { fetchItem } from "../taiga/reads.ts";

type Raw = Record<string, unknown>;

const personSchema = lazy(() =>
  z.object({ username: z.string(), full_name: z.string().optional() })
);

/** A person of Taiga's `watchers`/`voters` lists as username and display name. */
function person(raw: Raw): z.infer<ReturnType<typeof personSchema>> {
  const username = String(raw.username ?? `user ${raw.id}`);
  const fullName = typeof raw.full_name === "string" ? raw.full_name.trim() : "";
  return { username, ...(fullName !== "" && fullName !== username ? { full_name: fullName } : {}) };
}

const listFollowers = defineTool({
  name: "list_followers",
  title: "List an item's watchers or voters",
  description:
    'Who watches (list "watchers") or voted for (list "voters") a user story, task, issue or epic, as usernames. E.g. {"kind":"issue","project":"jane-website","item":"#9","list":"voters"}.',
  toolset: "items_extra",
  readOnly: true,
  input: () => ({
    kind: kindField(),
    item: itemRefField(),
    project: itemProjectField(),
    list: z.enum(["watchers", "voters"]).default("watchers"),
    ...listInput(),
  }),
  output: () => ({
    item: z.object({ kind: z.string(), ref: z.number(), subject: z.string() }),
    list: z.string(),
    people: z.array(personSchema()),
    you: z.boolean().describe("Whether you are in this list"),
    ...listOutput(),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const info = kindOfArg(args.kind);
    const item = await fetchItem(session.client, info.kind, args.project, args.item, ctx.signal);
    const listed = await listItems<Raw>(
      session.client,
      `${info.path}/${item.id}/${args.list}`,
      {},
      args,
      ctx,
    );
    const flag = args.list === "watchers" ? item.is_watcher : item.is_voter;
    return {
      item: { kind: args.kind, ref: item.ref, subject: String(item.subject ?? "") },
      list: args.list,
      people: listed.items.map(person),
      you: flag === true,
      ...listed.paging,
    };
  },
});

/** Watcher and voter lists of any item (toolset `items_extra`). */
export const followerTools: readonly AnyTool[] = [listFollowers];
