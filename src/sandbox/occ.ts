/**
 * Optimistic concurrency, exactly as taiga-back's `OCCResourceMixin` (observed on 6.10):
 *
 * - `version` missing (or null), negative, or greater than the current one →
 *   400 `{"version": "The version parameter is not valid"}`;
 * - not an integer → 400 `{"version": ["Enter a whole number."]}` (validator, see
 *   `validate.ts`);
 * - lower than the current one → rejected with 400
 *   `{"version": "The version doesn't match with the current one"}` ONLY when a field of
 *   this request was changed by a version after the one sent; otherwise accepted;
 * - on success the version goes up by 1.
 *
 * @module
 */

import { badRequest } from "./http.ts";
import { fieldsChangedSince } from "./history.ts";
import type { SandboxState } from "./state.ts";
import { toInt } from "./util.ts";

/** The "not an integer" error, raised during validation. */
export function versionTypeError(body: Record<string, unknown>): Error | undefined {
  if ("version" in body && body.version !== null && toInt(body.version) === undefined) {
    return badRequest({ version: ["Enter a whole number."] });
  }
  return undefined;
}

/** Applies the OCC rules for an update of the object `key` at `current`; throws on conflict. */
export function checkVersion(
  state: SandboxState,
  key: string,
  current: number,
  body: Record<string, unknown>,
): void {
  const typeError = versionTypeError(body);
  if (typeError) throw typeError;
  const sent = body.version === undefined || body.version === null
    ? undefined
    : toInt(body.version);
  if (sent === undefined || sent < 0 || sent > current) {
    throw badRequest({ version: "The version parameter is not valid" });
  }
  if (sent === current) return;
  const modifying = new Set(Object.keys(body).filter((k) => k !== "version"));
  const modified = fieldsChangedSince(state, key, sent);
  for (const field of modifying) {
    if (modified.has(field)) {
      throw badRequest({ version: "The version doesn't match with the current one" });
    }
  }
}
