// Helpers for kalshiflow's browser tests. Plain ESM JavaScript with JSDoc
// types (checked by tsconfig.node.json), so it runs on node 20 with no loader.
//
// It drives the system Chromium (Debian's /usr/bin/chromium) through
// playwright-core. It never downloads a browser.

import { mkdir, mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

import { chromium } from "playwright-core";

/** @typedef {import("playwright-core").BrowserContext} BrowserContext */
/** @typedef {import("playwright-core").Page} Page */

/**
 * @typedef {object} BrowserSession
 * @property {BrowserContext} context
 * @property {string} userDataDir  A fresh profile, deleted by close().
 * @property {() => Promise<void>} close
 */

/**
 * @typedef {object} OpenedPage
 * @property {Page} page
 * @property {string[]} problems  Console errors, page errors, failed requests.
 * @property {() => void} assertNoProblems  Throws listing every problem seen so far.
 */

/**
 * What the runner (run.mjs) hands to each test's `run(t)`.
 * @typedef {object} TestContext
 * @property {URL} baseUrl
 * @property {string | null} token  The API token (KALSHIFLOW_API_TOKEN or ?token= on the URL).
 * @property {(path?: string, options?: { signIn?: boolean, expected?: RegExp[] }) => Promise<OpenedPage>} open
 *   Opens a page relative to baseUrl, signed in with the token unless
 *   `signIn: false`; its problems (except `expected` ones) are checked after the test.
 * @property {typeof screenshot} screenshot
 */

export const TEST_RESULTS_DIR = fileURLToPath(new URL("../test-results/", import.meta.url));

export const CHROMIUM_PATH = process.env.KALSHIFLOW_CHROMIUM ?? "/usr/bin/chromium";

// Quiet, reproducible, offline-friendly Chromium: no GPU, no background
// updates or sync, no QUIC (the proxy speaks HTTP/1.1 and WebSocket).
export const CHROMIUM_ARGS = [
  "--headless",
  "--no-sandbox",
  "--disable-gpu",
  "--disable-background-networking",
  "--disable-component-update",
  "--no-first-run",
  "--disable-sync",
  "--disable-quic",
];

/**
 * Starts Chromium with a fresh temporary profile.
 * @param {{ viewport?: { width: number, height: number } }} [options]
 * @returns {Promise<BrowserSession>}
 */
export async function launchBrowser(options = {}) {
  const userDataDir = await mkdtemp(path.join(tmpdir(), "kalshiflow-e2e-"));
  /** @type {BrowserContext} */
  let context;
  try {
    context = await chromium.launchPersistentContext(userDataDir, {
      executablePath: CHROMIUM_PATH,
      headless: true,
      args: CHROMIUM_ARGS,
      viewport: options.viewport ?? { width: 1280, height: 800 },
    });
  } catch (error) {
    await rm(userDataDir, { recursive: true, force: true });
    throw new Error(
      `Could not start Chromium at ${CHROMIUM_PATH}. Install it with ` +
        "`apt-get install -y chromium` or set KALSHIFLOW_CHROMIUM to its path. " +
        `Cause: ${errorMessage(error)}`,
      { cause: error },
    );
  }
  return {
    context,
    userDataDir,
    async close() {
      await context.close();
      await rm(userDataDir, { recursive: true, force: true });
    },
  };
}

/**
 * Opens a page and records everything that should fail a test: console
 * errors, uncaught page errors, requests that failed or answered >= 400.
 * @param {BrowserSession} session
 * @param {string} url
 * @param {RegExp[]} [expected]  Problems the test provokes on purpose (e.g. a
 *   wrong token's HTTP 401); anything else still fails the test.
 * @returns {Promise<OpenedPage>}
 */
export async function openPage(session, url, expected = []) {
  const page = await session.context.newPage();
  /** @type {string[]} */
  const problems = [];
  const record = (/** @type {string} */ problem) => {
    if (!expected.some((re) => re.test(problem))) problems.push(problem);
  };

  page.on("console", (message) => {
    if (message.type() === "error") {
      const { url: source, lineNumber } = message.location();
      const where = source ? ` (${source}:${String(lineNumber)})` : "";
      record(`console error: ${message.text()}${where}`);
    }
  });
  page.on("pageerror", (error) => {
    record(`page error: ${error.message}${error.stack ? `\n${error.stack}` : ""}`);
  });
  page.on("requestfailed", (request) => {
    const reason = request.failure()?.errorText ?? "unknown reason";
    // The app aborts requests it no longer needs (a page left, a poll
    // replaced); that is not a failure. Refused or broken ones still are.
    if (reason === "net::ERR_ABORTED") return;
    record(`request failed: ${request.method()} ${request.url()}: ${reason}`);
  });
  page.on("response", (response) => {
    if (response.status() >= 400) {
      const request = response.request();
      record(
        `HTTP ${String(response.status())} ${response.statusText()}: ${request.method()} ${response.url()}`,
      );
    }
  });
  page.on("crash", () => {
    record("page crashed");
  });

  await page.goto(url, { waitUntil: "domcontentloaded" });
  return {
    page,
    problems,
    assertNoProblems() {
      if (problems.length > 0) {
        throw new Error(`The page reported ${String(problems.length)} problem(s):\n  ${problems.join("\n  ")}`);
      }
    },
  };
}

/**
 * Saves a full-page PNG under frontend/test-results/ and returns its path.
 * @param {Page} page
 * @param {string} name  File name without extension, e.g. "system-health".
 */
export async function screenshot(page, name) {
  await mkdir(TEST_RESULTS_DIR, { recursive: true });
  const file = path.join(TEST_RESULTS_DIR, `${name.replace(/[^\w.-]+/g, "_")}.png`);
  await page.screenshot({ path: file, fullPage: true });
  return file;
}

/**
 * The app URL under test, e.g. http://127.0.0.1:8000 (the backend serving
 * dist/) or http://127.0.0.1:4173 (`npm run preview`).
 * @returns {URL}
 */
export function appUrlFromEnv() {
  const raw = process.env.KALSHIFLOW_E2E_URL;
  if (raw === undefined || raw === "") {
    throw new Error(
      "Set KALSHIFLOW_E2E_URL to the dashboard's address, e.g. " +
        "KALSHIFLOW_E2E_URL=http://127.0.0.1:8000 npm run e2e",
    );
  }
  try {
    return new URL(raw);
  } catch {
    throw new Error(`KALSHIFLOW_E2E_URL is not a valid URL: ${JSON.stringify(raw)}`);
  }
}

/**
 * The API token for the dashboard under test: KALSHIFLOW_E2E_TOKEN (what the
 * backend's browser test passes), else a `?token=` already on the URL (the
 * link `kalshiflow up` prints). Null when neither is set.
 * @param {URL} baseUrl
 * @returns {string | null}
 */
export function apiTokenFromEnv(baseUrl) {
  const fromEnv = process.env.KALSHIFLOW_E2E_TOKEN;
  if (fromEnv !== undefined && fromEnv.trim() !== "") return fromEnv.trim();
  return baseUrl.searchParams.get("token");
}

/** @param {unknown} error */
export function errorMessage(error) {
  return error instanceof Error ? error.message : String(error);
}
