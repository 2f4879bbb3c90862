/**
 * Attachments of epics, stories, tasks, issues and wiki pages:
 * `/{epics|userstories|tasks|issues|wiki}/attachments` — list `?object_id=&project=`,
 * multipart create (201), detail, PATCH `{description, is_deprecated, order}` (PUT answers 405
 * NotSupported), DELETE. Files live at `attachments/x/x/x/x/<60 hex>/<name>` and are served
 * back, without authentication as with Taiga's plain file storage, from `/media/<that path>`;
 * `url` is that absolute URL plus `#_taiga-refresh=<model>:<attachment id>`. Each create,
 * PATCH or DELETE snapshots the object the attachment hangs on (an `attachments` entry in ITS
 * history, no version bump), as taiga-back's `BaseAttachmentViewSet`; see `snapshot.ts`.
 *
 * @module
 */

import { badRequest, type Ctx, json, noContent, taigaError } from "../http.ts";
import { KINDS } from "../kinds.ts";
import { paginated } from "../pagination.ts";
import type { Router } from "../router.ts";
import { attachmentUrl } from "../freeze.ts";
import { type SnapshotTarget, takeSnapshot } from "../snapshot.ts";
import type { Attachment, ItemKind, SandboxState } from "../state.ts";
import { randomHex } from "../tokens.ts";
import { sha1Hex, toInt } from "../util.ts";
import {
  check,
  FieldErrors,
  projectFromBody,
  queryInt,
  rowOr404,
  toBool,
  visibleProjects,
} from "./common.ts";

type Target = ItemKind | "wiki";

const TARGETS: { plural: string; kind: Target; view: string; modify: string }[] = [
  ...Object.values(KINDS).map((d) => ({
    plural: d.plural,
    kind: d.kind as Target,
    view: d.perms.view,
    modify: d.perms.modify,
  })),
  { plural: "wiki", kind: "wiki", view: "view_wiki_pages", modify: "modify_wiki_page" },
];

function objectProject(state: SandboxState, kind: Target, id: number): number | undefined {
  return kind === "wiki" ? state.wikiPages.get(id)?.project : state.items[kind].get(id)?.project;
}

/** The attachment shape (`AttachmentSerializer`). */
export function attachmentShape(state: SandboxState, a: Attachment): Record<string, unknown> {
  const url = attachmentUrl(state, a);
  return {
    id: a.id,
    project: a.project,
    owner: a.owner,
    name: a.name,
    attached_file: a.path,
    size: a.size,
    url,
    description: a.description,
    is_deprecated: a.is_deprecated,
    from_comment: a.from_comment,
    created_date: a.created_date,
    modified_date: a.modified_date,
    object_id: a.object_id,
    order: a.order,
    sha1: a.sha1,
    thumbnail_card_url: null,
    preview_url: url,
  };
}

const MIME: Record<string, string> = {
  csv: "text/csv",
  txt: "text/plain",
  md: "text/markdown",
  html: "text/html",
  json: "application/json",
  pdf: "application/pdf",
  zip: "application/zip",
  png: "image/png",
  jpg: "image/jpeg",
  jpeg: "image/jpeg",
  gif: "image/gif",
  svg: "image/svg+xml",
};

/** The file stored at `path` (`attachments/...`), typed by its extension as Django serves it. */
export function attachmentFile(state: SandboxState, path: string): Response | undefined {
  const a = [...state.attachments.values()].find((x) => x.path === path);
  if (!a) return undefined;
  const ext = a.name.includes(".") ? a.name.split(".").pop()!.toLowerCase() : "";
  return new Response(a.bytes as Uint8Array<ArrayBuffer>, {
    headers: { "Content-Type": MIME[ext] ?? "application/octet-stream" },
  });
}

/** Runs `change`, then snapshots the object with the request's `comment`, as taiga-back does. */
function snapshotting<T>(ctx: Ctx, target: SnapshotTarget, change: () => T): T {
  const result = change();
  const comment = typeof ctx.body.comment === "string" ? ctx.body.comment.trim() : "";
  takeSnapshot(ctx.state, target, ctx.user, { comment });
  return result;
}

function attachmentRoutesFor(router: Router, t: (typeof TARGETS)[number]): void {
  const base = `/${t.plural}/attachments`;
  const model = "Attachment";
  const one = (ctx: Ctx) =>
    rowOr404(ctx, ctx.state.attachments, model, t.view, (a) => a.kind === t.kind);
  router.get(base, (ctx) => {
    const visible = visibleProjects(ctx, t.view);
    const objectId = queryInt(ctx, "object_id");
    const projectId = queryInt(ctx, "project");
    const list = [...ctx.state.attachments.values()].filter((a) =>
      a.kind === t.kind && visible.has(a.project) &&
      (objectId === undefined || a.object_id === objectId) &&
      (projectId === undefined || a.project === projectId)
    ).sort((a, b) =>
      a.project - b.project || a.created_date.localeCompare(b.created_date) || a.id - b.id
    );
    return paginated(ctx, list, (a) => attachmentShape(ctx.state, a));
  });
  router.post(base, async (ctx) => {
    const errors = new FieldErrors();
    const file = ctx.files.get("attached_file");
    if (!file) errors.add("attached_file", "No file was submitted.");
    if (ctx.body.object_id === undefined) errors.add("object_id", "This field is required.");
    if (ctx.body.project === undefined) errors.add("project", "This field is required.");
    errors.throwIfAny();
    const project = projectFromBody(ctx);
    const objectId = toInt(ctx.body.object_id);
    if (objectId === undefined || objectProject(ctx.state, t.kind, objectId) !== project.id) {
      throw badRequest({ object_id: ["Invalid object id."] });
    }
    check(ctx, project, t.modify);
    const bytes = new Uint8Array(await file!.arrayBuffer());
    const name = file!.name || "file";
    const hash = randomHex(32);
    const now = ctx.state.nowIso();
    const a: Attachment = {
      id: ctx.state.nextId("attachment"),
      kind: t.kind,
      project: project.id,
      object_id: objectId,
      owner: ctx.user?.id ?? null,
      name,
      path: `attachments/${[...hash.slice(0, 4)].join("/")}/${hash.slice(4)}/${name}`,
      size: bytes.length,
      bytes,
      description: String(ctx.body.description ?? ""),
      is_deprecated: toBool(ctx.body.is_deprecated) ?? false,
      from_comment: toBool(ctx.body.from_comment) ?? false,
      order: toInt(ctx.body.order) ?? 0,
      sha1: await sha1Hex(bytes),
      created_date: now,
      modified_date: now,
    };
    snapshotting(ctx, { kind: t.kind, id: objectId }, () => ctx.state.attachments.set(a.id, a));
    return json(attachmentShape(ctx.state, a), 201);
  });
  router.get(`${base}/:id`, (ctx) => json(attachmentShape(ctx.state, one(ctx))));
  router.patch(`${base}/:id`, (ctx) => {
    const a = one(ctx);
    check(ctx, ctx.state.projects.get(a.project)!, t.modify);
    snapshotting(ctx, { kind: t.kind, id: a.object_id }, () => {
      if (ctx.body.description !== undefined) a.description = String(ctx.body.description);
      if (ctx.body.is_deprecated !== undefined) {
        a.is_deprecated = toBool(ctx.body.is_deprecated) ?? a.is_deprecated;
      }
      if (ctx.body.order !== undefined) a.order = toInt(ctx.body.order) ?? a.order;
      a.modified_date = ctx.state.nowIso();
    });
    return json(attachmentShape(ctx.state, a));
  });
  router.put(`${base}/:id`, () => {
    throw taigaError(405, "Method not supported for this endpoint.", "NotSupported");
  });
  router.delete(`${base}/:id`, (ctx) => {
    const a = one(ctx);
    check(ctx, ctx.state.projects.get(a.project)!, t.modify);
    snapshotting(ctx, { kind: t.kind, id: a.object_id }, () => ctx.state.attachments.delete(a.id));
    return noContent();
  });
}

/** Registers the attachment routes of every kind (before the kinds' `/:id` routes). */
export function attachmentRoutes(router: Router): void {
  TARGETS.forEach((t) => attachmentRoutesFor(router, t));
}
