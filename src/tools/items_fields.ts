/**
 * The create/update fields of work items, once: each field's argument schema (what a person says),
 * how it becomes Taiga's payload (names → ids), and which compact key shows its current value.
 * Kinds pick their fields from the kind table.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import type { ProjectMetadata } from "../domain/metadata.ts";
import {
  resolveAssignee,
  resolveNamed,
  resolvePoints,
  resolveSprint,
  resolveStatus,
  resolveUser,
} from "../domain/names.ts";
import type { Session } from "../sessions/store.ts";
import type { FieldName, ItemKind, KindInfo } from "../taiga/kinds.ts";
import { InputError } from "../taiga/errors.ts";
import { dayField } from "../mcp/args.ts";
import { resolveItemRef } from "../taiga/reads.ts";

/** What a field needs to turn its argument into payload. */
export interface FieldContext {
  /** Acting session. */
  session: Session;
  /** Metadata of the item's project. */
  meta: ProjectMetadata;
  /** Item kind. */
  kind: ItemKind;
  /** Cancellation. */
  signal: AbortSignal;
}

/** One field: input schema, payload builder, and the compact key showing its value. */
interface FieldSpec {
  schema: z.ZodType;
  shows: string;
  apply(value: never, fc: FieldContext): Promise<Record<string, unknown>> | Record<string, unknown>;
}

/** Taiga's limit on subjects. */
export const SUBJECT_MAX = 500;

/** A subject: trimmed, 1-500 characters, any unicode. */
export const subjectSchema: () => z.ZodString = lazy(() =>
  z.string().trim().min(1, "subject must not be empty")
    .max(SUBJECT_MAX, `subject is limited to ${SUBJECT_MAX} characters by Taiga`)
);

/** A name or id argument (status, priority...). */
export const nameOrId: () => z.ZodUnion<readonly [z.ZodString, z.ZodNumber]> = lazy(() =>
  z.union([
    z.string().trim().min(1).max(200),
    z.number().int().positive(),
  ])
);

const person = lazy(() => z.union([z.string().trim().max(254), z.number().int().positive()]));
const tagSchema = lazy(() => z.string().trim().min(1).max(255));

/** An item reference argument: id, "#ref" or Taiga URL. */
export const itemRefField: () => z.ZodUnion<readonly [z.ZodNumber, z.ZodString]> = lazy(() =>
  z.union([
    z.number().int().positive(),
    z.string().trim().min(1).max(500),
  ])
);

const FIELDS: () => Record<FieldName, FieldSpec> = lazy(() => ({
  subject: {
    schema: subjectSchema(),
    shows: "subject",
    apply: (value: string) => ({ subject: value }),
  },
  description: {
    schema: z.string().max(100_000).describe("Markdown"),
    shows: "description",
    apply: (value: string) => ({ description: value }),
  },
  status: {
    schema: nameOrId().describe("Status name or id"),
    shows: "status",
    apply: (value: string | number, fc) => ({ status: resolveStatus(fc.meta, fc.kind, value) }),
  },
  assigned_to: {
    schema: person().nullable().describe(
      'Assignee: username, email, "me" or id; null or "none" unassigns',
    ),
    shows: "assigned_to",
    apply: async (value: string | number | null, fc) => {
      const id = await resolveAssignee(fc.session, fc.meta, value, fc.signal);
      // Taiga adds a story's new assigned_to to its assignees: "the assignee" replaces them.
      if (fc.kind !== "userstory") return { assigned_to: id };
      return { assigned_to: id, assigned_users: id === null ? [] : [id] };
    },
  },
  assigned_users: {
    schema: z.array(person()).max(100).describe(
      "All assignees, the first is the main one; [] clears",
    ),
    shows: "assigned_users",
    apply: async (value: Array<string | number>, fc) => {
      const ids: number[] = [];
      for (const entry of value) ids.push(await resolveUser(fc.session, fc.meta, entry, fc.signal));
      const unique = [...new Set(ids)];
      return { assigned_users: unique, assigned_to: unique[0] ?? null };
    },
  },
  tags: {
    schema: z.array(tagSchema()).max(100).describe("Replaces the current tags"),
    shows: "tags",
    apply: (value: string[]) => ({ tags: [...new Set(value)] }),
  },
  is_blocked: {
    schema: z.boolean(),
    shows: "blocked",
    apply: (value: boolean) => ({ is_blocked: value }),
  },
  blocked_note: {
    schema: z.string().max(10_000),
    shows: "blocked_note",
    apply: (value: string) => ({ blocked_note: value }),
  },
  due_date: {
    schema: dayField().nullable().describe("Due date YYYY-MM-DD; null clears"),
    shows: "due",
    apply: (value: string | null) => ({ due_date: value }),
  },
  sprint: {
    schema: nameOrId().nullable().describe('Sprint name or id; null or "backlog" for none'),
    shows: "sprint",
    apply: (value: string | number | null, fc) => ({
      milestone: resolveSprint(fc.meta, value),
    }),
  },
  points: {
    schema: z.record(z.string(), z.union([z.string(), z.number()])).describe(
      'Points per role, e.g. {"Back":"5","Front":3}',
    ),
    shows: "points_by_role",
    apply: (value: Record<string, string | number>, fc) => ({
      points: resolvePoints(fc.meta, value),
    }),
  },
  client_requirement: {
    schema: z.boolean(),
    shows: "client_requirement",
    apply: (value: boolean) => ({ client_requirement: value }),
  },
  team_requirement: {
    schema: z.boolean(),
    shows: "team_requirement",
    apply: (value: boolean) => ({ team_requirement: value }),
  },
  user_story: {
    schema: itemRefField().nullable().describe(
      'Parent story: "#ref" or id; null detaches',
    ),
    shows: "user_story",
    apply: async (value: string | number | null, fc) => ({
      user_story: value === null
        ? null
        : await resolveItemRef(fc.session.client, "userstory", fc.meta.id, value, fc.signal),
    }),
  },
  is_iocaine: {
    schema: z.boolean(),
    shows: "iocaine",
    apply: (value: boolean) => ({ is_iocaine: value }),
  },
  type: {
    schema: nameOrId().describe("Issue type name or id"),
    shows: "type",
    apply: (value: string | number, fc) => ({
      type: resolveNamed(fc.meta.issueTypes, value, "issue type").id,
    }),
  },
  priority: {
    schema: nameOrId().describe("Priority name or id"),
    shows: "priority",
    apply: (value: string | number, fc) => ({
      priority: resolveNamed(fc.meta.priorities, value, "priority").id,
    }),
  },
  severity: {
    schema: nameOrId().describe("Severity name or id"),
    shows: "severity",
    apply: (value: string | number, fc) => ({
      severity: resolveNamed(fc.meta.severities, value, "severity").id,
    }),
  },
  color: {
    schema: z.string().regex(/^#[0-9a-fA-F]{6}$/, 'use a colour like "#A5694F"').describe(
      'e.g. "#A5694F"',
    ),
    shows: "color",
    apply: (value: string) => ({ color: value }),
  },
}));

/** The input shape of a kind's fields, all optional except those listed in `required`. */
export function fieldShape(info: KindInfo, required: readonly FieldName[] = []): z.ZodRawShape {
  const shape: Record<string, z.ZodType> = {};
  for (const name of info.fields) {
    const schema = FIELDS()[name].schema;
    shape[name] = required.includes(name) ? schema : schema.optional();
  }
  return shape;
}

/** Turns the given field arguments into Taiga's payload (names resolved). */
export async function buildPayload(
  info: KindInfo,
  args: Record<string, unknown>,
  fc: FieldContext,
): Promise<Record<string, unknown>> {
  const payload: Record<string, unknown> = {};
  if (args.assigned_to !== undefined && args.assigned_users !== undefined) {
    throw new InputError(
      "Pass assigned_to (one assignee) or assigned_users (all of them, the first is the main one), not both.",
      { argument: "assigned_users" },
    );
  }
  for (const name of info.fields) {
    const value = args[name];
    if (value === undefined) continue;
    Object.assign(payload, await FIELDS()[name].apply(value as never, fc));
  }
  return payload;
}

/** The compact keys that show the fields given in `args` (for conflict reports). */
export function shownKeys(info: KindInfo, args: Record<string, unknown>): string[] {
  return info.fields.filter((name) => args[name] !== undefined).map((name) => FIELDS()[name].shows);
}

/** The `stories` argument: user stories by #ref or id. */
export const storyRefs = lazy(() =>
  z.array(itemRefField()).min(1).max(500).describe(
    'User stories: "#ref" (e.g. ["#12","#15"]) or ids',
  )
);
