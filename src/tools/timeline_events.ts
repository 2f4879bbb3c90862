/**
 * Timeline events as one line each — when, who, what ("changed issue #9 "Login fails": status
 * New → In progress") — with their kind and #ref; which kind an event is about; and the key
 * that folds Taiga's repeats of one event into one (the user timeline stores an event once per
 * person related to its object; editing, deleting or restoring a comment pushes its event again
 * with the comment's original time).
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import { ITEM_KINDS, KINDS } from "../taiga/kinds.ts";
import { changeLines, type PeopleNames } from "./history_changes.ts";

type Raw = Record<string, unknown>;

/** Kinds of events a timeline can be narrowed to. */
export const TIMELINE_KINDS = [
  "user_story",
  "task",
  "issue",
  "epic",
  "wiki_page",
  "sprint",
  "project",
] as const;

/** One kind of timeline event. */
export type TimelineKind = typeof TIMELINE_KINDS[number];

/** The `kinds` argument. */
export const timelineKindsField: () => z.ZodOptional<
  z.ZodArray<z.ZodEnum<{ [K in TimelineKind]: K }>>
> = lazy(() => z.array(z.enum(TIMELINE_KINDS)).min(1).max(TIMELINE_KINDS.length).optional());

/** Django model of an event's subject → the kind a person calls it. */
const MODEL_KINDS: Readonly<Record<string, TimelineKind>> = {
  ...Object.fromEntries(ITEM_KINDS.map((kind) => [KINDS[kind].kind, KINDS[kind].arg])),
  relateduserstory: "epic",
  wikipage: "wiki_page",
  milestone: "sprint",
  project: "project",
  membership: "project",
};

const LABELS: Readonly<Record<string, string>> = Object.fromEntries(
  ITEM_KINDS.map((kind) => [KINDS[kind].kind, KINDS[kind].label]),
);

/** Longest comment quoted in an event line. */
const QUOTED = 200;

function parts(event: Raw): { model: string; action: string; data: Raw } {
  const [, model = "", action = ""] = String(event.event_type ?? "").split(".");
  const data = event.data && typeof event.data === "object" ? event.data as Raw : {};
  return { model, action, data };
}

function record(value: unknown): Raw | undefined {
  return value && typeof value === "object" ? value as Raw : undefined;
}

/** The kind an event is about (undefined for a sign-up). */
export function eventKind(event: Raw): TimelineKind | undefined {
  return MODEL_KINDS[parts(event).model];
}

/** Events with this key are one event repeated: keep the newest row. */
export function eventKey(event: Raw): string {
  const { model, data } = parts(event);
  const subject = record(data[model]) ?? record(data.user);
  return `${event.created}|${event.event_type}|${subject?.id ?? ""}`;
}

function quote(text: string): string {
  const line = text.replace(/\s+/g, " ").trim();
  return `"${line.length > QUOTED ? `${line.slice(0, QUOTED)}…` : line}"`;
}

function itemName(model: string, subject: Raw | undefined): string {
  const label = LABELS[model] ?? model;
  if (!subject) return `a ${label}`;
  const title = typeof subject.subject === "string" ? ` ${quote(subject.subject)}` : "";
  return `${label} #${subject.ref ?? subject.id}${title}`;
}

/** What the event's subject is called and its #ref, if it has one. */
function subjectOf(model: string, data: Raw): { name: string; ref?: number } {
  const subject = record(data[model]);
  if (model in LABELS) {
    return {
      name: itemName(model, subject),
      ...(typeof subject?.ref === "number" ? { ref: subject.ref } : {}),
    };
  }
  if (model === "milestone") return { name: `sprint ${quote(String(subject?.name ?? "?"))}` };
  if (model === "wikipage") return { name: `wiki page ${subject?.slug ?? "?"}` };
  return { name: "the project" };
}

function changeWhat(name: string, data: Raw, people: PeopleNames): string {
  const changes = changeLines(data.values_diff, undefined, people);
  const text = typeof data.comment === "string" ? data.comment : "";
  // The author's event, repeated when the comment was edited, deleted or restored.
  const comment = text === ""
    ? ""
    : data.comment_deleted === true
    ? "commented (comment deleted)"
    : `commented${data.comment_edited === true ? " (edited)" : ""}: ${quote(text)}`;
  if (changes.length > 0) {
    return `changed ${name}: ${changes.join("; ")}${comment ? `; ${comment}` : ""}`;
  }
  return comment ? comment.replace("commented", `commented on ${name}`) : `changed ${name}`;
}

function what(event: Raw, people: PeopleNames): { what: string; ref?: number } {
  const { model, action, data } = parts(event);
  if (model === "membership") {
    const role = record(data.role)?.name;
    return {
      what: action === "create"
        ? `joined the project${role ? ` as ${role}` : ""}`
        : "left the project",
    };
  }
  if (model === "user") return { what: "signed up" };
  if (model === "relateduserstory") {
    const epic = record(data.epic);
    const story = record(data.userstory);
    const verb = action === "delete" ? "unlinked" : "linked";
    return {
      what: `${verb} ${itemName("userstory", story)} ${verb === "linked" ? "to" : "from"} ${
        itemName("epic", epic)
      }`,
      ...(typeof epic?.ref === "number" ? { ref: epic.ref } : {}),
    };
  }
  const subject = subjectOf(model, data);
  const ref = subject.ref === undefined ? {} : { ref: subject.ref };
  if (action === "create") return { what: `created ${subject.name}`, ...ref };
  if (action === "delete") return { what: `deleted ${subject.name}`, ...ref };
  return { what: changeWhat(subject.name, data, people), ...ref };
}

/** One event: when, who, which kind and #ref, the project's slug (when asked), what happened. */
export function compactEvent(
  event: Raw,
  people: PeopleNames,
  withProject: boolean,
): Record<string, unknown> {
  const { data } = parts(event);
  const user = record(data.user);
  const said = what(event, people);
  const kind = eventKind(event);
  const project = record(data.project)?.slug;
  return {
    at: event.created,
    by: user?.username ?? user?.name ?? null,
    ...(kind ? { kind } : {}),
    ...(said.ref === undefined ? {} : { ref: said.ref }),
    ...(withProject && typeof project === "string" ? { project } : {}),
    what: said.what,
  };
}
