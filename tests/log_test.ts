import assert from "node:assert/strict";
import { join } from "node:path";
import { Logger, type LogRecord } from "../src/log/logger.ts";
import { maskToken, redact, redactValue } from "../src/log/redact.ts";
import { type DenoRunOutput, runDeno } from "./helpers/deno_child.ts";

const JWT =
  "eyJhbGciOiJIUzI1NiIsInR5cCI6IkpXVCJ9.eyJ1c2VyX2lkIjo1LCJ0b2tlbl90eXBlIjoiYWNjZXNzIn0.dGhpcy1pcy1ub3QtYS1yZWFsLXNpZ25hdHVyZQ";
const LINE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z (DEBUG|INFO|WARNING|ERROR) /;

Deno.test("redact: JWTs, Bearer and Application credentials", () => {
  assert.equal(redact(`token ${JWT} here`), "token [redacted] here");
  assert.equal(redact("Authorization: Bearer abc123xyz"), "Authorization: [redacted]");
  assert.equal(redact("sent Bearer abc123xyz now"), "sent Bearer [redacted] now");
  assert.equal(redact("sent Application 5f0c2d9a8e7b4c1d now"), "sent Application [redacted] now");
  // Ordinary prose and header syntax survive.
  assert.equal(redact("Application tokens never expire"), "Application tokens never expire");
  assert.equal(
    redact('WWW-Authenticate: Bearer realm="api"'),
    'WWW-Authenticate: Bearer realm="api"',
  );
  assert.equal(redact("an invalid Bearer token"), "an invalid Bearer token");
  assert.equal(
    redact("Login to https://api.taiga.io failed"),
    "Login to https://api.taiga.io failed",
  );
});

Deno.test("redact: values of secret-named keys in JSON-ish and key=value text", () => {
  assert.equal(
    redact('{"username":"ana","password":"hunter2 \\"x\\"","auth_token":"abc","refresh":"def"}'),
    '{"username":"ana","password":"[redacted]","auth_token":"[redacted]","refresh":"[redacted]"}',
  );
  assert.equal(redact("GET /x?token=abc123&page=2"), "GET /x?token=[redacted]&page=2");
  assert.equal(redact("secret: s3cr3t, user: ana"), "secret: [redacted], user: ana");
  assert.equal(redact("MCP_HTTP_TOKEN=letmein"), "MCP_HTTP_TOKEN=[redacted]");
  assert.equal(redact("{'authorization': 'Application xyz'}"), "{'authorization': [redacted]}");
  assert.equal(
    redact('{"token": null, "tokenType": "Bearer"}'),
    '{"token": null, "tokenType": "Bearer"}',
  );
});

Deno.test("redactValue: deep copy with secret keys masked", () => {
  const input = {
    user: { username: "ana", password: "hunter2" },
    list: [{ refresh_token: "r1" }, `Bearer ${JWT}`],
    headers: { Authorization: "Bearer x1y2z3", accept: "application/json" },
    count: 3,
    none: null,
    token: "",
  };
  const out = redactValue(input);
  assert.deepEqual(out, {
    user: { username: "ana", password: "[redacted]" },
    list: [{ refresh_token: "[redacted]" }, "Bearer [redacted]"],
    headers: { Authorization: "[redacted]", accept: "application/json" },
    count: 3,
    none: null,
    token: "",
  });
  assert.equal(input.user.password, "hunter2", "input must not be mutated");
});

Deno.test("redactValue: cycles, errors, dates", () => {
  const cyclic: Record<string, unknown> = { name: "a" };
  cyclic.self = cyclic;
  assert.deepEqual(redactValue(cyclic), { name: "a", self: "[circular]" });
  assert.deepEqual(redactValue(new Error(`bad password=hunter2`)), {
    name: "Error",
    message: "bad password=[redacted]",
  });
  const date = new Date(0);
  assert.deepEqual(redactValue({ at: date }), { at: date });
  const shared = { v: 1 };
  assert.deepEqual(redactValue([shared, shared]), [{ v: 1 }, { v: 1 }]);
});

Deno.test("maskToken: shows at most 4 characters", () => {
  assert.equal(maskToken(JWT), `eyJh…(redacted, ${JWT.length} chars)`);
  assert.equal(maskToken("short-token"), "(redacted, 11 chars)");
  assert.equal(maskToken(""), "(empty)");
});

Deno.test("Logger: file gets redacted one-line records at or above the level, mode 0600", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, "sub", "taiga.log");
    const logger = new Logger({ level: "INFO", file, stderr: false });
    logger.debug("not written");
    logger.info("logged in", { auth_token: JWT, user: "ana" });
    logger.warning(`multi\nline with Bearer ${JWT}`);
    logger.setLevel("ERROR");
    logger.warning("dropped");
    logger.error("boom", { big: 10n });
    logger.close();
    logger.close();
    const lines = (await Deno.readTextFile(file)).trimEnd().split("\n");
    assert.equal(lines.length, 3, lines.join("\n"));
    for (const line of lines) assert.match(line, LINE);
    assert.ok(
      lines[0].endsWith(' INFO logged in {"auth_token":"[redacted]","user":"ana"}'),
      lines[0],
    );
    assert.ok(lines[1].endsWith(" WARNING multi\\nline with Bearer [redacted]"), lines[1]);
    assert.ok(lines[2].endsWith(' ERROR boom {"big":"10"}'), lines[2]);
    if (Deno.build.os !== "windows") {
      assert.equal((await Deno.stat(file)).mode! & 0o777, 0o600);
    }
    // Appends, never truncates.
    const again = new Logger({ level: "INFO", file, stderr: false });
    again.info("second run");
    again.close();
    assert.equal((await Deno.readTextFile(file)).trimEnd().split("\n").length, 4);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("Logger: sinks receive redacted records and can be removed", () => {
  const logger = new Logger({ level: "DEBUG", stderr: false });
  const seen: LogRecord[] = [];
  const remove = logger.addSink((record) => seen.push(record));
  logger.debug("with password=hunter2", { refresh: "r-secret", id: 7 });
  remove();
  logger.info("after removal");
  assert.equal(seen.length, 1);
  assert.equal(seen[0].level, "DEBUG");
  assert.equal(seen[0].message, "with password=[redacted]");
  assert.deepEqual(seen[0].data, { refresh: "[redacted]", id: 7 });
  assert.ok(seen[0].time instanceof Date);
  assert.equal(logger.enabled("DEBUG"), true);
  logger.setLevel("WARNING");
  assert.equal(logger.enabled("INFO"), false);
  assert.equal(logger.level, "WARNING");
});

Deno.test("Logger: a throwing sink is dropped, others keep receiving", () => {
  const logger = new Logger({ level: "INFO", stderr: false });
  let failing = 0;
  const seen: string[] = [];
  logger.addSink(() => {
    failing++;
    throw new Error("sink broke");
  });
  logger.addSink((record) => seen.push(record.message));
  logger.info("one");
  logger.info("two");
  assert.equal(failing, 1);
  assert.deepEqual(seen, ["one", "two"]);
});

async function runLogChild(file: string): Promise<DenoRunOutput> {
  return await runDeno(new URL("./fixtures/log_child.ts", import.meta.url), {
    flags: ["--allow-read", "--allow-write"],
    args: [file],
  });
}

Deno.test("Logger: writes to stderr only, never stdout, secrets redacted", async () => {
  const { stdout, stderr } = await runLogChild("");
  assert.equal(stdout, "");
  const lines = stderr.trimEnd().split("\n");
  assert.equal(lines.length, 2, stderr);
  assert.match(lines[0], /INFO login done \{"auth_token":"\[redacted\]"\}$/);
  assert.match(lines[1], /ERROR Authorization: \[redacted\] failed$/);
  assert.ok(!stderr.includes("topsecretvalue123") && !stderr.includes("c2lnbmF0dXJlc2ln"));
});

Deno.test("Logger: a log file that cannot be opened gives one warning and logging goes on", async () => {
  const dir = await Deno.makeTempDir();
  try {
    // A directory where the file should be: opening it for append fails.
    const file = join(dir, "is-a-dir");
    await Deno.mkdir(file);
    const { stdout, stderr } = await runLogChild(file);
    assert.equal(stdout, "");
    const lines = stderr.trimEnd().split("\n");
    assert.equal(lines.length, 3, stderr);
    assert.match(lines[0], LINE);
    assert.match(lines[0], /WARNING Cannot open log file .*is-a-dir: .*; logging to stderr only$/);
    assert.match(lines[1], /INFO login done/);
    assert.match(lines[2], /ERROR /);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

Deno.test("redact: prose around the scheme words is kept, credentials are not", () => {
  assert.equal(redact("use Bearer for a login JWT"), "use Bearer for a login JWT");
  assert.equal(redact("an Application token"), "an Application token");
  assert.equal(redact("Bearer abcdef123456"), "Bearer [redacted]");
});

/** Runs `redact` over each text in a worker, so a quadratic redactor fails the test, not hangs it. */
async function redactTimed(texts: string[], limitMs: number): Promise<number[]> {
  const module = JSON.stringify(new URL("../src/log/redact.ts", import.meta.url).href);
  const code = `import { redact } from ${module};
    self.onmessage = (event) => {
      const times = event.data.map((text) => {
        const started = performance.now();
        redact(text);
        return performance.now() - started;
      });
      self.postMessage(times);
    };
    self.postMessage("ready");`;
  const url = URL.createObjectURL(new Blob([code], { type: "text/javascript" }));
  const worker = new Worker(url, { type: "module" });
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await new Promise<number[]>((resolve, reject) => {
      worker.onerror = (event) => reject(new Error(event.message));
      worker.onmessage = (event) => {
        if (event.data !== "ready") return resolve(event.data);
        // The clock starts once the worker is loaded: only redact is timed.
        timer = setTimeout(() => reject(new Error(`redact took over ${limitMs} ms`)), limitMs);
        worker.postMessage(texts);
      };
    });
  } finally {
    clearTimeout(timer);
    worker.terminate();
    URL.revokeObjectURL(url);
  }
}

Deno.test("redact: linear — 1 MB messages of every awkward shape redact in well under a second", async () => {
  const mb = (unit: string): string => unit.repeat(Math.ceil(1_000_000 / unit.length));
  const shapes = ["a", "a=", "1", "Bearer 1", "x://", "word ", "a-eyJ", "a.", 'k:"', "eyJa."];
  // Just under the cap too: linear with no help from cutting.
  const texts = [...shapes.map(mb), ...shapes.map((unit) => mb(unit).slice(0, 250_000))];
  // Per message, with room for a loaded machine: the quadratic version took 24 s for 100 kB.
  const times = await redactTimed(texts, 20_000);
  const slow = times.map((ms, i) => [i, Math.round(ms)]).filter(([, ms]) => ms >= 1000);
  assert.deepEqual(slow, [], `[message, ms] over a second; all: ${times.map(Math.round)}`);
});

Deno.test("redact: a cut text says so and never shows the head of a cut token", () => {
  const text = `${"x ".repeat(200_000)}Bearer abc123 ${"y".repeat(100_000)}`;
  const out = redact(text);
  assert.ok(out.length < 270_000, `${out.length} chars`);
  assert.match(out, /… \(\d+ chars cut\)$/);
  assert.ok(!out.includes("abc123"));
  assert.ok(!out.includes("yyy"), "the split token is dropped, not shown in part");
});

Deno.test("redact: key=value secrets in URLs, query strings, form bodies and nested values", () => {
  const cases: Array<[string, string]> = [
    ["password=hunter2", "password=[redacted]"],
    ["token=abc", "token=[redacted]"],
    ["POST /auth username=ana&password=hunter2", "POST /auth username=ana&password=[redacted]"],
    ["url=http://x/api?token=abc123&x=1", "url=http://x/api?token=[redacted]&x=1"],
    [
      '{"url": "http://x/api/v1/auth?password=hunter2&page=2"}',
      '{"url": "http://x/api/v1/auth?password=[redacted]&page=2"}',
    ],
    ["x=password=hunter2", "x=password=[redacted]"],
    ['password="hunter2 never closed', 'password="[redacted]"'],
    ["--password=hunter2", "--password=[redacted]"],
    ["pass=hunter2", "pass=[redacted]"],
    ["refresh_token=r1;auth_token=a1", "refresh_token=[redacted];auth_token=[redacted]"],
    ["https://ana:hunter2@taiga.example/api", "https://ana:[redacted]@taiga.example/api"],
    ['"Application 5f0c2d9a8e7b\u0000"', '"Application [redacted]\u0000"'],
    ["(Bearer abc123xyz)", "(Bearer [redacted])"],
    [`id=${JWT}.`, "id=[redacted]."],
    [`prefix-${JWT}`, "prefix-[redacted]"],
  ];
  for (const [input, expected] of cases) assert.equal(redact(input), expected, input);
  // Ordinary text around these keys is left alone.
  assert.equal(redact("page=2&project=5"), "page=2&project=5");
  assert.equal(redact("token_type=Bearer"), "token_type=Bearer");
  assert.equal(redact("api.taiga.io:443"), "api.taiga.io:443");
});
