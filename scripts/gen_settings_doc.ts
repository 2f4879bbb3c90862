/**
 * Writes what the docs say about settings from the settings table (src/config/settings.ts), the
 * one place every setting is declared: README.md's configuration table (each variable with its
 * aliases, its flag, its default and its help line, between two marker comments) and every
 * `--allow-env=` list of the install guide (the variables the program may read). Everything else
 * in those files is left as it is. `--check` exits 1 when either is stale, so the docs cannot
 * drift from the code (tests/dist/readme_test.ts and docs_test.ts check the same).
 *
 * ```sh
 * deno run -A scripts/gen_settings_doc.ts           # rewrite the table and the lists
 * deno run -A scripts/gen_settings_doc.ts --check   # exit 1 if they are out of date
 * ```
 * @module
 */

import { parseArgs } from "node:util";
import { allowEnvFlag } from "../src/config/env.ts";
import { allSettings } from "../src/config/settings.ts";
import { formatAs, say } from "./generated_file.ts";

/** The README, relative to this script. */
export const README = new URL("../README.md", import.meta.url);
/** The install guide, whose `deno run` and `deno install` forms spell out `--allow-env=`. */
export const INSTALL_GUIDE = new URL("../docs/user-guide/install.md", import.meta.url);

/** The line before the generated table. */
export const BEGIN =
  "<!-- settings-table:begin (generated from src/config/settings.ts by scripts/gen_settings_doc.ts; do not edit) -->";
/** The line after it. */
export const END = "<!-- settings-table:end -->";

/** What a setting looks like to the table. */
export interface SettingRow {
  /** Variables, the first is the name, the others aliases. */
  env: readonly string[];
  /** Flag without dashes. */
  flag?: string;
  /** Default as shown to people. */
  shownDefault: string;
  /** One line of help. */
  help: string;
}

/** A default as a cell: `(none)` → none, a word group stays prose, a value is code. */
function defaultCell(shown: string): string {
  const bare = /^\((.*)\)$/.exec(shown)?.[1];
  if (bare !== undefined) return bare === "none" ? "—" : bare;
  return /\s/.test(shown) ? shown : `\`${shown}\``;
}

function escapeCell(text: string): string {
  return text.replaceAll("|", "\\|");
}

/** The Markdown table (unformatted: `deno fmt` aligns it) for `rows`. */
export function settingsTable(rows: readonly SettingRow[]): string {
  const lines = [
    "| Variable | Flag | Default | Meaning |",
    "| --- | --- | --- | --- |",
  ];
  for (const row of rows) {
    const names = row.env.map((name) => `\`${name}\``).join(" / ");
    const flag = row.flag === undefined ? "" : `\`--${row.flag}\``;
    const help = row.help.charAt(0).toUpperCase() + row.help.slice(1);
    lines.push(
      `| ${names} | ${flag} | ${escapeCell(defaultCell(row.shownDefault))} | ${escapeCell(help)} |`,
    );
  }
  return lines.join("\n");
}

/**
 * `readme` with the text between {@link BEGIN} and {@link END} replaced by `table`.
 * @throws {Error} when the markers are missing or out of order.
 */
export function replaceTable(readme: string, table: string): string {
  const start = readme.indexOf(BEGIN);
  const end = readme.indexOf(END);
  if (start === -1 || end === -1 || end < start) {
    throw new Error(`README.md needs the two marker lines:\n${BEGIN}\n${END}`);
  }
  return `${readme.slice(0, start + BEGIN.length)}\n\n${table}\n\n${readme.slice(end)}`;
}

/** README.md as it must be: `readme` with today's table, formatted as `deno fmt` would. */
export async function buildReadme(readme: string): Promise<string> {
  return await formatAs("md", replaceTable(readme, settingsTable(allSettings())));
}

/** `text` with every `--allow-env=<list>` set to the variables the program reads (ENV_VARS). */
export function syncAllowEnv(text: string): string {
  return text.replace(/--allow-env=[A-Z_,]+/g, allowEnvFlag());
}

/** Runs the script; returns the exit code. */
export async function main(argv: string[]): Promise<number> {
  const { values } = parseArgs({
    args: argv,
    options: { check: { type: "boolean", default: false } },
    strict: true,
  });
  const targets: Array<[URL, (text: string) => string | Promise<string>]> = [
    [README, buildReadme],
    [INSTALL_GUIDE, syncAllowEnv],
  ];
  let stale = 0;
  for (const [file, build] of targets) {
    const committed = await Deno.readTextFile(file);
    const fresh = await build(committed);
    if (committed === fresh) continue;
    stale++;
    if (values.check) say(`${file.pathname} is stale: run deno run -A scripts/gen_settings_doc.ts`);
    else await Deno.writeTextFile(file, fresh);
  }
  if (values.check) return stale === 0 ? 0 : 1;
  say(`${allSettings().length} settings; ${stale} file(s) rewritten`);
  return 0;
}

if (import.meta.main) {
  Deno.exit(await main(Deno.args));
}
