import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/types"
import { ErrorCode, McpError } from "@modelcontextprotocol/sdk/types.js";
import type { Session } from "../../src/sessions/store.ts";
import { type Harness, startHarness } from "../helpers/harness.ts";

const SLUG = "demo-demo-project";

type Json = Record<string, unknown>;

async function readJson(h: Harness, uri: string): Promise<Json> {
  const result = await h.client.readResource({ uri });
  assert.equal(result.contents.length, 1);
  const [content] = result.contents;
  assert.equal(content.uri, uri);
  assert.equal(content.mimeType, "application/json");
  assert.ok("text" in content && typeof content.text === "string");
  return JSON.parse(content.text as string);
}

async function readFails(h: Harness, uri: string): Promise<McpError> {
  try {
    await h.client.readResource({ uri });
  } catch (error) {
    assert.ok(error instanceof McpError, `expected an McpError, got ${error}`);
    return error;
  }
  throw new Error(`reading ${uri} unexpectedly succeeded`);
}

function sessionOf(h: Harness): Session {
  const session = h.deps.sessions.findDefault();
  assert.ok(session, "the harness logged in");
  return session;
}

async function complete(
  h: Harness,
  uri: string,
  name: string,
  value: string,
  context?: Record<string, string>,
): Promise<{ values: string[]; total?: number; hasMore?: boolean }> {
  const result = await h.client.complete({
    ref: { type: "ref/resource", uri },
    argument: { name, value },
    ...(context ? { context: { arguments: context } } : {}),
  });
  return result.completion;
}

Deno.test("resources: list, templates, projects, items by ref, lists, wiki, completion", async (t) => {
  const h = await startHarness();
  try {
    const client = sessionOf(h).client;
    const project = await client.get<{ id: number; slug: string }>("projects/by_slug", {
      slug: SLUG,
    });
    const story = await client.post<{ id: number; ref: number; subject: string }>(
      "userstories",
      { project: project.id, subject: "Resource story: naïve café ✓" },
    );
    const page = await client.post<{ slug: string }>("wiki", {
      project: project.id,
      slug: "resource-notes",
      content: "# Notes\nWritten for the resources test.",
    });

    await t.step("resources/list has taiga://projects and one resource per project", async () => {
      const { resources } = await h.client.listResources();
      const uris = resources.map((resource) => resource.uri);
      assert.ok(uris.includes("taiga://projects"));
      assert.ok(uris.includes(`taiga://projects/${SLUG}`), uris.join(", "));
      const demo = resources.find((resource) => resource.uri === `taiga://projects/${SLUG}`);
      assert.equal(demo?.mimeType, "application/json");
    });

    await t.step("resources/templates/list has every template", async () => {
      const { resourceTemplates } = await h.client.listResourceTemplates();
      const templates = resourceTemplates.map((template) => template.uriTemplate).sort();
      const root = "taiga://projects/{project}";
      assert.deepEqual(
        templates,
        [
          root,
          ...["epics", "issues", "tasks", "userstories"].flatMap((path) => [
            `${root}/${path}`,
            `${root}/${path}/{ref}`,
          ]),
          `${root}/sprints`,
          `${root}/wiki`,
          `${root}/wiki/{slug}`,
          "taiga://attachments/{kind}/{id}",
        ].sort(),
      );
      for (const template of resourceTemplates) {
        const file = template.uriTemplate.startsWith("taiga://attachments/");
        assert.equal(template.mimeType, file ? "application/octet-stream" : "application/json");
      }
    });

    await t.step("taiga://projects lists my projects compactly", async () => {
      const data = await readJson(h, "taiga://projects");
      const projects = data.projects as Json[];
      const demo = projects.find((p) => p.slug === SLUG);
      assert.equal(demo?.id, project.id);
      assert.equal(data.total, projects.length);
      assert.equal(data.truncated, undefined);
      assert.equal("members" in (demo ?? {}) && Array.isArray(demo?.members), false);
    });

    await t.step("a project by slug and by id", async () => {
      const bySlug = (await readJson(h, `taiga://projects/${SLUG}`)).project as Json;
      const byId = (await readJson(h, `taiga://projects/${project.id}`)).project as Json;
      assert.equal(bySlug.id, project.id);
      assert.equal(bySlug.name, "Demo Project");
      assert.deepEqual(byId, bySlug);
      assert.ok(Array.isArray(bySlug.member_list));
    });

    await t.step("a user story by ref (plain and #ref), with its description", async () => {
      const uri = `taiga://projects/${SLUG}/userstories/${story.ref}`;
      const data = await readJson(h, uri);
      const item = data.user_story as Json;
      assert.equal(item.ref, story.ref);
      assert.equal(item.subject, "Resource story: naïve café ✓");
      const hashed = await readJson(h, `taiga://projects/${SLUG}/userstories/%23${story.ref}`);
      assert.equal((hashed.user_story as Json).id, story.id);
    });

    await t.step("the userstories list resource is complete and compact", async () => {
      const data = await readJson(h, `taiga://projects/${project.id}/userstories`);
      const stories = data.userstories as Json[];
      const expected = [...h.sandbox.state.items.userstory.values()]
        .filter((item) => item.project === project.id);
      assert.equal(stories.length, expected.length);
      assert.equal(data.total, expected.length);
      assert.deepEqual((data.project as Json).slug, SLUG);
      const mine = stories.find((item) => item.ref === story.ref);
      assert.equal(mine?.subject, story.subject);
      assert.equal("description_html" in (mine ?? {}), false);
      assert.equal("project_extra_info" in (mine ?? {}), false);
    });

    await t.step("sprints, wiki list and a wiki page by slug", async () => {
      const sprints = await readJson(h, `taiga://projects/${SLUG}/sprints`);
      const expectedSprints = [...h.sandbox.state.milestones.values()]
        .filter((m) => m.project === project.id);
      assert.equal((sprints.sprints as Json[]).length, expectedSprints.length);
      const wiki = await readJson(h, `taiga://projects/${SLUG}/wiki`);
      assert.ok((wiki.pages as Json[]).some((p) => p.slug === page.slug));
      const one = await readJson(h, `taiga://projects/${SLUG}/wiki/${page.slug}`);
      assert.match((one.page as Json).content as string, /Written for the resources test/);
    });

    await t.step("completion: project slugs from my projects", async () => {
      const uri = "taiga://projects/{project}/userstories";
      const all = await complete(h, uri, "project", "");
      assert.ok(all.values.includes(SLUG));
      const typed = await complete(h, uri, "project", "demo-d");
      assert.deepEqual(typed.values, [SLUG]);
      const none = await complete(h, uri, "project", "zzz-no-such");
      assert.deepEqual(none.values, []);
    });

    await t.step("completion: refs of the project's items, filtered by prefix", async () => {
      const uri = "taiga://projects/{project}/userstories/{ref}";
      const refs = [...h.sandbox.state.items.userstory.values()]
        .filter((item) => item.project === project.id)
        .map((item) => item.ref)
        .sort((a, b) => b - a)
        .map(String);
      const all = await complete(h, uri, "ref", "", { project: SLUG });
      assert.deepEqual(all.values, refs.slice(0, 100));
      const prefix = String(story.ref).slice(0, 1);
      const typed = await complete(h, uri, "ref", prefix, { project: SLUG });
      assert.ok(typed.values.includes(String(story.ref)));
      assert.ok(typed.values.every((ref) => ref.startsWith(prefix) || ref.includes(prefix)));
      const noProject = await complete(h, uri, "ref", "");
      assert.deepEqual(noProject.values, []);
      const wikiSlugs = await complete(h, "taiga://projects/{project}/wiki/{slug}", "slug", "res", {
        project: SLUG,
      });
      assert.deepEqual(wikiSlugs.values, [page.slug]);
    });

    await t.step(
      "unknown project, unknown ref, bad ref and unknown URI are clear errors",
      async () => {
        // SEP-2164: resource not found is InvalidParams (-32602) with the URI as data.
        const project404 = await readFails(h, "taiga://projects/no-such-project/userstories");
        assert.equal(project404.code, ErrorCode.InvalidParams);
        assert.deepEqual(project404.data, { uri: "taiga://projects/no-such-project/userstories" });
        assert.match(project404.message, /No project with slug "no-such-project"/);
        assert.match(project404.message, /list_projects/);
        const ref404 = await readFails(h, `taiga://projects/${SLUG}/issues/99999`);
        assert.equal(ref404.code, ErrorCode.InvalidParams);
        assert.match(ref404.message, /no issue #99999/);
        const badRef = await readFails(h, `taiga://projects/${SLUG}/tasks/abc`);
        assert.equal(badRef.code, ErrorCode.InvalidParams);
        assert.match(badRef.message, /not an item ref/);
        const unknown = await readFails(h, "taiga://elsewhere/thing");
        assert.match(unknown.message, /not found/);
        // Variables are held to a tool argument's limits before anything reaches Taiga.
        h.sandbox.resetRequestCount();
        const long = await readFails(h, `taiga://projects/${"a".repeat(20_000)}`);
        assert.equal(long.code, ErrorCode.InvalidParams);
        assert.match(long.message, /\{project\} is 20000 characters long; at most 500/);
        const nul = await readFails(h, "taiga://projects/%00");
        assert.equal(nul.code, ErrorCode.InvalidParams);
        assert.match(nul.message, /NUL character/);
        assert.equal(h.sandbox.requestCount(), 0);
      },
    );
  } finally {
    await h.close();
  }
});

Deno.test("resources: a list over the cap says so; ref completion sends 100 of all refs", async () => {
  const h = await startHarness();
  try {
    const client = sessionOf(h).client;
    const created = await client.post<{ id: number; slug: string }>("projects", {
      name: "Big backlog",
      description: "Many stories",
    });
    const subjects = Array.from({ length: 1003 }, (_, i) => `Story ${i + 1}`).join("\n");
    await client.post("userstories/bulk_create", {
      project_id: created.id,
      bulk_stories: subjects,
    });
    const data = await readJson(h, `taiga://projects/${created.slug}/userstories`);
    assert.equal((data.userstories as unknown[]).length, 1000);
    assert.equal(data.total, 1003);
    assert.equal(data.truncated, true);
    assert.match(data.note as string, /first 1000 of 1003.*list_user_stories/);
    const refs = await complete(h, "taiga://projects/{project}/userstories/{ref}", "ref", "", {
      project: created.slug,
    });
    assert.equal(refs.values.length, 100);
    assert.equal(refs.total, 1003);
    assert.equal(refs.hasMore, true);
    assert.equal(refs.values[0], "1003");
  } finally {
    await h.close();
  }
});

Deno.test("resources: without a login, reads fail clearly and listing/completion offer nothing", async () => {
  const h = await startHarness({ login: false });
  try {
    const { resources } = await h.client.listResources();
    assert.deepEqual(resources.map((resource) => resource.uri), ["taiga://projects"]);
    const error = await readFails(h, "taiga://projects");
    assert.match(error.message, /Not logged in to Taiga/);
    assert.match(error.message, /login_with_token/);
    assert.doesNotMatch(error.message, /MCP error .*MCP error/);
    const completion = await complete(h, "taiga://projects/{project}", "project", "");
    assert.deepEqual(completion.values, []);
  } finally {
    await h.close();
  }
});
