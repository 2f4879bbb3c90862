/**
 * The password sign-in both `login` and `app-token` start with: ask which Taiga, ask the person's
 * name and hidden password, exchange them once at `POST /auth`, and close the connection pool
 * when the command is done. The password is never stored.
 * @module
 */

import type { Config } from "../config/load.ts";
import { loginWithPassword, type VerifiedLogin } from "../sessions/auth.ts";
import { createRequestPolicy, type RequestPolicy } from "../taiga/policy.ts";
import type { CliArgs } from "./args.ts";
import { askCredentials, askTaiga } from "./prompt.ts";

/** What a command gets once the person is signed in. */
export interface SignedIn<E> {
  /** Taiga's API root. */
  apiUrl: string;
  /** The host the token cache keys by. */
  host: string;
  /** The request policy (and its connection pool) for further requests. */
  policy: RequestPolicy;
  /** Taiga's answer to the sign-in. */
  login: VerifiedLogin;
  /** What `askExtra` answered. */
  extra: E;
}

/**
 * Asks the Taiga, then `askExtra` (e.g. an Application id), then the credentials; signs in and
 * runs `use`. Returns 2 (a question left unanswered) without signing in.
 */
export async function withPasswordSignIn<E>(
  args: CliArgs,
  config: Config,
  askExtra: () => Promise<E | undefined>,
  use: (signedIn: SignedIn<E>) => Promise<number>,
): Promise<number> {
  const { apiUrl, host } = await askTaiga(args.apiUrl, config);
  const extra = await askExtra();
  if (extra === undefined) return 2;
  const credentials = await askCredentials(args.username);
  if (credentials === undefined) return 2;
  const policy = createRequestPolicy(config);
  try {
    const login = await loginWithPassword(
      apiUrl,
      policy,
      credentials.username,
      credentials.password,
    );
    return await use({ apiUrl, host, policy, login, extra });
  } finally {
    policy.httpClient?.close();
  }
}
