/**
 * The authorization server of `--auth oauth`, wired from the configuration: endpoints and
 * metadata, clients (metadata documents and sealed registrations), the authorization endpoint's
 * rules, sign-in (password, or Taiga's own Application flow), tokens, revocation and the
 * check of access tokens. Stateless: everything it knows of a person is in a token it sealed.
 * @module
 */

import type { HttpConfig } from "../config/settings.ts";
import { Sealer } from "../sessions/sealed.ts";
import { InputError } from "../taiga/errors.ts";
import type { RequestPolicy } from "../taiga/policy.ts";
import { Authorizer } from "./authorize.ts";
import { DocumentFetcher, type DocumentFetchOptions } from "./cimd.ts";
import { ClientRegistry } from "./clients.ts";
import { TokenIssuer } from "./grants.ts";
import { type Endpoints, endpointsOf } from "./issuer.ts";
import { AccessVerifier } from "./person.ts";
import { redirectShown } from "./redirects.ts";
import { SignInThrottle } from "./throttle.ts";
import { constantTimeEqual } from "./pkce.ts";
import { type AuthRequest, randomToken, sha256, TokenBox, TTL } from "./tokens.ts";
import { TaigaRefused, TaigaUpstream } from "./upstream.ts";

/** Where the server reports (never a credential). */
export interface OAuthLog {
  /** Sign-ins, settings. */
  info(message: string, data?: Record<string, unknown>): void;
  /** Refusals worth an operator's look. */
  warning(message: string, data?: Record<string, unknown>): void;
}

/** What the server is built from. */
export interface OAuthServerOptions {
  /** The HTTP settings (public URL, keys, OAuth settings). */
  http: HttpConfig;
  /** The Taiga API base (normalised). */
  apiUrl: string;
  /** Limits shared with every Taiga client. */
  policy: RequestPolicy;
  /** Where it reports. */
  log: OAuthLog;
  /** How metadata documents are fetched (tests inject fetch and DNS). */
  documents?: Omit<DocumentFetchOptions, "allowPrivate" | "now">;
  /** Clock, epoch ms (tests). */
  now?: () => number;
}

/** The result of a password sign-in: where to send the browser, or what to tell the person. */
export type SignInResult =
  | { ok: true; location: string }
  | { ok: false; status: number; message: string };

/** The authorization server. */
export class OAuthServer {
  /** Where everything lives. */
  readonly endpoints: Endpoints;
  /** The authorization endpoint's rules. */
  readonly authorizer: Authorizer;
  /** Client registration and resolution. */
  readonly clients: ClientRegistry;
  /** Token and revocation endpoints. */
  readonly tokens: TokenIssuer;
  /** Access-token check of the protected resource. */
  readonly access: AccessVerifier;
  /** Taiga's Application sign-in, when configured. */
  readonly taigaApp?: { id: string; frontUrl: string };
  /** Whether the public URL is https (cookies are then Secure and `__Host-`). */
  readonly secure: boolean;
  readonly #box: TokenBox;
  readonly #taiga: TaigaUpstream;
  readonly #throttle: SignInThrottle;
  readonly #log: OAuthLog;

  /** A server for `options.http.publicUrl`, sealing with MCP_OAUTH_KEY. */
  constructor(options: OAuthServerOptions) {
    const { http } = options;
    const now = options.now ?? Date.now;
    if (!http.publicUrl || http.sealKeys.length === 0) {
      throw new Error("OAuthServer needs MCP_PUBLIC_URL and MCP_OAUTH_KEY (rules.ts checks both)");
    }
    this.endpoints = endpointsOf(http.publicUrl);
    this.secure = this.endpoints.issuer.startsWith("https:");
    this.#box = new TokenBox(new Sealer(http.sealKeys, now));
    this.#taiga = new TaigaUpstream(
      options.apiUrl,
      options.policy,
      http.oauthTaigaAppId,
      () =>
        options.log.warning(
          "OAuth: Taiga refreshed without rotating its refresh token (ROTATE_REFRESH_TOKENS off): a replayed code or refresh token is refused only by the replica that saw it",
        ),
    );
    const documents = new DocumentFetcher({
      ...options.documents,
      allowPrivate: http.oauthCimdAllowPrivate,
      now,
    });
    this.clients = new ClientRegistry(this.#box, documents, now);
    this.authorizer = new Authorizer(this.endpoints, this.clients, this.#box, now);
    this.tokens = new TokenIssuer(
      this.endpoints,
      this.#box,
      this.#taiga,
      http.oauthAccessTtlSeconds,
      now,
    );
    this.access = new AccessVerifier(this.endpoints, this.#box);
    if (http.oauthTaigaAppId && http.oauthTaigaFrontUrl) {
      this.taigaApp = { id: http.oauthTaigaAppId, frontUrl: http.oauthTaigaFrontUrl };
    }
    this.#throttle = new SignInThrottle(now);
    this.#log = options.log;
  }

  /**
   * Signs a person in by password for `request`: Taiga checks the password (sent once, kept
   * nowhere), the code carries Taiga's refresh token, and the browser goes back to the client.
   */
  async passwordSignIn(
    request: AuthRequest,
    username: string,
    password: string,
  ): Promise<SignInResult> {
    const wait = this.#throttle.waitSeconds(username);
    if (wait > 0) {
      return {
        ok: false,
        status: 429,
        message: `Too many failed sign-ins for this username. Try again in ${
          Math.ceil(wait / 60)
        } minute(s).`,
      };
    }
    try {
      const { person, refresh } = await this.#taiga.signIn(username, password);
      this.#throttle.succeeded(username);
      const location = await this.authorizer.codeRedirect(
        request,
        { k: "jwt", r: refresh },
        person,
      );
      this.#log.info(`OAuth: ${person.u} signed in for ${redirectShown(request.r)}`);
      return { ok: true, location };
    } catch (error) {
      if (error instanceof TaigaRefused || error instanceof InputError) {
        this.#throttle.failed(username);
        this.#log.warning("OAuth: a sign-in was refused by Taiga (wrong username or password)");
        return {
          ok: false,
          status: 400,
          message: "Taiga did not accept this username and password. Check both and try again.",
        };
      }
      this.#log.warning(`OAuth: Taiga could not be reached for a sign-in: ${String(error)}`);
      return {
        ok: false,
        status: 503,
        message: "Taiga could not be reached. Try again in a moment.",
      };
    }
  }

  /**
   * Starts Taiga's Application sign-in: the pending request sealed for a cookie, and Taiga's
   * page to send the browser to. Taiga sends the browser back without our state, so the cookie
   * is what ties its return to this request.
   */
  async startTaigaSignIn(request: AuthRequest): Promise<{ pending: string; location: string }> {
    if (!this.taigaApp) throw new Error("Taiga's Application sign-in is not configured");
    const state = randomToken(16);
    const pending = await this.#box.seal("pending", { q: request, ts: state }, TTL.request);
    const url = new URL(`${this.taigaApp.frontUrl}/external-apps`);
    url.searchParams.set("application", this.taigaApp.id);
    url.searchParams.set("state", state);
    return { pending, location: url.href };
  }

  /**
   * Finishes Taiga's Application sign-in: the redirect to the client with a code holding Taiga's
   * auth_code and our state (Taiga checks both, once, at the exchange); undefined when the
   * pending cookie is missing or expired (nothing then says where to go back to).
   */
  async finishTaigaSignIn(
    pendingToken: string | undefined,
    authCode: string | null,
  ): Promise<string | undefined> {
    const pending = pendingToken ? await this.#box.open("pending", pendingToken) : undefined;
    if (!pending) return undefined;
    if (!authCode || !/^[A-Za-z0-9-]{1,100}$/.test(authCode)) {
      return this.authorizer.errorRedirect(
        pending.q,
        "access_denied",
        "the sign-in at Taiga was not completed",
      );
    }
    this.#log.info(`OAuth: Taiga application sign-in for ${redirectShown(pending.q.r)}`);
    return await this.authorizer.codeRedirect(pending.q, {
      k: "appcode",
      c: authCode,
      s: pending.ts,
    });
  }

  /**
   * The CSRF token of a sign-in form: the browser's random nonce (also set as a cookie, which
   * another site's form cannot send: SameSite) bound to the form's pending request.
   */
  async csrfToken(requestToken: string, nonce: string): Promise<string> {
    return await this.#box.seal("csrf", { n: nonce, h: await sha256(requestToken) }, TTL.request);
  }

  /** Whether a posted form's CSRF token matches its request and the browser's cookie nonce. */
  async csrfValid(csrf: string, requestToken: string, nonce: string | undefined): Promise<boolean> {
    const claims = await this.#box.open("csrf", csrf);
    if (!claims || nonce === undefined) return false;
    return constantTimeEqual(claims.n, nonce) &&
      constantTimeEqual(claims.h, await sha256(requestToken));
  }
}
