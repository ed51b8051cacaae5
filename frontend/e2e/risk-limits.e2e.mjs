// Risk limits: change one from the System page, see it in force, put it back.

import { step } from "./helpers.mjs";

export const name = "risk-limits";

/** @param {import("./lib.mjs").TestContext} t */
export async function run(t) {
  const { page } = await t.open("/system");
  const panel = page.getByRole("region", { name: "Risk" });
  const shown = panel.locator(".facts__item").filter({ hasText: "Max open orders" }).locator("dd");
  await step("show the risk limits", () => shown.waitFor({ timeout: 20_000 }));
  const before = (await shown.innerText()).trim();
  const changed = String(Number(before) + 7);

  /** @param {string} value */
  const setMaxOpenOrders = async (value) => {
    await panel.getByRole("button", { name: "Edit limits" }).click();
    const form = panel.getByRole("form", { name: "Edit risk limits" });
    await form.getByLabel("Max open orders").fill(value);
    await form.getByRole("button", { name: "Save limits" }).click();
    await panel.getByRole("status").filter({ hasText: "Risk limits updated (maxOpenOrders)" }).waitFor({ timeout: 20_000 });
    await shown.filter({ hasText: new RegExp(`^${value}$`) }).waitFor({ timeout: 20_000 });
  };

  await step(`raise max open orders to ${changed}`, () => setMaxOpenOrders(changed));
  console.log(`        screenshot: ${await t.screenshot(page, "risk-limits")}`);
  await step(`put max open orders back to ${before}`, () => setMaxOpenOrders(before));
}
