/**
 * Webhooks: list_webhooks (with a webhook's last deliveries), manage_webhook (create, update,
 * delete — which asks first) and test_webhook. A webhook's secret key signs its deliveries: it
 * is sent to Taiga but never shown back, not even verbose.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import type { ProjectMetadata } from "../domain/metadata.ts";
import { normaliseName, resolveNamed } from "../domain/names.ts";
import { confirmField, projectField, verboseField } from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { Session } from "../sessions/store.ts";
import { InputError, shortValue } from "../taiga/errors.ts";
import { fetchAll, fetchPage } from "../taiga/pagination.ts";
import { nameOrId } from "./items_fields.ts";
import { type ActionArguments, checkActionArguments } from "./settings_actions.ts";

type Raw = Record<string, unknown>;

/** What outputs show instead of a key. */
const MASK = "********";

interface Hook {
  id: number;
  name: string;
  raw: Raw;
}

const webhookSchema = lazy(() => z.looseObject({ name: z.string(), url: z.string() }));

const deliverySchema = lazy(() =>
  z.looseObject({
    status: z.number().describe("HTTP status the URL answered; 0: not reached"),
    ok: z.boolean(),
  })
);

/** Taiga's webhook JSON with the key masked. */
function masked(raw: Raw): Raw {
  return { ...raw, ...("key" in raw ? { key: MASK } : {}) };
}

function compactHook(hook: Hook): z.infer<ReturnType<typeof webhookSchema>> {
  return {
    id: hook.id,
    name: hook.name,
    url: String(hook.raw.url ?? ""),
    key: MASK,
    deliveries: Number(hook.raw.logs_counter ?? 0),
  };
}

/** One delivery log, compact: when, what, how it went (the response body cut short). */
function compactDelivery(log: Raw): z.infer<ReturnType<typeof deliverySchema>> {
  const status = Number(log.status ?? 0);
  const ok = status >= 200 && status < 300;
  const request = log.request_data && typeof log.request_data === "object"
    ? log.request_data as Raw
    : {};
  const response = typeof log.response_data === "string" ? log.response_data : "";
  return {
    id: Number(log.id),
    date: String(log.created ?? ""),
    event: [request.type, request.action].filter(Boolean).join(" "),
    status,
    ok,
    duration: Number(log.duration ?? 0),
    ...(!ok && response ? { response: response.slice(0, 300) } : {}),
  };
}

async function fetchHooks(
  ctx: RequestContext,
  session: Session,
  meta: ProjectMetadata,
): Promise<Hook[]> {
  const { items } = await fetchAll<Raw>(session.client, "webhooks", { project: meta.id }, {
    maxItems: 1_000,
    signal: ctx.signal,
  });
  return items.map((raw) => ({ id: Number(raw.id), name: String(raw.name ?? ""), raw }));
}

/** The webhook named `value`; Taiga lists webhooks only to project admins, so say so. */
function findHook(hooks: readonly Hook[], value: string | number, meta: ProjectMetadata): Hook {
  if (hooks.length === 0) {
    throw new InputError(
      `No webhook "${
        shortValue(value)
      }": ${meta.slug} has none that you can see (Taiga shows webhooks to project admins only). list_webhooks lists them; manage_webhook with action "create" adds one.`,
      { argument: "webhook" },
    );
  }
  return resolveNamed(hooks, value, "webhook");
}

const listWebhooks = defineTool({
  name: "list_webhooks",
  title: "List webhooks",
  description:
    'A project\'s webhooks (admins only; keys masked); with webhook, also its last deliveries. E.g. {"project":"jane-website","webhook":"Slack"}.',
  toolset: "webhooks",
  readOnly: true,
  input: () => ({
    project: projectField(),
    webhook: nameOrId().optional().describe("Show this webhook's last deliveries"),
    verbose: verboseField(),
  }),
  output: () => ({
    project: z.string(),
    webhooks: z.array(webhookSchema()),
    deliveries: z.array(deliverySchema()).optional().describe("Newest first; Taiga keeps 10"),
  }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    const hooks = await fetchHooks(ctx, session, meta);
    const show = (hook: Hook): z.infer<ReturnType<typeof webhookSchema>> =>
      args.verbose
        ? { ...masked(hook.raw), name: hook.name, url: String(hook.raw.url) }
        : compactHook(hook);
    if (args.webhook === undefined) return { project: meta.slug, webhooks: hooks.map(show) };
    const hook = findHook(hooks, args.webhook, meta);
    const logs = await fetchPage<Raw>(session.client, "webhooklogs", { webhook: hook.id }, {
      page: 1,
      pageSize: 50,
      signal: ctx.signal,
    });
    return {
      project: meta.slug,
      webhooks: [show(hook)],
      deliveries: logs.items.map((log) =>
        args.verbose ? { ...log, ...compactDelivery(log) } : compactDelivery(log)
      ),
    };
  },
});

const urlField = lazy(() =>
  z.string().trim().min(1).max(2_000).refine((text) => {
    try {
      return ["http:", "https:"].includes(new URL(text).protocol);
    } catch {
      return false;
    }
  }, "Use an http(s) URL, e.g. https://hooks.example.com/taiga")
);

const ACTIONS = ["create", "update", "delete"] as const;

const TAKES: Readonly<Record<typeof ACTIONS[number], ActionArguments>> = {
  create: { required: ["name", "url", "key"], optional: [] },
  update: { required: ["webhook"], optional: ["name", "url", "key"] },
  delete: { required: ["webhook"], optional: [] },
};

const manageWebhook = defineTool({
  name: "manage_webhook",
  title: "Create, change or delete a webhook",
  description:
    'Webhooks: create (name, url, key: the secret that signs deliveries), update, delete (asks first). E.g. {"project":"jane-website","action":"create","name":"Slack","url":"https://hooks.example.com/t","key":"s3cret"}.',
  toolset: "webhooks",
  readOnly: false,
  annotations: { destructiveHint: true },
  input: () => ({
    project: projectField(),
    action: z.enum(ACTIONS),
    webhook: nameOrId().optional().describe("update/delete: its name or id"),
    name: z.string().trim().min(1).max(255).optional().describe(
      "create: its name; update: new name",
    ),
    url: urlField().optional(),
    key: z.string().min(1).max(255).optional().describe(
      "Secret that signs deliveries (never shown)",
    ),
    confirm: confirmField(),
  }),
  output: () => ({
    project: z.string(),
    action: z.string(),
    webhook: webhookSchema().optional(),
    deleted: z.string().optional(),
  }),
  handler: async (args, ctx) => {
    checkActionArguments(args.action, args, TAKES);
    const given = (["name", "url", "key"] as const).filter((f) => args[f] !== undefined);
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    const hooks = await fetchHooks(ctx, session, meta);
    const current = args.webhook === undefined ? undefined : findHook(hooks, args.webhook, meta);
    if (args.name !== undefined) {
      const taken = hooks.find((h) =>
        h.id !== current?.id && normaliseName(h.name) === normaliseName(args.name!)
      );
      if (taken) {
        throw new InputError(`The webhook "${taken.name}" already exists.`, { argument: "name" });
      }
    }
    if (args.action === "delete") {
      await ctx.confirm(
        `Delete the webhook "${current!.name}" (${
          String(current!.raw.url)
        }) of ${meta.name}? Taiga stops notifying that URL, and its delivery logs are lost.`,
        args.confirm,
      );
      await session.client.delete(`webhooks/${current!.id}`, undefined, ctx.signal);
      return { project: meta.slug, action: args.action, deleted: current!.name };
    }
    const body = Object.fromEntries(given.map((f) => [f, args[f]]));
    const saved = current
      ? await session.client.patch<Raw>(`webhooks/${current.id}`, body, ctx.signal)
      : await session.client.post<Raw>("webhooks", { project: meta.id, ...body }, ctx.signal);
    const hook = { id: Number(saved.id), name: String(saved.name ?? ""), raw: saved };
    return { project: meta.slug, action: args.action, webhook: compactHook(hook) };
  },
});

const testWebhook = defineTool({
  name: "test_webhook",
  title: "Test a webhook",
  description:
    'Make Taiga send a test delivery to a webhook now and report how its URL answered. E.g. {"project":"jane-website","webhook":"Slack"}.',
  toolset: "webhooks",
  readOnly: false,
  annotations: { destructiveHint: false, idempotentHint: true },
  input: () => ({ project: projectField(), webhook: nameOrId() }),
  output: () => ({ project: z.string(), webhook: z.string(), delivery: deliverySchema() }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    const hook = findHook(await fetchHooks(ctx, session, meta), args.webhook, meta);
    const log = await session.client.post<Raw>(`webhooks/${hook.id}/test`, {}, ctx.signal);
    return { project: meta.slug, webhook: hook.name, delivery: compactDelivery(log) };
  },
});

/** The tools of this toolset. */
export const webhookTools: readonly AnyTool[] = [listWebhooks, manageWebhook, testWebhook];
