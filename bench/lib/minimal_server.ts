/**
 * The cold-start reference: the smallest useful MCP server on the same SDK, `McpServer` with one
 * zod tool served by `serveStdio`. Whatever our server takes beyond it is ours.
 * Run: `deno run bench/lib/minimal_server.ts [--probe]` (speaks MCP on stdin/stdout; `--probe`
 * adds the memory probe of memory_probe.ts, loaded only then).
 * @module
 */

import { McpServer } from "@modelcontextprotocol/server";
import { serveStdio } from "@modelcontextprotocol/server/stdio";
import { z } from "zod";
import { echoServer } from "./echo_server.ts";

if (Deno.args.includes("--probe")) (await import("./memory_probe.ts")).installMemoryProbe();

serveStdio(() => echoServer(McpServer, z));
