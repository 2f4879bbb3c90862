/**
 * Validation of work-item payloads (create, PATCH, PUT) like taiga-back's validators:
 * unknown fields are ignored, known ones are type-checked and resolved inside the project,
 * errors come back as one 400 field dict. `version` is checked here as an IntegerField
 * (`["Enter a whole number."]`); the OCC rules proper live in `occ.ts`.
 *
 * @module
 */

import type { Ctx } from "./http.ts";
import { COMMON_FIELDS, type FieldType, type KindDef } from "./kinds.ts";
import type { Project, SandboxState } from "./state.ts";
import { FieldErrors, pkField, toBool } from "./routes/common.ts";
import { isIsoDate, toInt } from "./util.ts";

const NOT_MEMBER = "The user must be a project member.";

function normalizeTags(value: unknown): string[] | undefined {
  let list: unknown[];
  if (typeof value === "string") list = value.split(",");
  else if (Array.isArray(value)) list = value;
  else return undefined;
  const out: string[] = [];
  for (const t of list) {
    const name = Array.isArray(t) ? t[0] : t;
    if (typeof name !== "string" && typeof name !== "number") return undefined;
    const clean = String(name).trim();
    if (clean && !out.includes(clean)) out.push(clean);
  }
  return out;
}

function isMember(state: SandboxState, project: Project, userId: number): boolean {
  return state.membershipOf(userId, project.id) !== undefined;
}

function checkField(
  state: SandboxState,
  project: Project,
  field: string,
  type: FieldType,
  value: unknown,
  errors: FieldErrors,
): unknown {
  const invalidPk = (v: unknown) => `Invalid pk '${v}' - object does not exist.`;
  if (typeof type === "object") {
    if (value === null && field !== "status") return null;
    const res = pkField(value, (id) => {
      const row = state.settings[type.setting].get(id);
      return row && row.project === project.id ? row : undefined;
    });
    if (!res.ok) errors.add(field, res.error);
    return res.ok ? res.value.id : undefined;
  }
  switch (type) {
    case "string":
      if (value === null || value === undefined || String(value).trim() === "") {
        errors.add(field, "This field is required.");
        return undefined;
      }
      if (typeof value === "object") errors.add(field, "Not a valid string.");
      return String(value);
    case "text":
      return value === null ? "" : String(value);
    case "bool": {
      const b = toBool(value);
      return b === undefined ? Boolean(value) : b;
    }
    case "int": {
      const n = toInt(value);
      if (n === undefined) errors.add(field, "Enter a whole number.");
      return n;
    }
    case "date":
      if (value === null || value === "") return null;
      if (!isIsoDate(value)) {
        errors.add(
          field,
          "Date has wrong format. Use one of these formats instead: YYYY[-MM[-DD]]",
        );
      }
      return value;
    case "any":
      return value;
    case "tags": {
      const tags = value === null ? [] : normalizeTags(value);
      if (!tags) errors.add(field, "Invalid value.");
      return tags;
    }
    case "user": {
      if (value === null || value === "") return null;
      const res = pkField(value, (id) => state.users.get(id));
      if (!res.ok) errors.add(field, res.error);
      else if (!isMember(state, project, res.value.id)) errors.add(field, NOT_MEMBER);
      return res.ok ? res.value.id : undefined;
    }
    case "users": {
      if (value === null) return [];
      if (!Array.isArray(value)) {
        errors.add(field, 'Expected a list of items but got type "' + typeof value + '".');
        return undefined;
      }
      const ids: number[] = [];
      for (const v of value) {
        const res = pkField(v, (id) => state.users.get(id));
        if (!res.ok) errors.add(field, res.error);
        else if (field === "assigned_users" && !isMember(state, project, res.value.id)) {
          errors.add(field, NOT_MEMBER);
        } else if (!ids.includes(res.value.id)) ids.push(res.value.id);
      }
      return ids;
    }
    case "points": {
      if (value === null || typeof value !== "object" || Array.isArray(value)) {
        errors.add(field, "Invalid value.");
        return undefined;
      }
      const out: Record<string, number> = {};
      for (const [role, points] of Object.entries(value as Record<string, unknown>)) {
        const r = state.roles.get(Number(role));
        const p = toInt(points) === undefined
          ? undefined
          : state.settings.points.get(toInt(points)!);
        if (!r || r.project !== project.id || !r.computable) {
          errors.add(field, `Invalid role id '${role}'`);
        } else if (!p || p.project !== project.id) errors.add(field, invalidPk(points));
        else out[String(r.id)] = p.id;
      }
      return out;
    }
    case "milestone": {
      if (value === null || value === "") return null;
      const res = pkField(value, (id) => state.milestones.get(id));
      if (!res.ok) errors.add(field, res.error);
      else if (res.value.project !== project.id) {
        errors.add(field, "This milestone does not belong to this project.");
      }
      return res.ok ? res.value.id : undefined;
    }
    case "userstory": {
      if (value === null || value === "") return null;
      const res = pkField(value, (id) => state.items.userstory.get(id));
      if (!res.ok) errors.add(field, res.error);
      else if (res.value.project !== project.id) {
        errors.add(field, "This user story does not belong to this project.");
      }
      return res.ok ? res.value.id : undefined;
    }
  }
}

/**
 * Validates the writable fields present in the body. `create` makes `subject` required;
 * PUT (`partial` false) behaves like create for required fields.
 */
export function validateItemBody(
  ctx: Ctx,
  def: KindDef,
  project: Project,
  options: { create: boolean; partial: boolean },
): Record<string, unknown> {
  const errors = new FieldErrors();
  const out: Record<string, unknown> = {};
  const body = ctx.body;
  const fields = { ...COMMON_FIELDS, ...def.fields };
  for (const [field, type] of Object.entries(fields)) {
    if (!(field in body)) continue;
    const value = checkField(ctx.state, project, field, type, body[field], errors);
    if (value !== undefined) out[field] = value;
  }
  if ((options.create || !options.partial) && !("subject" in body)) {
    errors.add("subject", "This field is required.");
  }
  if (!options.create && "version" in body && body.version !== null) {
    if (toInt(body.version) === undefined) errors.add("version", "Enter a whole number.");
  }
  errors.throwIfAny();
  return out;
}
