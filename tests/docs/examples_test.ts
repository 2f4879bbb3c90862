import assert from "node:assert/strict";
import { z } from "zod";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import { startHarness } from "../helpers/harness.ts";

const EXAMPLES = new URL("../../docs/user-guide/examples.md", import.meta.url);

interface Call {
  tool: string;
  args: Record<string, unknown>;
  line: number;
}

/** The calls of every ```mcp-call block, in order: one `tool_name {json args}` per line. */
async function exampleCalls(): Promise<Call[]> {
  const lines = (await Deno.readTextFile(EXAMPLES)).split("\n");
  const calls: Call[] = [];
  let inBlock = false;
  for (const [index, line] of lines.entries()) {
    if (line.startsWith("```")) {
      inBlock = !inBlock && line.trim() === "```mcp-call";
      continue;
    }
    if (!inBlock || line.trim() === "") continue;
    const match = /^([a-z_]+)\s+(\{.*\})$/.exec(line.trim());
    assert.ok(match, `examples.md:${index + 1}: expected "tool_name {json}", got ${line}`);
    calls.push({ tool: match[1], args: JSON.parse(match[2]), line: index + 1 });
  }
  return calls;
}

Deno.test("user-guide examples name real tools with arguments their schemas accept", async () => {
  const calls = await exampleCalls();
  assert.ok(calls.length >= 12, `found ${calls.length} example calls`);
  const byName = new Map(ALL_TOOLS.map((tool) => [tool.name, tool]));
  for (const call of calls) {
    const tool = byName.get(call.tool);
    assert.ok(tool, `examples.md:${call.line}: no tool named ${call.tool}`);
    const parsed = z.object(tool.input()).strict().safeParse(call.args);
    assert.ok(
      parsed.success,
      `examples.md:${call.line}: ${call.tool} rejects ${JSON.stringify(call.args)}: ${
        parsed.success ? "" : parsed.error.message
      }`,
    );
  }
});

Deno.test("user-guide examples run, in order, against the sandbox's demo project", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    for (const call of await exampleCalls()) {
      const result = await h.call(call.tool, call.args);
      const text = (result.content as Array<{ type: string; text?: string }>)
        .map((part) => part.type === "text" ? part.text : "").join("");
      assert.ok(!result.isError, `examples.md:${call.line}: ${call.tool} failed: ${text}`);
    }
    // What the conversations say happened did happen.
    const project = { project: "demo-demo-project" };
    const story = async (ref: string) =>
      (await h.ok("get_user_story", { ...project, item: ref })).item as Record<string, unknown>;
    assert.equal((await story("#5")).sprint, "Sprint 2");
    assert.equal((await story("#3")).sprint, "Sprint 2", "rolled over");
    assert.equal((await story("#4")).sprint, "Sprint 1", "done work stays");
    const sprint1 = await h.ok("get_milestone", { ...project, sprint: "Sprint 1" });
    assert.equal((sprint1.sprint as { closed: boolean }).closed, true);
    const statuses = await h.ok("list_values", { ...project, list: "user_story_statuses" });
    const names = (statuses.values as Array<{ name: string }>).map((value) => value.name);
    assert.deepEqual(names, ["New", "In progress", "QA", "Done", "Archived"]);
  } finally {
    await h.close();
  }
});
