/**
 * Project metadata per session, cached briefly so names turn into ids without a request per
 * argument. Bounded: each session keeps its few most recent projects, an entry lives
 * {@link METADATA_TTL_MS}, and a session's entries go when the session ends.
 * @module
 */

import type { Session } from "../sessions/store.ts";
import { fetchProject } from "../taiga/reads.ts";
import { metadataFromProject, type ProjectMetadata } from "./metadata.ts";

/** How long metadata is trusted (ms). Short: other people edit projects too. */
export const METADATA_TTL_MS = 60_000;

/** Most projects one session keeps metadata of; the least recently used go first. */
export const PROJECTS_PER_SESSION = 32;

interface Entry {
  at: number;
  value: Promise<ProjectMetadata>;
  projectId?: number;
}

/** Per-session cache of project metadata, keyed by project id and by slug. */
export class MetadataCache {
  /** Session id → (project id or lower-case slug → entry), each map in least-recent-first order. */
  readonly #sessions = new Map<string, Map<string, Entry>>();
  readonly #now: () => number;

  /** `now` is injectable for tests. */
  constructor(now: () => number = Date.now) {
    this.#now = now;
  }

  /** Metadata of `project` (id or slug) as `session` sees it; fetched at most once per TTL. */
  async get(
    session: Session,
    project: number | string,
    signal?: AbortSignal,
  ): Promise<ProjectMetadata> {
    const entries = this.#entriesOf(session.id);
    const key = String(project).toLowerCase();
    const hit = entries.get(key);
    if (hit && this.#now() - hit.at < METADATA_TTL_MS) {
      entries.delete(key);
      entries.set(key, hit);
      return await hit.value;
    }
    const value = fetchProject(session.client, project, signal).then(metadataFromProject);
    this.#put(entries, key, { at: this.#now(), value });
    try {
      const metadata = await value;
      const entry: Entry = { at: this.#now(), value, projectId: metadata.id };
      for (const alias of [key, String(metadata.id), metadata.slug.toLowerCase()]) {
        this.#put(entries, alias, entry);
      }
      return metadata;
    } catch (error) {
      entries.delete(key);
      throw error;
    }
  }

  /** Forgets `session`'s copy of a project's metadata (after its own writes). */
  invalidate(session: Session, projectId: number): void {
    const entries = this.#sessions.get(session.id);
    if (!entries) return;
    for (const [key, entry] of entries) {
      if (entry.projectId === undefined || entry.projectId === projectId) entries.delete(key);
    }
  }

  /** Forgets everything a session cached (it ended). */
  forget(sessionId: string): void {
    this.#sessions.delete(sessionId);
  }

  /** Number of cached entries over every session (for the boundedness checks). */
  get size(): number {
    let total = 0;
    for (const entries of this.#sessions.values()) total += entries.size;
    return total;
  }

  #entriesOf(sessionId: string): Map<string, Entry> {
    let entries = this.#sessions.get(sessionId);
    if (!entries) {
      entries = new Map();
      this.#sessions.set(sessionId, entries);
    }
    return entries;
  }

  #put(entries: Map<string, Entry>, key: string, entry: Entry): void {
    entries.delete(key);
    entries.set(key, entry);
    // Three keys (asked, id, slug) per project.
    while (entries.size > PROJECTS_PER_SESSION * 3) {
      entries.delete(entries.keys().next().value!);
    }
  }
}
