/**
 * get_timeline: what happened in a project, what a person did, or what happened to the items a
 * person is involved in — newest first, within a time window, narrowed by kind, one line per
 * event. Taiga's timelines (`/timeline/project|user|profile/{id}`) filter nothing but the
 * caller's view, so the window is walked page by page and filtered here; the user timeline's
 * repeats (one row per related person) and comment edits' repeats are folded into one event.
 * @module
 */

import { z } from "zod";
import {
  ALL_ITEMS_CAP,
  listInput,
  listOutput,
  openObject,
  projectField,
  verboseField,
} from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { Session } from "../sessions/store.ts";
import { InputError } from "../taiga/errors.ts";
import { fetchPage } from "../taiga/pagination.ts";
import type { PeopleNames } from "./history_changes.ts";
import { type Person, personField, resolvePerson } from "./history_people.ts";
import { projectPeople } from "./history_target.ts";
import {
  compactEvent,
  eventKey,
  eventKind,
  type TimelineKind,
  timelineKindsField,
} from "./timeline_events.ts";
import { parseWhen, WHEN_FORMS } from "./timeline_since.ts";

type Raw = Record<string, unknown>;

/** Rows asked of Taiga per page while walking a window. */
const WALK_PAGE = 200;

/** Which timeline is read and how its rows are kept. */
interface Source {
  /** `timeline/<project|user|profile>/<id>`. */
  path: string;
  /** In words, for the output. */
  scope: string;
  /** Keeps a row (project, actor). */
  keep(event: Raw): boolean;
  /** Usernames for change lines. */
  people: PeopleNames;
  /** Events span projects: say which. */
  crossProject: boolean;
}

function actorIs(person: Person | undefined): (event: Raw) => boolean {
  if (!person) return () => true;
  return (event) => ((event.data as Raw | undefined)?.user as Raw | undefined)?.id === person.id;
}

async function sourceOf(
  session: Session,
  ctx: RequestContext,
  args: { project?: string | number; person?: string | number; involving?: string | number },
): Promise<Source> {
  const meta = args.project === undefined
    ? undefined
    : await ctx.metadata.get(session, args.project, ctx.signal);
  const [person, involving] = await Promise.all([
    args.person === undefined ? undefined : resolvePerson(session, ctx, args.person, args.project),
    args.involving === undefined
      ? undefined
      : resolvePerson(session, ctx, args.involving, args.project),
  ]);
  const people = meta ? projectPeople(meta) : {};
  const by = person ? ` by ${person.username}` : "";
  if (involving) {
    return {
      path: `timeline/profile/${involving.id}`,
      scope: `items ${involving.username} is involved in${meta ? ` in ${meta.slug}` : ""}${by}`,
      keep: (event) => (!meta || event.project === meta.id) && actorIs(person)(event),
      people,
      crossProject: !meta,
    };
  }
  if (meta) {
    return {
      path: `timeline/project/${meta.id}`,
      scope: `project ${meta.slug}${by}`,
      keep: actorIs(person),
      people,
      crossProject: false,
    };
  }
  if (!person) {
    throw new InputError(
      'Say whose timeline: "project", "person" (what they did) or "involving" (their items).',
      { argument: "project" },
    );
  }
  return {
    path: `timeline/user/${person.id}`,
    scope: `what ${person.username} did`,
    keep: () => true,
    people,
    crossProject: true,
  };
}

/**
 * The events of `source` from `since` to `until` (newest first, repeats folded), walking pages
 * until one is older than `since`; `truncated` when ALL_ITEMS_CAP rows were read first.
 */
async function walkWindow(
  session: Session,
  ctx: RequestContext,
  source: Source,
  window: { since: number; until?: number; kinds?: readonly TimelineKind[] },
): Promise<{ events: Raw[]; truncated: boolean }> {
  const found = new Map<string, Raw>();
  let read = 0;
  for (let page = 1;; page++) {
    const result = await fetchPage<Raw>(session.client, source.path, {}, {
      page,
      pageSize: WALK_PAGE,
      signal: ctx.signal,
    });
    read += result.items.length;
    let past = false;
    for (const event of result.items) {
      const at = Date.parse(String(event.created));
      if (at < window.since) {
        past = true;
        break;
      }
      if (window.until !== undefined && at >= window.until) continue;
      if (!source.keep(event)) continue;
      const kind = eventKind(event);
      if (window.kinds && !(kind && window.kinds.includes(kind))) continue;
      const key = eventKey(event);
      const seen = found.get(key);
      if (!seen || Number(event.id) > Number(seen.id)) found.set(key, event);
    }
    if (past || !result.hasNext || result.items.length === 0) {
      return { events: [...found.values()], truncated: false };
    }
    if (read >= ALL_ITEMS_CAP) return { events: [...found.values()], truncated: true };
    await ctx.progress(read, result.total, `read ${read} events`);
  }
}

const getTimeline = defineTool({
  name: "get_timeline",
  title: "Project or person timeline",
  description:
    'Activity newest first, one line each (who changed, commented, created what): a project\'s, what a person did, or on their items. E.g. {"project":"jane-website","since":"monday","kinds":["issue"]}.',
  toolset: "history",
  readOnly: true,
  input: () => ({
    project: projectField().optional(),
    person: personField().optional().describe('Only what this person did: username, "me" or id'),
    involving: personField().optional().describe(
      "Events, by anyone, on items this person owns, is assigned to or watches",
    ),
    since: z.string().trim().min(1).max(100).default("7d").describe(
      'From: ISO date/time, or "yesterday", "monday", "last week", "7d", "24h" (UTC). Default 7d',
    ),
    until: z.string().trim().min(1).max(100).optional().describe(
      "Up to (not including), same forms",
    ),
    kinds: timelineKindsField(),
    verbose: verboseField(),
    ...listInput(),
  }),
  output: () => ({
    scope: z.string(),
    since: z.string(),
    until: z.string().optional(),
    events: z.array(openObject()).describe("{at, by, kind?, ref?, project?, what}"),
    ...listOutput(),
    note: z.string().optional(),
  }),
  handler: async (args, ctx) => {
    const now = Date.now();
    const since = parseWhen(args.since, now, "since");
    const until = args.until === undefined ? undefined : parseWhen(args.until, now, "until");
    if (until !== undefined && until <= since) {
      throw new InputError(
        `"until" (${new Date(until).toISOString()}) must be after "since" (${
          new Date(since).toISOString()
        }). Each takes ${WHEN_FORMS}.`,
        { argument: "until" },
      );
    }
    const session = await ctx.session();
    const source = await sourceOf(session, ctx, args);
    const walked = await walkWindow(session, ctx, source, { since, until, kinds: args.kinds });
    const total = walked.events.length;
    const start = args.all ? 0 : (args.page - 1) * args.limit;
    const shown = args.all ? walked.events : walked.events.slice(start, start + args.limit);
    const hasMore = args.all ? walked.truncated : start + shown.length < total || walked.truncated;
    return {
      scope: source.scope,
      since: new Date(since).toISOString(),
      ...(until === undefined ? {} : { until: new Date(until).toISOString() }),
      events: shown.map((event) =>
        args.verbose ? event : compactEvent(event, source.people, source.crossProject)
      ),
      total,
      returned: shown.length,
      page: args.all ? 1 : args.page,
      has_more: hasMore,
      ...(!args.all && start + shown.length < total ? { next_page: args.page + 1 } : {}),
      ...(walked.truncated
        ? {
          truncated: true,
          note:
            `Only the newest ${ALL_ITEMS_CAP} timeline rows were read; narrow "since" or "until" to see older events.`,
        }
        : {}),
    };
  },
});

/** Timeline tools (exported through historyTools). */
export const timelineTools: readonly AnyTool[] = [getTimeline];
