/**
 * Project roles and their permissions: list_roles and manage_role (create, update, delete).
 * The trap: Taiga deletes a role WITHOUT `moveTo` by silently deleting every membership that has
 * it (admins included) — so a delete here needs `move_to` while the role has members, always
 * sends a target when one exists, and asks first. Admin rights come from the membership, not the
 * role: permissions are the member permissions below.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import type { ProjectMetadata } from "../domain/metadata.ts";
import { normaliseName, resolveNamed } from "../domain/names.ts";
import { confirmField, listInput, listOutput, projectField, verboseField } from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { Session } from "../sessions/store.ts";
import { InputError } from "../taiga/errors.ts";
import { fetchAll } from "../taiga/pagination.ts";
import { nameOrId } from "./items_fields.ts";
import { type ActionArguments, checkActionArguments } from "./settings_actions.ts";
import { pageOf } from "./settings_rows.ts";

type Raw = Record<string, unknown>;

/** Every permission a role can grant (taiga-back `permissions/choices.py` MEMBERS_PERMISSIONS). */
export const ROLE_PERMISSIONS: readonly string[] = [
  "view_project",
  ...["view_milestones", "add_milestone", "modify_milestone", "delete_milestone"],
  ...["view_epics", "add_epic", "modify_epic", "comment_epic", "delete_epic"],
  ...["view_us", "add_us", "modify_us", "comment_us", "delete_us"],
  ...["view_tasks", "add_task", "modify_task", "comment_task", "delete_task"],
  ...["view_issues", "add_issue", "modify_issue", "comment_issue", "delete_issue"],
  ...["view_wiki_pages", "add_wiki_page", "modify_wiki_page", "comment_wiki_page"],
  "delete_wiki_page",
  ...["view_wiki_links", "add_wiki_link", "modify_wiki_link", "delete_wiki_link"],
];

/** What a new role may do unless told otherwise: see everything, change nothing. */
const VIEW_ONLY = ROLE_PERMISSIONS.filter((name) => name.startsWith("view_"));

const roleSchema = lazy(() => z.looseObject({ name: z.string() }));

interface RoleInfo {
  id: number;
  name: string;
  raw: Raw;
  /** Usernames (emails for pending invitations) of the members with this role. */
  members: string[];
  /** Those of them who are project admins. */
  admins: string[];
}

/** The project's roles, in order, with who holds each. */
async function fetchRoles(
  ctx: RequestContext,
  session: Session,
  first: ProjectMetadata,
): Promise<RoleInfo[]> {
  let meta = first;
  const [roles, memberships] = await Promise.all([
    fetchAll<Raw>(session.client, "roles", { project: meta.id }, {
      maxItems: 1_000,
      signal: ctx.signal,
    }),
    fetchAll<Raw>(session.client, "memberships", { project: meta.id }, {
      maxItems: 5_000,
      signal: ctx.signal,
    }),
  ]);
  if (memberships.items.some((m) => m.user && !meta.members.some((x) => x.id === Number(m.user)))) {
    ctx.metadata.invalidate(session, meta.id);
    meta = await ctx.metadata.get(session, meta.id, ctx.signal);
  }
  const who = (m: Raw): string =>
    meta.members.find((member) => member.id === Number(m.user))?.username ??
      String(m.email ?? m.user_email ?? m.full_name ?? `membership ${m.id}`);
  return roles.items
    .sort((a, b) => Number(a.order) - Number(b.order) || Number(a.id) - Number(b.id))
    .map((raw) => {
      const holders = memberships.items.filter((m) => Number(m.role) === Number(raw.id));
      return {
        id: Number(raw.id),
        name: String(raw.name ?? ""),
        raw,
        members: holders.map(who),
        admins: holders.filter((m) => m.is_admin === true).map(who),
      };
    });
}

function compactRole(role: RoleInfo): z.infer<ReturnType<typeof roleSchema>> {
  return {
    id: role.id,
    name: role.name,
    members: role.members,
    ...(role.admins.length > 0 ? { admins: role.admins } : {}),
    estimates: role.raw.computable !== false,
    permissions: Array.isArray(role.raw.permissions) ? role.raw.permissions : [],
  };
}

const listRoles = defineTool({
  name: "list_roles",
  title: "List roles and permissions",
  description:
    'The roles of a project: members holding each, whether it estimates story points, its permissions. E.g. {"project":"jane-website"}.',
  toolset: "members",
  readOnly: true,
  input: () => ({ project: projectField(), verbose: verboseField(), ...listInput() }),
  output: () => ({ project: z.string(), roles: z.array(roleSchema()), ...listOutput() }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    const roles = await fetchRoles(ctx, session, meta);
    const rows = roles.map((role) =>
      args.verbose ? { ...role.raw, name: role.name } : compactRole(role)
    );
    const { items, paging } = pageOf(rows, args);
    return { project: meta.slug, roles: items, ...paging };
  },
});

const permissionList = lazy(() => z.array(z.string().trim().min(1).max(100)).max(100));

function checkPermissions(names: readonly string[], argument: string): void {
  const unknown = names.filter((name) => !ROLE_PERMISSIONS.includes(name));
  if (unknown.length > 0) {
    throw new InputError(
      `Unknown permission${unknown.length > 1 ? "s" : ""} ${
        unknown.map((name) => `"${name}"`).join(", ")
      } in ${argument}. Valid: ${ROLE_PERMISSIONS.join(", ")}.`,
      { argument, valid: [...ROLE_PERMISSIONS] },
    );
  }
}

const ACTIONS = ["create", "update", "delete"] as const;

const TAKES: Readonly<Record<typeof ACTIONS[number], ActionArguments>> = {
  create: { required: ["name"], optional: ["permissions", "grant", "revoke", "estimates"] },
  update: { required: ["role"], optional: ["name", "permissions", "grant", "revoke", "estimates"] },
  delete: { required: ["role"], optional: ["move_to"] },
};

/** Who holds `role`, for a question or a refusal: "alice, bob (admin)". */
function holders(role: RoleInfo): string {
  return role.members.map((m) => role.admins.includes(m) ? `${m} (admin)` : m).join(", ");
}

/** The role members move to when `role` goes; refuses a delete that would drop its members. */
function deleteTarget(
  role: RoleInfo,
  others: RoleInfo[],
  moveTo?: string | number,
): RoleInfo | undefined {
  if (moveTo !== undefined) {
    const same = typeof moveTo === "number"
      ? moveTo === role.id
      : normaliseName(moveTo) === normaliseName(role.name);
    if (same) {
      throw new InputError("move_to names the role being deleted.", { argument: "move_to" });
    }
    return resolveNamed(others, moveTo, "role");
  }
  if (role.members.length > 0) {
    const valid = others.map((other) => other.name);
    throw new InputError(
      others.length === 0
        ? `The role "${role.name}" is the project's only role and has members (${
          holders(role)
        }): create another role first.`
        : `The role "${role.name}" has ${role.members.length} member(s): ${
          holders(role)
        }. Pass move_to, one of: ${
          valid.join(", ")
        }; Taiga would otherwise remove them from the project. Nothing was deleted.`,
      { argument: "move_to", valid, members: role.members },
    );
  }
  // Nobody holds it now; a target still guards against someone joining meanwhile.
  return others[0];
}

const manageRole = defineTool({
  name: "manage_role",
  title: "Create, change or delete a role",
  description:
    'Roles: create (view-only unless permissions), update (name, permissions, grant, revoke, estimates), delete (members move to move_to; asks first). E.g. {"project":"jane-website","action":"update","role":"Stakeholder","grant":["comment_us"]}.',
  toolset: "members",
  readOnly: false,
  annotations: { destructiveHint: true },
  input: () => ({
    project: projectField(),
    action: z.enum(ACTIONS),
    role: nameOrId().optional().describe("update/delete: the role's name or id"),
    name: z.string().trim().min(1).max(200).optional().describe(
      "create: its name; update: new name",
    ),
    permissions: permissionList().optional().describe('The whole set, e.g. ["view_us","add_us"]'),
    grant: permissionList().optional().describe("Permissions to add"),
    revoke: permissionList().optional().describe("Permissions to remove"),
    estimates: z.boolean().optional().describe("Whether it estimates story points"),
    move_to: nameOrId().optional().describe("delete: the role its members get"),
    confirm: confirmField(),
  }),
  output: () => ({
    project: z.string(),
    action: z.string(),
    role: roleSchema().optional(),
    deleted: z.string().optional(),
    moved: z.object({ members: z.array(z.string()), to: z.string() }).optional(),
  }),
  handler: async (args, ctx) => {
    checkActionArguments(args.action, args, TAKES);
    for (const name of ["permissions", "grant", "revoke"] as const) {
      if (args[name]) checkPermissions(args[name]!, name);
    }
    const session = await ctx.session();
    const meta = await ctx.metadata.get(session, args.project, ctx.signal);
    const roles = await fetchRoles(ctx, session, meta);
    const current = args.role === undefined ? undefined : resolveNamed(roles, args.role, "role");
    const others = roles.filter((role) => role.id !== current?.id);
    if (args.name !== undefined) {
      const taken = others.find((role) => normaliseName(role.name) === normaliseName(args.name!));
      if (taken) {
        throw new InputError(`The role "${taken.name}" already exists.`, { argument: "name" });
      }
    }
    if (args.action === "delete") {
      const role = current!;
      const target = deleteTarget(role, others, args.move_to);
      const moving = role.members.length > 0 && target
        ? ` Its members (${holders(role)}) get the role "${target.name}".`
        : " Nobody has it.";
      const estimates = role.raw.computable !== false
        ? ` Story points estimated for "${role.name}" are lost.`
        : "";
      await ctx.confirm(
        `Delete the role "${role.name}" of ${meta.name}?${moving}${estimates}`,
        args.confirm,
      );
      await session.client.delete(
        `roles/${role.id}`,
        target ? { moveTo: target.id } : undefined,
        ctx.signal,
      );
      ctx.metadata.invalidate(session, meta.id);
      return {
        project: meta.slug,
        action: args.action,
        deleted: role.name,
        ...(role.members.length > 0 && target
          ? { moved: { members: role.members, to: target.name } }
          : {}),
      };
    }
    const base = args.permissions ??
      (current ? current.raw.permissions as string[] ?? [] : VIEW_ONLY);
    const revoked = new Set(args.revoke ?? []);
    const permissions = [...new Set([...base, ...(args.grant ?? [])])].filter((p) =>
      !revoked.has(p)
    );
    const changesPermissions = !current || args.permissions || args.grant || args.revoke;
    const body: Raw = {
      ...(args.name !== undefined ? { name: args.name } : {}),
      ...(changesPermissions ? { permissions } : {}),
      ...(args.estimates !== undefined ? { computable: args.estimates } : {}),
    };
    const saved = current
      ? await session.client.patch<Raw>(`roles/${current.id}`, body, ctx.signal)
      : await session.client.post<Raw>("roles", { project: meta.id, ...body }, ctx.signal);
    ctx.metadata.invalidate(session, meta.id);
    const role: RoleInfo = {
      id: Number(saved.id),
      name: String(saved.name),
      raw: saved,
      members: current?.members ?? [],
      admins: current?.admins ?? [],
    };
    return { project: meta.slug, action: args.action, role: compactRole(role) };
  },
});

/** Role tools (toolset `members`; registered by the lead in src/tools/index.ts). */
export const roleTools: readonly AnyTool[] = [listRoles, manageRole];
