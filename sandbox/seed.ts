/**
 * Demo data of the sandbox (`startSandbox({ seed: true })`, the default):
 *
 * - Users (all active, verified):
 *   - `demo` / `demo123` — "Demo User", demo@example.com (id 1)
 *   - `alice` / `alice123` — "Alice Example", alice@example.com (id 2)
 *   - `bob` / `bob123` — "Bob Example", bob@example.com (id 3)
 * - Project "Demo Project", slug `demo-demo-project`, private, owned by demo (admin,
 *   Product Owner); alice is a member with role Front, bob with role Back. It has Taiga's
 *   default template (statuses, points, priorities, severities, issue types, roles UX,
 *   Design, Front, Back, Product Owner, Stakeholder) and the epics module turned on.
 * - Sprint "Sprint 1" (open; from 3 days ago to 11 days ahead) holding two stories.
 * - Epics: "Checkout" (#1) and "Onboarding" (#2).
 * - User stories: "Pay with card" (#3, in the sprint, in epic Checkout, assigned to
 *   alice, 5 points for Front), "Order confirmation email" (#4, in the sprint, In
 *   progress), "Sign up with email" (#5, backlog, in epic Onboarding), "Password reset"
 *   (#6, backlog).
 * - Tasks: "Integrate card gateway" (#7, story #3, bob), "Write email template" (#8,
 *   story #4, Closed).
 * - Issues: "Card declined shows blank page" (#9, Bug, High, alice), "Typo on the sign-up
 *   page" (#10, Enhancement, default status).
 * - Wiki page `home`; wiki link "Home".
 * - External Application "taiga-mcp (sandbox)", id {@link SANDBOX_APPLICATION_ID}, for the
 *   authorize/validate flow of application tokens (`taiga-mcp app-token --application <id>`).
 *
 * @module
 */

import { createItem } from "./items.ts";
import { takeSnapshot } from "./snapshot.ts";
import { createWikiPage } from "./routes/wiki.ts";
import type { Milestone, SandboxState, User } from "./state.ts";
import { addMember, createProject } from "./template.ts";
import { addDays, gravatarId, uuid } from "./util.ts";

/** Id of the seeded external Application (a fixed uuid4, so it can be written down). */
export const SANDBOX_APPLICATION_ID = "0c3f2b4e-8d1a-4c6e-9f27-5b8a1d3e7c90";

/** Demo credentials (username → password). */
export const DEMO_USERS: Record<string, string> = {
  demo: "demo123",
  alice: "alice123",
  bob: "bob123",
};

async function addUser(
  state: SandboxState,
  username: string,
  password: string,
  fullName: string,
): Promise<User> {
  const email = `${username}@example.com`;
  const user: User = {
    id: state.nextId("user"),
    username,
    password,
    full_name: fullName,
    email,
    color: "",
    bio: "",
    lang: "",
    theme: "",
    timezone: "",
    is_active: true,
    gravatar_id: await gravatarId(email),
    uuid: uuid().replace(/-/g, ""),
    date_joined: state.nowIso(),
    verified_email: true,
    accepted_terms: true,
    read_new_terms: false,
  };
  state.users.set(user.id, user);
  return user;
}

/** Creates a user with a password (for tests that need more people). */
export function createUser(
  state: SandboxState,
  username: string,
  password: string,
  fullName = username,
): Promise<User> {
  return addUser(state, username, password, fullName);
}

/** Fills `state` with the demo data described above. */
export async function seedDemoData(state: SandboxState): Promise<void> {
  const demo = await addUser(state, "demo", DEMO_USERS.demo, "Demo User");
  const alice = await addUser(state, "alice", DEMO_USERS.alice, "Alice Example");
  const bob = await addUser(state, "bob", DEMO_USERS.bob, "Bob Example");
  const project = createProject(state, demo, {
    name: "Demo Project",
    description: "A demo project of the sandbox Taiga.",
  }, (p) => {
    p.is_epics_activated = true;
  });
  const role = (name: string) => state.rolesOf(project.id).find((r) => r.name === name)!;
  addMember(state, project, alice, role("Front").id, false, demo.id);
  addMember(state, project, bob, role("Back").id, false, demo.id);

  const today = new Date(state.clock()).toISOString().slice(0, 10);
  const sprint: Milestone = {
    id: state.nextId("milestone"),
    project: project.id,
    name: "Sprint 1",
    slug: "sprint-1",
    owner: demo.id,
    estimated_start: addDays(today, -3),
    estimated_finish: addDays(today, 11),
    created_date: state.nowIso(),
    modified_date: state.nowIso(),
    closed: false,
    disponibility: 0,
    order: 1,
    watchers: [],
  };
  state.milestones.set(sprint.id, sprint);
  takeSnapshot(state, { kind: "milestone", id: sprint.id }, demo);

  const status = (kind: "us_status" | "task_status" | "issue_status", name: string) =>
    state.settingsOf(kind, project.id).find((s) => s.name === name)!.id;
  const setting = (kind: "points" | "priority" | "issue_type", name: string) =>
    state.settingsOf(kind, project.id).find((s) => s.name === name)!.id;

  const checkout = createItem(state, "epic", project, demo, {
    subject: "Checkout",
    color: "#A5694F",
  });
  const onboarding = createItem(state, "epic", project, demo, {
    subject: "Onboarding",
    color: "#40A8E4",
  });
  const pay = createItem(state, "userstory", project, demo, {
    subject: "Pay with card",
    description: "As a buyer I want to pay by card.",
    tags: ["payments"],
    milestone: sprint.id,
    assigned_to: alice.id,
    assigned_users: [alice.id],
    points: { [String(role("Front").id)]: setting("points", "5") },
  });
  const email = createItem(state, "userstory", project, demo, {
    subject: "Order confirmation email",
    milestone: sprint.id,
    status: status("us_status", "In progress"),
  });
  const signup = createItem(state, "userstory", project, demo, {
    subject: "Sign up with email",
    tags: ["accounts"],
  });
  createItem(state, "userstory", project, demo, { subject: "Password reset", tags: ["accounts"] });
  let relId = 0;
  for (const [epic, us] of [[checkout, pay], [onboarding, signup]]) {
    relId = state.nextId("related");
    state.relatedStories.set(relId, { id: relId, epic: epic.id, user_story: us.id, order: relId });
    takeSnapshot(state, { kind: "relateduserstory", id: relId }, demo);
  }
  createItem(state, "task", project, demo, {
    subject: "Integrate card gateway",
    user_story: pay.id,
    milestone: sprint.id,
    assigned_to: bob.id,
  });
  createItem(state, "task", project, demo, {
    subject: "Write email template",
    user_story: email.id,
    milestone: sprint.id,
    status: status("task_status", "Closed"),
  });
  createItem(state, "issue", project, alice, {
    subject: "Card declined shows blank page",
    type: setting("issue_type", "Bug"),
    priority: setting("priority", "High"),
    assigned_to: alice.id,
  });
  createItem(state, "issue", project, bob, {
    subject: "Typo on the sign-up page",
    type: setting("issue_type", "Enhancement"),
  });
  createWikiPage(state, project.id, demo, "home", "# Demo Project\nWelcome to the sandbox Taiga.");
  const link = {
    id: state.nextId("wiki-link"),
    project: project.id,
    title: "Home",
    href: "home",
    order: 1,
  };
  state.wikiLinks.set(link.id, link);
  state.applications.set(SANDBOX_APPLICATION_ID, {
    id: SANDBOX_APPLICATION_ID,
    name: "taiga-mcp (sandbox)",
    web: "https://taiga-mcp.example",
    description: "The MCP server for Taiga, registered in the sandbox Taiga.",
    icon_url: null,
    next_url: "https://taiga-mcp.example/authorized",
  });
}
