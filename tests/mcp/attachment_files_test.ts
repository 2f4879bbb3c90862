/**
 * download_attachment (text in the JSON, images as image blocks, other files as a link to the
 * attachment file resource, which resources/read serves) and update_attachment through MCP →
 * server → HTTP → sandbox, and the file reader's guarantees against local servers: no request to
 * another host (nor a redirect to one), reading stops at the cap.
 */

import assert from "node:assert/strict";
// @ts-types="@modelcontextprotocol/sdk/types"
import type { CallToolResult } from "@modelcontextprotocol/sdk/types.js";
import { fetchAttachmentFile } from "../../src/domain/attachment_file.ts";
import { createRequestPolicy } from "../../src/taiga/policy.ts";
import { IMAGE_INLINE_BYTES, TEXT_INLINE_BYTES } from "../../src/tools/attachment_download.ts";
import { attachmentFileTools } from "../../src/tools/attachment_files.ts";
import { attachmentTools } from "../../src/tools/attachments.ts";
import { errorFacts, type Harness, startHarness } from "../helpers/harness.ts";

const PROJECT = "demo-demo-project";
const p = { project: PROJECT };
const tools = [...attachmentTools, ...attachmentFileTools];

type Row = Record<string, unknown>;

function toBase64(bytes: Uint8Array): string {
  let binary = "";
  for (const byte of bytes) binary += String.fromCharCode(byte);
  return btoa(binary);
}

async function attach(
  h: Harness,
  filename: string,
  bytes: Uint8Array | string,
  target: Row = { ...p, kind: "user_story", item: "#3" },
): Promise<number> {
  const data = typeof bytes === "string" ? new TextEncoder().encode(bytes) : bytes;
  const added = await h.ok("add_attachment", {
    ...target,
    filename,
    content_base64: toBase64(data),
  });
  return (added.attachment as Row).id as number;
}

/** A local HTTP server on another port (another origin), counting what it serves. */
function localServer(handler: (request: Request) => Response) {
  const seen: string[] = [];
  const server = Deno.serve({ hostname: "127.0.0.1", port: 0, onListen: () => {} }, (request) => {
    seen.push(new URL(request.url).pathname);
    return handler(request);
  });
  return { origin: `http://127.0.0.1:${server.addr.port}`, seen, close: () => server.shutdown() };
}

Deno.test("download_attachment: text and images inline, binaries and big files as their url", async () => {
  const h = await startHarness({ tools });
  try {
    const csv = "ref,subject\n3,Pay with card\n4,Order confirmation email\n";
    const csvId = await attach(h, "backlog.csv", csv);
    const got = await h.ok("download_attachment", { kind: "user_story", attachment_id: csvId });
    assert.equal(got.inline, "text");
    assert.equal(got.mime_type, "text/csv");
    assert.equal(got.text, csv);
    assert.equal((got.attachment as Row).name, "backlog.csv");

    const notes = "# Notes\n\nÉtape 1 — ✓\n";
    const wikiId = await attach(h, "notes.md", notes, { ...p, kind: "wiki", item: "home" });
    const md = await h.ok("download_attachment", { kind: "wiki", attachment_id: wikiId });
    assert.deepEqual([md.inline, md.mime_type, md.text], ["text", "text/markdown", notes]);

    const png = new Uint8Array([137, 80, 78, 71, 13, 10, 26, 10, ...new Array(300).fill(7)]);
    const pngId = await attach(h, "screen.png", png, { ...p, kind: "issue", item: "#9" });
    const imageCall = await h.call("download_attachment", { kind: "issue", attachment_id: pngId });
    const image = imageCall.structuredContent as Row;
    assert.equal(image.inline, "image");
    assert.equal(image.mime_type, "image/png");
    assert.deepEqual((imageCall as CallToolResult).content[1], {
      type: "image",
      data: toBase64(png),
      mimeType: "image/png",
    });
    assert.ok(!JSON.stringify(image).includes(toBase64(png)), "the bytes are not in the JSON too");

    const pdfId = await attach(h, "spec.pdf", "%PDF-1.4 not really");
    const pdfCall = await h.call("download_attachment", {
      kind: "user_story",
      attachment_id: pdfId,
    });
    const pdf = pdfCall.structuredContent as Row;
    assert.equal(pdf.inline, "none");
    assert.equal(pdf.mime_type, "application/pdf");
    assert.match(String(pdf.reason), /binary file \(application\/pdf.*Read it as the resource/);
    assert.equal("text" in pdf, false);
    const uri = `taiga://attachments/user_story/${pdfId}`;
    assert.equal(pdf.resource, uri);
    assert.deepEqual((pdfCall as CallToolResult).content[1], {
      type: "resource_link",
      uri,
      name: "spec.pdf",
      mimeType: "application/pdf",
      size: 19,
    });
    const file = await h.client.readResource({ uri });
    assert.deepEqual(file.contents, [{
      uri,
      mimeType: "application/pdf",
      blob: toBase64(new TextEncoder().encode("%PDF-1.4 not really")),
    }]);

    const latin1 = await attach(h, "old.txt", new Uint8Array([0x63, 0x61, 0x66, 0xe9, 0xff]));
    const notUtf8 = await h.ok("download_attachment", {
      kind: "user_story",
      attachment_id: latin1,
    });
    assert.equal(notUtf8.inline, "none", "text that is not UTF-8 is not returned as text");

    const bigText = await attach(h, "big.log", "x".repeat(TEXT_INLINE_BYTES + 1));
    h.sandbox.resetRequestCount();
    const tooBig = await h.ok("download_attachment", {
      kind: "user_story",
      attachment_id: bigText,
    });
    assert.equal(tooBig.inline, "none");
    assert.match(String(tooBig.reason), /Too large to return inline: 101 KB \(102401 bytes\)/);
    assert.equal(h.sandbox.requestCount(), 1, "its size was known: the file was not fetched");

    const bigImageId = await attach(h, "photo.jpg", new Uint8Array(10));
    h.sandbox.state.attachments.get(bigImageId)!.size = IMAGE_INLINE_BYTES + 10;
    const photo = await h.ok("download_attachment", {
      kind: "user_story",
      attachment_id: bigImageId,
    });
    assert.match(String(photo.reason), /images come back up to 1 MB/);

    // No extension, served as application/octet-stream: read as text up to the cap, no further.
    const dumpId = await attach(h, "dump", "y".repeat(TEXT_INLINE_BYTES * 2));
    const dump = await h.ok("download_attachment", { kind: "user_story", attachment_id: dumpId });
    assert.equal(dump.inline, "none");
    const smallId = await attach(h, "README", "hello");
    const small = await h.ok("download_attachment", { kind: "user_story", attachment_id: smallId });
    assert.deepEqual([small.inline, small.text], ["text", "hello"]);

    // Named .png but text inside: no image block a client would reject.
    const fakeId = await attach(h, "fake.png", "not an image at all");
    const fakeCall = await h.call("download_attachment", {
      kind: "user_story",
      attachment_id: fakeId,
    });
    const fake = fakeCall.structuredContent as Row;
    assert.equal(fake.inline, "none");
    assert.match(String(fake.reason), /its bytes are not a PNG, JPEG, GIF or WebP image/);
    assert.ok(!(fakeCall as CallToolResult).content.some((block) => block.type === "image"));
    // A GIF named .png goes out as what it is.
    const gif = new Uint8Array([0x47, 0x49, 0x46, 0x38, 0x39, 0x61, 1, 0, 1, 0]);
    const gifId = await attach(h, "really-a-gif.png", gif);
    const gifCall = await h.call("download_attachment", {
      kind: "user_story",
      attachment_id: gifId,
    });
    assert.equal((gifCall.structuredContent as Row).mime_type, "image/gif");
    // Bytes with NUL or other controls are binary, whatever the name says (9 bytes: in bytes).
    const binId = await attach(h, "data.bin", new Uint8Array([0, 1, 2, 3, 65, 66, 67, 68, 69]));
    const bin = await h.ok("download_attachment", { kind: "user_story", attachment_id: binId });
    assert.equal(bin.inline, "none");
    assert.match(String(bin.reason), /A binary file \(unknown type, 9 bytes\)/);
  } finally {
    await h.close();
  }
});

Deno.test("download_attachment: another host is refused; missing ids and files are clear", async () => {
  const h = await startHarness({ tools });
  const elsewhere = localServer(() => new Response("secret"));
  try {
    const id = await attach(h, "a.txt", "hello");
    const raw = await h.ok("list_attachments", { ...p, kind: "user_story", item: "#3" });
    const shape = { ...(raw.attachments as Row[])[0], url: `${elsewhere.origin}/latest/meta-data` };
    for (const url of [`${elsewhere.origin}/latest/meta-data`, "http://169.254.169.254/x"]) {
      h.sandbox.faults.add({
        kind: "respond",
        status: 200,
        contentType: "application/json",
        body: JSON.stringify({ ...shape, url }),
        match: /^GET \/api\/v1\/userstories\/attachments\/\d+$/,
      });
      const refused = errorFacts(
        await h.call("download_attachment", { kind: "user_story", attachment_id: id }),
      );
      assert.equal(refused.error_type, "input");
      assert.match(refused.message, /served from http:\/\/.*not from the Taiga host this session/);
    }
    const sandboxOrigin = new URL(h.sandbox.apiUrl).origin;
    h.sandbox.faults.add({
      kind: "respond",
      status: 200,
      contentType: "application/json",
      body: JSON.stringify({ ...shape, url: sandboxOrigin.replace("//", "//user:pw@") + "/x" }),
      match: /^GET \/api\/v1\/userstories\/attachments\/\d+$/,
    });
    assert.match(
      await h.fails("download_attachment", { kind: "user_story", attachment_id: id }),
      /only files from that host are read/,
      "credentials in the url are refused too",
    );
    assert.deepEqual(elsewhere.seen, [], "nothing was requested from the other host");

    const missing = errorFacts(
      await h.call("download_attachment", { kind: "task", attachment_id: id }),
    );
    assert.equal(missing.error_type, "not_found");
    assert.match(missing.message, /no task attachment with id \d+.*list_attachments/);
    h.sandbox.faults.add({ kind: "status", status: 404, match: /^GET \/media\// });
    const gone = errorFacts(
      await h.call("download_attachment", { kind: "user_story", attachment_id: id }),
    );
    assert.equal(gone.error_type, "not_found");
    assert.match(gone.message, /answered HTTP 404 for this attachment's file/);

    // The file resource: the same rules, and protocol errors that say what was wrong.
    const read = (uri: string) => h.client.readResource({ uri });
    await assert.rejects(read("taiga://attachments/page/1"), /Unknown attachment kind "page"/);
    await assert.rejects(read("taiga://attachments/task/x1"), /must be a positive number/);
    await assert.rejects(read(`taiga://attachments/task/${id}`), /no task attachment with id/);
    h.sandbox.state.attachments.get(id)!.size = 11 * 1024 * 1024;
    h.sandbox.faults.add({
      kind: "respond",
      status: 200,
      contentType: "application/octet-stream",
      body: "z".repeat(11 * 1024 * 1024),
      match: /^GET \/media\//,
    });
    await assert.rejects(read(`taiga://attachments/user_story/${id}`), /larger than 10 MB/);
  } finally {
    await elsewhere.close();
    await h.close();
  }
});

Deno.test("attachment file reader: no redirect off the host, reading stops at the cap", async () => {
  const policy = createRequestPolicy({
    requestTimeoutSeconds: 5,
    rateLimitPerMinute: 0,
    maxConnections: 4,
    maxKeepaliveConnections: 2,
  });
  const elsewhere = localServer(() => new Response("secret"));
  let sent = 0;
  let cancelled = false;
  const home = localServer((request) => {
    const path = new URL(request.url).pathname;
    if (path === "/media/away") {
      return new Response(null, { status: 302, headers: { location: `${elsewhere.origin}/s` } });
    }
    if (path === "/media/moved") {
      return new Response(null, { status: 301, headers: { location: "/media/file.txt" } });
    }
    if (path === "/media/file.txt") return new Response("moved here");
    const chunk = new Uint8Array(64 * 1024).fill(97);
    const body = new ReadableStream<Uint8Array>({
      pull: (controller) => {
        if (sent >= 256 * 1024 * 1024) return controller.close();
        sent += chunk.length;
        controller.enqueue(chunk);
      },
      cancel: () => {
        cancelled = true;
      },
    });
    return new Response(body, { headers: { "content-type": "text/plain" } });
  });
  const api = `${home.origin}/api/v1`;
  const at = (path: string) => new URL(`${home.origin}${path}`);
  try {
    await assert.rejects(
      fetchAttachmentFile(policy, api, at("/media/away"), () => 1000),
      /served from http:\/\/127\.0\.0\.1:\d+, not from the Taiga host/,
    );
    assert.deepEqual(elsewhere.seen, [], "the redirect to another host was not followed");
    const moved = await fetchAttachmentFile(policy, api, at("/media/moved"), () => 1000);
    assert.equal(new TextDecoder().decode(moved.bytes), "moved here", "same-host redirect");

    const capped = await fetchAttachmentFile(policy, api, at("/media/endless"), (mime) => {
      assert.equal(mime, "text/plain");
      return 100 * 1024;
    });
    assert.equal(capped.bytes, undefined, "over the cap: no bytes");
    await new Promise((resolve) => setTimeout(resolve, 100));
    assert.ok(cancelled, "the body was cancelled");
    assert.ok(sent < 64 * 1024 * 1024, `reading stopped early (${sent} bytes produced)`);
  } finally {
    policy.httpClient?.close();
    await home.close();
    await elsewhere.close();
  }
});

Deno.test("update_attachment: description and deprecated flag; bad calls change nothing", async () => {
  const h = await startHarness({ tools });
  try {
    const id = await attach(h, "backlog.csv", "a,b\n");
    const updated = await h.ok("update_attachment", {
      kind: "user_story",
      attachment_id: id,
      description: "Backlog export (old)",
      deprecated: true,
    });
    assert.equal((updated.attachment as Row).description, "Backlog export (old)");
    assert.equal((updated.attachment as Row).deprecated, true);
    const stored = h.sandbox.state.attachments.get(id)!;
    assert.deepEqual([stored.description, stored.is_deprecated], ["Backlog export (old)", true]);
    await h.ok("update_attachment", { kind: "user_story", attachment_id: id, deprecated: false });
    assert.equal(stored.is_deprecated, false);
    assert.equal(stored.description, "Backlog export (old)", "only what was passed changes");

    const before = JSON.stringify({ ...stored, bytes: undefined });
    assert.match(
      await h.fails("update_attachment", { kind: "user_story", attachment_id: id }),
      /Nothing to change: pass description or deprecated/,
    );
    const wrongKind = errorFacts(
      await h.call("update_attachment", { kind: "issue", attachment_id: id, deprecated: true }),
    );
    assert.equal(wrongKind.error_type, "not_found");
    assert.match(wrongKind.message, /no issue attachment with id/);
    assert.match(
      await h.fails("update_attachment", { kind: "user_story", attachment_id: 0, description: "" }),
      /attachment_id/,
    );
    assert.equal(JSON.stringify({ ...stored, bytes: undefined }), before, "nothing changed");
  } finally {
    await h.close();
  }
});
