import assert from "node:assert/strict";
import { allowEnvFlag, ENV_VARS, readEnv } from "../src/permissions.ts";

Deno.test("ENV_VARS: the fixed list, no duplicates, frozen", () => {
  assert.equal(new Set(ENV_VARS).size, ENV_VARS.length);
  assert.ok(Object.isFrozen(ENV_VARS));
  for (const name of ["TAIGA_API_URL", "TAIGA_AUTH_TOKEN", "MCP_HTTP_TOKEN", "XDG_CACHE_HOME"]) {
    assert.ok(ENV_VARS.includes(name), name);
  }
  assert.equal(allowEnvFlag(), `--allow-env=${ENV_VARS.join(",")}`);
  assert.equal(readEnv("TAIGA_MCP_SURELY_UNSET_VARIABLE"), undefined);
});

Deno.test("readEnv: reads a granted variable, undefined for one not granted", async () => {
  const script = new URL("./fixtures/read_env.ts", import.meta.url).pathname;
  const out = await new Deno.Command(Deno.execPath(), {
    args: [
      "run",
      "-q",
      "--no-prompt",
      "--config",
      new URL("../deno.json", import.meta.url).pathname,
      "--allow-env=TAIGA_API_URL",
      script,
      "TAIGA_API_URL",
      "TAIGA_AUTH_TOKEN",
    ],
    env: { TAIGA_API_URL: "https://granted.example", TAIGA_AUTH_TOKEN: "not-granted" },
    stdin: "null",
    stdout: "piped",
    stderr: "piped",
  }).output();
  assert.equal(out.code, 0, new TextDecoder().decode(out.stderr));
  assert.deepEqual(JSON.parse(new TextDecoder().decode(out.stdout)), {
    TAIGA_API_URL: "https://granted.example",
    TAIGA_AUTH_TOKEN: null,
  });
});
