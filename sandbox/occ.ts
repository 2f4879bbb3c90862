/**
 * Optimistic concurrency, as taiga-back's `OCCResourceMixin` (`projects/occ/mixins.py`,
 * observed on 6.10):
 *
 * - `version` missing (or null), negative, or greater than the current one →
 *   400 `{"version": "The version parameter is not valid"}`;
 * - not an integer → 400 `{"version": ["Enter a whole number."]}` (validator, see
 *   `validate.ts`);
 * - lower than the current one → taiga-back reads the last (current − sent) history
 *   entries stored under the object's own key and rejects with 400
 *   `{"version": "The version doesn't match with the current one"}` ONLY when a field of
 *   this request appears in their diffs; otherwise the update is accepted. That window
 *   counts entries, not versions: entries that bumped no version (an attachment change, a
 *   custom-attribute-values change, both recorded on the item) push older changes out of
 *   it, and a version bump without an entry (a PATCH that changed nothing) lets an older
 *   entry in;
 * - on success the version goes up by 1.
 *
 * @module
 */

import { badRequest } from "./http.ts";
import { fieldsInLastEntries } from "./history.ts";
import type { SandboxState } from "./state.ts";
import { toInt } from "./util.ts";

/** The "not an integer" error, raised during validation. */
export function versionTypeError(body: Record<string, unknown>): Error | undefined {
  if ("version" in body && body.version !== null && toInt(body.version) === undefined) {
    return badRequest({ version: ["Enter a whole number."] });
  }
  return undefined;
}

/**
 * Applies the OCC rules for an update of the object whose history key is `key` at version
 * `current`; throws on conflict. A key with no history entries never conflicts.
 */
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
  const modifying = Object.keys(body).filter((k) => k !== "version");
  const modified = fieldsInLastEntries(state, key, current - sent);
  if (modifying.some((field) => modified.has(field))) {
    throw badRequest({ version: "The version doesn't match with the current one" });
  }
}
