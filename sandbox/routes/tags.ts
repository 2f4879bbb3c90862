/**
 * Project tags (taiga-back `projects/tagging/api.py`, `validators.py`, `services.py`):
 *
 * - GET `/projects/{id}/tags_colors` → `{tag: color|null}` (`view_project`);
 * - POST `create_tag {tag, color?}`, `edit_tag {from_tag, to_tag?, color?}`,
 *   `delete_tag {tag}`, `mix_tags {from_tags, to_tag}` → 200 with an EMPTY body, admins only.
 *
 * Errors are field dicts: `This tag already exists.` (also for `to_tag == from_tag`: to change
 * only the colour, omit `to_tag`), `The tag doesn't exist.` (also for the TARGET of mix_tags),
 * `The color is not a valid HEX color.`. Tags are stored lower-cased but checked as given.
 * edit/delete/mix rewrite the tags of every item of the project directly: no version bump,
 * no history, no timeline.
 *
 * @module
 */

import { type Ctx, emptyOk, json } from "../http.ts";
import type { Router } from "../router.ts";
import type { Project } from "../state.ts";
import { check, FieldErrors, pathId, projectOr404 } from "./common.ts";

const HEX = /^#([a-fA-F0-9]{6}|[a-fA-F0-9]{3})$/;

function text(ctx: Ctx, errors: FieldErrors, field: string, required = true): string | undefined {
  const v = ctx.body[field];
  if (v === undefined || v === null || v === "") {
    if (required) errors.add(field, "This field is required.");
    return undefined;
  }
  return String(v);
}

function color(ctx: Ctx, errors: FieldErrors): string | undefined {
  const c = text(ctx, errors, "color", false);
  if (c && !HEX.test(c)) errors.add("color", "The color is not a valid HEX color.");
  return c;
}

/** Renames `from` to `to` in every item of the project (taiga-back's raw SQL). */
function rename(ctx: Ctx, project: Project, from: string, to: string | undefined): void {
  for (const table of Object.values(ctx.state.items)) {
    for (const item of table.values()) {
      if (item.project !== project.id || !item.tags.includes(from)) continue;
      const tags = item.tags.map((t) => (t === from ? to : t)).filter((t): t is string => !!t);
      item.tags = [...new Set(tags)];
    }
  }
}

function replaceTag(project: Project, from: string, to: string, c: string | null): void {
  const next: Record<string, string | null> = {};
  for (const [tag, value] of Object.entries(project.tags_colors)) {
    if (tag !== from) next[tag] = value;
  }
  next[to] = c;
  project.tags_colors = next;
}

function tagAction(router: Router, name: string, run: (ctx: Ctx, project: Project) => void) {
  router.post(`/projects/:id/${name}`, (ctx) => {
    const project = projectOr404(ctx.state, pathId(ctx, "Project"));
    check(ctx, project, "admin_project_values");
    run(ctx, project);
    return emptyOk();
  });
}

/** Registers the tag routes (before `/projects/:id`'s own actions). */
export function tagRoutes(router: Router): void {
  router.get("/projects/:id/tags_colors", (ctx) => {
    const project = projectOr404(ctx.state, pathId(ctx, "Project"));
    check(ctx, project, "view_project");
    return json(project.tags_colors);
  });
  const exists = (project: Project, tag: string | undefined) =>
    tag !== undefined && tag in project.tags_colors;
  tagAction(router, "create_tag", (ctx, project) => {
    const errors = new FieldErrors();
    const tag = text(ctx, errors, "tag");
    if (exists(project, tag)) errors.add("tag", "This tag already exists.");
    const c = color(ctx, errors);
    errors.throwIfAny();
    project.tags_colors[tag!.toLowerCase()] = c ?? null;
  });
  tagAction(router, "edit_tag", (ctx, project) => {
    const errors = new FieldErrors();
    const from = text(ctx, errors, "from_tag");
    if (from !== undefined && !exists(project, from)) {
      errors.add("from_tag", "The tag doesn't exist.");
    }
    const to = text(ctx, errors, "to_tag", false);
    if (exists(project, to)) errors.add("to_tag", "This tag already exists.");
    const c = color(ctx, errors);
    errors.throwIfAny();
    const target = (to ?? from!).toLowerCase();
    rename(ctx, project, from!, target);
    replaceTag(project, from!, target, c ?? project.tags_colors[from!] ?? null);
  });
  tagAction(router, "delete_tag", (ctx, project) => {
    const errors = new FieldErrors();
    const tag = text(ctx, errors, "tag");
    if (tag !== undefined && !exists(project, tag)) errors.add("tag", "The tag doesn't exist.");
    errors.throwIfAny();
    rename(ctx, project, tag!, undefined);
    delete project.tags_colors[tag!];
  });
  tagAction(router, "mix_tags", (ctx, project) => {
    const errors = new FieldErrors();
    const from = ctx.body.from_tags;
    if (!Array.isArray(from)) errors.add("from_tags", "This field is required.");
    else if (from.some((t) => !exists(project, String(t)))) {
      errors.add("from_tags", "The tag doesn't exist.");
    }
    const to = text(ctx, errors, "to_tag");
    if (to !== undefined && !exists(project, to)) errors.add("to_tag", "The tag doesn't exist.");
    errors.throwIfAny();
    const c = project.tags_colors[to!] ?? null;
    for (const tag of (from as unknown[]).map(String)) {
      rename(ctx, project, tag, to!.toLowerCase());
      replaceTag(project, tag, to!.toLowerCase(), c);
    }
  });
}
