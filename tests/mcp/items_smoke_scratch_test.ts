import { startHarness } from "../helpers/harness.ts";
Deno.test("smoke", async () => {
  const h = await startHarness();
  try {
    const p = { project: "demo-demo-project" };
    console.error(JSON.stringify(await h.ok("get_project_metadata", p)).slice(0, 3000));
    console.error(JSON.stringify(await h.ok("list_user_stories", p)));
    console.error(JSON.stringify(await h.ok("get_user_story", { ...p, item: "#3" })));
    console.error(JSON.stringify(await h.ok("list_issues", { ...p, verbose: false })));
    console.error(JSON.stringify(await h.ok("list_tasks", { ...p, status: "open" })));
    console.error(await h.fails("list_tasks", { ...p, status: "Nope" }));
  } finally {
    await h.close();
  }
});
