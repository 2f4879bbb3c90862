/**
 * The baseline of the memory benchmark: a Deno process that does nothing but answer the memory
 * probe, until its stdin closes.
 * @module
 */

import { installMemoryProbe } from "./memory_probe.ts";

installMemoryProbe();
const buffer = new Uint8Array(1024);
while ((await Deno.stdin.read(buffer)) !== null) {
  // Waiting for EOF.
}
Deno.exit(0);
