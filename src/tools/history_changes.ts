/**
 * Taiga's `values_diff` as short readable lines ("status: New → In progress", "tags: +api
 * -old", "points: Back ? → 1"), shared by an item's history and the timelines: names instead of
 * ids, usernames where they can be known, and the order fields Taiga moves as a side effect of
 * a status change left out.
 * @module
 */

type Raw = Record<string, unknown>;

/** How people are named in change lines. */
export interface PeopleNames {
  /** Username of a user id (from the project's members), if known. */
  byId?(id: number): string | undefined;
  /** Username of a display name (timelines only carry names), if known. */
  byName?(name: string): string | undefined;
}

/** Board and backlog positions: Taiga changes them along with a status; noise to a person. */
const ORDER_FIELDS = new Set([
  "backlog_order",
  "sprint_order",
  "kanban_order",
  "us_order",
  "taskboard_order",
  "epics_order",
  "issues_order",
]);

const PEOPLE_FIELDS = new Set(["assigned_to", "owner", "assigned_users"]);

/** Long texts are summarised; shorter ones (a blocked note) are shown old → new. */
const SHOWN_TEXT = 80;

const LABELS: Record<string, string> = {
  milestone: "sprint",
  assigned_users: "assigned",
  user_story: "user story",
};

function label(field: string): string {
  return LABELS[field] ?? field.replace(/^is_/, "").replaceAll("_", " ");
}

function short(text: string, max = SHOWN_TEXT): string {
  const line = text.replace(/\s+/g, " ").trim();
  return line.length > max ? `${line.slice(0, max)}…` : line;
}

/** One side of a change as a person reads it. */
export function shown(value: unknown): string {
  // Taiga snapshots some dates with Python's str(), so an empty finish date is "None".
  if (value === null || value === undefined || value === "" || value === "None") return "none";
  if (typeof value === "boolean") return value ? "yes" : "no";
  if (Array.isArray(value)) return value.length === 0 ? "none" : value.map(shown).join(", ");
  if (typeof value === "object") return short(JSON.stringify(value));
  return short(String(value));
}

function arrow(field: string, before: unknown, after: unknown): string {
  return `${label(field)}: ${shown(before)} → ${shown(after)}`;
}

/** A user side: ids from the raw diff when all are known, else Taiga's names mapped to usernames. */
function personSide(
  raw: unknown[] | undefined,
  side: number,
  named: unknown,
  people: PeopleNames,
): unknown {
  const ids = raw === undefined ? undefined : [raw[side] ?? []].flat();
  if (ids && people.byId && ids.every((id) => typeof id === "number")) {
    const names = ids.map((id) => people.byId!(id as number));
    if (names.every((name) => name !== undefined)) return names.length ? names : null;
  }
  if (typeof named !== "string" || named === "") return named;
  return named.split(", ").map((name) => people.byName?.(name) ?? name).join(", ");
}

function tagsLine(pair: unknown): string | undefined {
  if (!Array.isArray(pair)) return undefined;
  const [before, after] = pair.map((side) => new Set(Array.isArray(side) ? side.map(String) : []));
  const added = [...after].filter((tag) => !before.has(tag)).map((tag) => `+${tag}`);
  const removed = [...before].filter((tag) => !after.has(tag)).map((tag) => `-${tag}`);
  const all = [...added, ...removed];
  return all.length ? `tags: ${all.join(" ")}` : undefined;
}

function pointsLine(value: unknown): string | undefined {
  if (!value || typeof value !== "object") return undefined;
  const roles = Object.entries(value as Raw).map(([role, pair]) =>
    Array.isArray(pair) ? `${role} ${shown(pair[0])} → ${shown(pair[1])}` : role
  );
  return roles.length ? `points: ${roles.join(", ")}` : undefined;
}

/** The name of something in a `{new, changed, deleted}` list (attachment, story, attribute). */
function thing(entry: unknown): string {
  if (!entry || typeof entry !== "object") return shown(entry);
  const raw = entry as Raw;
  if (typeof raw.filename === "string") return raw.filename;
  if (typeof raw.ref === "number") {
    return `#${raw.ref}${typeof raw.subject === "string" ? ` ${short(raw.subject, 40)}` : ""}`;
  }
  return String(raw.name ?? raw.subject ?? raw.id ?? "?");
}

function lists(value: unknown): { new: unknown[]; changed: unknown[]; deleted: unknown[] } {
  const raw = (value && typeof value === "object" ? value : {}) as Raw;
  const list = (key: string) => Array.isArray(raw[key]) ? raw[key] as unknown[] : [];
  return { new: list("new"), changed: list("changed"), deleted: list("deleted") };
}

/** Attachments or an epic's stories: "+added, -removed, ~changed". */
function setLine(field: string, value: unknown): string | undefined {
  const { new: added, changed, deleted } = lists(value);
  const parts = [
    ...added.map((x) => `+${thing(x)}`),
    ...deleted.map((x) => `-${thing(x)}`),
    ...changed.map((x) => `~${thing(x)}`),
  ];
  return parts.length
    ? `${label(field === "user_stories" ? "stories" : field)}: ${parts.join(", ")}`
    : undefined;
}

/** Custom fields, one line each: "Risk: low → high". */
function customLines(value: unknown): string[] {
  const { new: added, changed, deleted } = lists(value);
  const valueOf = (x: unknown) => (x && typeof x === "object" ? (x as Raw).value : undefined);
  const changedLine = (x: unknown) => {
    const changes = ((x as Raw)?.changes ?? {}) as Raw;
    const pair = Array.isArray(changes.value) ? changes.value : [undefined, valueOf(x)];
    return `${thing(x)}: ${shown(pair[0])} → ${shown(pair[1])}`;
  };
  return [
    ...added.map((x) => `${thing(x)}: none → ${shown(valueOf(x))}`),
    ...changed.map(changedLine),
    ...deleted.map((x) => `${thing(x)}: ${shown(valueOf(x))} → none`),
  ];
}

function rawPair(raw: Raw | undefined, field: string): unknown[] | undefined {
  const pair = raw?.[field];
  return Array.isArray(pair) && pair.length === 2 ? pair : undefined;
}

/** A text field: its old and new text when both are short (raw diff at hand), else "edited". */
function textLine(field: string, raw: Raw | undefined): string {
  const pair = raw?.[field];
  if (Array.isArray(pair)) {
    const [before, after] = pair.map((side) => typeof side === "string" ? side : "");
    if (before.length <= SHOWN_TEXT && after.length <= SHOWN_TEXT) {
      return arrow(field, before, after);
    }
    return `${label(field)}: edited (${before.length} → ${after.length} characters)`;
  }
  return `${label(field)}: edited`;
}

/**
 * The readable lines of a change: `valuesDiff` is Taiga's `values_diff`; `rawDiff`, when at hand
 * (history entries), gives user ids and full texts.
 */
export function changeLines(
  valuesDiff: unknown,
  rawDiff?: unknown,
  people: PeopleNames = {},
): string[] {
  if (!valuesDiff || typeof valuesDiff !== "object") return [];
  const raw = rawDiff && typeof rawDiff === "object" ? rawDiff as Raw : undefined;
  const lines: string[] = [];
  for (const [field, value] of Object.entries(valuesDiff as Raw)) {
    if (ORDER_FIELDS.has(field) || field.endsWith("_html")) continue;
    if (field.endsWith("_diff")) {
      lines.push(textLine(field.slice(0, -"_diff".length), raw));
      continue;
    }
    let line: string | undefined;
    if (field === "tags") line = tagsLine(value);
    else if (field === "points") line = pointsLine(value);
    else if (field === "attachments" || field === "user_stories") line = setLine(field, value);
    else if (field === "custom_attributes") lines.push(...customLines(value));
    else if (Array.isArray(value) && value.length === 2) {
      const [before, after] = PEOPLE_FIELDS.has(field)
        ? [0, 1].map((side) => personSide(rawPair(raw, field), side, value[side], people))
        : value;
      line = arrow(field, before, after);
    } else line = `${label(field)}: changed`;
    if (line) lines.push(line);
  }
  return lines;
}
