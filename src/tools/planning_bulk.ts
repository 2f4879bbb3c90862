/**
 * Bulk creation of epics and issues (stories and tasks have bulk_create_user_stories and
 * bulk_create_tasks). Taiga's `issues/bulk_create` gives every issue the project's default
 * status, type, priority and severity whatever it is sent, so the ones asked for are set
 * afterwards, one PATCH per issue; every name is resolved before the first write.
 * @module
 */

import { z } from "zod";
import { patchItem } from "../domain/item_write.ts";
import type { ProjectMetadata } from "../domain/metadata.ts";
import { resolveNamed, resolveSprint, resolveStatus, withMetadata } from "../domain/names.ts";
import { compactItem, compactItemSchema } from "../domain/shapes/item.ts";
import { projectField } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { InputError } from "../taiga/errors.ts";
import { KINDS } from "../taiga/kinds.ts";
import type { RawItem } from "../taiga/types.ts";
import { nameOrId, subjectSchema } from "./items_fields.ts";
import { stoppedMidway } from "./planning_common.ts";

const ISSUE_ONLY = ["sprint", "type", "priority", "severity"] as const;

interface IssueArgs {
  status?: string | number;
  type?: string | number;
  priority?: string | number;
  severity?: string | number;
}

/** The issue fields to set after the create, as Taiga's PATCH names them. */
function issueFields(meta: ProjectMetadata, args: IssueArgs): Record<string, number> {
  const fields: Record<string, number> = {};
  if (args.status !== undefined) fields.status = resolveStatus(meta, "issue", args.status);
  if (args.type !== undefined) {
    fields.type = resolveNamed(meta.issueTypes, args.type, "issue type").id;
  }
  if (args.priority !== undefined) {
    fields.priority = resolveNamed(meta.priorities, args.priority, "priority").id;
  }
  if (args.severity !== undefined) {
    fields.severity = resolveNamed(meta.severities, args.severity, "severity").id;
  }
  return fields;
}

const bulkCreateItems = defineTool({
  name: "bulk_create_items",
  title: "Create several epics or issues",
  description:
    'Create many epics or issues from subjects, with a status (issues: also sprint, type, priority, severity). E.g. {"kind":"issue","project":"jane-website","subjects":["Crash","Slow search"],"type":"Bug"}.',
  toolset: "planning",
  readOnly: false,
  input: () => ({
    kind: z.enum(["epic", "issue"]),
    project: projectField(),
    subjects: z.array(subjectSchema().regex(/^[^\r\n]*$/, "one line per subject")).min(1).max(500),
    status: nameOrId().optional(),
    sprint: nameOrId().optional(),
    type: nameOrId().optional(),
    priority: nameOrId().optional(),
    severity: nameOrId().optional(),
  }),
  output: () => ({ created: z.number(), items: z.array(compactItemSchema()) }),
  handler: async (args, ctx) => {
    const epic = args.kind === "epic";
    const wrong = epic ? ISSUE_ONLY.find((name) => args[name] !== undefined) : undefined;
    if (wrong) {
      throw new InputError(`Epics have no ${wrong}; "${wrong}" applies to issues only.`, {
        argument: wrong,
      });
    }
    const session = await ctx.session();
    return await withMetadata(ctx, session, args.project, async (meta) => {
      const text = args.subjects.join("\n");
      let created: RawItem[];
      if (epic) {
        const status = args.status === undefined
          ? {}
          : { status_id: resolveStatus(meta, "epic", args.status) };
        created = await session.client.post<RawItem[]>("epics/bulk_create", {
          project_id: meta.id,
          bulk_epics: text,
          ...status,
        }, ctx.signal);
      } else {
        const sprint = args.sprint === undefined ? null : resolveSprint(meta, args.sprint);
        const fields = issueFields(meta, args);
        created = await session.client.post<RawItem[]>("issues/bulk_create", {
          project_id: meta.id,
          bulk_issues: text,
          ...(sprint === null ? {} : { milestone_id: sprint }),
        }, ctx.signal);
        created = await setFields(
          created,
          fields,
          async (issue, changes) =>
            await patchItem(session, KINDS.issue, issue, changes, {
              shown: Object.keys(changes),
              meta,
              signal: ctx.signal,
            }),
        );
      }
      const items = created.map((raw) => {
        const row: Record<string, unknown> = compactItem(KINDS[args.kind].kind, raw, meta);
        delete row.project;
        return row as z.infer<ReturnType<typeof compactItemSchema>>;
      });
      return { created: created.length, items };
    });
  },
});

/** Sets `fields` on each created issue that differs; a failure says what exists already. */
async function setFields(
  created: RawItem[],
  fields: Record<string, number>,
  patch: (issue: RawItem, changes: Record<string, number>) => Promise<RawItem>,
): Promise<RawItem[]> {
  const done = [`created ${created.map((i) => `#${i.ref}`).join(", ")}`];
  const out: RawItem[] = [];
  const patched: string[] = [];
  for (const issue of created) {
    const changes = Object.fromEntries(
      Object.entries(fields).filter(([key, id]) => issue[key] !== id),
    );
    if (Object.keys(changes).length === 0) {
      out.push(issue);
      continue;
    }
    try {
      out.push(await patch(issue, changes));
      patched.push(`#${issue.ref}`);
    } catch (error) {
      if (patched.length > 0) done.push(`fields set on ${patched.join(", ")}`);
      throw stoppedMidway(error, done);
    }
  }
  return out;
}

/** The bulk creation tool. */
export const bulkTools: readonly AnyTool[] = [bulkCreateItems];
