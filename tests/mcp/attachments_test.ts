/** list_attachments, add_attachment and delete_attachment through MCP → server → HTTP → sandbox. */

import assert from "node:assert/strict";
import { decodeBase64Content, MAX_ATTACHMENT_BYTES } from "../../src/tools/attachments.ts";
import { startHarness } from "../helpers/harness.ts";

const PROJECT = "demo-demo-project";
const p = { project: PROJECT };

type Row = Record<string, unknown>;

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

Deno.test("add_attachment round trip: upload, list shows name and size, the file comes back", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "attachments" } });
  try {
    const bytes = new Uint8Array(300).map((_, i) => (i * 7) % 256);
    const added = await h.ok("add_attachment", {
      ...p,
      kind: "user_story",
      item: "#3",
      filename: "gateway notes.bin",
      content_base64: toBase64(bytes),
      description: "Card gateway notes",
    });
    assert.deepEqual(added.target, {
      kind: "user_story",
      id: 1,
      ref: 3,
      subject: "Pay with card",
    });
    const attachment = added.attachment as Row;
    assert.equal(attachment.name, "gateway notes.bin");
    assert.equal(attachment.size, 300);
    assert.equal(attachment.description, "Card gateway notes");

    const listed = await h.ok("list_attachments", { ...p, kind: "user_story", item: "#3" });
    assert.equal(listed.total, 1);
    const [row] = listed.attachments as Row[];
    assert.equal(row.name, "gateway notes.bin");
    assert.equal(row.size, 300);
    const served = await fetch(String(row.url));
    assert.equal(served.status, 200);
    assert.deepEqual(new Uint8Array(await served.arrayBuffer()), bytes, "the same bytes come back");

    const wrapped = `data:text/plain;base64,${
      toBase64(new TextEncoder().encode("héllo\n".repeat(30)))
    }`
      .replace(/(.{40})/g, "$1\n");
    const page = await h.ok("add_attachment", {
      ...p,
      kind: "wiki",
      item: "home",
      filename: "hello.txt",
      content_base64: wrapped,
    });
    assert.equal((page.target as Row).slug, "home");
    assert.equal((page.attachment as Row).size, 7 * 30);
    const wikiList = await h.ok("list_attachments", { ...p, kind: "wiki", item: "home" });
    assert.deepEqual((wikiList.attachments as Row[]).map((a) => a.name), ["hello.txt"]);
    const text = await (await fetch(String((page.attachment as Row).url))).text();
    assert.equal(text, "héllo\n".repeat(30));

    const onIssue = await h.ok("add_attachment", {
      kind: "issue",
      item: 1,
      filename: "trace.log",
      content_base64: "U3RhY2sgdHJhY2U",
    });
    assert.equal((onIssue.attachment as Row).size, 11, "unpadded base64 is fine");
    assert.equal(
      (await h.ok("list_attachments", { ...p, kind: "user_story", item: "#4" })).total,
      0,
      "attachments belong to their item only",
    );

    const which = { kind: "user_story", attachment_id: row.id };
    assert.match(
      await h.asks("delete_attachment", which),
      /Delete the file "gateway notes.bin" \(300 bytes\) attached to user story #3 ".+"\?/,
    );
    assert.equal(
      (await h.ok("list_attachments", { ...p, kind: "user_story", item: "#3" })).total,
      1,
      "asked, not deleted",
    );
    const gone = await h.ok("delete_attachment", { ...which, confirm: true });
    assert.equal(gone.deleted, true);
    assert.equal((gone.attachment as Row).name, "gateway notes.bin");
    assert.equal(
      (await h.ok("list_attachments", { ...p, kind: "user_story", item: "#3" })).total,
      0,
    );
    assert.match(
      await h.fails("delete_attachment", { kind: "user_story", attachment_id: row.id }),
      /no user story attachment with id \d+/,
    );
  } finally {
    await h.close();
  }
});

Deno.test("attachments: bad arguments fail clearly and upload nothing", async () => {
  const h = await startHarness({ env: { TAIGA_TOOLSETS: "attachments" } });
  const count = () => h.sandbox.state.attachments.size;
  const upload = { ...p, kind: "task", item: "#7", filename: "a.txt" };
  try {
    assert.match(
      await h.fails("add_attachment", { ...upload, content_base64: "not base64!!" }),
      /content_base64 is not valid base64: unexpected character "!" at position 9/,
    );
    assert.match(
      await h.fails("add_attachment", { ...upload, content_base64: "abc$def" }),
      /content_base64 is not valid base64: unexpected character "\$" at position 3/,
    );
    assert.match(
      await h.fails("add_attachment", { ...upload, content_base64: "ab=cd" }),
      /padding/,
    );
    assert.match(
      await h.fails("add_attachment", { ...upload, content_base64: "" }),
      /content_base64 must not be empty/,
    );
    const tooBig = "A".repeat(Math.ceil((MAX_ATTACHMENT_BYTES + 3) / 3) * 4);
    assert.match(
      await h.fails("add_attachment", { ...upload, content_base64: tooBig }),
      /The file is too big: 10\.0 MB \(10485765 bytes\) decoded; attachments are limited to 10\.0 MB/,
    );
    assert.match(
      await h.fails("add_attachment", { ...upload, filename: "../x.txt", content_base64: "QQ==" }),
      /plain file name/,
    );
    assert.match(
      await h.fails("add_attachment", { ...upload, item: "#999", content_base64: "QQ==" }),
      /no task #999/,
    );
    assert.match(
      await h.fails("add_attachment", { ...upload, kind: "bug", content_base64: "QQ==" }),
      /kind/,
    );
    assert.equal(count(), 0, "nothing was uploaded");

    assert.match(
      await h.fails("list_attachments", { kind: "wiki", item: "home" }),
      /Pass project too/,
    );
    assert.match(
      await h.fails("list_attachments", { ...p, kind: "wiki", item: "nope" }),
      /no wiki page "nope"/i,
    );
    assert.match(
      await h.fails("delete_attachment", { kind: "issue", attachment_id: -1 }),
      /attachment_id/,
    );
  } finally {
    await h.close();
  }
});

Deno.test("decodeBase64Content: standard, URL-safe, wrapped; size limit on the decoded bytes", () => {
  assert.deepEqual(decodeBase64Content("+/8="), new Uint8Array([251, 255]));
  assert.deepEqual(decodeBase64Content("-_8"), new Uint8Array([251, 255]));
  assert.deepEqual(decodeBase64Content(" SGk=\r\n"), new TextEncoder().encode("Hi"));
  assert.throws(() => decodeBase64Content("QUJD", 2), /too big/);
  assert.equal(decodeBase64Content("QUJD", 3).length, 3);
  assert.throws(() => decodeBase64Content("A"), /length/);
  assert.throws(() => decodeBase64Content("=="), /empty|padding/);
});
