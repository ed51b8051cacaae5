// Place an order from the market page: a 1¢ YES bid rests (marked on the
// trading ladder as ours), a bid at the best ask fills.

import { dollars, manualOrders, openTradableMarket, placeAccepted, step, waitUntil, withActorPaused } from "./helpers.mjs";

export const name = "place-order";

/** @param {import("./lib.mjs").TestContext} t */
export async function run(t) {
  await withActorPaused(t, () => body(t));
}

/** @param {import("./lib.mjs").TestContext} t */
async function body(t) {
  const { page, ticker, bestAsk } = await openTradableMarket(t);
  console.log(`        ${ticker}: best trading YES ask ${String(bestAsk)}¢`);

  // 1. A bid far below the ask rests.
  const answer = await placeAccepted(page, { side: "YES", action: "Buy", price: "0.01", count: "1" });
  console.log(`        ${answer}`);
  const resting = manualOrders(page).and(page.locator('[data-status="resting"]'));
  await step("see the 1¢ bid resting", () => resting.first().waitFor({ timeout: 20_000 }));
  await step("see it marked as ours on the trading ladder", () =>
    page.locator('table[aria-label="Trading ladder"] tr[data-price="1¢"] .ladder__own').first().waitFor({ timeout: 20_000 }),
  );
  await t.screenshot(page, "place-order-resting");

  // 2. A bid at (a little above) the best ask fills.
  const fillPrice = dollars(Math.min(bestAsk + 2, 99));
  await placeAccepted(page, { side: "YES", action: "Buy", price: fillPrice, count: "1" });
  const filled = manualOrders(page).and(page.locator('[data-status="executed"], [data-status="partially_filled"]'));
  await waitUntil(async () => (await filled.count()) > 0, `the ${fillPrice} bid to fill`);
  console.log(`        filled: ${(await filled.first().innerText()).replace(/\s+/g, " ")}`);
  console.log(`        screenshot: ${await t.screenshot(page, "place-order")}`);

  // Leave nothing resting for the next scenario.
  await page.getByRole("button", { name: "Cancel all here" }).click();
  await page.getByRole("status").filter({ hasText: /Canceled \d+ order/ }).waitFor({ timeout: 20_000 });
}
