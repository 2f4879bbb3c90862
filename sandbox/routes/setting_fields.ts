/**
 * Validation of a value-list or swimlane body, as taiga-back's model validators with
 * `DuplicatedNameInProjectValidator`: `name` required (create / PUT) and unique in the project
 * (`["Duplicated name"]`), `order` and `wip_limit` integers, `value` a float (`"\"x\" value
 * must be a float."`), flags booleans; `color` is not checked.
 *
 * @module
 */

import type { Ctx } from "../http.ts";
import type { Project, SettingKind, SettingRow } from "../state.ts";
import { toInt } from "../util.ts";
import { FieldErrors, toBool } from "./common.ts";

/** The fields of a body for a row of `kind` (existing `row` on update); 400 on errors. */
export function settingFields(
  ctx: Ctx,
  kind: SettingKind,
  project: Project,
  row: SettingRow | undefined,
  partial = false,
): Partial<SettingRow> {
  const b = ctx.body;
  const errors = new FieldErrors();
  const out: Partial<SettingRow> = {};
  if (b.name === undefined || b.name === null || String(b.name).trim() === "") {
    if (!partial || b.name !== undefined) errors.add("name", "This field is required.");
  } else {
    const name = String(b.name);
    const taken = ctx.state.settingsOf(kind, project.id).some((r) =>
      r.name === name && r.id !== row?.id
    );
    if (taken) errors.add("name", "Duplicated name");
    out.name = name;
  }
  const int = (field: "order" | "wip_limit" | "days_to_due", nullable: boolean) => {
    if (b[field] === undefined) return;
    if (b[field] === null && nullable) {
      (out as Record<string, unknown>)[field] = null;
      return;
    }
    const n = toInt(b[field]);
    if (n === undefined) errors.add(field, "Enter a whole number.");
    else out[field] = n;
  };
  int("order", false);
  if (kind === "us_status") int("wip_limit", true);
  if (kind.endsWith("_duedate")) int("days_to_due", true);
  if (b.color !== undefined && kind !== "swimlane" && kind !== "points") {
    out.color = String(b.color);
  }
  const flags = kind === "us_status"
    ? ["is_closed", "is_archived"] as const
    : kind.endsWith("_status")
    ? ["is_closed"] as const
    : kind.endsWith("_duedate")
    ? ["by_default"] as const
    : [];
  for (const f of flags) {
    if (b[f] === undefined) continue;
    const v = toBool(b[f]);
    if (v === undefined) errors.add(f, "Must be a valid boolean.");
    else out[f] = v;
  }
  if (kind === "points" && b.value !== undefined) {
    const v = b.value === null || b.value === "" ? null : Number(b.value);
    if (v !== null && (typeof b.value === "boolean" || !Number.isFinite(v))) {
      errors.add("value", `"${b.value}" value must be a float.`);
    } else out.value = v;
  }
  errors.throwIfAny();
  return out;
}
