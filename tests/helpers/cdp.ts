/**
 * A small Chrome DevTools Protocol driver for browser tests — no dependency: headless Chromium
 * launched with a throw-away profile and `--remote-debugging-port=0`, its port read from
 * `DevToolsActivePort`, and one WebSocket to the browser with flat sessions per page. Pages are
 * driven the way a person does: navigate, focus a field, type, press Enter.
 * @module
 */

/** Where Chromium may be installed (CHROME_PATH first). */
const CANDIDATES = [
  "/usr/bin/chromium",
  "/usr/bin/chromium-browser",
  "/usr/bin/google-chrome",
  "/usr/bin/google-chrome-stable",
];

/** The Chromium binary to use, or undefined when none is installed. */
export function findChromium(): string | undefined {
  const fromEnv = Deno.env.get("CHROME_PATH");
  for (const path of fromEnv ? [fromEnv, ...CANDIDATES] : CANDIDATES) {
    try {
      if (Deno.statSync(path).isFile) return path;
    } catch {
      // Not here.
    }
  }
  return undefined;
}

type Listener = (params: Record<string, unknown>, sessionId?: string) => void;

/** One DevTools WebSocket: commands with ids, events to listeners. */
class CdpSocket {
  readonly #socket: WebSocket;
  readonly #pending = new Map<
    number,
    { resolve: (v: unknown) => void; reject: (e: Error) => void }
  >();
  readonly #listeners = new Map<string, Set<Listener>>();
  #next = 1;

  private constructor(socket: WebSocket) {
    this.#socket = socket;
    socket.onmessage = (event) => {
      const message = JSON.parse(String(event.data));
      if (typeof message.id === "number") {
        const waiting = this.#pending.get(message.id);
        this.#pending.delete(message.id);
        if (message.error) waiting?.reject(new Error(`CDP: ${JSON.stringify(message.error)}`));
        else waiting?.resolve(message.result);
        return;
      }
      for (const listener of this.#listeners.get(message.method) ?? []) {
        listener(message.params ?? {}, message.sessionId);
      }
    };
    socket.onclose = () => {
      for (const waiting of this.#pending.values()) waiting.reject(new Error("CDP socket closed"));
      this.#pending.clear();
    };
  }

  /** Connects to `url` (the browser's DevTools endpoint). */
  static open(url: string): Promise<CdpSocket> {
    return new Promise((resolve, reject) => {
      const socket = new WebSocket(url);
      socket.onopen = () => resolve(new CdpSocket(socket));
      socket.onerror = () => reject(new Error(`cannot reach DevTools at ${url}`));
    });
  }

  /** Sends a command (to a page when `sessionId` is given) and resolves with its result. */
  send<T = Record<string, unknown>>(
    method: string,
    params: Record<string, unknown> = {},
    sessionId?: string,
  ): Promise<T> {
    const id = this.#next++;
    return new Promise<T>((resolve, reject) => {
      this.#pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
      this.#socket.send(
        JSON.stringify({ id, method, params, ...(sessionId ? { sessionId } : {}) }),
      );
    });
  }

  /** The next `method` event (of `sessionId`) within `timeoutMs`. */
  once(
    method: string,
    sessionId: string | undefined,
    timeoutMs = 15_000,
  ): Promise<Record<string, unknown>> {
    return new Promise((resolve, reject) => {
      const listeners = this.#listeners.get(method) ?? new Set<Listener>();
      this.#listeners.set(method, listeners);
      const timer = setTimeout(() => {
        listeners.delete(listener);
        reject(new Error(`no ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      const listener: Listener = (params, from) => {
        if (sessionId !== undefined && from !== sessionId) return;
        clearTimeout(timer);
        listeners.delete(listener);
        resolve(params);
      };
      listeners.add(listener);
    });
  }

  /** Closes the socket. */
  close(): void {
    this.#socket.close();
  }
}

/** One tab, driven through its flat session. */
export class Page {
  constructor(private readonly cdp: CdpSocket, readonly sessionId: string) {}

  /** Sends a command to this page. */
  send<T = Record<string, unknown>>(
    method: string,
    params: Record<string, unknown> = {},
  ): Promise<T> {
    return this.cdp.send<T>(method, params, this.sessionId);
  }

  /** Runs `action` and waits for the page it causes to finish loading. */
  async loading(action: () => Promise<unknown>): Promise<void> {
    const loaded = this.cdp.once("Page.loadEventFired", this.sessionId);
    await action();
    await loaded;
  }

  /** Opens `url` and waits for it to load. */
  goto(url: string): Promise<void> {
    return this.loading(() => this.send("Page.navigate", { url }));
  }

  /** The DOM node id of the first element matching `selector` (0 when none). */
  async query(selector: string): Promise<number> {
    const { root } = await this.send<{ root: { nodeId: number } }>("DOM.getDocument", { depth: 0 });
    const { nodeId } = await this.send<{ nodeId: number }>("DOM.querySelector", {
      nodeId: root.nodeId,
      selector,
    });
    return nodeId;
  }

  /** Every node id matching `selector`. */
  async queryAll(selector: string): Promise<number[]> {
    const { root } = await this.send<{ root: { nodeId: number } }>("DOM.getDocument", { depth: 0 });
    const { nodeIds } = await this.send<{ nodeIds: number[] }>("DOM.querySelectorAll", {
      nodeId: root.nodeId,
      selector,
    });
    return nodeIds;
  }

  /** The outer HTML of the first match of `selector` ("" when none). */
  async html(selector = "html"): Promise<string> {
    const nodeId = await this.query(selector);
    if (!nodeId) return "";
    return (await this.send<{ outerHTML: string }>("DOM.getOuterHTML", { nodeId })).outerHTML;
  }

  /** Focuses the field `selector` and types `text` into it, as a keyboard would. */
  async type(selector: string, text: string): Promise<void> {
    const nodeId = await this.query(selector);
    if (!nodeId) throw new Error(`no ${selector} on the page`);
    await this.send("DOM.focus", { nodeId });
    await this.send("Input.insertText", { text });
  }

  /** Presses a key (Enter, Tab) on the focused element. */
  async press(key: "Enter" | "Tab"): Promise<void> {
    const code = key === "Enter" ? 13 : 9;
    const text = key === "Enter" ? "\r" : "";
    for (const type of ["keyDown", "keyUp"]) {
      await this.send("Input.dispatchKeyEvent", {
        type,
        key,
        code: key,
        windowsVirtualKeyCode: code,
        ...(type === "keyDown" && text ? { text } : {}),
      });
    }
  }

  /** The accessibility tree's nodes: role and accessible name (what a screen reader hears). */
  async accessibleNodes(): Promise<Array<{ role: string; name: string }>> {
    const { nodes } = await this.send<{ nodes: Array<Record<string, { value?: unknown }>> }>(
      "Accessibility.getFullAXTree",
    );
    return nodes.map((node) => ({
      role: String(node.role?.value ?? ""),
      name: String(node.name?.value ?? ""),
    }));
  }
}

/** A running headless Chromium. */
export interface Chromium {
  /** Opens a new tab. */
  newPage(): Promise<Page>;
  /** What Chromium wrote to stderr (for failures). */
  stderr(): string;
  /** Quits and removes the profile. */
  close(): Promise<void>;
}

async function activePort(profile: string, child: Deno.ChildProcess): Promise<string> {
  let exited = false;
  child.status.then(() => (exited = true));
  for (let i = 0; i < 300 && !exited; i++) {
    try {
      const [port, path] = (await Deno.readTextFile(`${profile}/DevToolsActivePort`)).split("\n");
      if (port && path) return `ws://127.0.0.1:${port.trim()}${path.trim()}`;
    } catch {
      // Not written yet.
    }
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(exited ? "Chromium exited at start-up" : "Chromium wrote no DevToolsActivePort");
}

/** Launches headless Chromium (`path`) with a fresh profile. */
export async function launchChromium(path: string): Promise<Chromium> {
  const profile = await Deno.makeTempDir({ prefix: "taiga-mcp-chromium-" });
  const child = new Deno.Command(path, {
    args: [
      "--headless",
      "--no-sandbox",
      "--disable-gpu",
      "--disable-quic",
      "--disable-dev-shm-usage",
      "--no-first-run",
      "--disable-background-networking",
      "--disable-component-update",
      "--disable-sync",
      `--user-data-dir=${profile}`,
      "--remote-debugging-port=0",
      "about:blank",
    ],
    stdin: "null",
    stdout: "null",
    stderr: "piped",
  }).spawn();
  let errors = "";
  const drain = (async () => {
    for await (const chunk of child.stderr.pipeThrough(new TextDecoderStream())) {
      if (errors.length < 64_000) errors += chunk;
    }
  })();
  let cdp: CdpSocket;
  try {
    cdp = await CdpSocket.open(await activePort(profile, child));
  } catch (error) {
    child.kill("SIGKILL");
    await child.status;
    await drain.catch(() => undefined);
    await Deno.remove(profile, { recursive: true }).catch(() => undefined);
    throw new Error(`${error instanceof Error ? error.message : error}\n${errors.slice(-2000)}`);
  }
  return {
    newPage: async () => {
      const { targetId } = await cdp.send<{ targetId: string }>("Target.createTarget", {
        url: "about:blank",
      });
      const { sessionId } = await cdp.send<{ sessionId: string }>("Target.attachToTarget", {
        targetId,
        flatten: true,
      });
      const page = new Page(cdp, sessionId);
      await page.send("Page.enable");
      await page.send("DOM.enable");
      return page;
    },
    stderr: () => errors,
    close: async () => {
      await cdp.send("Browser.close").catch(() => undefined);
      cdp.close();
      const timer = setTimeout(() => child.kill("SIGKILL"), 5000);
      await child.status;
      clearTimeout(timer);
      await drain.catch(() => undefined);
      await Deno.remove(profile, { recursive: true }).catch(() => undefined);
    },
  };
}
