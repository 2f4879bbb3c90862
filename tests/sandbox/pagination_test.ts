import assert from "node:assert/strict";
import { withBed } from "./helpers.ts";

const PAST_END = { _error_message: "Page is not 'last', nor can it be converted to an int." };

Deno.test("pagination headers, absolute next/prev URLs with page replaced", async () => {
  await withBed(async ({ sandbox, call }) => {
    const p1 = await call("GET", "/userstories?project=1&page_size=3");
    assert.equal(p1.status, 200);
    assert.equal(p1.body.length, 3);
    assert.equal(p1.headers.get("x-paginated"), "true");
    assert.equal(p1.headers.get("x-paginated-by"), "3");
    assert.equal(p1.headers.get("x-pagination-count"), "4");
    assert.equal(p1.headers.get("x-pagination-current"), "1");
    assert.equal(
      p1.headers.get("x-pagination-next"),
      `${sandbox.apiUrl}/userstories?project=1&page_size=3&page=2`,
    );
    assert.equal(p1.headers.get("x-pagination-prev"), null);
    const p2 = await call("GET", "/userstories?project=1&page=2&page_size=3");
    assert.equal(p2.body.length, 1);
    assert.equal(p2.headers.get("x-pagination-next"), null);
    assert.equal(
      p2.headers.get("x-pagination-prev"),
      `${sandbox.apiUrl}/userstories?project=1&page=1&page_size=3`,
    );
    const ids = [...p1.body, ...p2.body].map((u: { id: number }) => u.id);
    assert.equal(new Set(ids).size, 4);
  });
});

Deno.test("a page past the end, zero, or not an integer → 404; page=last works", async () => {
  await withBed(async ({ call }) => {
    for (const page of ["99", "0", "abc"]) {
      const r = await call("GET", `/userstories?project=1&page_size=2&page=${page}`);
      assert.equal(r.status, 404, page);
      assert.deepEqual(r.body, PAST_END);
    }
    const last = await call("GET", "/userstories?project=1&page_size=3&page=last");
    assert.equal(last.status, 200);
    assert.equal(last.headers.get("x-pagination-current"), "2");
    const empty = await call("GET", "/userstory-custom-attributes?project=1");
    assert.equal(empty.status, 200, "page 1 of an empty list is fine");
    assert.equal(empty.headers.get("x-pagination-count"), "0");
  });
});

Deno.test("page_size: default 30, capped at 1000, bad values fall back to 30", async () => {
  await withBed(async ({ call }) => {
    const cases: [string, string][] = [["", "30"], ["5000", "1000"], ["-3", "30"], ["x", "30"]];
    for (const [size, expected] of cases) {
      const r = await call("GET", `/points?project=1${size ? `&page_size=${size}` : ""}`);
      assert.equal(r.headers.get("x-paginated-by"), expected, size);
    }
  });
});

Deno.test("x-disable-pagination returns everything without pagination headers", async () => {
  await withBed(async ({ call }) => {
    const r = await call("GET", "/userstories?project=1&page_size=1", undefined, {
      headers: { "x-disable-pagination": "True" },
    });
    assert.equal(r.body.length, 4);
    for (const h of ["x-paginated", "x-pagination-count", "x-pagination-next"]) {
      assert.equal(r.headers.get(h), null, h);
    }
  });
});

Deno.test("x-lazy-pagination drops the count header", async () => {
  await withBed(async ({ call }) => {
    const r = await call("GET", "/userstories?project=1&page_size=1", undefined, {
      headers: { "x-lazy-pagination": "true" },
    });
    assert.equal(r.headers.get("x-pagination-count"), null);
    assert.equal(r.headers.get("x-paginated"), "true");
  });
});

Deno.test("every list endpoint is paginated", async () => {
  await withBed(async ({ call }) => {
    const paths = [
      "/projects",
      "/userstories?project=1",
      "/tasks?project=1",
      "/issues?project=1",
      "/epics?project=1",
      "/milestones?project=1",
      "/wiki?project=1",
      "/wiki-links?project=1",
      "/memberships?project=1",
      "/roles?project=1",
      "/users?project=1",
      "/userstory-statuses?project=1",
      "/history/userstory/1",
      "/timeline/project/1",
      "/userstories/1/voters",
      "/epics/1/related_userstories",
    ];
    for (const p of paths) {
      const r = await call("GET", p);
      assert.equal(r.status, 200, p);
      assert.equal(r.headers.get("x-paginated"), "true", p);
      assert.ok(Array.isArray(r.body), p);
    }
  });
});

Deno.test("trailing slash and unknown routes → Django's HTML 404", async () => {
  await withBed(async ({ sandbox, call }) => {
    for (const p of ["/userstories/", "/no-such-thing", "/projects/1/nope"]) {
      const r = await call("GET", p);
      assert.equal(r.status, 404, p);
      assert.match(r.headers.get("content-type") ?? "", /text\/html/);
      assert.match(r.text, /<h1>Not Found<\/h1>/);
    }
    const outside = await fetch(`${sandbox.origin}/api/v2/x`);
    assert.equal(outside.status, 404);
    await outside.body?.cancel();
  });
});

Deno.test("known route with an unsupported method → 405 JSON", async () => {
  await withBed(async ({ call }) => {
    const r = await call("DELETE", "/userstories");
    assert.equal(r.status, 405);
    assert.equal(r.body._error_message, "Method 'DELETE' not allowed.");
  });
});
