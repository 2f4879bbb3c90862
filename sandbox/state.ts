/**
 * The sandbox's in-memory store: plain records keyed by id, one id sequence per table
 * (as in Taiga, where epics, stories, tasks and issues are separate tables), and one
 * `ref` sequence per project shared by epics, stories, tasks and issues.
 *
 * @module
 */

import type {
  Application,
  ApplicationToken,
  Attachment,
  CustomAttribute,
  CustomAttributeValues,
  HistoryEntry,
  Item,
  ItemKind,
  Membership,
  Milestone,
  Project,
  RelatedStory,
  Role,
  SettingKind,
  SettingRow,
  SwimlaneStatus,
  TimelineEntry,
  User,
  Webhook,
  WebhookLog,
  WikiLink,
  WikiPage,
} from "./model.ts";

export type * from "./model.ts";

/** A table: records by id, in insertion order. */
export type Table<T> = Map<number, T>;

/** The whole sandbox store. Tests may read and seed it directly. */
export class SandboxState {
  /** Milliseconds since the epoch; replace it to move time (token expiry, dates). */
  clock: () => number = () => Date.now();
  users: Table<User> = new Map();
  projects: Table<Project> = new Map();
  memberships: Table<Membership> = new Map();
  roles: Table<Role> = new Map();
  settings: Record<SettingKind, Table<SettingRow>> = {
    us_status: new Map(),
    task_status: new Map(),
    issue_status: new Map(),
    epic_status: new Map(),
    points: new Map(),
    priority: new Map(),
    severity: new Map(),
    issue_type: new Map(),
    swimlane: new Map(),
    us_duedate: new Map(),
    task_duedate: new Map(),
    issue_duedate: new Map(),
  };
  items: Record<ItemKind, Table<Item>> = {
    epic: new Map(),
    userstory: new Map(),
    task: new Map(),
    issue: new Map(),
  };
  milestones: Table<Milestone> = new Map();
  wikiPages: Table<WikiPage> = new Map();
  wikiLinks: Table<WikiLink> = new Map();
  relatedStories: Table<RelatedStory> = new Map();
  customAttributes: Table<CustomAttribute> = new Map();
  /** Keyed by `"<kind>:<itemId>"`. */
  customValues: Map<string, CustomAttributeValues> = new Map();
  attachments: Table<Attachment> = new Map();
  /** Keyed by history key, e.g. `"userstories.userstory:105"`; oldest first. */
  history: Map<string, HistoryEntry[]> = new Map();
  /** Last snapshot of each object with a history, by history key (see `snapshot.ts`). */
  frozen: Map<string, Record<string, unknown>> = new Map();
  /** Rows of every namespace (`project:<id>`, `user:<id>`); see `timeline.ts`. */
  timeline: TimelineEntry[] = [];
  /** Per swimlane × user story status WIP limits. */
  swimlaneStatuses: Table<SwimlaneStatus> = new Map();
  webhooks: Table<Webhook> = new Map();
  /**
   * Milliseconds between loading a work item and saving it in PATCH/PUT (tests only; 0: none).
   * taiga-back's save() writes every column as it was loaded, so another edit that lands in this
   * window is undone even when it changed other fields — Taiga's lost update, modelled.
   */
  saveWindowMs = 0;
  webhookLogs: Table<WebhookLog> = new Map();
  /**
   * The origin the sandbox was last reached at: attachment URLs are absolute, as Taiga's
   * MEDIA_URL is (set by the server on every request).
   */
  origin = "http://127.0.0.1";
  /** `projects/{id}/modules` configuration, by project id. */
  modulesConfig: Map<number, Record<string, unknown>> = new Map();
  /** Registered external Applications, by their uuid id. */
  applications: Map<string, Application> = new Map();
  /** Token rows of the authorize/validate flow, one per (user, application). */
  applicationTokens: Table<ApplicationToken> = new Map();
  /**
   * Application token → user id: what `Authorization: Application <token>` is checked against.
   * Validate adds its token here and revoking removes it; `createApplicationToken` (testing)
   * adds tokens that belong to no row.
   */
  appTokens: Map<string, number> = new Map();
  /** jti of every access token still valid (cleared by `expireAccessTokens`). */
  liveAccessJtis: Set<string> = new Set();
  /** jti of refresh tokens already used (rotation denylist). */
  deniedRefreshJtis: Set<string> = new Set();
  private sequences = new Map<string, number>();
  private refSequences = new Map<number, number>();

  /** Next id of a table (1-based). */
  nextId(table: string): number {
    const next = (this.sequences.get(table) ?? 0) + 1;
    this.sequences.set(table, next);
    return next;
  }

  /** Next ref of a project: one sequence shared by epics, stories, tasks and issues. */
  nextRef(projectId: number): number {
    const next = (this.refSequences.get(projectId) ?? 0) + 1;
    this.refSequences.set(projectId, next);
    return next;
  }

  /** The current time as a Taiga datetime string (`2020-07-02T11:56:21.217Z`). */
  nowIso(): string {
    return new Date(this.clock()).toISOString();
  }

  /** Settings rows of one kind for a project, by `order` then id. */
  settingsOf(kind: SettingKind, projectId: number): SettingRow[] {
    return [...this.settings[kind].values()]
      .filter((r) => r.project === projectId)
      .sort((a, b) => a.order - b.order || a.id - b.id);
  }

  /** Roles of a project, by order. */
  rolesOf(projectId: number): Role[] {
    return [...this.roles.values()]
      .filter((r) => r.project === projectId)
      .sort((a, b) => a.order - b.order || a.id - b.id);
  }

  /** Memberships of a project, by id. */
  membershipsOf(projectId: number): Membership[] {
    return [...this.memberships.values()].filter((m) => m.project === projectId);
  }

  /** The membership of a user in a project, if any. */
  membershipOf(userId: number | undefined, projectId: number): Membership | undefined {
    if (userId === undefined) return undefined;
    for (const m of this.memberships.values()) {
      if (m.project === projectId && m.user === userId) return m;
    }
    return undefined;
  }

  /** Users by username or email, case-insensitively (how Taiga logs in). */
  findUser(usernameOrEmail: string): User | undefined {
    const needle = usernameOrEmail.toLowerCase();
    for (const u of this.users.values()) {
      if (u.username.toLowerCase() === needle || u.email.toLowerCase() === needle) return u;
    }
    return undefined;
  }
}
