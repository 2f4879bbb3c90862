/**
 * Reads by what a person writes: projects by id or slug, items by id, `#ref` with a project or
 * a Taiga URL, sprints by id. A ref needs its project, an id must belong to the project named,
 * not found is a clear error naming the list tool, and many refs cost one list walk instead of a
 * request each.
 * @module
 */

import type { TaigaClient } from "./client.ts";
import { InputError, noSuchMessage, readOrNotFound, shortValue, TaigaError } from "./errors.ts";
import { type ItemKind, KINDS } from "./kinds.ts";
import { fetchAll } from "./pagination.ts";
import type { RawItem, RawProject, RawRecord } from "./types.ts";
import type { QueryValue } from "./url.ts";

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

/** A project slug from a URL; a malformed %-escape is a wrong reference, not a crash. */
function decodeSlug(text: string): string {
  try {
    return decodeURIComponent(text);
  } catch {
    throw new InputError(
      `"${shortValue(text)}" in the URL is not a valid project slug (a malformed %-escape).`,
      { argument: "item" },
    );
  }
}

/**
 * Parses an item reference: a number is an id; `"#12"` is a ref; a Taiga URL
 * (`…/project/<slug>/us/12`) is a ref in that project; `"12"` is a ref when a project is given,
 * otherwise an id.
 */
export function parseRef(value: string | number, hasProject: boolean): ParsedRef {
  const parsed = parseRefText(value, hasProject);
  const number = parsed.id ?? parsed.ref!;
  // Taiga's ids and refs are Postgres integers; a longer number would also lose digits here.
  if (number > MAX_TAIGA_INT) {
    throw new InputError(
      `"${shortValue(value)}" is larger than any Taiga id or ref (at most ${MAX_TAIGA_INT}).`,
      { argument: "item", value: shortValue(value) },
    );
  }
  return parsed;
}

/** The largest id or ref Taiga can hold (a Postgres integer). */
const MAX_TAIGA_INT = 2_147_483_647;

function parseRefText(value: string | number, hasProject: boolean): ParsedRef {
  if (typeof value === "number") {
    if (Number.isInteger(value) && value > 0) return { id: value };
  } else {
    const text = value.trim();
    const url = URL_REF.exec(text);
    if (url) return { project: decodeSlug(url[1]), ref: Number(url[3]) };
    const hash = /^#\s*(\d+)$/.exec(text);
    if (hash) return { ref: Number(hash[1]) };
    const digits = /^(\d+)$/.exec(text);
    if (digits && Number(digits[1]) > 0) {
      return hasProject ? { ref: Number(digits[1]) } : { id: Number(digits[1]) };
    }
    const refWord = /^ref\s*[:=]?\s*(\d+)$/i.exec(text);
    if (refWord) return { ref: Number(refWord[1]) };
  }
  throw new InputError(
    `"${
      shortValue(value)
    }" is not an item reference. Use an id (e.g. 1234), a #ref with a project (e.g. "#12"), or a Taiga URL.`,
    { argument: "item", value: shortValue(value) },
  );
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
  client: TaigaClient,
  kind: ItemKind,
  project: number | string | undefined,
  value: string | number,
  signal?: AbortSignal,
  extraQuery: Record<string, QueryValue> = {},
): Promise<RawItem> {
  const info = KINDS[kind];
  const parsed = parseRef(value, project !== undefined);
  const inProject = parsed.project ?? project;
  const notFound = (where: string) =>
    noSuchMessage(`${info.label} ${where}`, `list_${info.plural}`);
  if (parsed.id !== undefined) {
    return await readOrNotFound(async () => {
      const item = await client.get<RawItem>(`${info.path}/${parsed.id}`, extraQuery, signal);
      if (project !== undefined) assertInProject(item, project, info.label);
      return item;
    }, notFound(`with id ${parsed.id}`));
  }
  if (inProject === undefined) {
    throw new InputError(
      `A #ref needs the project: pass "project" (slug or id) along with ${info.label} "${value}".`,
      { argument: "project" },
    );
  }
  let item: RawItem;
  try {
    item = await client.get<RawItem>(
      `${info.path}/by_ref`,
      { ref: parsed.ref, ...projectQuery(inProject), ...extraQuery },
      signal,
    );
  } catch (error) {
    if (!(error instanceof TaigaError && error.type === "not_found")) throw error;
    // Taiga's 404 does not say which is missing: a wrong project must not read as a missing item.
    const owner = await fetchProject(client, inProject, signal);
    throw new TaigaError("not_found", notFound(`#${parsed.ref} in project ${owner.slug}`), {
      status: 404,
    });
  }
  // A URL names its own project: it must still be the one the caller named.
  if (project !== undefined && parsed.project !== undefined) {
    assertInProject(item, project, info.label);
  }
  return item;
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
  throw new InputError(
    `The ${label} with id ${item.id} belongs to project ${
      extra.slug ?? item.project
    }, not ${project}: a bare number is an item id. To name an item by its ref in ${project}, pass it as "#12".`,
    { argument: "item", id: item.id, project: extra.slug ?? item.project },
  );
}

/** The id of an item named by id, `#ref` or URL; a ref costs one `by_ref` request. */
export async function resolveItemRef(
  client: TaigaClient,
  kind: ItemKind,
  project: number | string | undefined,
  value: string | number,
  signal?: AbortSignal,
): Promise<number> {
  const parsed = parseRef(value, project !== undefined);
  if (parsed.id !== undefined) return parsed.id;
  return (await fetchItem(client, kind, project, value, signal)).id;
}

/**
 * Several items by id, `#ref` or URL, each checked to exist (and to be in `project` when given),
 * so a tool that writes to each can refuse a bad one before its first write. Looked up in
 * parallel; many refs cost one walk of the project's list instead of a request each.
 */
export async function fetchItems(
  client: TaigaClient,
  kind: ItemKind,
  project: number | string | undefined,
  values: ReadonlyArray<string | number>,
  signal?: AbortSignal,
): Promise<RawItem[]> {
  const single = (value: string | number) => fetchItem(client, kind, project, value, signal);
  if (values.length <= BATCH_THRESHOLD || project === undefined) {
    return await Promise.all(values.map(single));
  }
  // The list is read 1000 a page, and stays clear of RATE_LIMIT_REQUESTS. Anything not found
  // there is looked up singly, which gives the usual clear error.
  const listed = await fetchAll<RawItem>(client, KINDS[kind].path, projectQuery(project), {
    maxItems: 100_000,
    signal,
  });
  const byRef = new Map(listed.items.map((item) => [item.ref, item]));
  const byId = new Map(listed.items.map((item) => [item.id, item]));
  return await Promise.all(values.map((value) => {
    const parsed = parseRef(value, true);
    const found = parsed.project !== undefined
      ? undefined
      : parsed.id !== undefined
      ? byId.get(parsed.id)
      : byRef.get(parsed.ref!);
    return found ?? single(value);
  }));
}

/** The ids of several items, checked as {@link fetchItems} does. */
export async function resolveItemRefs(
  client: TaigaClient,
  kind: ItemKind,
  project: number | string | undefined,
  values: ReadonlyArray<string | number>,
  signal?: AbortSignal,
): Promise<number[]> {
  return (await fetchItems(client, kind, project, values, signal)).map((item) => item.id);
}

/** Above this many refs, resolveItemRefs reads the project's list once. */
const BATCH_THRESHOLD = 5;

/** Reads a project's detail by id or slug; a missing slug gets a clear not-found error. */
export async function fetchProject(
  client: TaigaClient,
  project: number | string,
  signal?: AbortSignal,
): Promise<RawProject> {
  const asNumber = typeof project === "number" ? project : Number(project);
  if (Number.isInteger(asNumber) && asNumber > 0) {
    return await readOrNotFound(
      () => client.get<RawProject>(`projects/${asNumber}`, undefined, signal),
      `No project with id ${asNumber} (or you cannot see it). Call list_projects to see the projects you can use.`,
    );
  }
  return await readOrNotFound(
    () => client.get<RawProject>("projects/by_slug", { slug: String(project) }, signal),
    `No project with slug "${
      shortValue(project)
    }" (or you cannot see it). Call list_projects to see the slugs you can use.`,
  );
}

/** Reads a sprint (milestone) by id; a missing one becomes a clear not-found error. */
export async function fetchSprint(
  client: TaigaClient,
  id: number,
  signal?: AbortSignal,
): Promise<RawRecord> {
  return await readOrNotFound(
    () => client.get<RawRecord>(`milestones/${id}`, undefined, signal),
    noSuchMessage(`sprint with id ${id}`, "list_milestones"),
  );
}
