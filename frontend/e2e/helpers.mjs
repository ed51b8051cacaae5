// Shared steps of the trading scenarios (not a test: run.mjs loads *.e2e.mjs only).

/** @typedef {import("playwright-core").Page} Page */

/**
 * Runs one step of a scenario; a failure says which step it was.
 * @template T
 * @param {string} what
 * @param {() => Promise<T>} action
 * @returns {Promise<T>}
 */
export async function step(what, action) {
  try {
    return await action();
  } catch (error) {
    const message = error instanceof Error ? error.message.split("\n")[0] : String(error);
    throw new Error(`${what}: ${message ?? ""}`, { cause: error });
  }
}

/**
 * Polls `check` until it returns true.
 * @param {() => Promise<boolean>} check
 * @param {string} what  Said in the timeout error.
 */
export async function waitUntil(check, what, timeoutMs = 20_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`Timed out after ${String(timeoutMs)} ms waiting for ${what}.`);
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
}

/**
 * "56¢" -> 56, "6.5¢" -> 6.5 (cents, for choosing test prices only).
 * @param {string} text
 */
export function cents(text) {
  return Number(text.replace("¢", ""));
}

/**
 * 56 -> "0.56": a whole-cent price in dollars, as the order form takes it.
 * @param {number} wholeCents
 */
export function dollars(wholeCents) {
  return (wholeCents / 100).toFixed(2);
}

/**
 * Opens markets from the list until one whose trading (demo) book has a YES
 * ask above 2¢, so that a 1¢ bid rests and a bid at the ask fills.
 * @param {import("./lib.mjs").TestContext} t
 * @returns {Promise<{ page: Page, ticker: string, bestAsk: number }>}
 */
export async function openTradableMarket(t) {
  const { page } = await t.open("/markets");
  const links = page.locator('table[aria-label="Markets"] tbody tr th a');
  await links.first().waitFor({ state: "visible", timeout: 30_000 });
  const tickers = (await links.allInnerTexts()).map((s) => s.trim()).slice(0, 8);
  for (const ticker of tickers) {
    await page.goto(new URL(`/markets/${encodeURIComponent(ticker)}`, t.baseUrl).href);
    await page.getByRole("heading", { name: ticker, level: 1 }).waitFor({ timeout: 20_000 });
    const ladder = page.locator('table[aria-label="Trading ladder"]');
    try {
      await ladder.locator("tbody tr").first().waitFor({ timeout: 10_000 });
    } catch {
      continue; // not listed on the trading environment, or an empty book
    }
    const askRows = ladder.locator("tbody tr[data-price]").filter({ has: page.locator("td.ladder__ask:not(:empty)") });
    const prices = await askRows.evaluateAll((rows) => rows.map((r) => r.getAttribute("data-price") ?? ""));
    const asks = prices.map(cents).filter((p) => Number.isFinite(p) && Number.isInteger(p));
    const bestAsk = asks.length === 0 ? NaN : Math.min(...asks);
    if (bestAsk > 2 && bestAsk < 98) return { page, ticker, bestAsk };
  }
  throw new Error(`None of ${tickers.join(", ")} has a YES ask between 3¢ and 97¢ on the trading book.`);
}

/**
 * Fills the order form and submits it.
 * @param {Page} page
 * @param {{ side: "YES" | "NO", action: "Buy" | "Sell", price: string, count: string }} order
 */
export async function placeOrder(page, order) {
  const form = page.getByRole("form", { name: "Place order" });
  await form.getByLabel(order.side, { exact: true }).check();
  await form.getByLabel(order.action, { exact: true }).check();
  await form.getByLabel(/Limit price/).fill(order.price);
  await form.getByLabel("Contracts").fill(order.count);
  await form.getByRole("button", { name: new RegExp(`^${order.action} ${order.side}`) }).click();
}

/**
 * Places an order and waits for the server to accept it. A refusal by the
 * data-freshness rule (a quiet market's book older than the limit) is a
 * property of the moment, so it is retried a few times; any other refusal
 * fails with the server's message.
 * @param {Page} page
 * @param {{ side: "YES" | "NO", action: "Buy" | "Sell", price: string, count: string }} order
 */
export async function placeAccepted(page, order, attempts = 5) {
  const form = page.getByRole("form", { name: "Place order" });
  const accepted = form.getByRole("status").filter({ hasText: /^Order / });
  const refused = form.getByRole("alert");
  for (let attempt = 1; ; attempt += 1) {
    await placeOrder(page, order);
    await step("see the server's answer", () => accepted.or(refused).first().waitFor({ timeout: 20_000 }));
    if ((await accepted.count()) > 0) return (await accepted.innerText()).trim();
    const reason = (await refused.innerText()).replace(/\s+/g, " ");
    if (!reason.includes("data_freshness") || attempt >= attempts) {
      throw new Error(`The order was refused: ${reason}`);
    }
    await page.waitForTimeout(1_500);
  }
}

/**
 * Our manual orders in the market's orders table, newest first.
 * @param {Page} page
 */
export function manualOrders(page) {
  return page.locator('table[aria-label="Market orders"] tbody tr[data-source="manual"]');
}

/**
 * Runs `body` with the actor paused and no resting orders, so the risk
 * limits (open orders, exposure) have room for the test's orders, then
 * resumes the actor. Uses the dashboard's own controls (Actor page, Orders
 * page "Cancel all").
 * @template T
 * @param {import("./lib.mjs").TestContext} t
 * @param {() => Promise<T>} body
 * @returns {Promise<T>}
 */
export async function withActorPaused(t, body) {
  const { page } = await t.open("/actor");
  const pause = page.getByRole("button", { name: "Pause actor" });
  const resume = page.getByRole("button", { name: "Resume actor" });
  await step("show the actor controls", () =>
    pause.or(resume).or(page.getByText(/The actor is not running/)).first().waitFor({ timeout: 20_000 }),
  );
  const paused = (await pause.count()) > 0;
  if (paused) {
    await step("pause the actor", async () => {
      await pause.click();
      await resume.waitFor({ timeout: 20_000 });
    });
  }
  try {
    await step("cancel every resting order from the Orders page", async () => {
      await page.goto(new URL("/orders", t.baseUrl).href);
      const cancelAll = page.getByRole("button", { name: "Cancel all" });
      await cancelAll.waitFor({ timeout: 20_000 });
      if (await cancelAll.isEnabled()) {
        await cancelAll.click();
        await page.getByRole("status").filter({ hasText: /Canceled \d+ order/ }).waitFor({ timeout: 20_000 });
      }
    });
    return await body();
  } finally {
    if (paused) {
      await step("resume the actor", async () => {
        await page.goto(new URL("/actor", t.baseUrl).href);
        await resume.click();
        await pause.waitFor({ timeout: 20_000 });
      });
    }
  }
}
