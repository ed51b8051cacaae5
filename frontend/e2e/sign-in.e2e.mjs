// Sign-in: without a token the dashboard asks for one; a wrong token is
// refused with a clear message (the API answers HTTP 401); the right one
// opens the Markets page and is remembered across a reload.

export const name = "sign-in";

/** @param {import("./lib.mjs").TestContext} t */
export async function run(t) {
  if (t.token === null) {
    throw new Error("Set KALSHIFLOW_E2E_TOKEN (or ?token= on KALSHIFLOW_E2E_URL) to the API token.");
  }
  // The wrong token's 401 is provoked on purpose; nothing else may fail.
  const { page } = await t.open("/", {
    signIn: false,
    expected: [/HTTP 401/, /status of 401/],
  });

  const form = page.getByRole("form", { name: "Sign in" });
  await form.waitFor({ state: "visible", timeout: 20_000 });
  const tokenInput = page.getByLabel("API token");

  await tokenInput.fill("definitely-not-the-token");
  await page.getByRole("button", { name: "Sign in" }).click();
  const alert = page.getByRole("alert").filter({ hasText: "refused" });
  await alert.waitFor({ state: "visible", timeout: 20_000 });
  console.log(`        wrong token: ${(await alert.innerText()).replace(/\s+/g, " ")}`);
  await t.screenshot(page, "sign-in-refused");

  await page.getByLabel("API token").fill(t.token);
  await page.getByRole("button", { name: "Sign in" }).click();
  await page.getByRole("heading", { name: "Markets", level: 1 }).waitFor({ timeout: 20_000 });
  await page.getByRole("status", { name: /^API connection: online/ }).waitFor({ timeout: 20_000 });

  await page.reload();
  await page.getByRole("heading", { name: "Markets", level: 1 }).waitFor({ timeout: 20_000 });
  const stored = await page.evaluate('window.localStorage.getItem("kalshiflow.apiToken")');
  if (stored !== t.token) throw new Error("The token was not remembered in localStorage.");
  console.log(`        screenshot: ${await t.screenshot(page, "sign-in")}`);
}
