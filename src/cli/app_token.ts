/**
 * `taiga-mcp app-token`: an application token in one step, the way taiga-front's external-apps
 * page gets one, through the API of taiga-back 6.10 (`taiga/external_apps`):
 *
 * 1. `POST /auth` with the username and password (asked, hidden, sent once, never stored);
 * 2. `POST /application-tokens/authorize` `{application, state}` with that login's JWT: Taiga
 *    answers `{state, auth_code, next_url}` (404 when no Application has that id);
 * 3. `POST /application-tokens/validate` `{application, auth_code, state}`, unauthenticated:
 *    Taiga answers `{token}` and clears the code (single use; the same token each time after);
 * 4. `GET /users/me` with `Authorization: Application <token>`, then the token is cached for the
 *    host as an Application token (and printed to stdout with `--print`).
 *
 * The Application itself is registered once by a Taiga admin in Django admin
 * (`/admin/external_apps/application/`); its id is what `--application` takes.
 * @module
 */

import type { Config } from "../config/load.ts";
import { verifyToken } from "../sessions/auth.ts";
import type { TokenCache } from "../sessions/token_cache.ts";
import { isRecord } from "../taiga/answers.ts";
import { TaigaClient } from "../taiga/client.ts";
import { checkToken } from "../taiga/credentials.ts";
import { TaigaError } from "../taiga/errors.ts";
import type { RequestPolicy } from "../taiga/policy.ts";
import type { CliArgs } from "./args.ts";
import { print, readLine, tell } from "./prompt.ts";
import { withPasswordSignIn } from "./sign_in.ts";

/** What an Application id looks like: taiga-back makes a UUID; any id without spaces or slashes. */
const APPLICATION_ID = /^[^\s/?#\p{Cc}]{1,255}$/u;

const WHERE_IDS =
  "a Taiga admin finds it in Django admin, <taiga>/admin/external_apps/application/";

async function askApplication(given: string | undefined): Promise<string | undefined> {
  const id = (given ?? await readLine("Application id (from your Taiga admin): ")).trim();
  if (APPLICATION_ID.test(id)) return id;
  tell(
    `taiga-mcp: ${
      id === "" ? "an Application id is required" : "that is not an Application id"
    }: give the id (a UUID) of the Application registered for taiga-mcp; ${WHERE_IDS}\n`,
  );
  return undefined;
}

/** A string field of Taiga's answer, else an error naming the endpoint. */
function field(body: unknown, name: string, endpoint: string, origin: string): string {
  const value = isRecord(body) ? body[name] : undefined;
  if (typeof value === "string" && value !== "") return value;
  throw new TaigaError(
    "server",
    `Taiga at ${origin} answered ${endpoint} without "${name}": is it Taiga 6 with external apps enabled?`,
  );
}

/** Steps 2 and 3: an auth code for the logged-in user, exchanged for the application token. */
async function exchange(
  apiUrl: string,
  policy: RequestPolicy,
  jwt: TaigaClient,
  application: string,
): Promise<string> {
  const origin = new URL(apiUrl).origin;
  const state = crypto.randomUUID();
  let code: string;
  try {
    const { data } = await jwt.request<unknown>("POST", "application-tokens/authorize", {
      body: { application, state },
    });
    code = field(data, "auth_code", "POST /application-tokens/authorize", origin);
  } catch (error) {
    if (error instanceof TaigaError && error.status === 404) {
      throw new TaigaError(
        "not_found",
        `Taiga at ${origin} has no Application with id ${application}: check the id (${WHERE_IDS}).`,
        { status: 404 },
      );
    }
    throw error;
  }
  try {
    const { data } = await new TaigaClient(apiUrl, policy).request<unknown>(
      "POST",
      "application-tokens/validate",
      { body: { application, auth_code: code, state }, auth: false },
    );
    const token = field(data, "token", "POST /application-tokens/validate", origin);
    checkToken(token, "the application token Taiga sent");
    return token;
  } catch (error) {
    if (error instanceof TaigaError && error.status === 404) {
      throw new TaigaError(
        "auth",
        `Taiga at ${origin} did not accept the authorization code it had just given (404 from /application-tokens/validate); run the command again.`,
        { status: 404 },
      );
    }
    throw error;
  }
}

/** Runs `app-token`; returns the exit code. */
export function appToken(args: CliArgs, config: Config, cache: TokenCache): Promise<number> {
  return withPasswordSignIn(
    args,
    config,
    () => askApplication(args.application),
    async ({ apiUrl, host, policy, login, extra: application }) => {
      const token = await exchange(
        apiUrl,
        policy,
        new TaigaClient(apiUrl, policy, login.auth),
        application,
      );
      const checked = await verifyToken(apiUrl, policy, { token, tokenType: "Application" });
      await cache.put({
        host,
        token,
        tokenType: "Application",
        user: checked.user,
        savedAt: new Date().toISOString(),
      });
      tell(
        `Application token for ${checked.user.username} at ${host} cached in ${cache.path}; the server logs in with it at start-up. It does not expire: revoke it in Taiga (Django admin, Application tokens) when it is no longer needed.\n`,
      );
      if (args.print) print(`${token}\n`);
      return 0;
    },
  );
}
