import assert from "node:assert/strict";
import { allowEnvFlag, ENV_VARS, readEnv } from "../src/config/env.ts";
import { runDeno } from "./helpers/deno_child.ts";

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
  const { stdout } = await runDeno(script, {
    flags: ["--allow-env=TAIGA_API_URL"],
    args: ["TAIGA_API_URL", "TAIGA_AUTH_TOKEN"],
    env: { TAIGA_API_URL: "https://granted.example", TAIGA_AUTH_TOKEN: "not-granted" },
  });
  assert.deepEqual(JSON.parse(stdout), {
    TAIGA_API_URL: "https://granted.example",
    TAIGA_AUTH_TOKEN: null,
  });
});
