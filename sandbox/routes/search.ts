/**
 * `GET /search?project=&text=` and `GET /resolver?project=<slug>&us=<ref>…`.
 *
 * @module
 */

import { type Ctx, json, notFound } from "../http.ts";
import { type KindDef, KINDS } from "../kinds.ts";
import { can } from "../permissions.ts";
import { totalPoints } from "../points.ts";
import type { Router } from "../router.ts";
import type { Item } from "../state.ts";
import { toInt } from "../util.ts";
import { check, projectOr404 } from "./common.ts";

const MAX_RESULTS = 150;

function matches(item: Item, text: string): boolean {
  if (!text) return true;
  const t = text.toLowerCase();
  return item.subject.toLowerCase().includes(t) || item.description.toLowerCase().includes(t) ||
    item.tags.some((tag) => tag.toLowerCase().includes(t)) ||
    String(item.ref) === t.replace(/^#/, "");
}

function searchShape(ctx: Ctx, item: Item): Record<string, unknown> {
  const base = { id: item.id, ref: item.ref, subject: item.subject, status: item.status };
  if (item.kind !== "userstory") return { ...base, assigned_to: item.assigned_to };
  const m = item.milestone === null ? undefined : ctx.state.milestones.get(item.milestone);
  return {
    ...base,
    total_points: totalPoints(ctx.state, item),
    milestone_name: m?.name ?? null,
    milestone_slug: m?.slug ?? null,
  };
}

function searchRoute(router: Router): void {
  router.get("/search", (ctx) => {
    const project = projectOr404(ctx.state, toInt(ctx.query.get("project")) ?? -1);
    check(ctx, project, "view_project");
    const text = (ctx.query.get("text") ?? "").trim();
    const find = (def: KindDef) => {
      if (!can(ctx.state, ctx.user, project, def.perms.view)) return [];
      return [...ctx.state.items[def.kind].values()]
        .filter((i) => i.project === project.id && matches(i, text))
        .sort(def.order)
        .slice(0, MAX_RESULTS)
        .map((i) => searchShape(ctx, i));
    };
    const wikipages = can(ctx.state, ctx.user, project, "view_wiki_pages")
      ? [...ctx.state.wikiPages.values()]
        .filter((w) =>
          w.project === project.id &&
          (w.slug.includes(text.toLowerCase()) ||
            w.content.toLowerCase().includes(text.toLowerCase()))
        )
        .slice(0, MAX_RESULTS)
        .map((w) => ({ id: w.id, slug: w.slug }))
      : [];
    const result = {
      issues: find(KINDS.issue),
      epics: find(KINDS.epic),
      wikipages,
      userstories: find(KINDS.userstory),
      tasks: find(KINDS.task),
    };
    const count = Object.values(result).reduce((n, list) => n + list.length, 0);
    return json({ ...result, count });
  });
}

const RESOLVER_KINDS: [string, KindDef][] = [
  ["epic", KINDS.epic],
  ["us", KINDS.userstory],
  ["task", KINDS.task],
  ["issue", KINDS.issue],
];

function resolverRoute(router: Router): void {
  router.get("/resolver", (ctx) => {
    const slug = ctx.query.get("project");
    const project = [...ctx.state.projects.values()].find((p) => p.slug === slug);
    if (!project) throw notFound("Project");
    check(ctx, project, "view_project");
    const out: Record<string, number> = { project: project.id };
    const byRef = (def: KindDef, ref: string | null) =>
      [...ctx.state.items[def.kind].values()].find((i) =>
        i.project === project.id && String(i.ref) === ref
      );
    for (const [param, def] of RESOLVER_KINDS) {
      const ref = ctx.query.get(param);
      if (ref === null) continue;
      const item = byRef(def, ref);
      if (!item || !can(ctx.state, ctx.user, project, def.perms.view)) throw notFound(def.model);
      out[param] = item.id;
    }
    const milestone = ctx.query.get("milestone");
    if (milestone !== null) {
      const m = [...ctx.state.milestones.values()].find((x) =>
        x.project === project.id && x.slug === milestone
      );
      if (!m) throw notFound("Milestone");
      out.milestone = m.id;
    }
    const wikipage = ctx.query.get("wikipage");
    if (wikipage !== null) {
      const w = [...ctx.state.wikiPages.values()].find((x) =>
        x.project === project.id && x.slug === wikipage
      );
      if (!w) throw notFound("WikiPage");
      out.wikipage = w.id;
    }
    const ref = ctx.query.get("ref");
    if (ref !== null) {
      for (const [param, def] of RESOLVER_KINDS) {
        const item = byRef(def, ref);
        if (item) out[param] = item.id;
      }
    }
    return json(out);
  });
}

/** Registers search and resolver. */
export function searchRoutes(router: Router): void {
  searchRoute(router);
  resolverRoute(router);
}
