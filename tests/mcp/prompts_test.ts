import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/types"
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { TaigaClient } from "../../src/taiga/client.ts";
import { type Harness, startHarness } from "../helpers/harness.ts";

const SLUG = "demo-demo-project";

type Json = Record<string, unknown>;

interface Prompted {
  text: string;
  data: Json;
}

async function getPrompt(
  h: Harness,
  name: string,
  args: Record<string, string>,
): Promise<Prompted> {
  const result = await h.client.getPrompt({ name, arguments: args });
  assert.equal(result.messages.length, 1);
  const [message] = result.messages;
  assert.equal(message.role, "user");
  assert.equal(message.content.type, "text");
  const text = (message.content as { text: string }).text;
  const block = /```json\n(.*)\n```/s.exec(text);
  assert.ok(block, "the message carries the data as a JSON block");
  return { text, data: JSON.parse(block[1]) };
}

async function promptFails(
  h: Harness,
  name: string,
  args: Record<string, string>,
): Promise<McpError> {
  try {
    await h.client.getPrompt({ name, arguments: args });
  } catch (error) {
    assert.ok(error instanceof McpError, `expected an McpError, got ${error}`);
    return error;
  }
  throw new Error(`${name} unexpectedly succeeded`);
}

async function completePrompt(
  h: Harness,
  prompt: string,
  name: string,
  value: string,
  context?: Record<string, string>,
): Promise<string[]> {
  const result = await h.client.complete({
    ref: { type: "ref/prompt", name: prompt },
    argument: { name, value },
    ...(context ? { context: { arguments: context } } : {}),
  });
  return result.completion.values;
}

function isoDay(offsetDays: number): string {
  return new Date(Date.now() + offsetDays * 86_400_000).toISOString().slice(0, 10);
}

interface Fixture {
  projectId: number;
  sprintName: string;
  doneStory: string;
  openStory: string;
  backlogStory: string;
  openIssue: string;
  closedIssue: string;
  myTask: string;
  aliceTask: string;
}

/** Builds the data the prompts are checked against, over HTTP like any Taiga client would. */
async function seed(client: TaigaClient, userId: number): Promise<Fixture> {
  const project = await client.get<Json & { id: number }>("projects/by_slug", { slug: SLUG });
  const closed = (list: unknown) =>
    (list as Array<{ id: number; is_closed: boolean }>)
      .find((status) => status.is_closed)!.id;
  const alice = (project.members as Array<{ id: number; username: string }>)
    .find((member) => member.username === "alice")!;
  const sprintName = "Prompt sprint";
  const sprint = await client.post<{ id: number }>("milestones", {
    project: project.id,
    name: sprintName,
    estimated_start: isoDay(-3),
    estimated_finish: isoDay(7),
  });
  const f: Fixture = {
    projectId: project.id,
    sprintName,
    doneStory: "Checkout accepts gift cards",
    openStory: "Export invoices as PDF",
    backlogStory: "Dark mode for the dashboard",
    openIssue: "Login page crashes on submit",
    closedIssue: "Typo on the pricing page",
    myTask: "Write the gift card migration",
    aliceTask: "Design the PDF layout",
  };
  const base = { project: project.id };
  await client.post("userstories", {
    ...base,
    subject: f.doneStory,
    milestone: sprint.id,
    status: closed(project.us_statuses),
  });
  const open = await client.post<{ id: number }>("userstories", {
    ...base,
    subject: f.openStory,
    milestone: sprint.id,
  });
  await client.post("userstories", { ...base, subject: f.backlogStory });
  await client.post("issues", { ...base, subject: f.openIssue });
  await client.post("issues", {
    ...base,
    subject: f.closedIssue,
    milestone: sprint.id,
    status: closed(project.issue_statuses),
  });
  await client.post("tasks", {
    ...base,
    subject: f.myTask,
    milestone: sprint.id,
    user_story: open.id,
    assigned_to: userId,
  });
  await client.post("tasks", {
    ...base,
    subject: f.aliceTask,
    milestone: sprint.id,
    assigned_to: alice.id,
  });
  return f;
}

Deno.test("prompts: list, each prompt with real data, completion, errors", async (t) => {
  const h = await startHarness();
  try {
    const session = h.deps.sessions.findDefault()!;
    const f = await seed(session.client, session.user.id);

    await t.step("prompts/list: five prompts with their arguments", async () => {
      const { prompts } = await h.client.listPrompts();
      const byName = new Map(prompts.map((prompt) => [prompt.name, prompt]));
      assert.deepEqual(
        [...byName.keys()].sort(),
        ["backlog_grooming", "release_notes", "sprint_review", "standup", "triage_issues"],
      );
      const args = (name: string) =>
        byName.get(name)!.arguments!.map((arg) => `${arg.name}${arg.required ? "" : "?"}`);
      assert.deepEqual(args("sprint_review"), ["project", "sprint"]);
      assert.deepEqual(args("release_notes"), ["project", "sprint"]);
      assert.deepEqual(args("backlog_grooming"), ["project"]);
      assert.deepEqual(args("triage_issues"), ["project"]);
      assert.deepEqual(args("standup"), ["project", "user?"]);
      assert.ok(prompts.every((prompt) => prompt.description && prompt.title));
    });

    await t.step("sprint_review gathers the sprint, its progress and its items", async () => {
      const { text, data } = await getPrompt(h, "sprint_review", {
        project: SLUG,
        sprint: "prompt SPRINT",
      });
      assert.match(text, /sprint review of "Prompt sprint"/);
      assert.equal((data.sprint as Json).name, f.sprintName);
      const done = (data.user_stories_done as Json[]).map((s) => s.subject);
      const notDone = (data.user_stories_not_done as Json[]).map((s) => s.subject);
      assert.deepEqual(done, [f.doneStory]);
      assert.deepEqual(notDone, [f.openStory]);
      const tasks = ((data.tasks as Json).items as Json[]).map((task) => task.subject).sort();
      assert.deepEqual(tasks, [f.aliceTask, f.myTask].sort());
      assert.equal((data.progress as Json).stories_total, 2);
      assert.equal((data.progress as Json).stories_done, 1);
    });

    await t.step("backlog_grooming gathers only open stories outside sprints", async () => {
      const { text, data } = await getPrompt(h, "backlog_grooming", {
        project: String(f.projectId),
      });
      assert.match(text, /Groom the backlog of project "Demo Project"/);
      const subjects = (data.user_stories as Json[]).map((s) => s.subject);
      assert.ok(subjects.includes(f.backlogStory));
      assert.ok(!subjects.includes(f.openStory) && !subjects.includes(f.doneStory));
      assert.ok((data.points_scale as string[]).includes("?"));
    });

    await t.step("triage_issues gathers open issues and the names to triage with", async () => {
      const { text, data } = await getPrompt(h, "triage_issues", { project: SLUG });
      assert.match(text, /Triage the open issues/);
      const subjects = (data.issues as Json[]).map((issue) => issue.subject);
      assert.ok(subjects.includes(f.openIssue));
      assert.ok(!subjects.includes(f.closedIssue));
      assert.ok((data.types as string[]).includes("Bug"));
      assert.ok((data.members as Json[]).some((member) => member.username === "alice"));
    });

    await t.step("standup for me, for alice, and for the whole team", async () => {
      const mine = await getPrompt(h, "standup", { project: SLUG, user: "me" });
      assert.equal(mine.data.person, "demo");
      const myTasks = (mine.data.tasks as Json[]).map((task) => task.subject);
      assert.ok(myTasks.includes(f.myTask));
      assert.ok(!myTasks.includes(f.aliceTask));
      const alice = await getPrompt(h, "standup", { project: SLUG, user: "alice" });
      const aliceTasks = (alice.data.tasks as Json[]).map((task) => task.subject);
      assert.ok(aliceTasks.includes(f.aliceTask) && !aliceTasks.includes(f.myTask));
      const team = await getPrompt(h, "standup", { project: SLUG });
      assert.equal(team.data.person, "whole team");
      assert.match(team.text, /each member of the team/);
      assert.ok(team.data.current_sprint !== null);
    });

    await t.step("release_notes lists what the sprint delivered and what it did not", async () => {
      const { text, data } = await getPrompt(h, "release_notes", {
        project: SLUG,
        sprint: f.sprintName,
      });
      assert.match(text, /release notes for end users/);
      const delivered = (data.delivered_user_stories as Json[]).map((s) => s.subject);
      const fixed = (data.fixed_issues as Json[]).map((issue) => issue.subject);
      const missing = (data.not_delivered as Json[]).map((item) => item.subject);
      assert.deepEqual(delivered, [f.doneStory]);
      assert.deepEqual(fixed, [f.closedIssue]);
      assert.deepEqual(missing, [f.openStory]);
    });

    await t.step("completion of prompt arguments", async () => {
      assert.deepEqual(await completePrompt(h, "triage_issues", "project", "demo-"), [SLUG]);
      assert.deepEqual(
        await completePrompt(h, "sprint_review", "sprint", "prompt", { project: SLUG }),
        [f.sprintName],
      );
      const users = await completePrompt(h, "standup", "user", "", { project: SLUG });
      assert.equal(users[0], "me");
      assert.ok(users.includes("alice") && users.includes("bob"));
      assert.deepEqual(await completePrompt(h, "standup", "user", "al", { project: SLUG }), [
        "alice",
      ]);
      assert.deepEqual(await completePrompt(h, "release_notes", "sprint", ""), []);
    });

    await t.step(
      "unknown project, unknown sprint, unknown user and missing arguments",
      async () => {
        const project = await promptFails(h, "triage_issues", { project: "no-such-project" });
        assert.equal(project.code, ErrorCode.InvalidParams);
        assert.match(project.message, /No project with slug "no-such-project"/);
        const sprint = await promptFails(h, "sprint_review", {
          project: SLUG,
          sprint: "Sprint 99",
        });
        assert.equal(sprint.code, ErrorCode.InvalidParams);
        assert.match(sprint.message, /Unknown sprint "Sprint 99".*Prompt sprint/);
        const backlog = await promptFails(h, "release_notes", { project: SLUG, sprint: "backlog" });
        assert.match(backlog.message, /is the backlog, not a sprint/);
        const user = await promptFails(h, "standup", { project: SLUG, user: "nobody-here" });
        assert.match(user.message, /Unknown user "nobody-here".*alice/);
        const missing = await promptFails(h, "sprint_review", { project: SLUG });
        assert.equal(missing.code, ErrorCode.InvalidParams);
        // A misspelt argument is named with the closest valid one, not silently dropped.
        const typo = await promptFails(h, "standup", { project: SLUG, usr: "alice" });
        assert.equal(typo.code, ErrorCode.InvalidParams);
        assert.match(
          typo.message,
          /Unknown argument "usr" for prompt standup; did you mean "user"\?/,
        );
        const nul = await promptFails(h, "triage_issues", { project: `${SLUG}\u0000` });
        assert.equal(nul.code, ErrorCode.InvalidParams);
        assert.match(nul.message, /NUL character/);
      },
    );
  } finally {
    await h.close();
  }
});

Deno.test("prompts: without a login, a prompt fails clearly and completion offers nothing", async () => {
  const h = await startHarness({ login: false });
  try {
    const error = await promptFails(h, "backlog_grooming", { project: SLUG });
    assert.match(error.message, /Not logged in to Taiga/);
    assert.deepEqual(await completePrompt(h, "backlog_grooming", "project", ""), []);
  } finally {
    await h.close();
  }
});

Deno.test("prompts stay a readable size: a huge backlog is capped with a note, never silently", async () => {
  const h = await startHarness();
  try {
    const client = h.deps.sessions.findDefault()!.client;
    const subjects = Array.from({ length: 260 }, (_, index) => `Crash ${index}`).join("\n");
    await client.post("issues/bulk_create", { project_id: 1, bulk_issues: subjects });
    const { text, data } = await getPrompt(h, "triage_issues", { project: "demo-demo-project" });
    assert.ok(text.length < 120_000, `prompt of ${text.length} characters`);
    assert.match(JSON.stringify(data), /Only the first 200 of \d+; call list_issues/);
  } finally {
    await h.close();
  }
});
