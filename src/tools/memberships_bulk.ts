/**
 * Inviting several people at once (invite_members) and re-sending a pending invitation
 * (resend_invitation). Taiga's bulk_create crashes (HTTP 500) when someone invited by username
 * is already a member, so the member list is read first: members and pending invitations are
 * reported, not re-invited.
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import type { ProjectMetadata } from "../domain/metadata.ts";
import { normaliseName, resolveNamed, withMetadata } from "../domain/names.ts";
import { projectField } from "../mcp/args.ts";
import type { RequestContext } from "../mcp/context.ts";
import { type AnyTool, defineTool } from "../mcp/define.ts";
import type { Session } from "../sessions/store.ts";
import { InputError, TaigaError } from "../taiga/errors.ts";
import { fetchAll } from "../taiga/pagination.ts";
import { nameOrId } from "./items_fields.ts";

type Raw = Record<string, unknown>;

function isEmail(text: string): boolean {
  return text.includes("@") && !text.startsWith("@");
}

/** The project's memberships, with metadata that knows every member's username. */
async function memberships(
  ctx: RequestContext,
  session: Session,
  first: ProjectMetadata,
): Promise<{ meta: ProjectMetadata; list: Raw[] }> {
  let meta = first;
  const { items } = await fetchAll<Raw>(session.client, "memberships", { project: meta.id }, {
    maxItems: 5_000,
    signal: ctx.signal,
  });
  const unknown = items.some((m) =>
    m.user !== null && m.user !== undefined && !meta.members.some((x) => x.id === Number(m.user))
  );
  if (unknown) {
    ctx.metadata.invalidate(session, meta.id);
    meta = await ctx.metadata.get(session, meta.id, ctx.signal);
  }
  return { meta, list: items };
}

/** The membership of `who` (username or email), if any. */
function membershipOf(meta: ProjectMetadata, list: readonly Raw[], who: string): Raw | undefined {
  if (isEmail(who)) {
    const email = who.toLowerCase();
    return list.find((m) =>
      [m.user_email, m.email].some((v) => typeof v === "string" && v.toLowerCase() === email)
    );
  }
  const handle = who.replace(/^@/, "").toLowerCase();
  const user = meta.members.find((member) => member.username.toLowerCase() === handle);
  return user ? list.find((m) => Number(m.user) === user.id) : undefined;
}

/**
 * Taiga's per-invite refusals (`{"bulk_memberships": [{"username": [...]}, {}]}`) as one
 * message naming each person; undefined for any other failure.
 */
function entryErrors(error: unknown, who: readonly string[]): TaigaError | undefined {
  const entries = error instanceof TaigaError ? error.details?.bulk_memberships : undefined;
  if (!Array.isArray(entries) || !entries.some((e) => e && typeof e === "object")) return undefined;
  const problems = entries.flatMap((entry, index) =>
    entry && typeof entry === "object" && Object.keys(entry).length > 0
      ? [`${who[index] ?? `invite ${index + 1}`}: ${Object.values(entry).flat().join(" ")}`]
      : []
  );
  return new TaigaError(
    "validation",
    `Taiga refused the invitations, nobody was invited: ${
      problems.join("; ")
    }. A username must be someone you share a project with; invite others by email.`,
    { status: 400, details: { refused: problems } },
  );
}

const inviteSchema = lazy(() =>
  z.object({
    username: z.string().trim().min(1).max(254).describe("Username or email"),
    role: nameOrId().optional().describe("Role name; default: the call's role"),
  })
);

const personSchema = lazy(() =>
  z.object({
    who: z.string(),
    role: z.string(),
    pending: z.boolean().optional().describe("Invited by email, has not joined yet"),
  })
);

/** Who is to be invited, who is a member already, who has a pending invitation. */
function sortInvites(
  meta: ProjectMetadata,
  list: readonly Raw[],
  invites: ReadonlyArray<{ username: string; role?: string | number }>,
  defaultRole: string | number | undefined,
): {
  invited: Array<{ who: string; role: string; role_id: number }>;
  members: Array<z.infer<ReturnType<typeof personSchema>>>;
  pending: Array<z.infer<ReturnType<typeof personSchema>>>;
} {
  const roleName = (m: Raw): string =>
    String(m.role_name ?? meta.roles.find((r) => r.id === Number(m.role))?.name ?? "");
  const invited: Array<{ who: string; role: string; role_id: number }> = [];
  const members: Array<z.infer<ReturnType<typeof personSchema>>> = [];
  const pending: Array<z.infer<ReturnType<typeof personSchema>>> = [];
  for (const invite of invites) {
    const wanted = invite.role ?? defaultRole;
    if (wanted === undefined) {
      throw new InputError(
        `No role for ${invite.username}: pass role (for all) or invites[].role. Roles: ${
          meta.roles.map((r) => r.name).join(", ")
        }.`,
        { argument: "role", valid: meta.roles.map((r) => r.name) },
      );
    }
    const role = resolveNamed(meta.roles, wanted, "role");
    const who = isEmail(invite.username) ? invite.username : invite.username.replace(/^@/, "");
    const existing = membershipOf(meta, list, who);
    if (existing && (existing.user === null || existing.user === undefined)) {
      pending.push({ who, role: roleName(existing), pending: true });
    } else if (existing) members.push({ who, role: roleName(existing) });
    else invited.push({ who, role: role.name, role_id: role.id });
  }
  return { invited, members, pending };
}

const inviteMembers = defineTool({
  name: "invite_members",
  title: "Invite several members",
  description:
    'Invite several people (username or email) with roles; members and pending invitations are reported, not re-invited. E.g. {"project":"jane-website","role":"Front","invites":[{"username":"alice"},{"username":"carol@example.com","role":"Back"}]}.',
  toolset: "members",
  readOnly: false,
  annotations: { destructiveHint: false },
  input: () => ({
    project: projectField(),
    invites: z.array(inviteSchema()).min(1).max(100),
    role: nameOrId().optional().describe("Role of the invites that name none"),
    message: z.string().max(2_000).optional().describe("Extra text for the invitation emails"),
  }),
  output: () => ({
    project: z.string(),
    invited: z.array(personSchema()),
    already_members: z.array(personSchema()),
    already_invited: z.array(personSchema()).describe("Pending invitations: see resend_invitation"),
  }),
  handler: async (args, ctx) => {
    const seen = new Set<string>();
    for (const invite of args.invites) {
      const key = normaliseName(invite.username.replace(/^@/, ""));
      if (seen.has(key)) {
        throw new InputError(`${invite.username} is listed twice in invites.`, {
          argument: "invites",
        });
      }
      seen.add(key);
    }
    const session = await ctx.session();
    // Roles come from the (cached) metadata: a role unknown there is looked up once afresh.
    const { meta, invited, members, pending } = await withMetadata(
      ctx,
      session,
      args.project,
      async (first) => {
        const { meta, list } = await memberships(ctx, session, first);
        return { meta, ...sortInvites(meta, list, args.invites, args.role) };
      },
    );
    let created: Raw[] = [];
    if (invited.length > 0) {
      try {
        created = await session.client.post<Raw[]>("memberships/bulk_create", {
          project_id: meta.id,
          bulk_memberships: invited.map((i) => ({ role_id: i.role_id, username: i.who })),
          ...(args.message ? { invitation_extra_text: args.message } : {}),
        }, ctx.signal);
      } catch (error) {
        const refused = entryErrors(error, invited.map((i) => i.who));
        if (refused) throw refused;
        if (error instanceof TaigaError && error.status === 500) {
          throw new TaigaError(
            "server",
            "Taiga failed on the invitations (HTTP 500), as it does when one of them is already a member (someone added them meanwhile). Check list_members, then invite the others again.",
            { status: 500 },
          );
        }
        throw error;
      }
      ctx.metadata.invalidate(session, meta.id);
    }
    return {
      project: meta.slug,
      invited: invited.map((i, index) => {
        const m = Array.isArray(created) ? created[index] : undefined;
        const joined = m !== undefined && m.user !== null && m.user !== undefined;
        return { who: i.who, role: i.role, ...(joined ? {} : { pending: true }) };
      }),
      already_members: members,
      already_invited: pending,
    };
  },
});

const resendInvitation = defineTool({
  name: "resend_invitation",
  title: "Resend an invitation",
  description:
    'Send a pending project invitation\'s email again. E.g. {"project":"jane-website","member":"carol@example.com"}.',
  toolset: "members",
  readOnly: false,
  annotations: { destructiveHint: false },
  input: () => ({
    project: projectField(),
    member: z.string().trim().min(1).max(254).describe("Email (or username) invited"),
  }),
  output: () => ({ project: z.string(), resent_to: z.string(), role: z.string() }),
  handler: async (args, ctx) => {
    const session = await ctx.session();
    const { meta, list } = await memberships(
      ctx,
      session,
      await ctx.metadata.get(session, args.project, ctx.signal),
    );
    const membership = membershipOf(meta, list, args.member);
    const pending = list.filter((m) => m.user === null || m.user === undefined)
      .map((m) => String(m.email ?? m.user_email ?? ""))
      .filter((email) => email !== "");
    if (!membership) {
      throw new InputError(
        `No invitation to ${args.member} in ${meta.slug}. Pending invitations: ${
          pending.join(", ") || "none"
        }.`,
        { argument: "member", valid: pending },
      );
    }
    if (membership.user !== null && membership.user !== undefined) {
      throw new InputError(`${args.member} has already joined ${meta.slug}: nothing to resend.`, {
        argument: "member",
        valid: pending,
      });
    }
    await session.client.post(`memberships/${membership.id}/resend_invitation`, {}, ctx.signal);
    return {
      project: meta.slug,
      resent_to: String(membership.email ?? membership.user_email ?? args.member),
      role: String(
        membership.role_name ?? meta.roles.find((r) => r.id === Number(membership.role))?.name,
      ),
    };
  },
});

/** Bulk membership tools (toolset `members`; registered by the lead in src/tools/index.ts). */
export const membershipBulkTools: readonly AnyTool[] = [inviteMembers, resendInvitation];
