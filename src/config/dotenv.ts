/**
 * The `.env` file: its parser and its reader (never prompting for permission).
 *
 * @module
 */

const DOTENV_KEY = /^[A-Za-z_][A-Za-z0-9_.-]*$/;
const DOUBLE_QUOTE_ESCAPES: Readonly<Record<string, string>> = {
  n: "\n",
  r: "\r",
  t: "\t",
  '"': '"',
  "\\": "\\",
  $: "$",
};

/** Reads a double-quoted value starting after the opening quote; returns the value and the end index. */
function readDoubleQuoted(text: string, start: number): { value: string; end: number } | undefined {
  let value = "";
  for (let i = start; i < text.length; i++) {
    const char = text[i];
    if (char === '"') return { value, end: i + 1 };
    if (char === "\\" && i + 1 < text.length) {
      const next = text[i + 1];
      value += DOUBLE_QUOTE_ESCAPES[next] ?? `\\${next}`;
      i++;
    } else {
      value += char;
    }
  }
  return undefined;
}

/**
 * Parses `.env` text: `KEY=VALUE` lines, an optional `export ` prefix, `#`
 * comments (whole-line, or after whitespace in an unquoted value), single
 * quotes (literal) and double quotes (with `\n`, `\t`, `\"`, `\\` escapes, may
 * span lines). Malformed lines are skipped; a later key overrides an earlier one.
 */
export function parseDotEnv(text: string): Record<string, string> {
  const result: Record<string, string> = {};
  const src = text.replace(/^\uFEFF/, "").replace(/\r\n?/g, "\n");
  let pos = 0;
  while (pos < src.length) {
    let lineEnd = src.indexOf("\n", pos);
    if (lineEnd === -1) lineEnd = src.length;
    const line = src.slice(pos, lineEnd);
    let next = lineEnd + 1;
    const match = /^\s*(?:export\s+)?([^=\s#]+)\s*=\s*/.exec(line);
    if (match && DOTENV_KEY.test(match[1])) {
      const valueStart = pos + match[0].length;
      const first = src[valueStart];
      let value: string | undefined;
      if (first === '"') {
        const quoted = readDoubleQuoted(src, valueStart + 1);
        if (quoted) {
          value = quoted.value;
          const after = src.indexOf("\n", quoted.end);
          next = after === -1 ? src.length : after + 1;
        }
      } else if (first === "'") {
        const close = line.indexOf("'", match[0].length + 1);
        if (close !== -1) value = line.slice(match[0].length + 1, close);
      } else {
        value = line.slice(match[0].length).replace(/(^|\s+)#.*$/, "").trim();
      }
      if (value !== undefined) result[match[1]] = value;
    }
    pos = next;
  }
  return result;
}

/**
 * Reads `.env` (default: `./.env` in the working directory). Returns
 * `undefined` when the file is missing, is a directory, or read access to it
 * was not granted (never prompts); other I/O errors are thrown.
 */
export function readDotEnv(path = ".env"): string | undefined {
  // Asking first keeps Deno from prompting on a terminal when read access was not granted.
  if (Deno.permissions.querySync({ name: "read", path }).state !== "granted") return undefined;
  try {
    return Deno.readTextFileSync(path);
  } catch (error) {
    if (
      error instanceof Deno.errors.NotFound ||
      error instanceof Deno.errors.NotCapable ||
      error instanceof Deno.errors.PermissionDenied ||
      error instanceof Deno.errors.IsADirectory
    ) {
      return undefined;
    }
    throw error;
  }
}
