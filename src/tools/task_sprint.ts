/**
 * A task of a user story is always in its story's sprint: taiga-back's `pre_save` sets the
 * task's milestone from its story on every create and update, whatever sprint was sent. So a
 * sprint that differs from the story's is refused here, saying what to do, instead of being
 * silently replaced.
 * @module
 */

import { InputError } from "../taiga/errors.ts";
import { KINDS } from "../taiga/kinds.ts";
import type { RawItem } from "../taiga/types.ts";
import type { Session } from "../sessions/store.ts";

/**
 * Checks a task's payload (`milestone`, `user_story`) against its story, `current` being the
 * task before an update. Sets the milestone the task will have when the story decides it.
 */
export async function settleTaskSprint(
  session: Session,
  payload: Record<string, unknown>,
  current: RawItem | undefined,
  signal?: AbortSignal,
): Promise<void> {
  if (!("milestone" in payload) && !("user_story" in payload)) return;
  const storyId = "user_story" in payload ? payload.user_story : current?.user_story ?? null;
  if (typeof storyId !== "number") return;
  const story = await session.client.get<RawItem>(
    `${KINDS.userstory.path}/${storyId}`,
    undefined,
    signal,
  );
  const storySprint = (story.milestone as number | null | undefined) ?? null;
  if ("milestone" in payload && payload.milestone !== storySprint) {
    const where = storySprint === null
      ? "the backlog"
      : `sprint "${String(story.milestone_name ?? storySprint)}"`;
    throw new InputError(
      `A task of a user story is always in its story's sprint, and user story #${story.ref} is in ${where}: Taiga would ignore the sprint you sent. Move the story instead (update_user_story with sprint: its tasks follow), or pass user_story: null to take the task out of the story. Nothing was changed.`,
      { argument: "sprint" },
    );
  }
  payload.milestone = storySprint;
}
