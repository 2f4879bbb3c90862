/**
 * The world of the planning contract test: one sandbox in which the recorded session of
 * `tests/fixtures/taiga-samples-planning/` (taiga-back 6.10, project "samples turn2") is
 * replayed in order. The recording's people are played by sandbox users (admin → demo,
 * user1 → alice, user2 → bob, user3 → carol, user4 → dave) and its ids by the sandbox's:
 * requests are written as templates whose `{…}` placeholders resolve here.
 *
 * Placeholders: `{project}`, `{user:<name>}`, `{role:<name>}`, `{<setting kind>:<name>}`
 * (us_status, task_status, issue_status, epic_status, points, priority, severity,
 * issue_type, swimlane), `{version:<id key>}` (an item's current version), `{day:<n>}`
 * (today + n days, as `YYYY-MM-DD`) and any key
 * registered with `set` (`{us:1066}`, `{task:131}`, `{ms:27}`, `{comment}`…). A string that
 * is exactly one placeholder becomes a number; object keys and paths are substituted as text.
 *
 * @module
 */

import { createUser, type SettingKind } from "../../sandbox/testing.ts";
import { login, type Reply, request, type TestBed, testBed } from "./helpers.ts";

/** Item tables by the placeholder prefix of their ids. */
const ITEM_TABLES: Record<string, "userstory" | "task" | "issue" | "epic"> = {
  us: "userstory",
  task: "task",
  issue: "issue",
  epic: "epic",
};

const SETTING_KINDS = new Set<string>([
  "us_status",
  "task_status",
  "issue_status",
  "epic_status",
  "points",
  "priority",
  "severity",
  "issue_type",
  "swimlane",
]);

/** Users of the replay and their tokens. */
export const PEOPLE = ["demo", "alice", "bob", "carol", "dave"] as const;

/** The replay's world. */
export class World {
  private readonly ids = new Map<string, number | string>();
  private readonly tokens = new Map<string, string>();
  project = 0;

  private constructor(readonly bed: TestBed) {}

  /** Starts a sandbox with the five people logged in (carol shares the demo project). */
  static async start(): Promise<World> {
    const w = new World(await testBed());
    const state = w.bed.sandbox.state;
    await createUser(state, "carol", "carol123", "Carol Example");
    await createUser(state, "dave", "dave123", "Dave Example");
    for (
      const [name, password] of [
        ["demo", "demo123"],
        ["alice", "alice123"],
        ["bob", "bob123"],
        ["carol", "carol123"],
        ["dave", "dave123"],
      ]
    ) {
      w.tokens.set(name, (await login(w.bed.sandbox, name, password)).token);
    }
    const ux = [...state.roles.values()].find((r) => r.project === 1 && r.name === "UX")!;
    await w.call("POST", "/memberships", { project: 1, role: ux.id, username: "carol" });
    return w;
  }

  /** Registers a placeholder. */
  set(key: string, value: number | string): void {
    this.ids.set(key, value);
  }

  /** The sandbox value of a placeholder key (throws when unknown). */
  id(key: string): number {
    return Number(this.value(key));
  }

  private value(key: string): number | string {
    if (key === "project") return this.project;
    if (this.ids.has(key)) return this.ids.get(key)!;
    const [kind, ...rest] = key.split(":");
    const name = rest.join(":");
    const state = this.bed.sandbox.state;
    if (kind === "user") return state.findUser(name)!.id;
    if (kind === "day") return this.day(Number(name));
    if (kind === "role") {
      const role = state.rolesOf(this.project).find((r) => r.name === name);
      if (role) return role.id;
    }
    if (SETTING_KINDS.has(kind)) {
      const row = state.settingsOf(kind as SettingKind, this.project).find((r) => r.name === name);
      if (row) return row.id;
    }
    if (kind === "version") {
      const [prefix] = rest;
      const item = state.items[ITEM_TABLES[prefix]].get(this.id(name));
      if (item) return item.version;
    }
    throw new Error(`planning world: no placeholder {${key}}`);
  }

  /** Substitutes the placeholders of a template (see the module doc). */
  fill(template: unknown): unknown {
    if (typeof template === "string") {
      const whole = /^\{([^{}]+)\}$/.exec(template);
      if (whole) return this.value(whole[1]);
      return template.replace(/\{([^{}]+)\}/g, (_, key) => String(this.value(key)));
    }
    if (Array.isArray(template)) return template.map((v) => this.fill(v));
    if (template && typeof template === "object" && !(template instanceof FormData)) {
      return Object.fromEntries(
        Object.entries(template).map(([k, v]) => [String(this.fill(k)), this.fill(v)]),
      );
    }
    return template;
  }

  /** Sends a request as `who` (demo by default), path and body filled. */
  call(method: string, path: string, body?: unknown, who = "demo"): Promise<Reply> {
    const filled = String(this.fill(path));
    const headers = { Authorization: `Bearer ${this.tokens.get(who)}` };
    return request(this.bed.sandbox, method, filled, this.fill(body), headers);
  }

  /** Sends a request that must answer `status`; returns the body. */
  // deno-lint-ignore no-explicit-any
  async ok(method: string, path: string, body?: unknown, status = 200, who = "demo"): Promise<any> {
    const r = await this.call(method, path, body, who);
    if (r.status !== status) {
      throw new Error(`setup ${method} ${path}: ${r.status} ${r.text.slice(0, 300)}`);
    }
    return r.body;
  }

  /** The recorded key of a sandbox item id (`us:1066`), for comparing id-bearing rows. */
  keyOf(prefix: string, sandboxId: number): string | undefined {
    for (const [k, v] of this.ids) if (k.startsWith(`${prefix}:`) && v === sandboxId) return k;
    return undefined;
  }

  /** `YYYY-MM-DD` of today plus `days` on the sandbox clock. */
  day(days: number): string {
    const d = new Date(this.bed.sandbox.state.clock());
    d.setUTCDate(d.getUTCDate() + days);
    return d.toISOString().slice(0, 10);
  }

  /** Stops the sandbox. */
  close(): Promise<void> {
    return this.bed.close();
  }
}
