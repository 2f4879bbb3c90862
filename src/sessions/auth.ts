/**
 * Logging in to Taiga: by password (`POST /auth`), or by validating a token with `/users/me` —
 * a session is only ever created from credentials Taiga accepted.
 * @module
 */

import { isRecord, notTaigaError, shapeOf } from "../taiga/answers.ts";
import { type TaigaAuth, TaigaClient } from "../taiga/client.ts";
import { checkLoginField, checkToken } from "../taiga/credentials.ts";
import { TaigaError } from "../taiga/errors.ts";
import type { RequestPolicy } from "../taiga/policy.ts";
import type { SessionUser } from "./store.ts";

interface TaigaUserBody {
  id: number;
  username: string;
  full_name?: string;
  full_name_display?: string;
}

/** Taiga's user (`/users/me`, `POST /auth`): an id and a username at least, else not Taiga's. */
function userOf(body: unknown, apiUrl: string, what: string): TaigaUserBody {
  if (isRecord(body) && typeof body.id === "number" && typeof body.username === "string") {
    return body as unknown as TaigaUserBody;
  }
  throw notTaigaError(apiUrl, what, `${shapeOf(body)} without a user's id and username`);
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
  checkLoginField(username, "username");
  checkLoginField(password, "password");
  const client = new TaigaClient(apiUrl, policy);
  let data: unknown;
  try {
    ({ data } = await client.request<unknown>("POST", "auth", {
      body: { type: "normal", username, password },
      auth: false,
      signal,
    }));
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
  // No session without a token and a user: an answer without them is not Taiga's.
  const user = userOf(data, apiUrl, "POST /auth");
  const { auth_token: token, refresh } = data as Record<string, unknown>;
  if (typeof token !== "string" || (refresh !== undefined && typeof refresh !== "string")) {
    throw notTaigaError(apiUrl, "POST /auth", "a user without an auth_token");
  }
  checkToken(token, "the auth_token Taiga sent");
  return { auth: { token, tokenType: "Bearer", refresh }, user: toUser(user) };
}

/** Checks a token against `/users/me`; rejects it with a clear error when Taiga does. */
export async function verifyToken(
  apiUrl: string,
  policy: RequestPolicy,
  auth: TaigaAuth,
  signal?: AbortSignal,
): Promise<VerifiedLogin> {
  checkToken(auth.token, "the token");
  if (auth.refresh !== undefined) checkToken(auth.refresh, "the refresh token");
  const client = new TaigaClient(apiUrl, policy, auth);
  try {
    const me = userOf(
      await client.get<unknown>("users/me", undefined, signal),
      apiUrl,
      "GET /users/me",
    );
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
