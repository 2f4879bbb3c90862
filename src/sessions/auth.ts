/**
 * Logging in to Taiga: by password (`POST /auth`), or by validating a token with `/users/me` —
 * a session is only ever created from credentials Taiga accepted.
 * @module
 */

import { type TaigaAuth, TaigaClient } from "../taiga/client.ts";
import { TaigaError } from "../taiga/errors.ts";
import type { RequestPolicy } from "../taiga/policy.ts";
import type { SessionUser } from "./store.ts";

interface TaigaUserBody {
  id: number;
  username: string;
  full_name?: string;
  full_name_display?: string;
}

interface LoginBody extends TaigaUserBody {
  auth_token: string;
  refresh?: string;
}

/** Credentials Taiga accepted, and whose they are. */
export interface VerifiedLogin {
  /** Tokens to use. */
  auth: TaigaAuth;
  /** The user they belong to. */
  user: SessionUser;
}

function toUser(body: TaigaUserBody): SessionUser {
  return {
    id: body.id,
    username: body.username,
    fullName: body.full_name_display || body.full_name || undefined,
  };
}

/** Logs in with username (or email) and password; the password is sent once and kept nowhere. */
export async function loginWithPassword(
  apiUrl: string,
  policy: RequestPolicy,
  username: string,
  password: string,
  signal?: AbortSignal,
): Promise<VerifiedLogin> {
  const client = new TaigaClient(apiUrl, policy);
  try {
    const body = await client.request<LoginBody>("POST", "auth", {
      body: { type: "normal", username, password },
      auth: false,
      signal,
    });
    const data = body.data;
    return {
      auth: { token: data.auth_token, tokenType: "Bearer", refresh: data.refresh },
      user: toUser(data),
    };
  } catch (error) {
    if (error instanceof TaigaError && (error.status === 401 || error.status === 400)) {
      throw new TaigaError(
        "auth",
        `Taiga at ${
          new URL(apiUrl).origin
        } refused the login for "${username}": wrong username or password, or the account is inactive.`,
        { status: error.status },
      );
    }
    throw error;
  }
}

/** Checks a token against `/users/me`; rejects it with a clear error when Taiga does. */
export async function verifyToken(
  apiUrl: string,
  policy: RequestPolicy,
  auth: TaigaAuth,
  signal?: AbortSignal,
): Promise<VerifiedLogin> {
  const client = new TaigaClient(apiUrl, policy, auth);
  try {
    const me = await client.get<TaigaUserBody>("users/me", undefined, signal);
    return { auth: client.auth ?? auth, user: toUser(me) };
  } catch (error) {
    if (error instanceof TaigaError && error.type === "auth") {
      throw new TaigaError(
        "auth",
        `Taiga at ${
          new URL(apiUrl).origin
        } rejected the ${auth.tokenType} token (invalid or expired). Check the token and its type (Bearer for a login JWT, Application for an application token).`,
        { status: error.status },
      );
    }
    throw error;
  }
}
