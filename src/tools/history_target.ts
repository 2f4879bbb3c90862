/**
 * What an item's history is read from: any work item (by the kind table) or a wiki page, named
 * as everywhere else; its history path, a short label, and the project's people for usernames.
 * Also finds one comment of it by id, and names the people of a project for change lines.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import type { ProjectMetadata } from "../domain/metadata.ts";
import { fetchWikiPage } from "../domain/refs.ts";
import { ALL_ITEMS_CAP } from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import type { Session } from "../sessions/store.ts";
import { InputError, shortValue } from "../taiga/errors.ts";
import { KIND_ARGS, kindOfArg } from "../taiga/kinds.ts";
import { fetchAll } from "../taiga/pagination.ts";
import { fetchItem } from "../taiga/reads.ts";
import type { PeopleNames } from "./history_changes.ts";

type Raw = Record<string, unknown>;

/** The `kind` argument of the history tools: the item kinds plus wiki pages. */
export const targetKindField: () => z.ZodEnum<
  { [K in typeof KIND_ARGS[number] | "wiki_page"]: K }
> = lazy(() => z.enum([...KIND_ARGS, "wiki_page"]));

/** The kinds a history can be read of. */
export type TargetKind = z.infer<ReturnType<typeof targetKindField>>;

/** Output schema of the object a history belongs to. */
export const targetSchema: () => z.ZodObject<{
  kind: z.ZodString;
  id: z.ZodNumber;
  ref: z.ZodOptional<z.ZodNumber>;
  subject: z.ZodOptional<z.ZodString>;
  slug: z.ZodOptional<z.ZodString>;
  project: z.ZodString;
}> = lazy(() =>
  z.object({
    kind: z.string(),
    id: z.number(),
    ref: z.number().optional(),
    subject: z.string().optional(),
    slug: z.string().optional().describe("Wiki pages"),
    project: z.string().describe("Project slug"),
  })
);

/** An item or wiki page whose history is read. */
export interface Target {
  /** `history/<path>` of it, e.g. `history/userstory/12`. */
  path: string;
  /** How a person names it: `user story #3`, `wiki page home`. */
  label: string;
  /** Its summary for the output. */
  summary: z.infer<ReturnType<typeof targetSchema>>;
  /** Its project's metadata (members, for usernames). */
  meta: ProjectMetadata;
}

/** Reads the item or wiki page named by `kind`, `item` and `project`. */
export async function resolveTarget(
  session: Session,
  ctx: RequestContext,
  kind: TargetKind,
  item: string | number,
  project: string | number | undefined,
): Promise<Target> {
  if (kind === "wiki_page") {
    const page = await fetchWikiPage(session, ctx, item, project);
    const meta = await ctx.metadata.get(session, Number(page.project), ctx.signal);
    return {
      path: `history/wiki/${page.id}`,
      label: `wiki page ${page.slug}`,
      summary: { kind, id: Number(page.id), slug: String(page.slug), project: meta.slug },
      meta,
    };
  }
  const info = kindOfArg(kind);
  const raw = await fetchItem(session.client, info.kind, project, item, ctx.signal);
  const meta = await ctx.metadata.get(session, Number(raw.project), ctx.signal);
  return {
    path: `history/${info.historyKey}/${raw.id}`,
    label: `${info.label} #${raw.ref}`,
    summary: { kind, id: raw.id, ref: raw.ref, subject: String(raw.subject), project: meta.slug },
    meta,
  };
}

/** Usernames of a project's members, by id and by display name (names that two share are left). */
export function projectPeople(meta: ProjectMetadata): PeopleNames {
  const byName = new Map<string, string | null>();
  for (const member of meta.members) {
    const name = member.full_name || member.username;
    byName.set(name, byName.has(name) ? null : member.username);
  }
  return {
    byId: (id) => meta.members.find((member) => member.id === id)?.username,
    byName: (name) => byName.get(name) ?? undefined,
  };
}

/** The comment entry `id` of `target`'s history; a clear error when it has none such. */
export async function findComment(
  session: Session,
  ctx: RequestContext,
  target: Target,
  id: string,
): Promise<Raw> {
  const comments = await fetchAll<Raw>(session.client, target.path, { type: "comment" }, {
    maxItems: ALL_ITEMS_CAP,
    signal: ctx.signal,
  });
  const found = comments.items.find((entry) => entry.id === id);
  if (found) return found;
  throw new InputError(
    `The ${target.label} has no comment with id "${
      shortValue(id)
    }" (it has ${comments.total}). Call get_item_history with only: "comments" to see their ids.`,
    { argument: "comment_id" },
  );
}
