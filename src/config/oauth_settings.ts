/**
 * The settings of `--auth oauth`: taiga-mcp as the OAuth authorization server of its own MCP
 * endpoint, so each person signs in to Taiga once and their client acts as them. A part of the
 * HTTP settings table (settings.ts spreads it in), kept apart so each file stays small.
 *
 * @module
 */

import {
  parseBoolean,
  parseChoice,
  parseOriginUrl,
  parsePositiveInteger,
  type SettingsTable,
  text,
  withDefault,
} from "./parse.ts";

/** How HTTP clients authenticate: `none` (the operator's session or their own login) or OAuth. */
export type AuthMode = "none" | "oauth";

/** Settings of the OAuth authorization server (HTTP transport only). */
export interface OAuthSettings {
  /** `MCP_AUTH` / `--auth`: `oauth` makes every person sign in; default `none`. */
  auth: AuthMode;
  /**
   * `MCP_PUBLIC_URL`: the origin clients reach the server at (e.g. `https://mcp.example.com`),
   * normalised; the OAuth issuer, and `<it>/mcp` the protected resource. Never taken from `Host`.
   */
  publicUrl: string | undefined;
  /** `MCP_OAUTH_ACCESS_TTL`: seconds an access token lives (default 900). */
  oauthAccessTtlSeconds: number;
  /** `MCP_OAUTH_TAIGA_APP_ID`: the id of an Application registered in Taiga (its sign-in flow). */
  oauthTaigaAppId: string | undefined;
  /** `MCP_OAUTH_TAIGA_FRONT_URL`: Taiga's web front end, where that Application's page lives. */
  oauthTaigaFrontUrl: string | undefined;
  /** `MCP_OAUTH_CIMD_PRIVATE`: fetch client metadata from private addresses (tests only). */
  oauthCimdAllowPrivate: boolean;
}

/** The OAuth settings, in the shape of the settings table. */
export const OAUTH_SETTINGS: SettingsTable<OAuthSettings> = {
  auth: {
    env: ["MCP_AUTH"],
    flag: "auth",
    flagValue: "none|oauth",
    help: "HTTP: oauth = each person signs in to Taiga",
    shownDefault: "none",
    parse: withDefault<AuthMode>("none", (s) => parseChoice(s, ["none", "oauth"])),
  },
  publicUrl: {
    env: ["MCP_PUBLIC_URL"],
    help: "HTTP: public origin (OAuth issuer)",
    shownDefault: "(none)",
    parse: (raw) => parseOriginUrl(raw, true),
  },
  oauthAccessTtlSeconds: {
    env: ["MCP_OAUTH_ACCESS_TTL"],
    help: "OAuth: access token lifetime, seconds",
    shownDefault: "900",
    parse: withDefault(900, (s) => parsePositiveInteger(s, "seconds")),
  },
  oauthTaigaAppId: {
    env: ["MCP_OAUTH_TAIGA_APP_ID"],
    help: "OAuth: Taiga Application id (its sign-in)",
    shownDefault: "(password form)",
    parse: text,
  },
  oauthTaigaFrontUrl: {
    env: ["MCP_OAUTH_TAIGA_FRONT_URL"],
    help: "OAuth: Taiga's web front-end URL",
    shownDefault: "(none)",
    parse: (raw) => parseOriginUrl(raw, false),
  },
  oauthCimdAllowPrivate: {
    env: ["MCP_OAUTH_CIMD_PRIVATE"],
    help: "OAuth: client metadata from private IPs (tests)",
    shownDefault: "false",
    parse: withDefault(false, parseBoolean),
  },
};
