/**
 * Items named the way a person names them — id, `#ref` with a project, or a Taiga URL — and read
 * safely: a ref needs its project, an id must belong to the project named, not found is a clear
 * error, and many refs cost one list walk instead of a request each.
 * @module
 */

import type { Session } from "../sessions/store.ts";
import type { QueryValue } from "../taiga/client.ts";
import { TaigaError } from "../taiga/errors.ts";
import { type ItemKind, KINDS } from "../taiga/kinds.ts";
import { fetchAll } from "../taiga/pagination.ts";
import type { RawItem } from "./resolve.ts";

/** An item reference as parsed from what a person wrote. */
export interface ParsedRef {
  /** Item id (a JSON number, or digits without a project). */
  id?: number;
  /** Project-wide reference number (`#12`). */
  ref?: number;
  /** Project slug, when the reference was a Taiga URL. */
  project?: string;
}

const URL_REF = /\/project\/([^/?#]+)\/(us|task|issue|epic)\/(\d+)/;

/**
 * Parses an item reference: a number is an id; `"#12"` is a ref; a Taiga URL
 * (`…/project/<slug>/us/12`) is a ref in that project; `"12"` is a ref when a project is given,
 * otherwise an id.
 */
export function parseRef(value: string | number, hasProject: boolean): ParsedRef {
  if (typeof value === "number") {
    if (Number.isInteger(value) && value > 0) return { id: value };
  } else {
    const text = value.trim();
    const url = URL_REF.exec(text);
    if (url) return { project: decodeURIComponent(url[1]), ref: Number(url[3]) };
    const hash = /^#\s*(\d+)$/.exec(text);
    if (hash) return { ref: Number(hash[1]) };
    const digits = /^(\d+)$/.exec(text);
    if (digits && Number(digits[1]) > 0) {
      return hasProject ? { ref: Number(digits[1]) } : { id: Number(digits[1]) };
    }
    const refWord = /^ref\s*[:=]?\s*(\d+)$/i.exec(text);
    if (refWord) return { ref: Number(refWord[1]) };
  }
  throw new TaigaError(
    "input",
    `"${
      String(value)
    }" is not an item reference. Use an id (e.g. 1234), a #ref with a project (e.g. "#12"), or a Taiga URL.`,
    { details: { argument: "item", value: String(value) } },
  );
}

/**
 * Runs `read`; when Taiga answers not found, throws a "not_found" TaigaError (status 404) with
 * `message`, which says what was looked for and how to find it. Any other failure passes through.
 */
export async function readOrNotFound<T>(read: () => Promise<T>, message: string): Promise<T> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof TaigaError && error.type === "not_found") {
      throw new TaigaError("not_found", message, { status: 404 });
    }
    throw error;
  }
}

/** The not-found message for `what` (e.g. "sprint with id 7"), naming the list tool that finds it. */
export function noSuchMessage(what: string, listTool: string): string {
  return `There is no ${what} (it may have been deleted, or you cannot see it). Use ${listTool} to find it.`;
}

function projectQuery(project: number | string): Record<string, string | number> {
  const id = typeof project === "number" ? project : Number(project);
  return Number.isInteger(id) && id > 0 ? { project: id } : { project__slug: String(project) };
}

/**
 * Reads an item by id, `#ref` or URL (see {@link parseRef}); a ref needs `project` (id or slug).
 * Not found becomes a clear "not_found" error naming what was looked for.
 */
export async function fetchItem(
  session: Session,
  kind: ItemKind,
  project: number | string | undefined,
  value: string | number,
  signal?: AbortSignal,
  extraQuery: Record<string, QueryValue> = {},
): Promise<RawItem> {
  const info = KINDS[kind];
  const parsed = parseRef(value, project !== undefined);
  const inProject = parsed.project ?? project;
  const which = parsed.id !== undefined
    ? `with id ${parsed.id}`
    : `#${parsed.ref} in project ${inProject}`;
  return await readOrNotFound(async () => {
    if (parsed.id !== undefined) {
      const item = await session.client.get<RawItem>(
        `${info.path}/${parsed.id}`,
        extraQuery,
        signal,
      );
      if (project !== undefined) assertInProject(item, project, info.label);
      return item;
    }
    if (inProject === undefined) {
      throw new TaigaError(
        "input",
        `A #ref needs the project: pass "project" (slug or id) along with ${info.label} "${value}".`,
        { details: { argument: "project" } },
      );
    }
    const item = await session.client.get<RawItem>(
      `${info.path}/by_ref`,
      { ref: parsed.ref, ...projectQuery(inProject), ...extraQuery },
      signal,
    );
    // A URL names its own project: it must still be the one the caller named.
    if (project !== undefined && parsed.project !== undefined) {
      assertInProject(item, project, info.label);
    }
    return item;
  }, noSuchMessage(`${info.label} ${which}`, `list_${info.plural}`));
}

/**
 * Refuses an item fetched by id that lives in another project than the one the caller named: a
 * bare number is an id, and acting on another project's item by mistake must not happen.
 */
function assertInProject(item: RawItem, project: number | string, label: string): void {
  const extra = (item.project_extra_info ?? {}) as { slug?: string };
  const matches = typeof project === "number" || /^\d+$/.test(String(project))
    ? Number(project) === item.project
    : String(project).toLowerCase() === extra.slug?.toLowerCase();
  if (matches) return;
  throw new TaigaError(
    "input",
    `The ${label} with id ${item.id} belongs to project ${
      extra.slug ?? item.project
    }, not ${project}: a bare number is an item id. To name an item by its ref in ${project}, pass it as "#12".`,
    { details: { argument: "item", id: item.id, project: extra.slug ?? item.project } },
  );
}

/** The id of an item named by id, `#ref` or URL; a ref costs one `by_ref` request. */
export async function resolveItemRef(
  session: Session,
  kind: ItemKind,
  project: number | string | undefined,
  value: string | number,
  signal?: AbortSignal,
): Promise<number> {
  const parsed = parseRef(value, project !== undefined);
  if (parsed.id !== undefined) return parsed.id;
  return (await fetchItem(session, kind, project, value, signal)).id;
}

/** The ids of several items (see {@link resolveItemRef}); refs are looked up in parallel. */
export async function resolveItemRefs(
  session: Session,
  kind: ItemKind,
  project: number | string | undefined,
  values: ReadonlyArray<string | number>,
  signal?: AbortSignal,
): Promise<number[]> {
  if (values.length > BATCH_THRESHOLD && project !== undefined) {
    // Many refs: one walk of the project's list (1000 a page) instead of a request per ref,
    // which would also run into RATE_LIMIT_REQUESTS. Anything not found there is looked up
    // singly, which gives the usual clear error.
    const listed = await fetchAll<RawItem>(
      session.client,
      KINDS[kind].path,
      projectQuery(project),
      {
        maxItems: 100_000,
        signal,
      },
    );
    const byRef = new Map(listed.items.map((item) => [item.ref, item.id]));
    const ids = new Set(listed.items.map((item) => item.id));
    return await Promise.all(values.map((value) => {
      const parsed = parseRef(value, true);
      if (parsed.project === undefined) {
        if (parsed.id !== undefined && ids.has(parsed.id)) return parsed.id;
        if (parsed.ref !== undefined && byRef.has(parsed.ref)) return byRef.get(parsed.ref)!;
      }
      return resolveItemRef(session, kind, project, value, signal);
    }));
  }
  return await Promise.all(
    values.map((value) => resolveItemRef(session, kind, project, value, signal)),
  );
}

/** Above this many refs, resolveItemRefs reads the project's list once. */
const BATCH_THRESHOLD = 5;
