/** The `.env` file: its parser, and its reader under narrow permissions. */

import assert from "node:assert/strict";
import { join } from "node:path";
import { parseDotEnv, readDotEnv } from "../src/config/dotenv.ts";
import { runDeno } from "./helpers/deno_child.ts";

Deno.test("parseDotEnv: quotes, comments, export, escapes", () => {
  const text = [
    "# comment",
    "",
    "PLAIN=value",
    "SPACED =  padded value  ",
    "export EXPORTED=yes",
    'DOUBLE="a # not a comment\\nline2"',
    "SINGLE='raw \\n $x'",
    "INLINE=value # trailing comment",
    "HASHED=a#b",
    'MULTI="first',
    'second"',
    "EMPTY=",
    "not a line",
    "1BAD=x",
    "PLAIN=override",
    "CRLF=ok\r",
  ].join("\n");
  assert.deepEqual(parseDotEnv(text), {
    PLAIN: "override",
    SPACED: "padded value",
    EXPORTED: "yes",
    DOUBLE: "a # not a comment\nline2",
    SINGLE: "raw \\n $x",
    INLINE: "value",
    HASHED: "a#b",
    MULTI: "first\nsecond",
    EMPTY: "",
    CRLF: "ok",
  });
  assert.deepEqual(parseDotEnv('\uFEFFA=1\nB="unterminated\nC=3'), { A: "1", C: "3" });
});

Deno.test("readDotEnv: reads a file, undefined when missing or a directory", async () => {
  const dir = await Deno.makeTempDir();
  try {
    const file = join(dir, ".env");
    await Deno.writeTextFile(file, "A=1\n");
    assert.equal(readDotEnv(file), "A=1\n");
    assert.equal(readDotEnv(join(dir, "missing.env")), undefined);
    assert.equal(readDotEnv(dir), undefined);
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});

const READ_DOTENV = new URL("./fixtures/read_dotenv.ts", import.meta.url);

async function readDotEnvIn(dir: string, ...permissions: string[]): Promise<unknown> {
  const { stdout } = await runDeno(READ_DOTENV, { flags: permissions, cwd: dir });
  return JSON.parse(stdout);
}

Deno.test("readDotEnv: undefined without read permission, the text with it", async () => {
  const dir = await Deno.makeTempDir();
  try {
    await Deno.writeTextFile(join(dir, ".env"), "A=1\n");
    assert.equal(await readDotEnvIn(dir), null);
    assert.equal(await readDotEnvIn(dir, "--allow-read=.env"), "A=1\n");
  } finally {
    await Deno.remove(dir, { recursive: true });
  }
});
