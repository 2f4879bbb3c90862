import assert from "node:assert/strict";
import { ALL_TOOLS } from "../../src/tools/index.ts";
import { startHarness } from "../helpers/harness.ts";

const PROJECT = "demo-demo-project";
type Raw = Record<string, unknown>;

Deno.test("wiki lifecycle: create with link, read, list, update, version conflict, delete", async (t) => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "all" } });
  try {
    let pageId = 0;
    let linkId = 0;
    const pageCount = () => h.sandbox.state.wikiPages.size;

    await t.step("create_wiki_page with a sidebar link; unicode round-trips", async () => {
      const out = await h.ok("create_wiki_page", {
        project: PROJECT,
        slug: "release-notes",
        content: "# Release notes\nv1 — naïve café ✓",
        link_title: "Release notes",
      });
      const page = out.page as Raw;
      assert.equal(page.slug, "release-notes");
      assert.equal(page.version, 1);
      assert.equal(page.content, "# Release notes\nv1 — naïve café ✓");
      assert.equal(page.html, undefined, "rendered HTML is left out");
      pageId = page.id as number;
      linkId = (out.link as Raw).id as number;
      assert.ok(linkId > 0);
    });

    await t.step("a bad slug is refused and creates nothing", async () => {
      const before = pageCount();
      const text = await h.fails("create_wiki_page", {
        project: PROJECT,
        slug: "Release Notes!",
        content: "x",
      });
      assert.match(text, /lowercase letters/);
      assert.equal(pageCount(), before);
    });

    await t.step("get_wiki_page by slug with project, and by id alone", async () => {
      const bySlug = await h.ok("get_wiki_page", { project: PROJECT, page: "release-notes" });
      assert.equal((bySlug.page as Raw).id, pageId);
      assert.equal((bySlug.page as Raw).content, "# Release notes\nv1 — naïve café ✓");
      const byId = await h.ok("get_wiki_page", { page: pageId });
      assert.equal((byId.page as Raw).slug, "release-notes");
      const verbose = await h.ok("get_wiki_page", { page: pageId, verbose: true });
      assert.equal(typeof (verbose.page as Raw).html, "string", "verbose keeps Taiga's fields");
      const noProject = await h.fails("get_wiki_page", { page: "release-notes" });
      assert.match(noProject, /Pass project too/);
      const missing = await h.fails("get_wiki_page", { project: PROJECT, page: "no-such-page" });
      assert.match(missing, /No wiki page "no-such-page"/);
    });

    await t.step("list_wiki_pages is compact", async () => {
      const out = await h.ok("list_wiki_pages", { project: PROJECT });
      const row = (out.pages as Raw[]).find((page) => page.slug === "release-notes") as Raw;
      assert.equal(row.id, pageId);
      assert.equal(row.content, undefined);
      assert.equal(row.size, "# Release notes\nv1 — naïve café ✓".length);
      assert.equal(out.total, (out.pages as Raw[]).length);
    });

    await t.step(
      "update without version uses the latest; with a stale one it conflicts",
      async () => {
        const latest = await h.ok("update_wiki_page", {
          project: PROJECT,
          page: "release-notes",
          content: "# Release notes\nv2",
        });
        assert.equal((latest.page as Raw).version, 2);

        const stale = await h.fails("update_wiki_page", {
          page: pageId,
          content: "# Release notes\nmy v1 edit",
          version: 1,
        });
        assert.match(stale, /conflict/);
        assert.match(stale, /changed by someone else: you sent version 1, it is now at version 2/);
        assert.match(stale, /v2/, "the current content is shown");
        assert.equal(h.sandbox.state.wikiPages.get(pageId)?.content, "# Release notes\nv2");

        const tooHigh = await h.fails("update_wiki_page", {
          page: pageId,
          content: "x",
          version: 9,
        });
        assert.match(tooHigh, /Version 9 is not a version/);

        const fresh = await h.ok("update_wiki_page", {
          page: pageId,
          content: "# Release notes\nv3",
          version: 2,
        });
        assert.equal((fresh.page as Raw).version, 3);
        assert.equal((fresh.page as Raw).content, "# Release notes\nv3");
        const nothing = await h.fails("update_wiki_page", { page: pageId });
        assert.match(nothing, /Nothing to change/);
      },
    );

    await t.step("update_wiki_page renames the slug", async () => {
      const renamed = await h.ok("update_wiki_page", {
        project: PROJECT,
        page: "release-notes",
        new_slug: "changelog",
      });
      assert.equal((renamed.page as Raw).slug, "changelog");
      assert.equal((renamed.page as Raw).content, "# Release notes\nv3", "content kept");
      const back = await h.ok("update_wiki_page", {
        project: PROJECT,
        page: "changelog",
        new_slug: "release-notes",
      });
      assert.equal((back.page as Raw).version, 5);
    });

    await t.step("wiki links: list, create, delete", async () => {
      const listed = await h.ok("list_wiki_links", { project: PROJECT });
      const links = listed.links as Raw[];
      assert.ok(links.some((link) => link.id === linkId && link.href === "release-notes"));
      const created = await h.ok("create_wiki_link", {
        project: PROJECT,
        title: "Roadmap",
        href: "roadmap",
      });
      const newId = (created.link as Raw).id as number;
      assert.equal((created.link as Raw).title, "Roadmap");
      const removed = await h.ok("delete_wiki_link", { link: newId });
      assert.equal(removed.deleted, true);
      const after = await h.ok("list_wiki_links", { project: PROJECT });
      assert.ok(!(after.links as Raw[]).some((link) => link.id === newId));
      assert.equal(after.total, links.length);
    });

    await t.step("delete_wiki_page, then reading it is a clear not-found", async () => {
      const which = { project: PROJECT, page: "release-notes" };
      assert.match(await h.asks("delete_wiki_page", which), /Delete wiki page "release-notes"/);
      assert.equal(h.sandbox.state.wikiPages.has(pageId), true, "asked, not deleted");
      const out = await h.ok("delete_wiki_page", { ...which, confirm: true });
      assert.deepEqual(out, { deleted: true, page: { id: pageId, slug: "release-notes" } });
      assert.equal(h.sandbox.state.wikiPages.has(pageId), false);
      const gone = await h.fails("get_wiki_page", { project: PROJECT, page: "release-notes" });
      assert.match(gone, /not_found/);
      const goneById = await h.fails("get_wiki_page", { page: pageId });
      assert.match(goneById, /not_found/);
    });
  } finally {
    await h.close();
  }
});

Deno.test("wiki pages: digit slugs stay slugs, and an id from another project is refused", async () => {
  const h = await startHarness({ tools: ALL_TOOLS });
  try {
    await h.ok("create_wiki_page", {
      project: "demo-demo-project",
      slug: "2024",
      content: "Year notes",
    });
    const got = await h.ok("get_wiki_page", { project: "demo-demo-project", page: "2024" });
    assert.equal((got.page as { slug: string }).slug, "2024");
    const other = await h.ok("create_project", { name: "Elsewhere", description: "x" });
    const slug = (other.project as { slug: string }).slug;
    const home = [...h.sandbox.state.wikiPages.values()].find((page) => page.slug === "home")!;
    const refused = await h.fails("update_wiki_page", {
      project: slug,
      page: home.id,
      content: "overwritten",
    });
    assert.match(refused, /belongs to another project/);
    assert.notEqual(h.sandbox.state.wikiPages.get(home.id)?.content, "overwritten");
  } finally {
    await h.close();
  }
});
