/**
 * Argument values for the fuzz, from a tool's input JSON schema: valid-looking ones (the demo
 * data's names, refs and ids), and the hostile kinds — boundary, wrong-typed, huge, control
 * characters, lone surrogates, odd refs and URLs.
 * @module
 */

import type { Rng } from "./rng.ts";

/** The compact JSON schema of one argument (src/mcp/schema.ts). */
export interface Schema {
  type?: string | string[];
  enum?: unknown[];
  const?: unknown;
  anyOf?: Schema[];
  items?: Schema;
  properties?: Record<string, Schema>;
  required?: string[];
  propertyNames?: Schema;
}

/** Names and ids of the sandbox's current data, for valid-looking values. */
export interface Known {
  /** Project slugs and ids. */
  projects: (string | number)[];
  /** Work item refs ("#5") and ids. */
  items: (string | number)[];
  /** Attachment ids. */
  attachments: number[];
  /** Other object ids (sprints, links, webhooks, comments, values...). */
  ids: number[];
}

const HUGE = "A".repeat(100_000);

/** Strings that have broken servers before. */
export const NASTY_STRINGS: readonly string[] = [
  "",
  " ",
  "\u0000",
  "a\u0000b",
  "\u0007\u001b[31mred\u001b[0m",
  "\r\n\r\n",
  "line1\nline2",
  "\ud800",
  "x\udfffy",
  "\ud83d\ude00",
  "\u202eevil",
  "'; DROP TABLE projects;--",
  "<script>alert(1)</script>",
  "%zz",
  "%00",
  "../../etc/passwd",
  "${x}{{x}}",
  "null",
  "NaN",
  "-0",
  "1e309",
  "é日本語",
  HUGE,
];

/** References that look almost right. */
export const ODD_REFS: readonly unknown[] = [
  "#0",
  "#",
  "##5",
  "#-1",
  "#99999999999999999999",
  "%zz",
  "http://%zz",
  "https://tree.taiga.io/project/demo-demo-project/us/5",
  "https://evil.example/project/demo-demo-project/us/5",
  "taiga://projects/demo-demo-project",
  "demo-demo-project/../x",
  0,
  -1,
  2 ** 53,
  1.5,
];

const BOUNDARY_NUMBERS = [0, -1, 1, 2 ** 31, 2 ** 53, -(2 ** 53), 1.5, 1e21, 1e-7];

const VOCAB: Record<string, readonly unknown[]> = {
  kind: ["user_story", "task", "issue", "epic"],
  status: ["New", "In progress", "Ready for test", "Done", "Closed", "Archived", "Postponed"],
  assignee: ["me", "demo", "alice", "bob", "none", "alice@example.com"],
  role: ["Front", "Back", "UX", "Design", "Product Owner", "Stakeholder"],
  type: ["Bug", "Question", "Enhancement"],
  priority: ["Low", "Normal", "High"],
  severity: ["Wishlist", "Minor", "Normal", "Important", "Critical"],
  sprint: ["Sprint 1", "sprint-1", "backlog", "Sprint 2"],
  page: ["home", "release-notes", "fuzz-page"],
  date: ["2026-12-24", "2026-01-01", "2026-12-31"],
  color: ["#ff0000", "#A0B0C0", "#ccc"],
  tag: ["fuzz", "accounts", "payments"],
  order_by: ["created_date", "-modified_date", "subject", "status"],
  text: ["card", "email", "sign"],
  auth_token: ["fuzz-token-0123456789", "0123456789abcdef"],
  password: ["demo123", "wrong-password"],
  host: ["http://127.0.0.1:1", "not a url", "ftp://x.example"],
  url: ["https://example.com/hook", "http://127.0.0.1:1/hook", "not a url"],
};

const ALIASES: Record<string, string> = {
  assigned_to: "assignee",
  person: "assignee",
  user: "assignee",
  member: "assignee",
  username: "assignee",
  owner: "assignee",
  to: "sprint",
  slug: "page",
  new_slug: "page",
  href: "page",
  tags: "tag",
  due_date: "date",
  start: "date",
  finish: "date",
  since: "date",
  until: "date",
  created_after: "date",
  created_before: "date",
  modified_after: "date",
  modified_before: "date",
};

function types(schema: Schema): string[] {
  if (schema.type === undefined) return schema.anyOf ? [] : ["string"];
  return Array.isArray(schema.type) ? schema.type : [schema.type];
}

/** A valid-looking value for argument `name` of `schema`. */
export function validValue(rng: Rng, name: string, schema: Schema, known: Known): unknown {
  if (schema.const !== undefined) return schema.const;
  if (schema.enum) return rng.pick(schema.enum);
  if (schema.anyOf) return validValue(rng, name, rng.pick(schema.anyOf), known);
  const kinds = types(schema);
  const type = rng.pick(kinds.length > 0 ? kinds : ["string"]);
  if (type === "null") return null;
  if (type === "boolean") return rng.chance(0.5);
  if (type === "array") {
    const count = rng.int(0, 3);
    const item = name.endsWith("s") ? name.slice(0, -1) : name;
    return Array.from({ length: count }, () => validValue(rng, item, schema.items ?? {}, known));
  }
  if (type === "object") return validObject(rng, schema, known);
  const vocab = VOCAB[ALIASES[name] ?? name];
  const numeric = type === "integer" || type === "number";
  if (/^(project|projects)$/.test(name)) return rng.pick(known.projects);
  if (/^(item|items|story|stories|epic|user_story)$/.test(name)) {
    const ref = rng.pick(known.items);
    return numeric && typeof ref === "string" ? Number(ref.slice(1)) : ref;
  }
  if (name === "attachment_id") return rng.pick(known.attachments.length ? known.attachments : [1]);
  if (name === "version") return rng.int(1, 3);
  if (/(^|_)id$|^(link|webhook|value|field|comment_id)$/.test(name) && numeric) {
    return rng.pick(known.ids.length ? known.ids : [1]);
  }
  if (vocab && (!numeric || vocab.some((v) => typeof v === "number"))) return rng.pick(vocab);
  if (name === "content_base64") return btoa("fuzz attachment");
  if (numeric) return /limit/.test(name) ? rng.int(1, 60) : rng.int(1, 12);
  return `Fuzz ${name} ${rng.int(0, 9999)}`;
}

function validObject(rng: Rng, schema: Schema, known: Known): Record<string, unknown> {
  const out: Record<string, unknown> = {};
  if (schema.propertyNames && !schema.properties) {
    for (let i = rng.int(0, 2); i > 0; i--) out[rng.pick(["Front", "Back", "x"])] = rng.int(0, 8);
    return out;
  }
  const required = new Set(schema.required ?? []);
  for (const [key, child] of Object.entries(schema.properties ?? {})) {
    if (key === "confirm" || key === "session_id") continue;
    if (required.has(key) || rng.chance(0.2)) out[key] = validValue(rng, key, child, known);
  }
  return out;
}

/** Valid-looking arguments of a tool with input schema `schema`. */
export function validArgs(rng: Rng, schema: Schema, known: Known): Record<string, unknown> {
  return validObject(rng, schema, known);
}

/** A value of another JSON type than `schema` allows. */
function wrongTyped(rng: Rng, schema: Schema): unknown {
  const allowed = new Set(types(schema));
  const candidates: [string, unknown][] = [
    ["string", "wrong"],
    ["integer", 42],
    ["number", 4.2],
    ["boolean", true],
    ["null", null],
    ["array", [1, "two", null]],
    ["object", { nested: { deeper: ["x"] } }],
  ];
  const wrong = candidates.filter(([type]) =>
    !allowed.has(type) && !(type === "integer" && allowed.has("number"))
  );
  return rng.pick(wrong.length ? wrong : candidates)[1];
}

/** Replaces or adds one hostile value in `args` (mutates it); returns what it did. */
export function mutate(
  rng: Rng,
  args: Record<string, unknown>,
  schema: Schema,
): string {
  const props = Object.entries(schema.properties ?? {}).filter(([key]) => key !== "confirm");
  if (props.length === 0 || rng.chance(0.1)) {
    args[rng.pick(["__fuzz_unknown", "constructor", "__proto__x"])] = rng.pick(NASTY_STRINGS);
    return "unknown key";
  }
  const [key, child] = rng.pick(props);
  const kinds = types(child);
  switch (rng.int(0, 5)) {
    case 0:
      args[key] = wrongTyped(rng, child);
      return `wrong type ${key}`;
    case 1:
      if (schema.required?.includes(key)) {
        delete args[key];
        return `missing ${key}`;
      }
      args[key] = rng.pick(ODD_REFS);
      return `odd ${key}`;
    case 2:
      args[key] = kinds.includes("integer") || kinds.includes("number")
        ? rng.pick(BOUNDARY_NUMBERS)
        : kinds.includes("array")
        ? rng.chance(0.5) ? [] : Array.from({ length: 300 }, (_, i) => `x${i}`)
        : rng.pick(["", HUGE]);
      return `boundary ${key}`;
    case 3:
      args[key] = rng.pick(ODD_REFS);
      return `odd ${key}`;
    default:
      args[key] = kinds.includes("array") ? [rng.pick(NASTY_STRINGS)] : rng.pick(NASTY_STRINGS);
      return `nasty ${key}`;
  }
}
