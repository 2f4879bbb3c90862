/**
 * Roles and bulk memberships end to end (tools passed to the harness until the lead registers
 * them): list_roles, manage_role (create view-only, grant/revoke, delete that refuses to drop
 * members without move_to and asks first), invite_members (existing members and pending
 * invitations reported, never re-invited: Taiga answers those with a 500) and resend_invitation.
 */

import assert from "node:assert/strict";
import { createUser, type SandboxState } from "../../sandbox/testing.ts";
import { membershipBulkTools } from "../../src/tools/memberships_bulk.ts";
import { memberTools } from "../../src/tools/members.ts";
import { roleTools } from "../../src/tools/roles.ts";
import { startHarness } from "../helpers/harness.ts";

type Raw = Record<string, unknown>;

const P = "demo-demo-project";
const tools = [...roleTools, ...membershipBulkTools, ...memberTools];

function project(state: SandboxState) {
  return [...state.projects.values()].find((p) => p.slug === P)!;
}

function memberships(state: SandboxState): string {
  return JSON.stringify([...state.memberships.values()].map((m) => [m.id, m.user, m.role]));
}

function roleOf(state: SandboxState, username: string): string | undefined {
  const user = state.findUser(username)!;
  const m = [...state.memberships.values()].find((x) =>
    x.user === user.id && x.project === project(state).id
  );
  return m === undefined ? undefined : state.roles.get(m.role)?.name;
}

Deno.test("roles: list, create, grant, delete with move_to", async (t) => {
  const h = await startHarness({ tools });
  const state = h.sandbox.state;
  try {
    await t.step("list_roles: members per role", async () => {
      const out = await h.ok("list_roles", { project: P });
      const byName = Object.fromEntries((out.roles as Raw[]).map((r) => [r.name, r]));
      assert.deepEqual(byName.Front.members, ["alice"]);
      assert.deepEqual(byName["Product Owner"].admins, ["demo"]);
      assert.equal(byName.Stakeholder.estimates, false);
      assert.ok((byName.Back.permissions as string[]).includes("modify_us"));
    });

    await t.step("create: view-only unless told; grant and revoke", async () => {
      const created = await h.ok("manage_role", { project: P, action: "create", name: "QA" });
      const perms = (created.role as Raw).permissions as string[];
      assert.ok(perms.length > 0 && perms.every((p) => p.startsWith("view_")));
      const updated = await h.ok("manage_role", {
        project: P,
        action: "update",
        role: "qa",
        grant: ["comment_us", "add_issue"],
        revoke: ["view_wiki_links"],
        estimates: false,
      });
      const now = (updated.role as Raw).permissions as string[];
      assert.ok(now.includes("comment_us") && now.includes("add_issue"));
      assert.ok(!now.includes("view_wiki_links"));
      assert.equal((updated.role as Raw).estimates, false);
    });

    await t.step("refusals change nothing", async () => {
      const before = JSON.stringify([...state.roles.values()]);
      assert.match(
        await h.fails("manage_role", { project: P, action: "update", role: "QA", grant: ["fly"] }),
        /Unknown permission "fly" in grant\. Valid: view_project/,
      );
      assert.match(
        await h.fails("manage_role", { project: P, action: "create", name: "front" }),
        /The role "Front" already exists/,
      );
      assert.match(
        await h.fails("manage_role", { project: P, action: "update", role: "Nope", name: "X" }),
        /Unknown role "Nope"/,
      );
      assert.match(
        await h.fails("manage_role", { project: P, action: "update", role: "QA" }),
        /Nothing to change/,
      );
      assert.equal(JSON.stringify([...state.roles.values()]), before);
    });

    await t.step(
      "delete a role with members: move_to required, never a silent removal",
      async () => {
        const before = memberships(state);
        const refused = await h.fails("manage_role", {
          project: P,
          action: "delete",
          role: "Front",
          confirm: true,
        });
        assert.match(
          refused,
          /The role "Front" has 1 member\(s\): alice\. Pass move_to, one of: .*Back.*remove them from the project/,
        );
        const self = await h.fails("manage_role", {
          project: P,
          action: "delete",
          role: "Front",
          move_to: "front",
          confirm: true,
        });
        assert.match(self, /move_to names the role being deleted/);
        if (h.era === "2025") {
          const asked = await h.fails("manage_role", {
            project: P,
            action: "delete",
            role: "Front",
            move_to: "QA",
          });
          assert.match(
            asked,
            /Delete the role "Front" of Demo Project\? Its members \(alice\) get the role "QA"\. Story points estimated for "Front" are lost\./,
          );
        }
        assert.equal(memberships(state), before);
        const out = await h.ok("manage_role", {
          project: P,
          action: "delete",
          role: "Front",
          move_to: "QA",
          confirm: true,
        });
        assert.deepEqual(out.moved, { members: ["alice"], to: "QA" });
        assert.equal(roleOf(state, "alice"), "QA");
        assert.ok(![...state.roles.values()].some((r) => r.name === "Front"));
      },
    );

    await t.step("the admin's role needs a target too", async () => {
      const refused = await h.fails("manage_role", {
        project: P,
        action: "delete",
        role: "Product Owner",
        confirm: true,
      });
      assert.match(refused, /demo \(admin\)/);
      assert.equal(roleOf(state, "demo"), "Product Owner");
    });

    await t.step("an unused role goes without a target", async () => {
      const out = await h.ok("manage_role", {
        project: P,
        action: "delete",
        role: "UX",
        confirm: true,
      });
      assert.equal(out.deleted, "UX");
      assert.equal(out.moved, undefined);
      assert.equal(roleOf(state, "demo"), "Product Owner");
    });
  } finally {
    await h.close();
  }
});

Deno.test("invite_members: existing members are reported, not re-invited; resend_invitation", async () => {
  const h = await startHarness({ tools });
  const state = h.sandbox.state;
  try {
    await createUser(state, "carol", "carol123", "Carol");
    const before = memberships(state);
    const noRole = await h.fails("invite_members", {
      project: P,
      invites: [{ username: "dave@example.com" }],
    });
    assert.match(noRole, /No role for dave@example.com.*Roles: UX, Design, Front/);
    const twice = await h.fails("invite_members", {
      project: P,
      role: "Back",
      invites: [{ username: "x@example.com" }, { username: "X@example.com" }],
    });
    assert.match(twice, /listed twice/);
    const badRole = await h.fails("invite_members", {
      project: P,
      role: "Pilot",
      invites: [{ username: "x@example.com" }],
    });
    assert.match(badRole, /Unknown role "Pilot"/);
    const stranger = await h.fails("invite_members", {
      project: P,
      role: "Back",
      invites: [{ username: "erin@example.com" }, { username: "carol" }],
    });
    assert.match(
      stranger,
      /nobody was invited: carol: The user must be a valid contact\. .*invite others by email/,
    );
    assert.equal(memberships(state), before);

    const out = await h.ok("invite_members", {
      project: P,
      role: "Back",
      message: "Welcome!",
      invites: [
        { username: "alice" },
        { username: "@bob", role: "Design" },
        { username: "dave@example.com", role: "Design" },
        { username: "carol@example.com" },
      ],
    });
    assert.deepEqual(out.already_members, [
      { who: "alice", role: "Front" },
      { who: "bob", role: "Back" },
    ]);
    assert.deepEqual(out.invited, [
      { who: "dave@example.com", role: "Design", pending: true },
      { who: "carol@example.com", role: "Back" },
    ]);
    assert.equal(roleOf(state, "carol"), "Back");

    const again = await h.ok("invite_members", {
      project: P,
      role: "Back",
      invites: [{ username: "dave@example.com" }, { username: "carol" }],
    });
    assert.deepEqual(again.invited, []);
    assert.deepEqual(again.already_invited, [
      { who: "dave@example.com", role: "Design", pending: true },
    ]);
    assert.deepEqual(again.already_members, [{ who: "carol", role: "Back" }]);

    h.sandbox.faults.add({
      kind: "respond",
      status: 500,
      body: "<html><title>Server Error (500)</title></html>",
      contentType: "text/html",
      match: /^POST \/api\/v1\/memberships\/bulk_create/,
    });
    const crashed = await h.fails("invite_members", {
      project: P,
      role: "Back",
      invites: [{ username: "erin@example.com" }],
    });
    assert.match(crashed, /as it does when one of them is already a member.*list_members/);

    const resent = await h.ok("resend_invitation", { project: P, member: "DAVE@example.com" });
    assert.deepEqual(resent, { project: P, resent_to: "dave@example.com", role: "Design" });
    assert.match(
      await h.fails("resend_invitation", { project: P, member: "alice" }),
      /alice has already joined/,
    );
    assert.match(
      await h.fails("resend_invitation", { project: P, member: "eve@example.com" }),
      /No invitation to eve@example.com.*Pending invitations: dave@example.com/,
    );
  } finally {
    await h.close();
  }
});
