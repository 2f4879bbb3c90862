/**
 * delete_value: deletes a value of a project list, moving the items that use it (and the
 * project default) to another value named by `move_to`. Taiga requires a target for every list
 * but swimlanes, even when nothing uses the value, and never checks that it belongs to the same
 * project: the target is resolved here, among the list's other values, before anything is sent.
 * @module
 */

import { z } from "zod";
import { normaliseName, resolveNamed } from "../domain/names.ts";
import { confirmField, projectField } from "../mcp/args.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import { InputError } from "../taiga/errors.ts";
import { nameOrId } from "./items_fields.ts";
import { fetchProject } from "../taiga/reads.ts";
import {
  fetchValues,
  findValue,
  itemCount,
  usageCounts,
  valueList,
  valueListField,
  type ValueListInfo,
  type ValueRow,
} from "./settings_lists.ts";

function capital(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** The refusal of a delete that needs a target the call did not give. */
function needsTarget(
  list: ValueListInfo,
  row: ValueRow,
  others: readonly ValueRow[],
  why: string,
): InputError {
  const valid = others.map((other) => other.name);
  return new InputError(
    `The ${list.label} "${row.name}" ${why}: pass move_to, one of: ${
      valid.join(", ")
    }. Nothing was deleted.`,
    { argument: "move_to", valid },
  );
}

/** The value items move to: `move_to` resolved among the other values, or one chosen safely. */
function pickTarget(
  list: ValueListInfo,
  row: ValueRow,
  others: readonly ValueRow[],
  moveTo: string | number | undefined,
  inUse: number,
  isDefault: boolean,
  unsure: boolean,
): ValueRow | undefined {
  if (moveTo !== undefined) {
    const same = typeof moveTo === "string"
      ? normaliseName(moveTo) === normaliseName(row.name) || String(row.id) === moveTo.trim()
      : moveTo === row.id;
    if (same) {
      throw new InputError(
        `move_to names the ${list.label} being deleted; name another one: ${
          others.map((other) => other.name).join(", ") || "(none)"
        }.`,
        { argument: "move_to" },
      );
    }
    return resolveNamed(others, moveTo, list.label);
  }
  const lastLane = list.name === "swimlanes" && others.length === 0;
  if (lastLane) return undefined;
  if (others.length === 0) {
    throw new InputError(
      `"${row.name}" is the only ${list.label} of the project: add another first (create_value); Taiga moves its items there.`,
      { argument: "value" },
    );
  }
  if (inUse > 0) throw needsTarget(list, row, others, `is used by ${itemCount(list, inUse)}`);
  if (unsure) {
    throw needsTarget(list, row, others, `may be in use (too many ${list.items} to check all)`);
  }
  if (isDefault) {
    throw needsTarget(list, row, others, `is the default for new ${list.items}`);
  }
  // Nothing uses it and it is not the default: Taiga still wants a target; none is moved.
  return others[0];
}

const deleteValue = defineTool({
  name: "delete_value",
  title: "Delete a status, points value, priority…",
  description:
    'Delete a value of a project list; its items (and the default) move to move_to, required while in use. Asks first. E.g. {"project":"jane-website","list":"user_story_statuses","value":"Ready for test","move_to":"QA"}.',
  toolset: "project_settings",
  readOnly: false,
  annotations: { destructiveHint: true },
  input: () => ({
    project: projectField(),
    list: valueListField(),
    value: nameOrId().describe("The value to delete: its name or id"),
    move_to: nameOrId().optional().describe("The value its items move to: name or id"),
    confirm: confirmField(),
  }),
  output: () => ({
    project: z.string(),
    list: z.string(),
    deleted: z.string(),
    moved: z.number().describe("Items that used it"),
    moved_to: z.string().nullable(),
    new_default: z.string().optional(),
  }),
  handler: async (args, ctx) => {
    const list = valueList(args.list);
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    // The project's defaults are read fresh: Taiga silently re-points a default it deletes.
    const [rows, usage, project] = await Promise.all([
      fetchValues(ctx, session, list, meta.id),
      usageCounts(ctx, session, list, meta.id),
      fetchProject(session.client, meta.id, ctx.signal),
    ]);
    const row = findValue(rows, list, args.value);
    const others = rows.filter((other) => other.id !== row.id);
    const count = usage.counts.get(row.id) ?? 0;
    const isDefault = Number(project[list.defaultKey]) === row.id;
    const target = pickTarget(
      list,
      row,
      others,
      args.move_to,
      count,
      isDefault,
      usage.atLeast,
    );
    const many = `${usage.atLeast ? "at least " : ""}${itemCount(list, count)}`;
    const use = count === 0 && !usage.atLeast
      ? "Nothing uses it."
      : target
      ? `${capital(many)} ${count === 1 ? "uses" : "use"} it and will use "${target.name}" instead.`
      : `${capital(many)} ${
        count === 1 ? "leaves" : "leave"
      } swimlanes: the board has none after this.`;
    await ctx.confirm(
      `Delete the ${list.label} "${row.name}" of ${meta.name}? ${use}${
        isDefault && target ? ` "${target.name}" becomes the default.` : ""
      }`,
      args.confirm,
    );
    // Taiga refuses to delete the default swimlane while others exist: move the default first.
    const laneDefault = list.name === "swimlanes" && isDefault && target !== undefined;
    if (laneDefault) {
      await session.client.patch(
        `projects/${meta.id}`,
        { default_swimlane: target.id },
        ctx.signal,
      );
    }
    try {
      await session.client.delete(
        `${list.path}/${row.id}`,
        target ? { moveTo: target.id } : undefined,
        ctx.signal,
      );
    } catch (error) {
      if (laneDefault) {
        await session.client.patch(`projects/${meta.id}`, { default_swimlane: row.id }, ctx.signal)
          .catch(() => undefined);
      }
      throw error;
    } finally {
      ctx.metadata.invalidate(session, meta.id);
    }
    return {
      project: meta.slug,
      list: list.name,
      deleted: row.name,
      moved: count,
      moved_to: count > 0 || isDefault ? target?.name ?? null : null,
      ...(isDefault && target ? { new_default: target.name } : {}),
    };
  },
});

/** The delete tool of the value lists (toolset `project_settings`). */
export const valueDeleteTools: readonly AnyTool[] = [deleteValue];
