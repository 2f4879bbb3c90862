/**
 * Credentials are checked before anything is sent: a token with a control character or a space
 * would otherwise reach `fetch`, whose "Invalid header value" error quotes the whole header —
 * token included — into error messages and logs. The errors here never quote the value.
 * @module
 */

import { InputError } from "./errors.ts";

const CONTROL = /\p{Cc}/u;
const SPACE_OR_CONTROL = /[\s\p{Cc}]/u;
/** What an HTTP header carries: tokens are printable ASCII (JWTs, Taiga's application tokens). */
const NOT_PRINTABLE_ASCII = /[^\x21-\x7e]/;
const SCHEME_PREFIX = /^(Bearer|Application|Token|Basic)\s/i;

/**
 * Throws an {@link InputError} when `token` (named `name`, e.g. "auth_token") cannot be sent in
 * an `Authorization` header: empty, a scheme prefix, spaces or control characters.
 */
export function checkToken(token: string, name: string): void {
  if (token === "") throw credentialError(`${name} is empty`, name);
  if (SCHEME_PREFIX.test(token)) {
    throw credentialError(
      `${name} starts with a scheme word: give the token alone and its type separately (token_type / TAIGA_TOKEN_TYPE)`,
      name,
    );
  }
  if (SPACE_OR_CONTROL.test(token)) {
    throw credentialError(
      `${name} holds a space or a control character (a line break, tab or NUL — often a copy-paste slip); give the token alone`,
      name,
    );
  }
  if (NOT_PRINTABLE_ASCII.test(token)) {
    throw credentialError(
      `${name} holds a character that is not plain ASCII (an accented letter, a symbol such as €, an emoji or an invisible space — often a copy-paste slip): Taiga's tokens are letters, digits and punctuation only`,
      name,
    );
  }
}

/** Throws an {@link InputError} when a username or password (named `name`) holds a control character. */
export function checkLoginField(value: string, name: string): void {
  if (CONTROL.test(value)) {
    throw credentialError(
      `${name} holds a control character (a line break, tab or NUL — often a copy-paste slip)`,
      name,
    );
  }
}

function credentialError(problem: string, name: string): InputError {
  return new InputError(`${problem}. (The value is not shown.)`, {
    argument: name,
    showValue: false,
  });
}
