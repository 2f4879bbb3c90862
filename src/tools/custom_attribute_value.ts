/**
 * One custom attribute value checked against its definition's type — a number, a checkbox, a
 * date, one of a dropdown's options, or text — and gently coerced ("3" → 3, "true" → true).
 * @module
 */

import type { CustomAttributeDefinition } from "../domain/metadata.ts";
import { isCalendarDay } from "../mcp/args.ts";
import { InputError } from "../taiga/errors.ts";

/** An attribute value as a tool argument. */
export type AttributeValue = string | number | boolean | null;

/** Checks (and gently coerces) a value against its attribute's type. */
export function checkValue(
  definition: CustomAttributeDefinition,
  value: AttributeValue,
): AttributeValue {
  if (value === null) return null;
  const wrong = (expected: string): InputError =>
    new InputError(
      `Custom attribute "${definition.name}" is a ${
        definition.type ?? "text"
      } attribute: give ${expected}, or null to clear it (got ${JSON.stringify(value)}).`,
      { argument: "values", attribute: definition.name, type: definition.type },
    );
  switch (definition.type) {
    case "checkbox":
      if (typeof value === "boolean") return value;
      if (value === "true" || value === "false") return value === "true";
      throw wrong("true or false");
    case "number":
      if (typeof value === "number") return value;
      if (typeof value === "string" && value.trim() !== "" && Number.isFinite(Number(value))) {
        return Number(value);
      }
      throw wrong("a number, e.g. 3");
    case "date":
      if (typeof value === "string" && isCalendarDay(value.trim())) {
        return value.trim();
      }
      throw wrong('a date like "2025-06-30"');
    case "dropdown": {
      // Taiga stores any text here; a value off the list shows as blank in its UI. A dropdown
      // without options (made through the API) takes any text.
      const options = definition.options ?? [];
      if (options.length === 0 && typeof value === "string") return value;
      const text = String(value).trim();
      const chosen = options.find((option) => option === text) ??
        options.find((option) => option.toLowerCase() === text.toLowerCase());
      if (chosen !== undefined && typeof value !== "boolean") return chosen;
      throw wrong(`one of its options: ${options.map((option) => `"${option}"`).join(", ")}`);
    }
    default:
      if (typeof value === "string") return value;
      if (typeof value === "number") return String(value);
      throw wrong("text");
  }
}
