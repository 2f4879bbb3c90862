/**
 * Lookups and argument parsing shared by the routes, with taiga-back's error bodies.
 *
 * @module
 */

import {
  badRequest,
  type Ctx,
  HttpError,
  notAuthenticated,
  notFound,
  permissionDenied,
  taigaError,
} from "../http.ts";
import { can } from "../permissions.ts";
import type { Project, SandboxState, User } from "../state.ts";
import { toInt } from "../util.ts";

/** The integer `:name` path parameter, or a 404 naming `model`. */
export function pathId(ctx: Ctx, model: string, name = "id"): number {
  const id = toInt(ctx.params[name]);
  if (id === undefined) throw notFound(model);
  return id;
}

/** An integer query parameter (undefined when absent; 400 when not an integer). */
export function queryInt(ctx: Ctx, name: string): number | undefined {
  const raw = ctx.query.get(name);
  if (raw === null || raw === "") return undefined;
  const n = toInt(raw);
  if (n === undefined) {
    throw taigaError(400, `'${name}' must be an integer value.`, "BadRequest");
  }
  return n;
}

/** A project by id, or Django's 404. */
export function projectOr404(state: SandboxState, id: number): Project {
  const project = state.projects.get(id);
  if (!project) throw notFound("Project");
  return project;
}

/** Throws 401/403 unless the caller may `perm` on the project. */
export function check(ctx: Ctx, project: Project, perm: string): void {
  if (!can(ctx.state, ctx.user, project, perm)) throw permissionDenied(ctx.user);
}

/**
 * The row of `rows` that the `:id` path parameter names, once the caller may `perm` on its
 * project; a missing row (or one `accept` rejects) is a 404 naming `model`.
 */
export function rowOr404<T extends { project: number }>(
  ctx: Ctx,
  rows: ReadonlyMap<number, T>,
  model: string,
  perm: string,
  accept: (row: T) => boolean = () => true,
): T {
  const row = rows.get(pathId(ctx, model));
  if (!row || !accept(row)) throw notFound(model);
  check(ctx, ctx.state.projects.get(row.project)!, perm);
  return row;
}

/** Throws 401 for anonymous callers (actions that need a user). */
export function requireUser(ctx: Ctx): User {
  if (!ctx.user) throw permissionDenied(null);
  return ctx.user;
}

/** Resolves a primary-key field of a body like DRF's `PrimaryKeyRelatedField`. */
export function pkField<T>(
  value: unknown,
  lookup: (id: number) => T | undefined,
): { ok: true; value: T } | { ok: false; error: string } {
  if (typeof value === "boolean" || (typeof value !== "number" && typeof value !== "string")) {
    return { ok: false, error: `Incorrect type. Expected pk value, received ${pyType(value)}.` };
  }
  const id = toInt(value);
  if (id === undefined) {
    return { ok: false, error: `Incorrect type. Expected pk value, received ${pyType(value)}.` };
  }
  const found = lookup(id);
  if (found === undefined) {
    return { ok: false, error: `Invalid pk '${id}' - object does not exist.` };
  }
  return { ok: true, value: found };
}

/** Python's type name of a JSON value (for DRF-like messages). */
export function pyType(value: unknown): string {
  if (value === null) return "NoneType";
  if (Array.isArray(value)) return "list";
  switch (typeof value) {
    case "string":
      return "str";
    case "number":
      return Number.isInteger(value) ? "int" : "float";
    case "boolean":
      return "bool";
    default:
      return "dict";
  }
}

/** The `project` of a create body: required, must exist; 400 field errors otherwise. */
export function projectFromBody(ctx: Ctx, field = "project"): Project {
  const raw = ctx.body[field];
  if (raw === undefined || raw === null || raw === "") {
    throw badRequest({ [field]: ["This field is required."] });
  }
  const res = pkField(raw, (id) => ctx.state.projects.get(id));
  if (!res.ok) throw badRequest({ [field]: [res.error] });
  return res.value;
}

/** Collects field errors and throws them as one 400 dict. */
export class FieldErrors {
  private errors: Record<string, unknown[]> = {};

  /** Adds a message for a field. */
  add(field: string, message: string): void {
    (this.errors[field] ??= []).push(message);
  }

  /** Sets a field's whole detail (a nested serializer's list of per-item dicts). */
  put(field: string, detail: unknown[]): void {
    this.errors[field] = detail;
  }

  /** Whether any error was added. */
  get any(): boolean {
    return Object.keys(this.errors).length > 0;
  }

  /** Throws the 400 if any error was added. */
  throwIfAny(): void {
    if (this.any) throw badRequest(this.errors);
  }
}

/** Parses a boolean like Django's BooleanField from JSON or form input. */
export function toBool(value: unknown): boolean | undefined {
  if (typeof value === "boolean") return value;
  if (value === "true" || value === "True" || value === "1" || value === 1) return true;
  if (value === "false" || value === "False" || value === "0" || value === 0) return false;
  return undefined;
}

/** A query filter value `true`/`false`, or undefined. */
export function queryBool(ctx: Ctx, name: string): boolean | undefined {
  const raw = ctx.query.get(name);
  if (raw === null) return undefined;
  return toBool(raw.toLowerCase() === "true" ? true : raw.toLowerCase() === "false" ? false : raw);
}

/** Projects the caller may see with `perm` (for list filtering). */
export function visibleProjects(ctx: Ctx, perm: string): Set<number> {
  const out = new Set<number>();
  for (const p of ctx.state.projects.values()) {
    if (can(ctx.state, ctx.user, p, perm)) out.add(p.id);
  }
  return out;
}

/** Removes `value` from an array in place; returns whether it was there. */
export function removeFrom<T>(list: T[], value: T): boolean {
  const i = list.indexOf(value);
  if (i >= 0) list.splice(i, 1);
  return i >= 0;
}

/**
 * An integer field of a DRF validator (`serializers.IntegerField`): undefined when absent or
 * null and not required; the field's error otherwise.
 */
export function intField(
  ctx: Ctx,
  errors: FieldErrors,
  name: string,
  required = true,
): number | undefined {
  const raw = ctx.body[name];
  if (raw === undefined || raw === null || raw === "") {
    if (required) errors.add(name, "This field is required.");
    return undefined;
  }
  const n = toInt(raw);
  if (n === undefined) errors.add(name, "Enter a whole number.");
  return n;
}

/** `project_id` of a bulk validator (`ProjectExistsValidator`). */
export function projectIdField(ctx: Ctx, errors: FieldErrors): Project | undefined {
  const id = intField(ctx, errors, "project_id");
  if (id === undefined) return undefined;
  const project = ctx.state.projects.get(id);
  if (!project) errors.add("project_id", "There's no project with that id");
  return project;
}

/** A text field of a DRF validator (`serializers.CharField`, required). */
export function textField(ctx: Ctx, errors: FieldErrors, name: string): string {
  const raw = ctx.body[name];
  if (raw === undefined || raw === null || raw === "") {
    errors.add(name, "This field is required.");
    return "";
  }
  return String(raw);
}

/** `get_object_or_error`: 401 for anonymous callers, else a 404 with an empty message. */
export function objectOrError<T>(ctx: Ctx, found: T | undefined): T {
  if (found !== undefined) return found;
  if (!ctx.user) throw notAuthenticated();
  throw new HttpError(404, { _error_message: "" });
}

/** taiga-back's `split_in_lines`: the non-blank lines, trimmed. */
export function splitLines(text: string): string[] {
  return text.split(/\r?\n/).map((l) => l.trim()).filter(Boolean);
}
