/**
 * The raw JSON shapes of Taiga's answers that code relies on (the rest stays an open record).
 * @module
 */

/** A Taiga object as JSON. */
export type RawRecord = Record<string, unknown>;

/** A raw Taiga work item (epic, user story, task or issue). */
export type RawItem = RawRecord & { id: number; ref: number; version: number };

/** A project's raw Taiga JSON. */
export type RawProject = RawRecord & { id: number; slug: string; name: string };
