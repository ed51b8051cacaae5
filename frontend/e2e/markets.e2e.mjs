// Markets: the table lists markets with live production prices beside demo's,
// a search narrows it, and a click opens the market with both ladders.

export const name = "open-market";

const ROW = 'table[aria-label="Markets"] tbody tr';

/** @param {import("./lib.mjs").TestContext} t */
export async function run(t) {
  const { page } = await t.open("/markets");
  await page.locator(ROW).first().waitFor({ state: "visible", timeout: 30_000 });
  const count = await page.locator(ROW).count();
  const firstTicker = (await page.locator(`${ROW} th a`).first().innerText()).trim();
  console.log(`        ${String(count)} markets, first ${firstTicker}`);

  // Search narrows the list to matching tickers.
  await page.getByLabel("Search").fill(firstTicker);
  await page.waitForFunction(
    (ticker) =>
      [...document.querySelectorAll('table[aria-label="Markets"] tbody tr th a')].every((a) =>
        (a.textContent ?? "").includes(ticker),
      ),
    firstTicker,
    { timeout: 10_000 },
  );
  await page.getByRole("status", { name: /online · live/ }).waitFor({ timeout: 20_000 });
  await t.screenshot(page, "markets");

  await page.locator(ROW).first().click();
  await page.getByRole("heading", { name: firstTicker, level: 1 }).waitFor({ timeout: 20_000 });
  if (!page.url().endsWith(`/markets/${encodeURIComponent(firstTicker)}`)) {
    throw new Error(`Expected the market URL, got ${page.url()}`);
  }
  await page.locator('table[aria-label="Data ladder"] tbody tr').first().waitFor({ timeout: 20_000 });
  await page.locator('table[aria-label="Trading ladder"] tbody tr').first().waitFor({ timeout: 20_000 });
  await page.getByRole("img", { name: "Depth chart" }).waitFor({ timeout: 10_000 });
  console.log(`        screenshot: ${await t.screenshot(page, "market")}`);
}
