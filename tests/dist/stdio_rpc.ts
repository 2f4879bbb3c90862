/**
 * A minimal MCP-over-stdio client for the distribution tests: spawns a server command, performs
 * initialize, lists the tools, calls one tool, then closes stdin and waits for the process.
 * Raw JSON-RPC lines, so the same helper drives `deno run` and a compiled binary alike.
 * @module
 */

/** What one stdio session observed. */
export interface StdioSessionResult {
  /** The `initialize` result. */
  initialize: Record<string, unknown>;
  /** Tool names from `tools/list`. */
  toolNames: string[];
  /** The result of the tool call. */
  call: Record<string, unknown>;
  /** Exit code after stdin was closed. */
  code: number;
  /** Everything the server wrote to stderr. */
  stderr: string;
}

/** Options of {@link stdioSession}. */
export interface StdioSessionOptions {
  /** Environment for the child; the parent's environment is not inherited when given. */
  env?: Record<string, string>;
  /** Working directory. */
  cwd?: string;
  /** Tool to call after listing (default `session_status`). */
  tool?: string;
  /** Give up after this many milliseconds (default 20 000). */
  timeoutMs?: number;
}

/** Runs one MCP session over stdio against `command args`. */
export async function stdioSession(
  command: string,
  args: string[],
  options: StdioSessionOptions = {},
): Promise<StdioSessionResult> {
  const child = new Deno.Command(command, {
    args,
    cwd: options.cwd,
    env: options.env,
    clearEnv: options.env !== undefined,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const timer = setTimeout(() => {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
  }, options.timeoutMs ?? 20_000);
  const stderrText = new Response(child.stderr).text();
  const writer = child.stdin.getWriter();
  const lines = child.stdout.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = "";

  const send = (message: unknown): Promise<void> =>
    writer.write(new TextEncoder().encode(`${JSON.stringify(message)}\n`));
  const reply = async (id: number): Promise<Record<string, unknown>> => {
    while (true) {
      const newline = buffer.indexOf("\n");
      if (newline >= 0) {
        const line = buffer.slice(0, newline).trim();
        buffer = buffer.slice(newline + 1);
        if (line === "") continue;
        const message = JSON.parse(line) as Record<string, unknown>;
        if (message.id !== id) continue;
        if (message.error) {
          throw new Error(`request ${id} failed: ${JSON.stringify(message.error)}`);
        }
        return message.result as Record<string, unknown>;
      }
      const { value, done } = await lines.read();
      if (done) throw new Error(`server closed stdout before answering request ${id}`);
      buffer += value;
    }
  };

  try {
    await send({
      jsonrpc: "2.0",
      id: 1,
      method: "initialize",
      params: {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "taiga-mcp-dist-test", version: "0" },
      },
    });
    const initialize = await reply(1);
    await send({ jsonrpc: "2.0", method: "notifications/initialized" });
    await send({ jsonrpc: "2.0", id: 2, method: "tools/list" });
    const tools = (await reply(2)).tools as { name: string }[];
    await send({
      jsonrpc: "2.0",
      id: 3,
      method: "tools/call",
      params: { name: options.tool ?? "session_status", arguments: {} },
    });
    const call = await reply(3);
    await writer.close();
    await lines.cancel();
    const { code } = await child.status;
    return {
      initialize,
      toolNames: tools.map((tool) => tool.name),
      call,
      code,
      stderr: await stderrText,
    };
  } catch (error) {
    try {
      child.kill("SIGKILL");
    } catch { /* already gone */ }
    await writer.close().catch(() => undefined);
    await lines.cancel().catch(() => undefined);
    await child.status;
    const stderr = await stderrText;
    throw new Error(`${error instanceof Error ? error.message : error}\n--- stderr ---\n${stderr}`);
  } finally {
    clearTimeout(timer);
  }
}
