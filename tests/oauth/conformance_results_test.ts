/**
 * The bookkeeping of `deno task conformance --authorization` without the network: the suite's
 * result directories read back as scenario names, and their checks tallied. (The run itself —
 * npm, a server, the suite — is `deno task conformance --authorization`.)
 */

import assert from "node:assert/strict";
import { join } from "node:path";
import { readAuthorizationResults, summarise } from "../../scripts/conformance/authorization.ts";

Deno.test("conformance --authorization: result directories and their checks", async () => {
  const out = await Deno.makeTempDir({ prefix: "taiga-mcp-auth-results-" });
  try {
    const write = async (dir: string, checks: unknown) => {
      await Deno.mkdir(join(out, dir));
      await Deno.writeTextFile(join(out, dir, "checks.json"), JSON.stringify(checks));
    };
    await write(
      "authorization-server-authorization-server-metadata-endpoint-2026-12-01T10-52-26-455Z",
      [
        { id: "authorization-server-metadata", status: "SUCCESS" },
        { id: "authorization-server-metadata-cimd", status: "SUCCESS" },
      ],
    );
    await write("authorization-server-authorization-code-grant-2026-12-01T10-52-26-600Z", [
      { id: "authorization-code-grant", status: "FAILURE", errorMessage: "no-store missing" },
    ]);
    await Deno.mkdir(join(out, "authorization-server-crashed-2026-12-01T10-52-27-000Z"));
    const results = await readAuthorizationResults(out);
    assert.deepEqual([...results.keys()], [
      "authorization-code-grant",
      "authorization-server-metadata-endpoint",
    ]);
    const summary = summarise(results);
    assert.equal(summary.passed, 2);
    assert.equal(summary.failed, 1);
    assert.equal((await readAuthorizationResults(join(out, "missing"))).size, 0);
  } finally {
    await Deno.remove(out, { recursive: true });
  }
});
