/**
 * Webhooks (taiga-back `webhooks/api.py`, `validators.py`, `tasks.py`): `/webhooks` CRUD
 * (`{project, name, url, key}`, all required; the list only shows projects the caller
 * administers, others get `[]`), `POST /webhooks/{id}/test` → 200 with the delivery log,
 * `GET /webhooklogs?webhook=` (newest first; the last ten per webhook are kept) and
 * `POST /webhooklogs/{id}/resend` → 200 with the new log. Admins only.
 *
 * A URL that is not a URL, or whose host is a private or loopback IP literal, is
 * `{"url": ["Invalid value."]}`. The sandbox never sends anything over the network: every
 * delivery is logged as taiga-back logs a host it cannot reach (`status` 0, `response_data`
 * `"error-in-request: Host access error"`), with the payload it would have signed
 * (`{action: "test", type: "test", by, date, data: {test: "test"}}` for a test).
 *
 * @module
 */

import { type Ctx, HttpError, json, noContent, notFound } from "../http.ts";
import { paginated } from "../pagination.ts";
import { isAdmin } from "../permissions.ts";
import type { Router } from "../router.ts";
import type { User, Webhook, WebhookLog } from "../state.ts";
import { toInt } from "../util.ts";
import { check, FieldErrors, projectFromBody, queryInt } from "./common.ts";

function privateIp(host: string): boolean {
  const h = host.replace(/^\[|\]$/g, "").toLowerCase();
  const v4 = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/.exec(h);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || a === 127 || a === 0 || (a === 169 && b === 254) ||
      (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || a >= 224;
  }
  if (!h.includes(":")) return false;
  return h === "::1" || h === "::" || h.startsWith("fc") || h.startsWith("fd") ||
    h.startsWith("fe80");
}

function validUrl(raw: unknown): boolean {
  if (typeof raw !== "string") return false;
  try {
    const url = new URL(raw);
    return (url.protocol === "http:" || url.protocol === "https:") && !privateIp(url.hostname);
  } catch {
    return false;
  }
}

function fields(ctx: Ctx, partial: boolean): Partial<Webhook> {
  const errors = new FieldErrors();
  const out: Partial<Webhook> = {};
  for (const f of ["name", "url", "key"] as const) {
    const v = ctx.body[f];
    if (v === undefined || v === null || v === "") {
      if (!partial || v !== undefined) errors.add(f, "This field is required.");
    } else if (f === "url" && !validUrl(v)) errors.add(f, "Invalid value.");
    else out[f] = String(v);
  }
  errors.throwIfAny();
  return out;
}

function webhookShape(ctx: Ctx, w: Webhook): Record<string, unknown> {
  const logs = [...ctx.state.webhookLogs.values()].filter((l) => l.webhook === w.id).length;
  return { id: w.id, project: w.project, name: w.name, url: w.url, key: w.key, logs_counter: logs };
}

function logShape(l: WebhookLog): Record<string, unknown> {
  return { ...l };
}

/** The webhook named by `:id`, once the caller is an admin of its project. */
function webhookOr404(ctx: Ctx, empty = false): Webhook {
  const w = ctx.state.webhooks.get(toInt(ctx.params.id) ?? -1);
  if (!w) throw empty ? new HttpError(404, { _error_message: "" }) : notFound("Webhook");
  check(ctx, ctx.state.projects.get(w.project)!, "admin_project_values");
  return w;
}

function byUser(ctx: Ctx, u: User): Record<string, unknown> {
  return {
    id: u.id,
    permalink: `${ctx.state.origin}/profile/${u.username}`,
    username: u.username,
    full_name: u.full_name || u.username,
    photo: null,
    gravatar_id: u.gravatar_id,
  };
}

/** Logs a delivery the way taiga-back logs an unreachable host, keeping the last ten. */
function deliver(ctx: Ctx, w: Webhook, data: unknown): WebhookLog {
  const log: WebhookLog = {
    id: ctx.state.nextId("webhooklog"),
    webhook: w.id,
    url: w.url,
    status: 0,
    request_data: data,
    request_headers: {},
    response_data: "error-in-request: Host access error",
    response_headers: {},
    duration: 0,
    created: ctx.state.nowIso(),
  };
  ctx.state.webhookLogs.set(log.id, log);
  const mine = [...ctx.state.webhookLogs.values()].filter((l) => l.webhook === w.id)
    .sort((a, b) => b.id - a.id);
  for (const old of mine.slice(10)) ctx.state.webhookLogs.delete(old.id);
  return log;
}

/** Registers the webhook routes. */
export function webhookRoutes(router: Router): void {
  router.get("/webhooks", (ctx) => {
    const projectId = queryInt(ctx, "project");
    const list = [...ctx.state.webhooks.values()].filter((w) => {
      const p = ctx.state.projects.get(w.project);
      return p !== undefined && isAdmin(ctx.state, ctx.user, p) &&
        (projectId === undefined || w.project === projectId);
    }).sort((a, b) => a.name.localeCompare(b.name) || b.id - a.id);
    return paginated(ctx, list, (w) => webhookShape(ctx, w));
  });
  router.post("/webhooks", (ctx) => {
    const project = projectFromBody(ctx);
    const data = fields(ctx, false);
    check(ctx, project, "admin_project_values");
    const w: Webhook = {
      id: ctx.state.nextId("webhook"),
      project: project.id,
      name: data.name!,
      url: data.url!,
      key: data.key!,
    };
    ctx.state.webhooks.set(w.id, w);
    return json(webhookShape(ctx, w), 201);
  });
  router.get("/webhooks/:id", (ctx) => json(webhookShape(ctx, webhookOr404(ctx))));
  const update = (partial: boolean) => (ctx: Ctx) => {
    const w = webhookOr404(ctx, true);
    Object.assign(w, fields(ctx, partial));
    return json(webhookShape(ctx, w));
  };
  router.patch("/webhooks/:id", update(true));
  router.put("/webhooks/:id", update(false));
  router.delete("/webhooks/:id", (ctx) => {
    const w = webhookOr404(ctx, true);
    ctx.state.webhooks.delete(w.id);
    for (const [id, l] of ctx.state.webhookLogs) {
      if (l.webhook === w.id) ctx.state.webhookLogs.delete(id);
    }
    return noContent();
  });
  router.post("/webhooks/:id/test", (ctx) => {
    const w = webhookOr404(ctx);
    const data = {
      action: "test",
      type: "test",
      by: byUser(ctx, ctx.user!),
      date: ctx.state.nowIso(),
      data: { test: "test" },
    };
    return json(logShape(deliver(ctx, w, data)));
  });
  router.get("/webhooklogs", (ctx) => {
    const webhookId = queryInt(ctx, "webhook");
    const list = [...ctx.state.webhookLogs.values()].filter((l) => {
      const w = ctx.state.webhooks.get(l.webhook);
      const p = w && ctx.state.projects.get(w.project);
      return p !== undefined && isAdmin(ctx.state, ctx.user, p) &&
        (webhookId === undefined || l.webhook === webhookId);
    }).sort((a, b) => b.created.localeCompare(a.created) || b.id - a.id);
    return paginated(ctx, list, logShape);
  });
  const logOr404 = (ctx: Ctx) => {
    const l = ctx.state.webhookLogs.get(toInt(ctx.params.id) ?? -1);
    const w = l && ctx.state.webhooks.get(l.webhook);
    if (!l || !w) throw notFound("WebhookLog");
    check(ctx, ctx.state.projects.get(w.project)!, "admin_project_values");
    return { l, w };
  };
  router.get("/webhooklogs/:id", (ctx) => json(logShape(logOr404(ctx).l)));
  router.post("/webhooklogs/:id/resend", (ctx) => {
    const { l, w } = logOr404(ctx);
    return json(logShape(deliver(ctx, w, l.request_data)));
  });
}
