/**
 * Child processes the benchmarks drive: JSON-RPC over stdio lines (our server, the minimal SDK
 * server, `deno task start`), stderr watched for markers (a listening URL, memory probe lines).
 * @module
 */

import { MEMORY_MARKER, type MemoryReport } from "./memory_probe.ts";

/** The repository root (bench/lib/../../). */
export const ROOT: string = new URL("../../", import.meta.url).pathname;

/** What server_child.ts writes on stderr before its base URL once it listens. */
export const LISTENING_MARKER = "@@listening ";

/** A JSON-RPC message. */
export type Message = Record<string, unknown>;

/** A running child process. */
export interface Child {
  /** Its process id (of the spawned program itself). */
  readonly pid: number;
  /** Sends a JSON-RPC request on stdin; resolves with the response message. */
  request(method: string, params?: Message): Promise<Message>;
  /** Sends a JSON-RPC notification on stdin. */
  notify(method: string, params?: Message): Promise<void>;
  /** Sends a raw line on stdin. */
  send(message: Message): Promise<void>;
  /** Resolves with the first stderr line matching `pattern` (already written or to come). */
  stderrMatch(pattern: RegExp, timeoutMs?: number): Promise<RegExpMatchArray>;
  /** The last 16 KB of stderr. */
  stderrTail(): string;
  /** Sends SIGUSR1 and resolves with the memory probe's report (see memory_probe.ts). */
  memory(timeoutMs?: number): Promise<MemoryReport>;
  /** Resolves when the process exits, with its exit code. */
  readonly exited: Promise<number>;
  /** Closes stdin and waits for exit (SIGKILL after `timeoutMs`); resolves with the exit code. */
  close(timeoutMs?: number): Promise<number>;
}

/** How to start a child. */
export interface SpawnOptions {
  /** Extra environment variables (the parent's environment is inherited). */
  env?: Record<string, string>;
  /** Working directory (default: the repository root). */
  cwd?: string;
  /** Program (default `deno`). */
  command?: string;
}

const encoder = new TextEncoder();

function withTimeout<T>(promise: Promise<T>, ms: number, what: () => string): Promise<T> {
  let timer: number | undefined;
  const timeout = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(what())), ms) as unknown as number;
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

async function* lines(stream: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  let buffer = "";
  for await (const chunk of stream.pipeThrough(new TextDecoderStream())) {
    buffer += chunk;
    let newline: number;
    while ((newline = buffer.indexOf("\n")) >= 0) {
      yield buffer.slice(0, newline);
      buffer = buffer.slice(newline + 1);
    }
  }
  if (buffer) yield buffer;
}

/** Spawns `args` (of `deno` by default) with stdin, stdout and stderr piped. */
export function spawnChild(args: string[], options: SpawnOptions = {}): Child {
  const process = new Deno.Command(options.command ?? "deno", {
    args,
    env: options.env,
    cwd: options.cwd ?? ROOT,
    stdin: "piped",
    stdout: "piped",
    stderr: "piped",
  }).spawn();
  const writer = process.stdin.getWriter();
  const waiting = new Map<number, (message: Message) => void>();
  const watchers: Array<{ pattern: RegExp; found: (match: RegExpMatchArray) => void }> = [];
  const memoryWaiters: Array<(report: MemoryReport) => void> = [];
  let tail = "";
  let nextId = 1;

  const stdoutDone = (async () => {
    for await (const line of lines(process.stdout)) {
      let message: Message;
      try {
        message = JSON.parse(line);
      } catch {
        continue;
      }
      const id = message.id;
      if (typeof id === "number" && waiting.has(id) && !("method" in message)) {
        waiting.get(id)!(message);
        waiting.delete(id);
      }
    }
  })();
  const stderrDone = (async () => {
    for await (const line of lines(process.stderr)) {
      if (line.startsWith(MEMORY_MARKER)) {
        memoryWaiters.shift()?.(JSON.parse(line.slice(MEMORY_MARKER.length)));
        continue;
      }
      tail = (tail + line + "\n").slice(-16_384);
      for (const watcher of [...watchers]) {
        const match = line.match(watcher.pattern);
        if (match) {
          watchers.splice(watchers.indexOf(watcher), 1);
          watcher.found(match);
        }
      }
    }
  })();
  const exited = process.status.then((status) => status.code);

  const send = (message: Message): Promise<void> =>
    writer.write(encoder.encode(`${JSON.stringify(message)}\n`));

  return {
    pid: process.pid,
    send,
    request: (method, params = {}) => {
      const id = nextId++;
      const answer = new Promise<Message>((resolve) => waiting.set(id, resolve));
      return send({ jsonrpc: "2.0", id, method, params }).then(() =>
        withTimeout(
          Promise.race([
            answer,
            exited.then((code) => {
              throw new Error(`process exited (${code}) before answering ${method}:\n${tail}`);
            }),
          ]),
          60_000,
          () => `no answer to ${method} in 60 s; stderr:\n${tail}`,
        )
      );
    },
    notify: (method, params = {}) => send({ jsonrpc: "2.0", method, params }),
    stderrMatch: (pattern, timeoutMs = 30_000) => {
      const already = tail.match(pattern);
      if (already) return Promise.resolve(already);
      const found = new Promise<RegExpMatchArray>((resolve) =>
        watchers.push({ pattern, found: resolve })
      );
      return withTimeout(found, timeoutMs, () => `stderr never matched ${pattern}:\n${tail}`);
    },
    stderrTail: () => tail,
    memory: (timeoutMs = 30_000) => {
      const report = new Promise<MemoryReport>((resolve) => memoryWaiters.push(resolve));
      process.kill("SIGUSR1");
      return withTimeout(report, timeoutMs, () => `no memory report in ${timeoutMs} ms:\n${tail}`);
    },
    exited,
    close: async (timeoutMs = 10_000) => {
      await writer.close().catch(() => undefined);
      const timer = setTimeout(() => {
        try {
          process.kill("SIGKILL");
        } catch {
          // Already gone.
        }
      }, timeoutMs);
      const code = await exited;
      clearTimeout(timer);
      await stdoutDone.catch(() => undefined);
      await stderrDone.catch(() => undefined);
      return code;
    },
  };
}

/** The `initialize` parameters of a 2025 client. */
export const INITIALIZE_PARAMS: Message = {
  protocolVersion: "2025-06-18",
  capabilities: {},
  clientInfo: { name: "taiga-mcp-bench", version: "1.0.0" },
};

/** Sends `initialize` and `notifications/initialized`; resolves with the initialize response. */
export async function initialize(child: Child): Promise<Message> {
  const response = await child.request("initialize", INITIALIZE_PARAMS);
  if (response.error) throw new Error(`initialize failed: ${JSON.stringify(response.error)}`);
  await child.notify("notifications/initialized");
  return response;
}
