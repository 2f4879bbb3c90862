/**
 * A person named for a timeline or "my work": "me", a username (with or without `@`) or a user
 * id anywhere; within a project also an email or full name (the project's member list).
 * @module
 */

import { lazy } from "../domain/lazy.ts";
import { z } from "zod";
import { resolveUser, withMetadata } from "../domain/names.ts";
import type { RequestContext } from "../mcp/context.ts";
import type { Session } from "../sessions/store.ts";
import { InputError, shortValue, TaigaError } from "../taiga/errors.ts";

/** A person argument: "me", a username or an id. */
export const personField: () => z.ZodUnion<readonly [z.ZodString, z.ZodNumber]> = lazy(() =>
  z.union([
    z.string().trim().min(1).max(255),
    z.number().int().positive(),
  ])
);

/** A resolved person. */
export interface Person {
  /** Taiga user id. */
  id: number;
  /** Username. */
  username: string;
}

const ME = new Set(["me", "myself", "i", "@me"]);

async function byLookup(session: Session, ctx: RequestContext, value: string): Promise<Person> {
  const digits = /^\d+$/.test(value);
  try {
    const user = await session.client.get<{ id: number; username: string }>(
      digits ? `users/${value}` : "users/by_username",
      digits ? undefined : { username: value.replace(/^@/, "") },
      ctx.signal,
    );
    return { id: Number(user.id), username: String(user.username) };
  } catch (error) {
    if (!(error instanceof TaigaError && error.type === "not_found")) throw error;
    throw new InputError(
      `No Taiga user "${
        shortValue(value)
      }". Use "me", a username (e.g. "alice") or a user id; emails and full names work with "project".`,
      { argument: "person" },
    );
  }
}

/** The person `value` names; with `project`, members are found by email and full name too. */
export async function resolvePerson(
  session: Session,
  ctx: RequestContext,
  value: string | number,
  project?: string | number,
): Promise<Person> {
  const text = String(value).trim();
  if (ME.has(text.toLowerCase())) return { id: session.user.id, username: session.user.username };
  if (project === undefined) return await byLookup(session, ctx, text);
  const found = await withMetadata(ctx, session, project, async (meta) => {
    const id = await resolveUser(session, meta, value, ctx.signal);
    const member = meta.members.find((candidate) => candidate.id === id);
    return member ? { id, username: member.username } : undefined;
  });
  return found ?? await byLookup(session, ctx, text);
}
