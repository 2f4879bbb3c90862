/**
 * Record types of the sandbox's logs: history entries, timeline rows, webhooks and their
 * delivery logs (re-exported by `model.ts`).
 *
 * @module
 */

/** A webhook of a project. */
export interface Webhook {
  id: number;
  project: number;
  name: string;
  url: string;
  key: string;
}

/** One delivery attempt of a webhook (the last ten per webhook are kept). */
export interface WebhookLog {
  id: number;
  webhook: number;
  url: string;
  status: number;
  request_data: unknown;
  request_headers: Record<string, string>;
  response_data: string;
  response_headers: Record<string, string>;
  duration: number;
  created: string;
}

/** A history entry, as taiga-back stores it. */
export interface HistoryEntry {
  id: string;
  user: number | null;
  created_at: string;
  type: 1 | 2 | 3;
  key: string;
  diff: Record<string, [unknown, unknown]>;
  /** Names of the ids the diff mentions (`{users: {...}, status: {...}}`). */
  values: Record<string, Record<string, string>>;
  /** Display form of `diff`: `[old, new]` pairs, or `{new, changed, deleted}` lists. */
  values_diff: Record<string, unknown>;
  comment: string;
  comment_html: string;
  delete_comment_date: string | null;
  delete_comment_user: { pk: number; name: string } | null;
  edit_comment_date: string | null;
  comment_versions: unknown[] | null;
  is_hidden: boolean;
  project: number;
}

/** A timeline entry. */
export interface TimelineEntry {
  id: number;
  content_type: number;
  object_id: number;
  namespace: string;
  event_type: string;
  /** Null for events outside any project (a user's creation). */
  project: number | null;
  data: Record<string, unknown>;
  data_content_type: number;
  created: string;
}
