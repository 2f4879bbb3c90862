/**
 * Spawns the real server process and speaks newline-delimited JSON-RPC to it over stdio, keeping
 * every stdout line so tests can prove stdout carries protocol only.
 * @module
 */

/** A running server process. */
export interface StdioProcess {
  /** Sends a request and resolves with its response message. */
  request(method: string, params?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Sends a notification. */
  notify(method: string, params?: Record<string, unknown>): Promise<void>;
  /** initialize + notifications/initialized; resolves with the initialize result. */
  initialize(): Promise<Record<string, unknown>>;
  /** Calls a tool; resolves with the CallToolResult. */
  callTool(name: string, args?: Record<string, unknown>): Promise<Record<string, unknown>>;
  /** Every line written to stdout so far. */
  stdoutLines: string[];
  /** Everything written to stderr so far. */
  stderr(): string;
  /** Closes stdin and waits for exit; returns the exit code. */
  close(): Promise<number>;
}

const encoder = new TextEncoder();

/** Starts `command args` with `env`, stdin/stdout/stderr piped. */
export function spawnStdio(
  command: string,
  args: string[],
  env: Record<string, string>,
  cwd?: string,
): StdioProcess {
  const child = new Deno.Command(command, {
    args,
    env,
    cwd,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = child.stdin.getWriter();
  const stdoutLines: string[] = [];
  let stderrText = "";
  const waiting = new Map<number, (message: Record<string, unknown>) => void>();
  let nextId = 1;

  const readStdout = (async () => {
    let buffer = "";
    for await (const chunk of child.stdout.pipeThrough(new TextDecoderStream())) {
      buffer += chunk;
      let newline: number;
      while ((newline = buffer.indexOf("\n")) >= 0) {
        const line = buffer.slice(0, newline);
        buffer = buffer.slice(newline + 1);
        stdoutLines.push(line);
        try {
          const message = JSON.parse(line);
          if (typeof message.id === "number" && waiting.has(message.id)) {
            waiting.get(message.id)!(message);
            waiting.delete(message.id);
          }
        } catch {
          // Kept in stdoutLines; the cleanliness test reports it.
        }
      }
    }
    if (buffer) stdoutLines.push(buffer);
  })();
  const readStderr = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      stderrText += chunk;
    }
  })();

  const send = async (message: Record<string, unknown>): Promise<void> => {
    await writer.write(encoder.encode(`${JSON.stringify(message)}\n`));
  };
  const request = (method: string, params: Record<string, unknown> = {}) => {
    const id = nextId++;
    const answer = new Promise<Record<string, unknown>>((resolve, reject) => {
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`no answer to ${method} in 20 s; stderr:\n${stderrText}`));
      }, 20_000);
      waiting.set(id, (message) => {
        clearTimeout(timer);
        resolve(message);
      });
    });
    return send({ jsonrpc: "2.0", id, method, params }).then(() => answer);
  };
  const notify = (method: string, params: Record<string, unknown> = {}) =>
    send({ jsonrpc: "2.0", method, params });

  return {
    request,
    notify,
    initialize: async () => {
      const response = await request("initialize", {
        protocolVersion: "2025-06-18",
        capabilities: {},
        clientInfo: { name: "e2e", version: "1.0.0" },
      });
      await notify("notifications/initialized");
      return response.result as Record<string, unknown>;
    },
    callTool: async (name, args = {}) => {
      const response = await request("tools/call", { name, arguments: args });
      if (response.error) throw new Error(JSON.stringify(response.error));
      return response.result as Record<string, unknown>;
    },
    stdoutLines,
    stderr: () => stderrText,
    close: async () => {
      await writer.close().catch(() => undefined);
      const timer = setTimeout(() => child.kill("SIGKILL"), 10_000);
      const status = await child.status;
      clearTimeout(timer);
      await readStdout;
      await readStderr;
      return status.code;
    },
  };
}
