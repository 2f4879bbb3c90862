/**
 * search_project: Taiga's project-wide full-text search (`GET search?project=&text=`) as compact
 * hits per kind — #ref, subject and status name — plus how many each kind matched.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import type { NamedValue } from "../domain/metadata.ts";
import { projectField } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { ITEM_KINDS, KINDS } from "../taiga/kinds.ts";

type Raw = Record<string, unknown>;

/** Taiga returns at most this many hits per kind (`SEARCHES_MAX_RESULTS`). */
export const SEARCH_MAX_PER_KIND = 150;

const hitSchema = lazy(() =>
  z.object({
    ref: z.number(),
    subject: z.string(),
    status: z.string().nullable().describe("Status name"),
  })
);

const wikiHitSchema = lazy(() => z.object({ slug: z.string() }));

/** The status name of a search hit: Taiga gives an id (or, in some versions, extra info). */
function statusName(hit: Raw, statuses: readonly NamedValue[]): string | null {
  const extra = hit.status_extra_info as Raw | null | undefined;
  if (extra && typeof extra.name === "string") return extra.name;
  if (hit.status && typeof hit.status === "object") {
    const name = (hit.status as Raw).name;
    if (typeof name === "string") return name;
  }
  const id = Number(hit.status);
  return statuses.find((status) => status.id === id)?.name ?? null;
}

const searchProject = defineTool({
  name: "search_project",
  title: "Search a project",
  description:
    'Full-text search in a project\'s stories, tasks, issues, epics and wiki: hits per kind (#ref, subject, status). E.g. {"project":"jane-website","text":"checkout"}.',
  toolset: "metadata",
  readOnly: true,
  input: () => ({
    project: projectField(),
    text: z.string().trim().min(1, "text must not be empty").max(500).describe(
      'What to look for (words, a tag, or a ref such as "#12")',
    ),
    limit: z.number().int().min(1).max(SEARCH_MAX_PER_KIND).default(20).describe(
      `Most hits returned per kind (1-${SEARCH_MAX_PER_KIND}, default 20); counts are not cut`,
    ),
  }),
  output: () => ({
    project: z.string().describe("Project slug"),
    text: z.string(),
    user_stories: z.array(hitSchema()),
    tasks: z.array(hitSchema()),
    issues: z.array(hitSchema()),
    epics: z.array(hitSchema()),
    wiki_pages: z.array(wikiHitSchema()),
    counts: z.record(z.string(), z.number()).describe(
      `Hits per kind as Taiga counted them (Taiga stops at ${SEARCH_MAX_PER_KIND} per kind) and total`,
    ),
    truncated: z.boolean().optional().describe(
      "True when some kind had more hits than limit; raise limit to see them",
    ),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    const found = await session.client.get<Raw>(
      "search",
      { project: meta.id, text: args.text },
      ctx.signal,
    );
    const listOf = (key: string): Raw[] => {
      const value = found?.[key];
      return Array.isArray(value) ? value as Raw[] : [];
    };
    const counts: Record<string, number> = {};
    const hits: Record<string, Array<z.infer<ReturnType<typeof hitSchema>>>> = {};
    let truncated = false;
    for (const kind of ITEM_KINDS) {
      const info = KINDS[kind];
      const raw = listOf(info.path);
      counts[info.plural] = raw.length;
      truncated ||= raw.length > args.limit;
      hits[info.plural] = raw.slice(0, args.limit).map((hit) => ({
        ref: Number(hit.ref),
        subject: String(hit.subject ?? ""),
        status: statusName(hit, meta.statuses[kind]),
      }));
    }
    const wiki = listOf("wikipages");
    counts.wiki_pages = wiki.length;
    truncated ||= wiki.length > args.limit;
    counts.total = Object.values(counts).reduce((sum, n) => sum + n, 0);
    return {
      project: meta.slug,
      text: args.text,
      user_stories: hits.user_stories ?? [],
      tasks: hits.tasks ?? [],
      issues: hits.issues ?? [],
      epics: hits.epics ?? [],
      wiki_pages: wiki.slice(0, args.limit).map((page) => ({ slug: String(page.slug ?? "") })),
      counts,
      ...(truncated ? { truncated: true } : {}),
    };
  },
});

/** Search tools (toolset `metadata`, in the default selection). */
export const searchTools: readonly AnyTool[] = [searchProject];
