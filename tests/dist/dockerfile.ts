/**
 * Reads the instructions of the project's Dockerfile that the distribution tests run verbatim:
 * FROM, USER, ENV, VOLUME, EXPOSE, HEALTHCHECK and CMD (exec form only, as JSON arrays).
 * @module
 */

/** The parts of a Dockerfile the tests check and run. */
export interface DockerfileSpec {
  /** Base image of the (last) FROM. */
  from: string;
  /** The last USER. */
  user?: string;
  /** Every ENV, in order; later ones win. */
  env: Record<string, string>;
  /** VOLUME paths. */
  volumes: string[];
  /** EXPOSE ports. */
  exposed: string[];
  /** The exec-form HEALTHCHECK command. */
  healthcheck?: string[];
  /** The exec-form CMD. */
  cmd: string[];
  /** The exec-form ENTRYPOINT, when one is set. */
  entrypoint?: string[];
}

/** Joins `\`-continued lines and drops comments and blank lines. */
function logicalLines(text: string): string[] {
  const lines: string[] = [];
  let current = "";
  for (const raw of text.split(/\r?\n/)) {
    if (current === "" && /^\s*#/.test(raw)) continue;
    if (raw.trimEnd().endsWith("\\")) {
      current += raw.trimEnd().slice(0, -1) + " ";
      continue;
    }
    current += raw;
    if (current.trim() !== "") lines.push(current.trim());
    current = "";
  }
  if (current.trim() !== "") lines.push(current.trim());
  return lines;
}

function execForm(instruction: string, rest: string): string[] {
  const parsed: unknown = JSON.parse(rest);
  if (!Array.isArray(parsed) || !parsed.every((item) => typeof item === "string")) {
    throw new Error(`${instruction} must use the exec (JSON array) form: ${rest}`);
  }
  return parsed;
}

function envPairs(rest: string): Record<string, string> {
  const pairs: Record<string, string> = {};
  for (const item of rest.split(/\s+/)) {
    const eq = item.indexOf("=");
    if (eq <= 0) throw new Error(`ENV must use KEY=VALUE pairs without spaces: ${rest}`);
    pairs[item.slice(0, eq)] = item.slice(eq + 1);
  }
  return pairs;
}

/** Parses the Dockerfile text. */
export function parseDockerfile(text: string): DockerfileSpec {
  const spec: DockerfileSpec = { from: "", env: {}, volumes: [], exposed: [], cmd: [] };
  for (const line of logicalLines(text)) {
    const match = /^(\w+)\s+(.*)$/.exec(line);
    if (!match) continue;
    const [, word, rest] = match;
    switch (word.toUpperCase()) {
      case "FROM":
        spec.from = rest.split(/\s+/)[0];
        break;
      case "USER":
        spec.user = rest.trim();
        break;
      case "ENV":
        Object.assign(spec.env, envPairs(rest));
        break;
      case "VOLUME":
        spec.volumes.push(...(rest.startsWith("[") ? execForm("VOLUME", rest) : rest.split(/\s+/)));
        break;
      case "EXPOSE":
        spec.exposed.push(...rest.split(/\s+/));
        break;
      case "HEALTHCHECK": {
        const at = rest.indexOf("CMD ");
        if (at >= 0) spec.healthcheck = execForm("HEALTHCHECK", rest.slice(at + 4).trim());
        break;
      }
      case "CMD":
        spec.cmd = execForm("CMD", rest);
        break;
      case "ENTRYPOINT":
        spec.entrypoint = execForm("ENTRYPOINT", rest);
        break;
    }
  }
  return spec;
}

/** Reads and parses the Dockerfile at the repository root. */
export async function readDockerfile(root: string): Promise<DockerfileSpec> {
  return parseDockerfile(await Deno.readTextFile(`${root}Dockerfile`));
}
