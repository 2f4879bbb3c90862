/**
 * The package name and version, read from deno.json so they are kept in one place.
 * @module
 */

import manifest from "../deno.json" with { type: "json" };

/** Package version, e.g. "0.1.0". */
export const VERSION: string = manifest.version;

/** Package name on JSR. */
export const PACKAGE_NAME: string = manifest.name;
