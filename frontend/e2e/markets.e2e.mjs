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
  await waitUntil(async () => {
    const tickers = await page.locator(`${ROW} th a`).allInnerTexts();
    return tickers.length > 0 && tickers.every((text) => text.includes(firstTicker));
  }, "the search to narrow the table to the searched ticker");
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

/**
 * @param {() => Promise<boolean>} check
 * @param {string} what
 */
async function waitUntil(check, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}
