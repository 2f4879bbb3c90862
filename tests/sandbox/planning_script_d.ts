/**
 * Planning replay, part 4: custom attribute definitions and values, memberships, webhooks and
 * attachments.
 *
 * @module
 */

import assert from "node:assert/strict";
import { keep, type Step } from "./planning_steps.ts";
import type { World } from "./planning_world.ts";

const P = "{project}";

/** The recorded body of a sample, with `project` (or `project_id`) made the replay's. */
export function recorded(
  name: string,
  extra: Record<string, unknown> = {},
): Record<string, unknown> {
  const url = new URL(`../fixtures/taiga-samples-planning/${name}.json`, import.meta.url);
  const body = JSON.parse(Deno.readTextFileSync(url)).request.body as Record<string, unknown>;
  const out: Record<string, unknown> = { ...body, ...extra };
  if ("project" in out) out.project = P;
  if ("project_id" in out) out.project_id = P;
  return out;
}

/** `{"<recorded attribute id>": v}` → the same values under the replay's attribute ids. */
function values(prefix: string, byId: Record<string, unknown>): Record<string, unknown> {
  return Object.fromEntries(Object.entries(byId).map(([id, v]) => [`{${prefix}:${id}}`, v]));
}

const US_TYPES = ["text", "multiline", "richtext", "date", "url", "dropdown", "checkbox", "number"];
const US_VALUES = values("ua", {
  26: "ACME Corp",
  27: "line 1\nline 2",
  28: "**bold** spec",
  29: "2027-01-15",
  30: "https://example.invalid/design",
  31: "ios",
  32: true,
  33: 13.5,
});

const storyAttributes: Step[] = [
  {
    sample: "userstory-custom-attributes-list-project-200",
    path: `/userstory-custom-attributes?project=${P}`,
  },
  ...US_TYPES.map((type, i) => ({
    sample: `userstory-custom-attributes-create-${type}-201`,
    body: recorded(`userstory-custom-attributes-create-${type}-201`),
    capture: keep(`ua:${26 + i}`),
  })),
  {
    sample: "userstory-custom-attributes-create-bad-type-400",
    body: recorded("userstory-custom-attributes-create-bad-type-400"),
  },
  {
    sample: "userstory-custom-attributes-create-duplicate-name-400",
    body: recorded("userstory-custom-attributes-create-duplicate-name-400"),
  },
  { sample: "userstory-custom-attributes-patch-200", path: "/userstory-custom-attributes/{ua:26}" },
  {
    sample: "userstory-custom-attributes-list-after-create-200",
    path: `/userstory-custom-attributes?project=${P}`,
  },
  {
    sample: "userstories-custom-attributes-values-detail-200",
    path: "/userstories/custom-attributes-values/{us:1066}",
  },
  {
    sample: "userstories-custom-attributes-values-patch-200",
    path: "/userstories/custom-attributes-values/{us:1066}",
    body: { attributes_values: US_VALUES, version: 1 },
  },
  {
    sample: "userstories-custom-attributes-values-patch-stale-200",
    path: "/userstories/custom-attributes-values/{us:1066}",
    body: { attributes_values: US_VALUES, version: 1 },
    check: (_w, r) => assert.equal(r.body.version, 3, "a stale version is accepted"),
  },
  {
    sample: "userstories-custom-attributes-values-after-patch-200",
    path: "/userstories/custom-attributes-values/{us:1066}",
  },
  {
    sample: "userstory-custom-attributes-delete-204",
    path: "/userstory-custom-attributes/{ua:31}",
  },
  {
    sample: "userstories-custom-attributes-values-after-attr-delete-200",
    path: "/userstories/custom-attributes-values/{us:1066}",
    check: (w, r) => {
      assert.equal(Object.keys(r.body.attributes_values).length, 7);
      assert.ok(!(String(w.id("ua:31")) in r.body.attributes_values), "the key is dropped");
    },
  },
];

function kindAttributes(kind: string, plural: string, prefix: string, item: string): Step[] {
  const base = `/${kind}-custom-attributes`;
  return [
    { sample: `${kind}-custom-attributes-list-project-200`, path: `${base}?project=${P}` },
    {
      sample: `${kind}-custom-attributes-create-201`,
      body: recorded(`${kind}-custom-attributes-create-201`),
      capture: keep(`${prefix}:26`),
    },
    {
      sample: `${kind}-custom-attributes-create-dropdown-201`,
      body: recorded(`${kind}-custom-attributes-create-dropdown-201`),
      capture: keep(`${prefix}:27`),
    },
    { sample: `${kind}-custom-attributes-patch-200`, path: `${base}/{${prefix}:26}` },
    {
      sample: `${plural}-custom-attributes-values-detail-200`,
      path: `/${plural}/custom-attributes-values/{${item}}`,
    },
    {
      sample: `${plural}-custom-attributes-values-patch-200`,
      path: `/${plural}/custom-attributes-values/{${item}}`,
      body: {
        attributes_values: values(prefix, { 26: `value for ${plural}`, 27: "web" }),
        version: 1,
      },
    },
    { sample: `${kind}-custom-attributes-delete-204`, path: `${base}/{${prefix}:27}` },
  ];
}

const memberships: Step[] = [
  {
    sample: "memberships-create-existing-user-201",
    body: { project: P, role: "{role:Back}", username: "alice" },
  },
  {
    sample: "memberships-bulk-create-200",
    body: {
      project_id: P,
      bulk_memberships: [
        { role_id: "{role:UX}", username: "bob" },
        { role_id: "{role:Design}", username: "carol" },
      ],
    },
    capture: (w, r) => {
      w.set("m:126", r.body[0].id);
      w.set("m:127", r.body[1].id);
    },
    check: (_w, r) => assert.equal(r.body[0].email, null, "invited by username: no email"),
  },
  {
    sample: "memberships-bulk-create-duplicate-500",
    body: { project_id: P, bulk_memberships: [{ role_id: "{role:UX}", username: "bob" }] },
  },
  {
    sample: "memberships-create-non-admin-403",
    as: "alice",
    body: { project: P, role: "{role:Back}", username: "dave" },
  },
  {
    sample: "memberships-patch-role-200",
    path: "/memberships/{m:126}",
    body: { role: "{role:Stakeholder}" },
  },
  { sample: "memberships-resend-invitation-204", path: "/memberships/{m:126}/resend_invitation" },
  { sample: "memberships-delete-204", path: "/memberships/{m:127}" },
  { sample: "memberships-list-project-200", path: `/memberships?project=${P}` },
];

const webhooks: Step[] = [
  { sample: "webhooks-create-400", body: recorded("webhooks-create-400") },
  { sample: "webhooks-create-no-key-400", body: recorded("webhooks-create-no-key-400") },
  { sample: "webhooks-list-empty-200", path: `/webhooks?project=${P}` },
];

const CSV = "ref,subject\n1,Checkout page\n2,Login with SSO";

const attachments: Step[] = [
  {
    sample: "userstories-attachments-list-empty-200",
    path: `/userstories/attachments?object_id={us:1066}&project=${P}`,
  },
  {
    sample: "userstories-attachments-create-201",
    form: (w: World) => {
      const form = new FormData();
      form.append("project", String(w.project));
      form.append("object_id", String(w.id("us:1066")));
      form.append("description", "Backlog export");
      form.append("attached_file", new File([CSV], "backlog.csv", { type: "text/csv" }));
      return form;
    },
    capture: (w, r) => {
      w.set("att:916", r.body.id);
      w.set("file", r.body.url.split("#")[0]);
    },
    check: (_w, r) => {
      assert.equal(CSV.length, 44);
      assert.match(
        r.body.url,
        new RegExp(`/media/attachments/.+/backlog\\.csv#_taiga-refresh=userstory:${r.body.id}$`),
      );
    },
  },
  { sample: "userstories-attachments-patch-200", path: "/userstories/attachments/{att:916}" },
  {
    sample: "userstories-attachments-list-200",
    path: `/userstories/attachments?object_id={us:1066}&project=${P}`,
  },
  { sample: "userstories-attachments-detail-200", path: "/userstories/attachments/{att:916}" },
  { sample: "attachments-file-get-200", path: "{file}" },
  { sample: "userstories-attachments-delete-204", path: "/userstories/attachments/{att:916}" },
];

/** Part 4 of the replay. */
export const PART_D: Step[] = [
  ...storyAttributes,
  ...kindAttributes("task", "tasks", "ta", "task:131"),
  ...kindAttributes("issue", "issues", "ia", "issue:108"),
  ...kindAttributes("epic", "epics", "ea", "epic:54"),
  ...memberships,
  ...webhooks,
  ...attachments,
];
