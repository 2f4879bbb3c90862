/** list_members, invite_member, change_member_role and remove_member through MCP → server → HTTP → sandbox. */

import assert from "node:assert/strict";
import { startHarness } from "../helpers/harness.ts";

const PROJECT = "demo-demo-project";
const p = { project: PROJECT };

type Row = Record<string, unknown>;

Deno.test("members: list, change role, remove, invite (user and email), bad arguments", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "default,members" } });
  const memberships = () => h.sandbox.state.memberships.size;
  try {
    const listed = await h.ok("list_members", p);
    assert.equal(listed.total, 3);
    const rows = listed.members as Row[];
    assert.deepEqual(rows.map((m) => [m.username, m.full_name, m.role]), [
      ["demo", "Demo User", "Product Owner"],
      ["alice", "Alice Example", "Front"],
      ["bob", "Bob Example", "Back"],
    ]);
    assert.equal(rows[0].is_admin, true);
    assert.equal(rows[0].is_owner, true);
    assert.equal(rows[1].is_admin, false);
    assert.equal(rows[1].email, "alice@example.com", "demo is admin, so Taiga shows emails");

    await h.ok("get_project_metadata", p);
    const changed = await h.ok("change_member_role", { ...p, member: "bob", role: "front" });
    assert.equal(changed.previous_role, "Back");
    assert.equal((changed.member as Row).role, "Front");
    assert.equal((changed.member as Row).username, "bob");
    const meta = await h.ok("get_project_metadata", p);
    assert.ok(
      (meta.members as Row[]).some((m) => m.username === "bob" && m.role === "Front"),
      "the role change dropped the cached metadata",
    );

    const asked = await h.asks("remove_member", { ...p, member: "bob" });
    assert.match(asked, /Remove bob \(Front\) from project demo-demo-project\?/);
    assert.equal(
      ((await h.ok("list_members", p)).members as Row[]).length,
      3,
      "asked, not removed",
    );
    const removed = await h.ok("remove_member", { ...p, member: "bob", confirm: true });
    assert.equal(removed.removed, true);
    assert.equal((removed.member as Row).username, "bob");
    assert.equal(((await h.ok("list_members", p)).members as Row[]).length, 2);

    const invited = await h.ok("invite_member", { ...p, username: "bob", role: "Back" });
    assert.deepEqual(
      [(invited.member as Row).username, (invited.member as Row).role, invited.project],
      ["bob", "Back", PROJECT],
    );
    assert.equal((invited.member as Row).pending, undefined);

    const pending = await h.ok("invite_member", {
      project: 1,
      username: "carol@example.com",
      role: "UX",
      message: "Welcome aboard",
    });
    assert.equal((pending.member as Row).pending, true);
    assert.equal((pending.member as Row).username, null);
    assert.equal((pending.member as Row).email, "carol@example.com");
    assert.equal(((await h.ok("list_members", p)).members as Row[]).length, 4);
    assert.match(
      await h.asks("remove_member", { ...p, member: "carol@example.com" }),
      /Cancel the pending invitation of carol@example.com to project demo-demo-project\?/,
    );
    await h.ok("remove_member", { ...p, member: "carol@example.com", confirm: true });
    assert.equal(memberships(), 3);

    // Bad arguments: a clear error, nothing created or changed.
    const before = memberships();
    assert.match(
      await h.fails("invite_member", { ...p, username: "alice", role: "Wizard" }),
      /Unknown role "Wizard". Valid role names: UX, Design, Front, Back, Product Owner, Stakeholder/,
    );
    assert.match(
      await h.fails("invite_member", { ...p, username: "  ", role: "UX" }),
      /username must not be empty/,
    );
    assert.match(
      await h.fails("invite_member", { ...p, username: "nobody-here", role: "UX" }),
      /Invalid username or email/,
    );
    assert.match(
      await h.fails("invite_member", { ...p, username: "alice", role: "UX" }),
      /already member/,
    );
    assert.equal(memberships(), before);
    assert.match(
      await h.fails("change_member_role", { ...p, member: "zed", role: "UX" }),
      /Unknown user "zed"/,
    );
    assert.match(
      await h.fails("change_member_role", { ...p, member: "alice", role: "Boss" }),
      /Unknown role "Boss"/,
    );
    assert.match(
      await h.fails("remove_member", { ...p, member: "nobody@example.com" }),
      /Nobody in demo-demo-project has the email nobody@example.com/,
    );
    assert.match(
      await h.fails("remove_member", { ...p, member: "demo", confirm: true }),
      /demo owns project demo-demo-project and cannot be removed/,
    );
    assert.match(await h.fails("remove_member", { ...p, member: 0 }), /member/);
    assert.match(await h.fails("list_members", { project: "no-such" }), /no-such/);
    assert.equal(memberships(), before);
    assert.equal(
      ((await h.ok("list_members", p)).members as Row[]).find((m) => m.username === "alice")?.role,
      "Front",
    );
  } finally {
    await h.close();
  }
});
