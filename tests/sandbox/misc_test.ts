import assert from "node:assert/strict";
import { withBed } from "./helpers.ts";

Deno.test("milestones: list headers, create validation, nested stories", async () => {
  await withBed(async ({ call }) => {
    const list = await call("GET", "/milestones?project=1");
    assert.equal(list.headers.get("taiga-info-total-opened-milestones"), "1");
    assert.equal(list.headers.get("taiga-info-total-closed-milestones"), "0");
    assert.deepEqual(list.body[0].user_stories.map((u: { id: number }) => u.id), [1, 2]);
    assert.equal(list.body[0].total_points, 5);
    const bad = await call("POST", "/milestones", { project: 1 });
    assert.equal(bad.status, 400);
    assert.deepEqual(Object.keys(bad.body).sort(), ["estimated_finish", "estimated_start", "name"]);
    const backwards = await call("POST", "/milestones", {
      project: 1,
      name: "B",
      estimated_start: "2030-02-01",
      estimated_finish: "2030-01-01",
    });
    assert.equal(backwards.status, 400);
    await call("PATCH", "/milestones/1", { closed: true });
    const closed = await call("GET", "/milestones?project=1&closed=true");
    assert.equal(closed.body.length, 1);
    assert.equal(closed.headers.get("taiga-info-total-closed-milestones"), "1");
  });
});

Deno.test("milestone stats are computed from the stories and tasks", async () => {
  await withBed(async ({ call }) => {
    const m = await call("POST", "/milestones", {
      project: 1,
      name: "Stats",
      estimated_start: "2030-01-01",
      estimated_finish: "2030-01-05",
    });
    const project = (await call("GET", "/projects/1")).body;
    const front = project.roles.find((r: { name: string }) => r.name === "Front").id;
    const eight = project.points.find((p: { name: string }) => p.name === "8").id;
    const us = await call("POST", "/userstories", {
      project: 1,
      subject: "Pointed",
      milestone: m.body.id,
      points: { [front]: eight },
    });
    assert.equal(us.body.total_points, 8);
    await call("POST", "/tasks", {
      project: 1,
      subject: "t",
      user_story: us.body.id,
      milestone: m.body.id,
    });
    const s = await call("GET", `/milestones/${m.body.id}/stats`);
    assert.deepEqual(s.body.total_points, { [front]: 8 });
    assert.equal(s.body.total_userstories, 1);
    assert.equal(s.body.total_tasks, 1);
    assert.equal(s.body.completed_tasks, 0);
    assert.equal(s.body.days.length, 5);
    assert.deepEqual(s.body.days[0], {
      day: "2030-01-01",
      name: 1,
      open_points: 8,
      optimal_points: 8,
    });
    assert.equal(s.body.days[4].optimal_points, 0);
  });
});

Deno.test("wiki: by_slug, create duplicate 400, edits count, wiki-links CRUD", async () => {
  await withBed(async ({ call }) => {
    const home = await call("GET", "/wiki/by_slug?slug=home&project=1");
    assert.equal(home.status, 200);
    assert.match(home.body.html, /<h1 id="demo-project">Demo Project<\/h1>/);
    assert.equal(
      (await call("GET", "/wiki/by_slug?slug=nope&project=1")).body._error_message,
      "No WikiPage matches the given query.",
    );
    assert.equal(
      (await call("POST", "/wiki", { project: 1, slug: "home", content: "x" })).status,
      400,
    );
    const p = await call("PATCH", "/wiki/1", { content: "new", version: 1 });
    assert.equal(p.body.editions, 2);
    assert.equal(p.body.last_modifier, 1);
    const link = await call("POST", "/wiki-links", { project: 1, title: "Docs", href: "docs" });
    assert.equal(link.status, 201);
    assert.deepEqual(Object.keys(link.body).sort(), ["href", "id", "order", "project", "title"]);
    assert.equal((await call("GET", "/wiki-links?project=1")).body.length, 2);
    assert.equal((await call("DELETE", `/wiki-links/${link.body.id}`)).status, 204);
    assert.equal((await call("DELETE", "/wiki/1")).status, 204);
    assert.equal((await call("GET", "/wiki/1")).status, 404);
  });
});

Deno.test("search, resolver and timeline", async () => {
  await withBed(async ({ call }) => {
    const s = await call("GET", "/search?project=1&text=card");
    assert.equal(s.body.count, 3);
    assert.deepEqual(s.body.userstories.map((u: { ref: number }) => u.ref), [3]);
    assert.deepEqual(s.body.tasks.map((u: { ref: number }) => u.ref), [7]);
    const r = await call(
      "GET",
      "/resolver?project=demo-demo-project&us=3&task=7&issue=9&epic=1&milestone=sprint-1&wikipage=home",
    );
    assert.deepEqual(r.body, {
      project: 1,
      epic: 1,
      us: 1,
      task: 1,
      issue: 1,
      milestone: 1,
      wikipage: 1,
    });
    assert.deepEqual((await call("GET", "/resolver?project=demo-demo-project&ref=9")).body, {
      project: 1,
      issue: 1,
    });
    assert.equal((await call("GET", "/resolver?project=demo-demo-project&us=99")).status, 404);
    await call("PATCH", "/userstories/1", { subject: "Changed", version: 1 });
    const t = await call("GET", "/timeline/project/1");
    assert.equal(t.body[0].event_type, "userstories.userstory.change");
    assert.deepEqual(t.body[0].data.values_diff, { subject: ["Pay with card", "Changed"] });
    assert.equal(t.body.at(-1).event_type, "projects.project.create");
  });
});

Deno.test("comments can be edited, deleted and undeleted", async () => {
  await withBed(async ({ call }) => {
    await call("PATCH", "/issues/1", { comment: "first", version: 1 });
    const [entry] = (await call("GET", "/history/issue/1?type=comment")).body;
    assert.equal(
      (await call("POST", `/history/issue/1/edit_comment?id=${entry.id}`, { comment: "edited" }))
        .status,
      200,
    );
    const edited = (await call("GET", "/history/issue/1?type=comment")).body[0];
    assert.equal(edited.comment, "edited");
    assert.notEqual(edited.edit_comment_date, null);
    assert.equal(
      (await call("GET", `/history/issue/1/comment_versions?id=${entry.id}`)).body[0].comment,
      "first",
    );
    await call("POST", `/history/issue/1/delete_comment?id=${entry.id}`);
    assert.equal((await call("GET", "/issues/1")).body.version, 2);
    assert.equal(
      (await call("POST", `/history/issue/1/delete_comment?id=${entry.id}`)).status,
      400,
    );
    assert.equal(
      (await call("POST", `/history/issue/1/undelete_comment?id=${entry.id}`)).status,
      200,
    );
    assert.equal(
      (await call("POST", "/history/issue/1/edit_comment?id=nope", { comment: "x" })).status,
      404,
    );
  });
});

Deno.test("attachments: multipart upload 201, list, PATCH, PUT 405, file served", async () => {
  await withBed(async ({ sandbox, call }) => {
    const form = new FormData();
    form.append("attached_file", new File([new TextEncoder().encode("hello")], "a.txt"));
    form.append("project", "1");
    form.append("object_id", "1");
    const r = await call("POST", "/userstories/attachments", form);
    assert.equal(r.status, 201);
    assert.equal(r.body.size, 5);
    assert.equal(r.body.name, "a.txt");
    assert.equal(r.body.sha1, "aaf4c61ddcc5e8a2dabede0f3b482cd9aea9434d");
    const file = await fetch(r.body.url);
    assert.equal(await file.text(), "hello");
    assert.ok(r.body.url.startsWith(sandbox.origin));
    const list = await call("GET", "/userstories/attachments?object_id=1&project=1");
    assert.equal(list.body.length, 1);
    assert.equal((await call("GET", "/userstories/1")).body.total_attachments, 1);
    const patch = await call("PATCH", `/userstories/attachments/${r.body.id}`, {
      description: "d",
    });
    assert.equal(patch.body.description, "d");
    assert.equal((await call("PUT", `/userstories/attachments/${r.body.id}`, {})).status, 405);
    assert.equal((await call("DELETE", `/userstories/attachments/${r.body.id}`)).status, 204);
  });
});

Deno.test("seed: demo users, project, sprint, items, wiki", async () => {
  await withBed(async ({ sandbox, call }) => {
    assert.equal(sandbox.state.users.size, 3);
    const p = (await call("GET", "/projects/1")).body;
    assert.equal(p.slug, "demo-demo-project");
    assert.equal(p.name, "Demo Project");
    assert.deepEqual(
      p.members.map((m: { username: string; role_name: string }) => `${m.username}:${m.role_name}`),
      [
        "demo:Product Owner",
        "alice:Front",
        "bob:Back",
      ],
    );
    assert.equal((await call("GET", "/epics?project=1")).body.length, 2);
    assert.equal((await call("GET", "/milestones?project=1&closed=false")).body.length, 1);
    assert.equal((await call("GET", "/wiki?project=1")).body[0].slug, "home");
  });
});

Deno.test("seed: false gives an empty sandbox", async () => {
  const { startTestSandbox } = await import("../../sandbox/testing.ts");
  const sandbox = await startTestSandbox({ seed: false });
  try {
    assert.equal(sandbox.state.users.size, 0);
    assert.equal(sandbox.state.projects.size, 0);
    assert.match(sandbox.apiUrl, /^http:\/\/127\.0\.0\.1:\d+\/api\/v1$/);
  } finally {
    await sandbox.close();
  }
});
