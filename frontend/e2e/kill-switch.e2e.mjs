// Engage the kill switch from the System page, then release it.

export const name = "kill-switch";

/** @param {import("./lib.mjs").TestContext} t */
export async function run(t) {
  const { page } = await t.open("/system");
  const panel = page.getByRole("region", { name: "Kill switch" });
  await panel.waitFor({ timeout: 20_000 });
  await panel.getByText("Kill switch: released").waitFor({ timeout: 10_000 });

  await panel.getByLabel("Reason").fill("e2e: engage");
  await panel.getByRole("button", { name: "Engage kill switch" }).click();
  try {
    await panel.getByText(/Kill switch: ENGAGED/).waitFor({ timeout: 20_000 });
    await page.getByRole("status").filter({ hasText: /Kill switch engaged/ }).waitFor({ timeout: 10_000 });
    await panel.getByText("Reason: e2e: engage").waitFor({ timeout: 10_000 });
    // ...and the banner on every screen says so.
    await page
      .getByRole("alert", { name: "Environments" })
      .filter({ hasText: "KILL SWITCH ENGAGED" })
      .waitFor({ timeout: 10_000 });
    await t.screenshot(page, "kill-switch-engaged");
  } finally {
    // Never leave the backend refusing orders, even when a check above failed.
    const release = panel.getByRole("button", { name: "Release kill switch" });
    await release.waitFor({ timeout: 10_000 });
    await panel.getByLabel("Reason").fill("e2e: release");
    await release.click();
  }
  await panel.getByText("Kill switch: released").waitFor({ timeout: 20_000 });
  await page.getByRole("note", { name: "Environments" }).waitFor({ timeout: 10_000 });
  console.log(`        screenshot: ${await t.screenshot(page, "kill-switch")}`);
}
