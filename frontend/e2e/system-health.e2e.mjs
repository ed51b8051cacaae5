// The System page loads, queries `health` through the real API and shows at
// least one component row, without any console error.

export const name = "system-health";

const ROW = 'table[aria-label="Components"] tbody tr';
const ALERT = '[role="alert"]';

/** @param {import("./lib.mjs").TestContext} t */
export async function run(t) {
  const { page } = await t.open("/system");

  const title = await page.title();
  if (title !== "kalshiflow") {
    throw new Error(`Expected the document title "kalshiflow", got ${JSON.stringify(title)}.`);
  }

  // Whichever comes first: a component row (pass) or the error banner (fail
  // with the message the operator would read).
  const first = await page
    .locator(`${ROW}, ${ALERT}`)
    .first()
    .waitFor({ state: "visible", timeout: 20_000 })
    .then(async () => ((await page.locator(ALERT).count()) > 0 ? "alert" : "row"));
  if (first === "alert") {
    const text = (await page.locator(ALERT).first().innerText()).replace(/\s+/g, " ");
    throw new Error(`The System page shows an error instead of components: ${text}`);
  }

  const components = await page.locator(`${ROW} th`).allInnerTexts();
  console.log(`        components: ${components.join(", ")}`);
  await page
    .getByRole("status", { name: /^API connection: online/ })
    .waitFor({ state: "visible", timeout: 10_000 });
  console.log(`        screenshot: ${await t.screenshot(page, "system-health")}`);
}
