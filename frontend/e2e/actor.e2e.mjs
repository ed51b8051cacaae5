// The actor's decisions stream in: the log grows while the page is open.

import { waitUntil } from "./helpers.mjs";

export const name = "actor-decisions";

const ROWS = 'table[aria-label="Actor decisions"] tbody tr';

/** @param {import("./lib.mjs").TestContext} t */
export async function run(t) {
  const { page } = await t.open("/actor");
  await page.getByRole("heading", { name: "Actor", level: 1 }).waitFor({ timeout: 20_000 });
  const notRunning = page.getByText(/The actor is not running/);
  await page.locator(`${ROWS}, :text("The actor is not running")`).first().waitFor({ timeout: 30_000 });
  if ((await notRunning.count()) > 0) throw new Error("The actor is not running in this backend.");

  const firstText = async () => (await page.locator(ROWS).first().innerText()).replace(/\s+/g, " ");
  const before = await firstText();
  await waitUntil(async () => (await firstText()) !== before, "a new actor decision to stream in", 30_000);
  console.log(`        newest: ${await firstText()}`);
  await page.getByRole("table", { name: "Per-market counters" }).waitFor();
  console.log(`        screenshot: ${await t.screenshot(page, "actor")}`);
}
