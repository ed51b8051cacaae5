// Cancel an order: a resting 1¢ bid gets a Cancel button; after it the row
// says canceled and the page confirms it.

import { manualOrders, openTradableMarket, placeAccepted, step, withActorPaused } from "./helpers.mjs";

export const name = "cancel-order";

/** @param {import("./lib.mjs").TestContext} t */
export async function run(t) {
  await withActorPaused(t, () => body(t));
}

/** @param {import("./lib.mjs").TestContext} t */
async function body(t) {
  const { page, ticker } = await openTradableMarket(t);
  await placeAccepted(page, { side: "YES", action: "Buy", price: "0.01", count: "2" });
  const row = manualOrders(page).and(page.locator('[data-status="resting"]')).first();
  await step("see the 1¢ bid resting", () => row.waitFor({ timeout: 20_000 }));
  const id = await row.getAttribute("data-order");
  if (id === null) throw new Error("The order row has no client order id.");
  console.log(`        ${ticker}: resting ${id}`);

  await row.getByRole("button", { name: `Cancel order ${id}` }).click();
  await step("see the cancel confirmed", () =>
    page.getByRole("status").filter({ hasText: "Order canceled." }).waitFor({ timeout: 20_000 }),
  );
  await step("see the order canceled in the list", () =>
    page
      .locator(`table[aria-label="Market orders"] tr[data-order="${id}"][data-status="canceled"]`)
      .waitFor({ timeout: 20_000 }),
  );
  console.log(`        screenshot: ${await t.screenshot(page, "cancel-order")}`);
}
