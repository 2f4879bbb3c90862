/**
 * Destructive tools called with `confirm: true` only on objects the fuzz has just created, so a
 * confirmed delete never eats the demo data the other calls need.
 * @module
 */

import type { Harness } from "../helpers/harness.ts";

const PROJECT = "demo-demo-project";

type Made = Record<string, unknown>;

/** How to make a fresh target for one destructive tool: the creating call and the target args. */
interface Maker {
  create: string;
  args(n: number): Record<string, unknown>;
  target(made: Made, n: number): Record<string, unknown>;
}

function item(kind: string, one: string): Maker {
  return {
    create: `create_${one}`,
    args: (n) => ({ project: PROJECT, subject: `Fuzz ${kind} ${n}` }),
    target: (made) => ({ project: PROJECT, item: `#${(made.item as { ref: number }).ref}` }),
  };
}

const MAKERS: Record<string, Maker> = {
  delete_user_story: item("story", "user_story"),
  delete_task: item("task", "task"),
  delete_issue: item("issue", "issue"),
  delete_epic: item("epic", "epic"),
  promote_to_user_story: item("issue", "issue"),
  delete_wiki_page: {
    create: "create_wiki_page",
    args: (n) => ({ project: PROJECT, slug: `fuzz-page-${n}`, content: "Fuzz" }),
    target: (made) => ({ project: PROJECT, page: (made.page as { slug: string }).slug }),
  },
  delete_milestone: {
    create: "create_milestone",
    args: (n) => ({
      project: PROJECT,
      name: `Fuzz sprint ${n}`,
      start: "2026-01-01",
      finish: "2026-01-15",
    }),
    target: (made) => ({ project: PROJECT, sprint: (made.sprint as { id: number }).id }),
  },
  delete_attachment: {
    create: "add_attachment",
    args: (n) => ({
      project: PROJECT,
      kind: "user_story",
      item: "#5",
      filename: `fuzz-${n}.txt`,
      content_base64: btoa(`fuzz ${n}`),
    }),
    target: (made) => ({
      kind: "user_story",
      attachment_id: (made.attachment as { id: number }).id,
    }),
  },
  delete_project: {
    create: "create_project",
    args: (n) => ({ name: `Fuzz project ${n}`, description: "Fuzz" }),
    target: (made) => {
      const slug = (made.project as { slug: string }).slug;
      return { project: slug, confirm_slug: slug };
    },
  },
};

/** Whether `tool` can be called confirmed on a fresh object. */
export function hasFresh(tool: string): boolean {
  return tool in MAKERS;
}

/**
 * Creates a fresh object for destructive `tool`; resolves to the confirmed call's arguments, or
 * undefined when creating failed (the demo data may have been changed by earlier calls).
 */
export async function freshTarget(
  h: Harness,
  tool: string,
  n: number,
): Promise<Record<string, unknown> | undefined> {
  const maker = MAKERS[tool];
  const made = await h.call(maker.create, maker.args(n));
  if (made.isError) return undefined;
  const target = maker.target(made.structuredContent as Made, n);
  return tool === "delete_project" ? target : { ...target, confirm: true };
}
