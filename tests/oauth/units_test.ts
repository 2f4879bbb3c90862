/**
 * The authorization server's small rules on their own: PKCE S256, redirect URI checks and
 * matching, resource canonical form, public addresses (SSRF), sealed tokens (purpose-bound,
 * expiring, keys rotating: a new key seals, old keys still open), the sign-in throttle.
 */

import assert from "node:assert/strict";
import { isPublicAddress } from "../../src/oauth/addresses.ts";
import { canonicalResource } from "../../src/oauth/issuer.ts";
import { constantTimeEqual, isS256Challenge, verifierMatches } from "../../src/oauth/pkce.ts";
import { redirectMatches, redirectProblem, redirectShown } from "../../src/oauth/redirects.ts";
import { SignInThrottle } from "../../src/oauth/throttle.ts";
import { TokenBox } from "../../src/oauth/tokens.ts";
import { Sealer } from "../../src/sessions/sealed.ts";
import { pkce } from "./driver.ts";

const OLD = "old-key-0123456789abcdefghijklmnopqrstuvwxyz";
const NEW = "new-key-0123456789abcdefghijklmnopqrstuvwxyz";

Deno.test("pkce: S256 only, well-formed verifiers, constant-time comparison", async () => {
  const { verifier, challenge } = await pkce();
  assert.ok(isS256Challenge(challenge));
  assert.ok(await verifierMatches(verifier, challenge));
  assert.ok(!(await verifierMatches(`${verifier}x`, challenge)));
  assert.ok(!(await verifierMatches(challenge, challenge)), "plain: the challenge as verifier");
  assert.ok(!(await verifierMatches("short", challenge)));
  assert.ok(!isS256Challenge("too-short"));
  assert.ok(constantTimeEqual("abc", "abc"));
  assert.ok(!constantTimeEqual("abc", "abd"));
  assert.ok(!constantTimeEqual("abc", "abcd"));
});

Deno.test("redirects: what may register, exact matching, any port on loopback only", () => {
  for (
    const ok of [
      "https://app.example/cb",
      "http://127.0.0.1/cb",
      "http://localhost:8080/x",
      "http://[::1]:3/cb",
      "cursor://anysphere.cursor-mcp/oauth/callback",
      "vscode://ms.vscode/cb",
    ]
  ) {
    assert.equal(redirectProblem(ok), undefined, ok);
  }
  for (
    const bad of [
      "http://app.example/cb",
      "javascript:alert(1)",
      "data:text/html,x",
      "https://a.example/cb#frag",
      "https://u:p@a.example/cb",
      "cb",
      `https://a.example/${"x".repeat(2000)}`,
    ]
  ) {
    assert.notEqual(redirectProblem(bad), undefined, bad);
  }
  const registered = ["http://127.0.0.1:3000/callback", "https://app.example/cb?x=1"];
  assert.ok(redirectMatches(registered, "http://127.0.0.1:51234/callback"));
  assert.ok(redirectMatches(registered, "https://app.example/cb?x=1"));
  assert.ok(!redirectMatches(registered, "https://app.example/cb?x=2"));
  assert.ok(!redirectMatches(registered, "https://app.example:8443/cb?x=1"), "https: exact port");
  assert.ok(!redirectMatches(registered, "http://127.0.0.1:3000/other"));
  assert.ok(!redirectMatches(registered, "http://localhost:3000/callback"), "another host name");
  assert.equal(redirectShown("https://claude.ai/api/mcp/auth_callback"), "claude.ai");
  assert.equal(redirectShown("cursor://anysphere.cursor-mcp/cb"), "cursor://anysphere.cursor-mcp");
});

Deno.test("resources: canonical form, trailing slash and case tolerated, fragment dropped", () => {
  assert.equal(canonicalResource("https://MCP.example.com/mcp/"), "https://mcp.example.com/mcp");
  assert.equal(canonicalResource("HTTPS://mcp.example.com/mcp#x"), "https://mcp.example.com/mcp");
  assert.equal(canonicalResource("not a url"), undefined);
});

Deno.test("addresses: only public unicast is fetched (SSRF), in every spelling", () => {
  for (
    const ip of ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "2a00:1450:4001:81b::200e"]
  ) {
    assert.ok(isPublicAddress(ip), ip);
  }
  for (
    const ip of [
      "127.0.0.1",
      "10.1.2.3",
      "172.16.0.1",
      "172.31.255.255",
      "192.168.1.1",
      "169.254.169.254",
      "100.64.0.1",
      "0.0.0.0",
      "224.0.0.1",
      "255.255.255.255",
      "192.0.2.1",
      "::1",
      "::",
      "fe80::1",
      "fc00::1",
      "fd12:3456::1",
      "ff02::1",
      "::ffff:127.0.0.1",
      "::ffff:7f00:1",
      "64:ff9b::a00:1",
      "2002:7f00:1::1",
      "2001:db8::1",
      "[::1]",
      "not-an-ip",
      "1.2.3",
    ]
  ) {
    assert.ok(!isPublicAddress(ip), ip);
  }
  assert.ok(isPublicAddress("::ffff:8.8.8.8"), "a mapped public IPv4");
});

Deno.test("tokens: purpose-bound, tamper-evident, expiring; a new key seals, old keys still open", async () => {
  let now = Date.now();
  const clock = () => now;
  const old = new TokenBox(new Sealer([OLD], clock));
  const rotated = new TokenBox(new Sealer([NEW, OLD], clock));
  const retired = new TokenBox(new Sealer([NEW], clock));
  const claims = { c: "client", r: "https://a.example/cb", cc: "x", res: "r", sc: "taiga" };
  const token = await old.seal("request", claims, 60);
  assert.deepEqual(await rotated.open("request", token), claims, "old keys still open");
  assert.equal(await retired.open("request", token), undefined, "a removed key no longer opens");
  const fresh = await rotated.seal("request", claims, 60);
  assert.deepEqual(await retired.open("request", fresh), claims, "the new key seals");
  assert.equal(await old.open("request", fresh), undefined);
  assert.equal(await rotated.open("code", token), undefined, "a token of another purpose");
  const flipped = token.slice(0, -2) + (token.endsWith("AA") ? "BB" : "AA");
  assert.equal(await rotated.open("request", flipped), undefined, "altered");
  assert.equal(await rotated.open("request", "x".repeat(9000)), undefined, "too long");
  now += 61_000;
  assert.equal(await rotated.open("request", token), undefined, "expired");
});

Deno.test("throttle: ten failures in ten minutes make a username wait; success forgets", () => {
  let now = 0;
  const throttle = new SignInThrottle(() => now);
  for (let i = 0; i < 10; i++) throttle.failed("Alice");
  assert.ok(throttle.waitSeconds("alice") > 0, "case-insensitive");
  assert.equal(throttle.waitSeconds("bob"), 0);
  now += 10 * 60_000 + 1;
  assert.equal(throttle.waitSeconds("alice"), 0);
  for (let i = 0; i < 10; i++) throttle.failed("alice");
  throttle.succeeded("alice");
  assert.equal(throttle.waitSeconds("alice"), 0);
});
