/** --read-only hides every administration tool of issue 12 that writes; the listings stay. */

import assert from "node:assert/strict";
import { selectTools } from "../../src/mcp/toolsets.ts";
import { membershipBulkTools } from "../../src/tools/memberships_bulk.ts";
import { projectSettingTools } from "../../src/tools/project_settings.ts";
import { roleTools } from "../../src/tools/roles.ts";
import { webhookTools } from "../../src/tools/webhooks.ts";
import { startHarness } from "../helpers/harness.ts";

Deno.test("--read-only keeps only the listings of the admin tools", async () => {
  const h = await startHarness({
    env: { TAIGA_TOOLSETS: "project_settings,webhooks", TAIGA_READ_ONLY: "true" },
  });
  try {
    const mine = new Set([...projectSettingTools, ...webhookTools].map((tool) => tool.name));
    const listed = (await h.client.listTools()).tools.map((tool) => tool.name)
      .filter((name) => mine.has(name));
    assert.deepEqual(listed.sort(), ["list_custom_fields", "list_values", "list_webhooks"]);
  } finally {
    await h.close();
  }
  const members = selectTools([...roleTools, ...membershipBulkTools], ["members"], true);
  assert.deepEqual(members.map((tool) => tool.name), ["list_roles"]);
});
