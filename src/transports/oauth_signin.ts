/**
 * The browser side of the authorization server: `GET /authorize` shows the sign-in page (or an
 * error page, or sends an error back to the client), `POST /authorize` signs the person in (or
 * cancels, or hands over to Taiga's own sign-in page), and `GET /oauth/taiga/callback` is where
 * Taiga's page comes back to. CSRF protection without state: a random nonce in a SameSite
 * cookie, and the same nonce sealed with the pending request in the form.
 * @module
 */

import type { ClientInfo } from "../oauth/cimd.ts";
import { isLoopbackRedirect, redirectShown } from "../oauth/redirects.ts";
import type { OAuthServer } from "../oauth/server.ts";
import { type AuthRequest, randomToken } from "../oauth/tokens.ts";
import { cookieHeader, cookieOf, readForm, redirectTo } from "./oauth_http.ts";
import { errorHtml, htmlResponse, signInHtml } from "./oauth_page.ts";

/** What the browser endpoints need. */
export interface SignInContext {
  /** The authorization server. */
  server: OAuthServer;
  /** The server's tools only read (the page says so). */
  readOnly: boolean;
  /** The Taiga host passwords go to. */
  taigaHost: string;
}

const NONCE = /^[A-Za-z0-9_-]{22}$/;

function cookieName(ctx: SignInContext, base: string): string {
  // `__Host-` cookies must be Secure: only over https (plain http is for loopback tests).
  return ctx.server.secure ? `__Host-${base}` : base;
}

function stop(title: string, message: string, status: number): Promise<Response> {
  return htmlResponse(errorHtml(title, message), status);
}

function clientSource(client: ClientInfo): string {
  return client.kind === "document"
    ? new URL(client.id).host
    : "a registration with this server (the name is not verified)";
}

async function page(
  ctx: SignInContext,
  request: AuthRequest,
  client: ClientInfo,
  tokens: { request: string; csrf: string },
  status: number,
  failure?: { message: string; username: string },
  headers: Record<string, string> = {},
): Promise<Response> {
  const html = signInHtml({
    clientName: client.name,
    clientSource: clientSource(client),
    redirectShown: redirectShown(request.r),
    localRedirect: isLoopbackRedirect(request.r),
    readOnly: ctx.readOnly,
    taigaHost: ctx.taigaHost,
    requestToken: tokens.request,
    csrfToken: tokens.csrf,
    taigaApp: ctx.server.taigaApp !== undefined,
    username: failure?.username,
    error: failure?.message,
  });
  return await htmlResponse(html, status, headers);
}

/** `GET /authorize`: the sign-in page for a valid request. */
async function showSignIn(req: Request, ctx: SignInContext): Promise<Response> {
  const outcome = await ctx.server.authorizer.start(new URL(req.url).searchParams);
  if (outcome.kind === "error-page") return stop("This sign-in cannot go on", outcome.message, 400);
  if (outcome.kind === "redirect") return redirectTo(outcome.location);
  const name = cookieName(ctx, "tmcp_csrf");
  const known = cookieOf(req, name);
  // One nonce per browser, reused: two sign-ins in two tabs must not void each other.
  const nonce = known && NONCE.test(known) ? known : randomToken(16);
  const csrf = await ctx.server.csrfToken(outcome.requestToken, nonce);
  return await page(
    ctx,
    outcome.request,
    outcome.client,
    {
      request: outcome.requestToken,
      csrf,
    },
    200,
    undefined,
    { "Set-Cookie": cookieHeader(name, nonce, 3600, ctx.server.secure) },
  );
}

/** `POST /authorize`: sign in, cancel, or go to Taiga's page. */
async function signIn(req: Request, ctx: SignInContext): Promise<Response> {
  let form: URLSearchParams;
  try {
    form = await readForm(req);
  } catch {
    return stop("This sign-in cannot go on", "The form was not sent as a form.", 400);
  }
  const requestToken = form.get("req") ?? "";
  const request = await ctx.server.authorizer.openRequest(requestToken);
  if (!request) {
    return stop(
      "This sign-in page has expired",
      "Sign-in pages are valid for 10 minutes.",
      400,
    );
  }
  const csrf = form.get("csrf") ?? "";
  const nonce = cookieOf(req, cookieName(ctx, "tmcp_csrf"));
  if (!(await ctx.server.csrfValid(csrf, requestToken, nonce))) {
    return stop(
      "This sign-in could not be verified",
      "The form was sent from another site, or this browser does not keep cookies for this server.",
      403,
    );
  }
  const action = form.get("action") ?? "signin";
  if (action === "deny") {
    const to = ctx.server.authorizer.errorRedirect(request, "access_denied", "the person declined");
    return redirectTo(to, 303);
  }
  if (action === "taiga" && ctx.server.taigaApp) {
    const { pending, location } = await ctx.server.startTaigaSignIn(request);
    const cookie = cookieHeader(cookieName(ctx, "tmcp_taiga"), pending, 600, ctx.server.secure);
    return redirectTo(location, 303, { "Set-Cookie": cookie });
  }
  const username = (form.get("username") ?? "").trim();
  const password = form.get("password") ?? "";
  const result = username === "" || password === ""
    ? { ok: false as const, status: 400, message: "Enter your Taiga username and password." }
    : await ctx.server.passwordSignIn(request, username, password);
  if (result.ok) return redirectTo(result.location, 303);
  let client: ClientInfo;
  try {
    client = await ctx.server.authorizer.client(request);
  } catch {
    return stop("This sign-in cannot go on", "The application could not be checked again.", 400);
  }
  return await page(ctx, request, client, { request: requestToken, csrf }, result.status, {
    message: result.message,
    username,
  });
}

/** `/authorize`: the page (GET) and its form (POST). */
export function handleAuthorize(req: Request, ctx: SignInContext): Promise<Response> {
  if (req.method === "GET" || req.method === "HEAD") return showSignIn(req, ctx);
  if (req.method === "POST") return signIn(req, ctx);
  return Promise.resolve(new Response(null, { status: 405, headers: { Allow: "GET, POST" } }));
}

/** `GET /oauth/taiga/callback?auth_code=…`: back from Taiga's page to the client. */
export async function handleTaigaCallback(req: Request, ctx: SignInContext): Promise<Response> {
  if (req.method !== "GET") {
    return new Response(null, { status: 405, headers: { Allow: "GET" } });
  }
  const name = cookieName(ctx, "tmcp_taiga");
  const location = await ctx.server.finishTaigaSignIn(
    cookieOf(req, name),
    new URL(req.url).searchParams.get("auth_code"),
  );
  const clear = { "Set-Cookie": cookieHeader(name, "", 0, ctx.server.secure) };
  if (!location) {
    return await htmlResponse(
      errorHtml(
        "This sign-in cannot go on",
        "It was started more than 10 minutes ago, or in another browser.",
      ),
      400,
      clear,
    );
  }
  return redirectTo(location, 302, clear);
}
