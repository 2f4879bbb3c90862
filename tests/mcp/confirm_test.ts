/**
 * Destructive acts ask first: a tool's `ctx.confirm` becomes an elicitation request for a 2025
 * client that can be asked, `input_required` for a 2026-07-28 client, and an error naming
 * `confirm: true` for a client that cannot be asked. A declined question changes nothing.
 */

import assert from "node:assert/strict";
import { z } from "zod";
// @ts-types="@modelcontextprotocol/sdk/client/index"
import { Client } from "@modelcontextprotocol/sdk/client/index.js";
// @ts-types="@modelcontextprotocol/sdk/inMemory"
import { InMemoryTransport } from "@modelcontextprotocol/sdk/inMemory.js";
// @ts-types="@modelcontextprotocol/sdk/types"
import { type CallToolResult, ElicitRequestSchema } from "@modelcontextprotocol/sdk/types.js";
import { CATALOG } from "../../src/catalog.ts";
import { confirmField } from "../../src/mcp/args.ts";
import { defineTool } from "../../src/mcp/define.ts";
import { createMcpServer } from "../../src/mcp/server.ts";
import { startStdio } from "../../src/transports/stdio.ts";
import { modernClient, modernPair } from "../helpers/clients.ts";
import { startHarness } from "../helpers/harness.ts";

/** A destructive test tool: counts how often it really acted. */
function eraser() {
  const done: string[] = [];
  const tool = defineTool({
    name: "erase_thing",
    title: "Erase a thing",
    description: "Erases a thing (test tool).",
    toolset: "admin",
    readOnly: false,
    input: () => ({ thing: z.string(), confirm: confirmField() }),
    output: () => ({ erased: z.string() }),
    handler: async (args, ctx) => {
      await ctx.confirm(`Erase "${args.thing}"? It cannot be undone.`, args.confirm);
      done.push(args.thing);
      return { erased: args.thing };
    },
  });
  return { tool, done };
}

function text(result: CallToolResult): string {
  return (result.content as Array<{ text?: string }>).map((part) => part.text ?? "").join("\n");
}

Deno.test("a client that cannot be asked must pass confirm: true; nothing happens before", async () => {
  const { tool, done } = eraser();
  const h = await startHarness({ tools: [tool], era: "2025" });
  try {
    const refused = await h.fails("erase_thing", { thing: "a" });
    assert.match(refused, /Erase "a"\? It cannot be undone\. Nothing was changed/);
    assert.match(refused, /confirm: true/);
    assert.deepEqual(done, []);
    assert.deepEqual(await h.ok("erase_thing", { thing: "a", confirm: true }), { erased: "a" });
    assert.deepEqual(done, ["a"]);
  } finally {
    await h.close();
  }
});

for (const answer of ["accept", "decline"] as const) {
  Deno.test(`a 2025 client that can be asked gets an elicitation; ${answer} is honoured`, async () => {
    const { tool, done } = eraser();
    const h = await startHarness({ tools: [tool], era: "2025" });
    const { server, dispose } = createMcpServer(h.deps, CATALOG, { tools: [tool] });
    const client = new Client(
      { name: "asking", version: "1" },
      { capabilities: { elicitation: { form: {} } } },
    );
    const questions: string[] = [];
    client.setRequestHandler(ElicitRequestSchema, (request) => {
      questions.push(String(request.params.message));
      return answer === "accept"
        ? { action: "accept", content: { confirm: true } }
        : { action: "decline" };
    });
    const [clientSide, serverSide] = InMemoryTransport.createLinkedPair();
    try {
      await server.connect(serverSide);
      await client.connect(clientSide);
      const result = await client.callTool({
        name: "erase_thing",
        arguments: { thing: "b" },
      }) as CallToolResult;
      assert.deepEqual(questions, ['Erase "b"? It cannot be undone.']);
      if (answer === "accept") {
        assert.notEqual(result.isError, true, text(result));
        assert.deepEqual(done, ["b"]);
      } else {
        assert.equal(result.isError, true);
        assert.match(text(result), /Nothing was changed: the person declined/);
        assert.deepEqual(done, []);
      }
    } finally {
      await client.close();
      await server.close();
      dispose();
      await h.close();
    }
  });

  Deno.test(`a 2026-07-28 client gets input_required; ${answer} is honoured`, async () => {
    const { tool, done } = eraser();
    const h = await startHarness({ tools: [tool], era: "2025" });
    const catalog = { ...CATALOG, tools: [tool] };
    const config = { ...h.deps.config, toolsets: ["admin"] };
    const [clientSide, serverSide] = modernPair();
    const connection = startStdio({ ...h.deps, config }, catalog, serverSide);
    const client = modernClient("asked-2026", answer === "accept");
    try {
      await client.connect(clientSide);
      const result = await client.callTool({ name: "erase_thing", arguments: { thing: "c" } });
      if (answer === "accept") {
        assert.notEqual(result.isError, true, JSON.stringify(result.content));
        assert.deepEqual(done, ["c"]);
      } else {
        assert.equal(result.isError, true);
        assert.match(JSON.stringify(result.content), /Nothing was changed: the person declined/);
        assert.deepEqual(done, []);
      }
    } finally {
      await client.close();
      await connection.close();
      await h.close();
    }
  });
}
