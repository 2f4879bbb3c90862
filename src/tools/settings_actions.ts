/**
 * The argument check of the admin tools that take an `action` (manage_tags, manage_role,
 * manage_custom_field, manage_webhook): each action names the arguments it needs and those it
 * may take, so a missing one — or one the action would silently ignore — is refused up front.
 * @module
 */

import { InputError } from "../taiga/errors.ts";

/** The arguments one action takes. */
export interface ActionArguments {
  /** Must be given. */
  required: readonly string[];
  /** May be given; an `update` needs at least one of them. */
  optional: readonly string[];
}

/**
 * Refuses a call of `action` that lacks a required argument, passes one the action does not use
 * (`confirm` is always accepted), or — for `update` — changes nothing.
 */
export function checkActionArguments(
  action: string,
  args: Readonly<Record<string, unknown>>,
  table: Readonly<Record<string, ActionArguments>>,
): void {
  const { required, optional } = table[action];
  const known = new Set(Object.values(table).flatMap((a) => [...a.required, ...a.optional]));
  const missing = required.filter((name) => args[name] === undefined);
  const unused = [...known].filter((name) =>
    args[name] !== undefined && !required.includes(name) && !optional.includes(name)
  );
  if (missing.length > 0 || unused.length > 0) {
    const takes = [...required, ...optional.map((name) => `${name}?`)].join(", ");
    throw new InputError(
      `${action} takes ${takes}${missing.length > 0 ? `; missing: ${missing.join(", ")}` : ""}${
        unused.length > 0 ? `; not used by ${action}: ${unused.join(", ")}` : ""
      }.`,
      { argument: missing[0] ?? unused[0], action },
    );
  }
  if (action === "update" && optional.every((name) => args[name] === undefined)) {
    throw new InputError(`Nothing to change: pass ${optional.join(", ")}.`, { action });
  }
}
