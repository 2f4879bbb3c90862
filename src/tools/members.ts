/**
 * Project members (memberships): list_members, invite_member, change_member_role and
 * remove_member. Roles are named as the project names them; people by username, email, "me" or id.
 * Every write drops the project's cached metadata, whose member list it changed.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { InputError } from "../taiga/errors.ts";
import { z } from "zod";
import type { ProjectMetadata } from "../domain/metadata.ts";
import { resolveNamed, resolveUser, withMetadata } from "../domain/names.ts";
import { confirmField, projectField } from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { Session } from "../sessions/store.ts";
import { fetchAll } from "../taiga/pagination.ts";
import { nameOrId } from "./items_fields.ts";

type Raw = Record<string, unknown>;

/** Toolset of the member tools (not in the default selection). */
export const MEMBERS_TOOLSET = "members";

/** Most memberships read from one project. */
const MAX_MEMBERSHIPS = 5_000;

const memberSchema = lazy(() =>
  z.object({
    membership_id: z.number(),
    username: z.string().nullable().describe("null while an invitation is pending"),
    full_name: z.string().nullable(),
    role: z.string(),
    is_admin: z.boolean(),
    is_owner: z.boolean().optional(),
    email: z.string().optional().describe("Only shown to project admins"),
    pending: z.boolean().optional().describe("Invited, has not joined yet"),
  })
);

type MemberRow = z.infer<ReturnType<typeof memberSchema>>;

const roleField = lazy(() => nameOrId().describe('Role name (e.g. "Back") or id'));

const memberField = lazy(() =>
  z.union([z.string().trim().min(1).max(254), z.number().int().positive()])
    .describe('The member: username (e.g. "alice"), email, "me", or user id')
);

/** A membership as one compact row; usernames come from the project metadata. */
function memberRow(raw: Raw, meta: ProjectMetadata): MemberRow {
  const userId = raw.user === null || raw.user === undefined ? null : Number(raw.user);
  const known = userId === null ? undefined : meta.members.find((m) => m.id === userId);
  const email = [raw.user_email, raw.email].find((v) => typeof v === "string" && v !== "");
  const role = raw.role_name ?? meta.roles.find((r) => r.id === Number(raw.role))?.name ?? "";
  return {
    membership_id: Number(raw.id),
    username: known?.username ?? null,
    full_name: typeof raw.full_name === "string" ? raw.full_name : known?.full_name ?? null,
    role: String(role),
    is_admin: raw.is_admin === true,
    ...(raw.is_owner === true ? { is_owner: true } : {}),
    ...(email ? { email: String(email) } : {}),
    ...(userId === null ? { pending: true } : {}),
  };
}

async function fetchMemberships(
  session: Session,
  projectId: number,
  signal: AbortSignal,
): Promise<Raw[]> {
  const result = await fetchAll<Raw>(session.client, "memberships", { project: projectId }, {
    maxItems: MAX_MEMBERSHIPS,
    signal,
  });
  return result.items;
}

/** Metadata that knows every member of `memberships` (fetched fresh once if it does not). */
async function metaFor(
  ctx: RequestContext,
  session: Session,
  meta: ProjectMetadata,
  memberships: readonly Raw[],
): Promise<ProjectMetadata> {
  const unknown = memberships.some((m) =>
    m.user !== null && m.user !== undefined && !meta.members.some((x) => x.id === Number(m.user))
  );
  if (!unknown) return meta;
  ctx.metadata.invalidate(session, meta.id);
  return await ctx.metadata.get(session, meta.id, ctx.signal);
}

/** The membership of the person named by `member` (username, email, "me" or user id). */
async function findMembership(
  session: Session,
  meta: ProjectMetadata,
  member: string | number,
  signal: AbortSignal,
): Promise<Raw> {
  const memberships = await fetchMemberships(session, meta.id, signal);
  if (typeof member === "string" && member.includes("@") && !member.startsWith("@")) {
    const email = member.toLowerCase();
    const hit = memberships.find((m) =>
      [m.user_email, m.email].some((v) => typeof v === "string" && v.toLowerCase() === email)
    );
    if (hit) return hit;
    throw new InputError(
      `Nobody in ${meta.slug} has the email ${member} (only project admins see emails). Use a username: ${
        meta.members.map((m) => m.username).join(", ")
      }.`,
      { argument: "member", unknown: member },
    );
  }
  const userId = await resolveUser(session, meta, member, signal);
  const hit = memberships.find((m) => Number(m.user) === userId);
  if (hit) return hit;
  throw new InputError(`User ${member} is not a member of ${meta.slug}.`, {
    argument: "member",
    unknown: String(member),
  });
}

const listMembers = defineTool({
  name: "list_members",
  title: "List project members",
  description:
    'The members of a project: username, full name, role, admin flag, email (only project admins see emails) and pending invitations. Example: {"project":"jane-website"}.',
  toolset: MEMBERS_TOOLSET,
  readOnly: true,
  input: () => ({ project: projectField() }),
  output: () => ({ project: z.string(), members: z.array(memberSchema()), total: z.number() }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const first = await ctx.metadata.get(session, args.project, ctx.signal);
    const memberships = await fetchMemberships(session, first.id, ctx.signal);
    const meta = await metaFor(ctx, session, first, memberships);
    const members = memberships.map((m) => memberRow(m, meta));
    return { project: meta.slug, members, total: members.length };
  },
});

const inviteMember = defineTool({
  name: "invite_member",
  title: "Invite a member",
  description:
    'Add a person to a project with a role: an existing Taiga user by username or email joins at once; an unknown email gets an invitation (pending until accepted). Roles are the project\'s (see get_project_metadata). Example: {"project":"jane-website","username":"alice","role":"Front"}.',
  toolset: MEMBERS_TOOLSET,
  readOnly: false,
  input: () => ({
    project: projectField(),
    username: z.string().trim().min(1, "username must not be empty").max(254).describe(
      'Username (e.g. "alice") or email (e.g. "alice@example.com") of the person',
    ),
    role: roleField(),
    message: z.string().max(2_000).optional().describe(
      "Extra text for the invitation email",
    ),
  }),
  output: () => ({ project: z.string(), member: memberSchema() }),
  annotations: { idempotentHint: false },
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const created = await withMetadata(ctx, session, args.project, async (meta) => {
      const role = resolveNamed(meta.roles, args.role, "role");
      return await session.client.post<Raw>("memberships", {
        project: meta.id,
        role: role.id,
        username: args.username.replace(/^@/, ""),
        ...(args.message ? { invitation_extra_text: args.message } : {}),
      }, ctx.signal);
    });
    const projectId = Number(created.project);
    ctx.metadata.invalidate(session, projectId);
    const meta = await ctx.metadata.get(session, projectId, ctx.signal);
    return { project: meta.slug, member: memberRow(created, meta) };
  },
});

const changeMemberRole = defineTool({
  name: "change_member_role",
  title: "Change a member's role",
  description:
    'Give a project member another role (the project\'s role names, see get_project_metadata). Example: {"project":"jane-website","member":"bob","role":"Front"}.',
  toolset: MEMBERS_TOOLSET,
  readOnly: false,
  input: () => ({ project: projectField(), member: memberField(), role: roleField() }),
  output: () => ({ project: z.string(), member: memberSchema(), previous_role: z.string() }),
  annotations: { idempotentHint: true },
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const [meta, membership, role] = await withMetadata(
      ctx,
      session,
      args.project,
      async (meta) => {
        const role = resolveNamed(meta.roles, args.role, "role");
        const membership = await findMembership(session, meta, args.member, ctx.signal);
        return [meta, membership, role] as const;
      },
    );
    const previous = memberRow(membership, meta).role;
    const updated = await session.client.patch<Raw>(
      `memberships/${membership.id}`,
      { role: role.id },
      ctx.signal,
    );
    ctx.metadata.invalidate(session, meta.id);
    return { project: meta.slug, member: memberRow(updated, meta), previous_role: previous };
  },
});

const removeMember = defineTool({
  name: "remove_member",
  title: "Remove a member",
  description:
    'Remove a person from a project (or cancel a pending invitation, by email). Their items stay as they are. Cannot remove the project owner. The person is asked first. Example: {"project":"jane-website","member":"bob"}.',
  toolset: MEMBERS_TOOLSET,
  readOnly: false,
  input: () => ({ project: projectField(), member: memberField(), confirm: confirmField() }),
  output: () => ({ project: z.string(), removed: z.boolean(), member: memberSchema() }),
  annotations: { destructiveHint: true, idempotentHint: false },
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const [meta, membership] = await withMetadata(ctx, session, args.project, async (meta) => {
      const membership = await findMembership(session, meta, args.member, ctx.signal);
      return [meta, membership] as const;
    });
    const row = memberRow(membership, meta);
    if (row.is_owner) {
      throw new InputError(
        `${row.username} owns project ${meta.slug} and cannot be removed. Transfer the ownership first (Taiga's project settings). Nothing was changed.`,
      );
    }
    await ctx.confirm(
      row.pending
        ? `Cancel the pending invitation of ${row.email} to project ${meta.slug}?`
        : `Remove ${row.username} (${row.role}) from project ${meta.slug}? They lose access; their items stay.`,
      args.confirm,
    );
    await session.client.delete(`memberships/${membership.id}`, undefined, ctx.signal);
    ctx.metadata.invalidate(session, meta.id);
    return { project: meta.slug, removed: true, member: memberRow(membership, meta) };
  },
});

/** Member tools (toolset `members`, not in the default selection). */
export const memberTools: readonly AnyTool[] = [
  listMembers,
  inviteMember,
  changeMemberRole,
  removeMember,
];
