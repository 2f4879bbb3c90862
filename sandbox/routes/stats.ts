/**
 * Reporting (taiga-back `projects/services/stats.py`, `users/services.py`):
 *
 * - `GET /projects/{id}/stats`: points defined / closed / assigned (totals and per role id)
 *   and the backlog burn-up `milestones` rows (one per sprint by start date, "Future sprint"
 *   rows up to `total_milestones`, then "Project End"); without `total_story_points` the
 *   defined points are the total;
 * - `GET /projects/{id}/issues_stats`: counts per type, status, priority, severity, owner and
 *   assignee (only buckets with issues; unassigned is `"0"`), and 28 days of history;
 * - `GET /projects/{id}/member_stats`: per member id (0 by default) closed bugs, iocaine
 *   tasks, wiki changes, created bugs and closed tasks; nobody-assigned rows add `"null"`;
 * - `GET /users/{id}/stats`: projects, role names, contacts and closed stories, counted over
 *   the projects the caller can see.
 *
 * @module
 */

import { json, notFound } from "../http.ts";
import { isClosed } from "../items.ts";
import type { Router } from "../router.ts";
import type { Item, Project, SandboxState, SettingKind, User } from "../state.ts";
import { addDays } from "../util.ts";
import { check, pathId, projectOr404 } from "./common.ts";

type Json = Record<string, unknown>;

function add(map: Record<string, number>, key: number | string, value: number): void {
  map[String(key)] = (map[String(key)] ?? 0) + value;
}

/** `get_stats_for_project`. */
export function projectStats(state: SandboxState, p: Project): Json {
  const milestones = [...state.milestones.values()].filter((m) => m.project === p.id)
    .sort((a, b) => a.estimated_start.localeCompare(b.estimated_start));
  const closedIn = new Map(milestones.map((m) => [m.id, 0]));
  const team = new Map(milestones.map((m) => [m.id, 0]));
  const client = new Map(milestones.map((m) => [m.id, 0]));
  let future = { team: 0, client: 0 };
  const t = { closed: 0, defined: 0, assigned: 0, fromClosedSprints: 0 };
  const per = { closed: {}, defined: {}, assigned: {} } as Record<string, Record<string, number>>;
  for (const us of state.items.userstory.values()) {
    if (us.project !== p.id) continue;
    const created = us.created_date.slice(0, 10);
    const home = milestones.find((m) =>
      m.estimated_finish > created && m.estimated_start <= created
    );
    const m = us.milestone === null ? undefined : state.milestones.get(us.milestone);
    for (const [role, pointsId] of Object.entries(us.points)) {
      const value = state.settings.points.get(pointsId)?.value;
      if (value === null || value === undefined) continue;
      t.defined += value;
      add(per.defined, role, value);
      if (isClosed(state, us)) {
        t.closed += value;
        add(per.closed, role, value);
        if (m) closedIn.set(m.id, (closedIn.get(m.id) ?? 0) + value);
      }
      if (m?.closed) t.fromClosedSprints += value;
      if (m) {
        t.assigned += value;
        add(per.assigned, role, value);
      }
      const share = us.team_requirement && us.client_requirement ? value / 2 : value;
      if (us.team_requirement) {
        if (home) team.set(home.id, team.get(home.id)! + share);
        else future = { ...future, team: future.team + share };
      }
      if (us.client_requirement) {
        if (home) client.set(home.id, client.get(home.id)! + share);
        else future = { ...future, client: future.client + share };
      }
    }
  }
  const total = p.total_story_points || t.defined;
  const count = p.total_milestones || milestones.length;
  const perSprint = total && count ? total / count : 0;
  const rows: Json[] = [];
  let evolution: number | null = 0;
  let teamInc = 0;
  let clientInc = 0;
  let optimal = 0;
  for (let i = 0; i < Math.max(milestones.length, count); i++) {
    optimal = total - perSprint * i;
    const row: Json = { name: "Future sprint", optimal, evolution: null };
    row.evolution = evolution === null ? null : total - evolution;
    const m = milestones[i];
    if (m) {
      row.name = m.name;
      row["team-increment"] = teamInc;
      row["client-increment"] = clientInc;
      evolution = (evolution ?? 0) + closedIn.get(m.id)!;
      teamInc += team.get(m.id)!;
      clientInc += client.get(m.id)!;
    } else {
      teamInc += future.team;
      clientInc += future.client;
      row["team-increment"] = teamInc;
      row["client-increment"] = clientInc;
      evolution = null;
    }
    rows.push(row);
  }
  rows.push({
    name: "Project End",
    optimal: optimal - perSprint,
    evolution: evolution !== null && total ? total - evolution : null,
    "team-increment": teamInc,
    "client-increment": clientInc,
  });
  const closedSprints = milestones.filter((m) => m.closed).length;
  return {
    name: p.name,
    total_milestones: p.total_milestones,
    total_points: p.total_story_points,
    closed_points: t.closed,
    closed_points_per_role: per.closed,
    defined_points: t.defined,
    defined_points_per_role: per.defined,
    assigned_points: t.assigned,
    assigned_points_per_role: per.assigned,
    milestones: rows,
    speed: closedSprints ? t.fromClosedSprints / closedSprints : 0,
  };
}

function countSetting(state: SandboxState, kind: SettingKind, id: number | null, out: Json): void {
  const row = id === null ? undefined : state.settings[kind].get(id);
  if (!row) return;
  const bucket =
    (out[row.id] ??= { count: 0, name: row.name, id: row.id, color: row.color }) as Json;
  bucket.count = (bucket.count as number) + 1;
}

function countUser(state: SandboxState, id: number | null, out: Json): void {
  const u = id === null ? undefined : state.users.get(id);
  const key = u ? u.id : 0;
  const bucket = (out[key] ??= u
    ? {
      count: 0,
      username: u.username,
      name: u.full_name || u.username,
      id: u.id,
      color: u.color,
    }
    : { count: 0, username: "Unassigned", name: "Unassigned", id: 0, color: "black" }) as Json;
  bucket.count = (bucket.count as number) + 1;
}

function issuesStats(state: SandboxState, p: Project): Json {
  const issues = [...state.items.issue.values()].filter((i) => i.project === p.id);
  const per = {
    type: {} as Json,
    status: {} as Json,
    priority: {} as Json,
    severity: {} as Json,
    owner: {} as Json,
    assigned: {} as Json,
  };
  for (const i of issues) {
    countSetting(state, "issue_type", i.type, per.type);
    countSetting(state, "issue_status", i.status, per.status);
    countSetting(state, "priority", i.priority, per.priority);
    countSetting(state, "severity", i.severity, per.severity);
    countUser(state, i.owner, per.owner);
    countUser(state, i.assigned_to, per.assigned);
  }
  const byDay = (buckets: Json) =>
    Object.fromEntries(
      Object.values(buckets).map((b) => {
        const { count: _count, ...rest } = b as Json;
        return [String(rest.id), { ...rest, data: [] as number[] }];
      }),
    );
  const bySeverity = byDay(per.severity);
  const byPriority = byDay(per.priority);
  const open: number[] = [];
  const closed: number[] = [];
  const today = new Date(state.clock()).toISOString().slice(0, 10);
  for (let x = 27; x >= 0; x--) {
    const day = addDays(today, -x);
    const next = addDays(day, 1);
    open.push(issues.filter((i) => i.created_date >= day && i.created_date < next).length);
    closed.push(
      issues.filter((i) => i.finished_date && i.finished_date >= day && i.finished_date < next)
        .length,
    );
    const openThatDay = issues.filter((i) =>
      i.created_date < next && (i.finished_date === null || i.finished_date > day)
    );
    for (const [id, b] of Object.entries(bySeverity)) {
      (b.data as number[]).push(openThatDay.filter((i) => String(i.severity) === id).length);
    }
    for (const [id, b] of Object.entries(byPriority)) {
      (b.data as number[]).push(openThatDay.filter((i) => String(i.priority) === id).length);
    }
  }
  const closedCount = issues.filter((i) => isClosed(state, i)).length;
  return {
    total_issues: issues.length,
    opened_issues: issues.length - closedCount,
    closed_issues: closedCount,
    issues_per_type: per.type,
    issues_per_status: per.status,
    issues_per_priority: per.priority,
    issues_per_severity: per.severity,
    issues_per_owner: per.owner,
    issues_per_assigned_to: per.assigned,
    last_four_weeks_days: {
      by_open_closed: { open, closed },
      by_severity: bySeverity,
      by_priority: byPriority,
      by_status: {},
    },
  };
}

function memberStats(state: SandboxState, p: Project): Json {
  const base = () =>
    Object.fromEntries(
      state.membershipsOf(p.id).filter((m) => m.user !== null).map((m) => [String(m.user), 0]),
    ) as Record<string, number>;
  const count = (items: Item[], key: (i: Item) => number | null) => {
    const out = base();
    for (const i of items) add(out, String(key(i)), 1);
    return out;
  };
  const issues = [...state.items.issue.values()].filter((i) => i.project === p.id);
  const tasks = [...state.items.task.values()].filter((t) => t.project === p.id);
  const wiki = base();
  for (const page of state.wikiPages.values()) {
    if (page.project !== p.id) continue;
    for (const e of state.history.get(`wiki.wikipage:${page.id}`) ?? []) {
      add(wiki, String(e.user), 1);
    }
  }
  return {
    closed_bugs: count(issues.filter((i) => isClosed(state, i)), (i) => i.assigned_to),
    iocaine_tasks: count(tasks.filter((t) => t.is_iocaine), (t) => t.assigned_to),
    wiki_changes: wiki,
    created_bugs: count(issues, (i) => i.owner),
    closed_tasks: count(tasks.filter((t) => isClosed(state, t)), (t) => t.assigned_to),
  };
}

function userStats(state: SandboxState, of: User, viewer: User | null): Json {
  // get_visible_project_ids: anonymous-visible projects, or those where the VIEWER is a
  // member allowed to view (public permissions do not count).
  const viewerSees = (projectId: number) => {
    const mine = state.membershipOf(viewer?.id, projectId);
    return mine !== undefined &&
      (mine.is_admin || state.roles.get(mine.role)?.permissions.includes("view_project") === true);
  };
  const visible = new Set(
    [...state.memberships.values()].filter((m) => {
      const p = state.projects.get(m.project);
      return m.user === of.id && p !== undefined &&
        (p.anon_permissions.includes("view_project") || viewerSees(p.id));
    }).map((m) => m.project),
  );
  const roles = new Set<string>();
  const contacts = new Set<number>();
  for (const m of state.memberships.values()) {
    if (!visible.has(m.project) || m.user === null) continue;
    if (m.user === of.id) roles.add(state.roles.get(m.role)?.name ?? "");
    else contacts.add(m.user);
  }
  const closedStories =
    [...state.items.userstory.values()].filter((u) =>
      visible.has(u.project) && isClosed(state, u) &&
      (u.assigned_to === of.id || u.assigned_users.includes(of.id))
    ).length;
  return {
    total_num_projects: visible.size,
    roles: [...roles],
    total_num_contacts: contacts.size,
    total_num_closed_userstories: closedStories,
  };
}

/** Registers the stats routes. */
export function statsRoutes(router: Router): void {
  const projectStat = (name: string, build: (s: SandboxState, p: Project) => Json) =>
    router.get(`/projects/:id/${name}`, (ctx) => {
      const project = projectOr404(ctx.state, pathId(ctx, "Project"));
      check(ctx, project, "view_project");
      return json(build(ctx.state, project));
    });
  projectStat("stats", projectStats);
  projectStat("issues_stats", issuesStats);
  projectStat("member_stats", memberStats);
  router.get("/users/:id/stats", (ctx) => {
    const user = ctx.state.users.get(pathId(ctx, "User"));
    if (!user) throw notFound("User");
    return json(userStats(ctx.state, user, ctx.user));
  });
}
