/**
 * Typed list filters for work items, once: status (names, "open", "closed"), assignee, owner, tags,
 * sprint, epic, parent story, issue type/priority/severity, text, date ranges and ordering —
 * each turned into Taiga's query parameters with names resolved to ids.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { InputError } from "../taiga/errors.ts";
import { z } from "zod";
import type { ProjectMetadata } from "../domain/metadata.ts";
import {
  normaliseName,
  resolveAssignee,
  resolveNamed,
  resolveSprint,
  resolveStatus,
} from "../domain/names.ts";
import { itemRefField } from "../mcp/args.ts";
import type { Session } from "../sessions/store.ts";
import type { FilterName, KindInfo } from "../taiga/kinds.ts";
import { resolveItemRef } from "../taiga/reads.ts";
import type { QueryValue } from "../taiga/url.ts";
import { nameOrId } from "./items_fields.ts";

/** What filters need to resolve names. */
export interface FilterContext {
  /** Acting session. */
  session: Session;
  /** Project metadata; undefined when listing across projects. */
  meta?: ProjectMetadata;
  /** Cancellation. */
  signal: AbortSignal;
}

const oneOrMany = lazy(() =>
  z.union([
    z.string().trim().min(1).max(200),
    z.number().int().positive(),
    z.array(z.union([z.string().trim().min(1).max(200), z.number().int().positive()])).min(1)
      .max(50),
  ])
);
type OneOrMany = z.infer<ReturnType<typeof oneOrMany>>;

const dateBound = lazy(() =>
  z.string().regex(
    /^\d{4}-\d{2}-\d{2}(T[\d:.]+(Z|[+-]\d{2}:?\d{2})?)?$/,
    "use an ISO date like 2025-06-30 or 2025-06-30T12:00:00Z",
  )
);

function many(value: OneOrMany): Array<string | number> {
  return Array.isArray(value) ? value : [value];
}

function needMeta(fc: FilterContext, what: string): ProjectMetadata {
  if (!fc.meta) {
    throw new InputError(`Filtering by ${what} name needs "project" (slug or id).`, {
      argument: "project",
    });
  }
  return fc.meta;
}

type Apply = (
  value: never,
  fc: FilterContext,
  info: KindInfo,
) => Promise<Record<string, QueryValue>> | Record<string, QueryValue>;

interface FilterSpec {
  shape: Record<string, z.ZodType>;
  apply: Apply;
}

function namedFilter(
  key: "type" | "priority" | "severity",
  list: (meta: ProjectMetadata) => ReadonlyArray<{ id: number; name: string }>,
  label: string,
): FilterSpec {
  return {
    shape: { [key]: oneOrMany().optional().describe(`${label} name(s) or id(s)`) },
    apply: (args: Record<string, OneOrMany | undefined>, fc) => {
      const value = args[key];
      if (value === undefined) return {};
      const meta = needMeta(fc, label);
      return { [key]: many(value).map((entry) => resolveNamed(list(meta), entry, label).id) };
    },
  };
}

const FILTERS: () => Record<FilterName, FilterSpec> = lazy(() => ({
  status: {
    shape: {
      status: oneOrMany().optional().describe(
        'Status name(s) or id(s), or "open"/"closed"',
      ),
    },
    apply: (args: { status?: OneOrMany }, fc, info) => {
      if (args.status === undefined) return {};
      const values = many(args.status);
      if (values.length === 1 && typeof values[0] === "string") {
        const word = normaliseName(values[0]);
        if (word === "open" || word === "closed") return { status__is_closed: word === "closed" };
      }
      const meta = needMeta(fc, "status");
      return { status: values.map((value) => resolveStatus(meta, info.kind, value)) };
    },
  },
  assignee: {
    shape: {
      assignee: oneOrMany().optional().describe(
        'Assignee username(s), "me", or "none"',
      ),
    },
    apply: async (args: { assignee?: OneOrMany }, fc, info) => {
      if (args.assignee === undefined) return {};
      const ids: Array<number | string> = [];
      for (const value of many(args.assignee)) {
        const simple = typeof value === "string" && ["me", "none"].includes(value.toLowerCase());
        const meta = simple ? fc.meta : needMeta(fc, "assignee");
        const id = meta
          ? await resolveAssignee(fc.session, meta, value, fc.signal)
          : value.toString().toLowerCase() === "me"
          ? fc.session.user.id
          : null;
        ids.push(id ?? "null");
      }
      return { [info.kind === "userstory" ? "assigned_users" : "assigned_to"]: ids };
    },
  },
  owner: {
    shape: { owner: nameOrId().optional().describe('Created by: username, "me" or id') },
    apply: async (args: { owner?: string | number }, fc) => {
      if (args.owner === undefined) return {};
      if (String(args.owner).toLowerCase() === "me") return { owner: fc.session.user.id };
      const meta = needMeta(fc, "owner");
      return { owner: await resolveAssignee(fc.session, meta, args.owner, fc.signal) };
    },
  },
  tags: {
    shape: {
      tags: z.array(z.string().trim().min(1).max(255)).min(1).max(50).optional().describe(
        "Any of these tags",
      ),
    },
    apply: (args: { tags?: string[] }) => args.tags ? { tags: args.tags } : {},
  },
  text: {
    shape: {
      text: z.string().trim().min(1).max(500).optional().describe(
        "Full-text search",
      ),
    },
    apply: (args: { text?: string }) => args.text ? { q: args.text } : {},
  },
  sprint: {
    shape: {
      sprint: nameOrId().optional().describe(
        'Sprint name or id, or "backlog"',
      ),
    },
    apply: (args: { sprint?: string | number }, fc) => {
      if (args.sprint === undefined) return {};
      if (typeof args.sprint === "string" && normaliseName(args.sprint) === "backlog") {
        return { milestone: null };
      }
      return { milestone: resolveSprint(needMeta(fc, "sprint"), args.sprint) };
    },
  },
  epic: {
    shape: { epic: itemRefField().optional().describe('Epic "#ref" or id') },
    apply: async (args: { epic?: string | number }, fc) => {
      if (args.epic === undefined) return {};
      return {
        epic: await resolveItemRef(fc.session.client, "epic", fc.meta?.id, args.epic, fc.signal),
      };
    },
  },
  user_story: {
    shape: {
      user_story: itemRefField().optional().describe('Story "#ref" or id'),
    },
    apply: async (args: { user_story?: string | number }, fc) => {
      if (args.user_story === undefined) return {};
      return {
        user_story: await resolveItemRef(
          fc.session.client,
          "userstory",
          fc.meta?.id,
          args.user_story,
          fc.signal,
        ),
      };
    },
  },
  type: namedFilter("type", (meta) => meta.issueTypes, "issue type"),
  priority: namedFilter("priority", (meta) => meta.priorities, "priority"),
  severity: namedFilter("severity", (meta) => meta.severities, "severity"),
  dates: {
    shape: {
      created_after: dateBound().optional().describe("ISO date"),
      created_before: dateBound().optional().describe("ISO date"),
      modified_after: dateBound().optional().describe("ISO date"),
      modified_before: dateBound().optional().describe("ISO date"),
    },
    apply: (args: Record<string, string | undefined>) => ({
      created_date__gte: args.created_after,
      created_date__lt: args.created_before,
      modified_date__gte: args.modified_after,
      modified_date__lt: args.modified_before,
    }),
  },
  order_by: {
    shape: {
      order_by: z.string().trim().max(60).regex(
        /^-?[a-z_]+$/,
        'a field name, "-" first for descending',
      )
        .optional().describe('Sort field, "-" first for descending'),
    },
    apply: (args: { order_by?: string }, _fc, info) => {
      if (!args.order_by) return {};
      const field = args.order_by.replace(/^-/, "");
      if (info.orderFields.length === 0) {
        throw new InputError(
          `Taiga cannot order ${info.labelPlural} (it ignores order_by for them); leave order_by out.`,
          { argument: "order_by" },
        );
      }
      if (!info.orderFields.includes(field)) {
        throw new InputError(
          `Cannot order ${info.labelPlural} by "${field}". Valid: ${info.orderFields.join(", ")}.`,
          { argument: "order_by", valid: [...info.orderFields] },
        );
      }
      return { order_by: args.order_by };
    },
  },
}));

/** The input shape of a kind's list filters. */
export function filterShape(info: KindInfo): z.ZodRawShape {
  const shape: Record<string, z.ZodType> = {};
  for (const name of info.filters) Object.assign(shape, FILTERS()[name].shape);
  return shape;
}

/** Taiga query parameters for the filters given in `args`. */
export async function buildQuery(
  info: KindInfo,
  args: Record<string, unknown>,
  fc: FilterContext,
): Promise<Record<string, QueryValue>> {
  const query: Record<string, QueryValue> = {};
  for (const name of info.filters) {
    Object.assign(query, await FILTERS()[name].apply(args as never, fc, info));
  }
  return query;
}
