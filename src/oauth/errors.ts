/**
 * The OAuth error codes taiga-mcp answers with (RFC 6749 §4.1.2.1 and §5.2, RFC 7591 §3.2.2,
 * RFC 7009 §2.2.1, RFC 8707 §2, RFC 6750 §3.1) and one error type carrying code, text and status.
 * @module
 */

/** An OAuth `error` value. */
export type OAuthErrorCode =
  | "invalid_request"
  | "invalid_client"
  | "invalid_grant"
  | "unauthorized_client"
  | "unsupported_grant_type"
  | "unsupported_response_type"
  | "invalid_scope"
  | "invalid_target"
  | "access_denied"
  | "server_error"
  | "temporarily_unavailable"
  | "invalid_redirect_uri"
  | "invalid_client_metadata"
  | "unsupported_token_type"
  | "invalid_token";

/**
 * A refusal to answer with OAuth's JSON error body. The description is written for a developer
 * reading a client's log: it never holds a token, a code or a password.
 */
export class OAuthError extends Error {
  /** The `error` value. */
  readonly code: OAuthErrorCode;
  /** HTTP status (400 unless said otherwise). */
  readonly status: number;

  /** An error `code` saying `description`, answered with `status`. */
  constructor(code: OAuthErrorCode, description: string, status = 400) {
    super(description);
    this.name = "OAuthError";
    this.code = code;
    this.status = status;
  }

  /** The JSON body: `{error, error_description}`. */
  toJSON(): { error: OAuthErrorCode; error_description: string } {
    return { error: this.code, error_description: this.message };
  }
}
