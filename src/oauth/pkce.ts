/**
 * PKCE with S256 only (RFC 7636; `plain` is refused): the challenge's shape, and whether a
 * verifier matches it — compared in constant time.
 * @module
 */

import { sha256 } from "./tokens.ts";

/** An S256 challenge is the base64url of a SHA-256: 43 characters. */
const CHALLENGE = /^[A-Za-z0-9_-]{43}$/;
/** RFC 7636 §4.1: 43 to 128 unreserved characters. */
const VERIFIER = /^[A-Za-z0-9._~-]{43,128}$/;

/** Whether `value` can be an S256 code_challenge. */
export function isS256Challenge(value: string): boolean {
  return CHALLENGE.test(value);
}

/** Whether two strings are equal, in a time that does not depend on where they differ. */
export function constantTimeEqual(a: string, b: string): boolean {
  const length = Math.max(a.length, b.length);
  let difference = a.length ^ b.length;
  for (let i = 0; i < length; i++) {
    difference |= (a.charCodeAt(i) || 0) ^ (b.charCodeAt(i) || 0);
  }
  return difference === 0;
}

/** Whether `verifier` is well formed and BASE64URL(SHA256(verifier)) equals `challenge`. */
export async function verifierMatches(verifier: string, challenge: string): Promise<boolean> {
  if (!VERIFIER.test(verifier)) return false;
  return constantTimeEqual(await sha256(verifier), challenge);
}
