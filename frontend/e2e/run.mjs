// Minimal browser-test runner: `npm run e2e [-- <name filter>]`.
//
// Every e2e/*.e2e.mjs module exports `name` and `run(t)`. Each test gets its
// own Chromium with a fresh profile; it fails if `run` throws or if the page
// logged any console error, page error or failed request. A screenshot is
// saved on failure. The exit code is the number of failed tests (capped).

import { readdir } from "node:fs/promises";
import { fileURLToPath, pathToFileURL } from "node:url";

import {
  apiTokenFromEnv,
  appUrlFromEnv,
  errorMessage,
  launchBrowser,
  openPage,
  screenshot,
} from "./lib.mjs";

/** @typedef {import("./lib.mjs").TestContext} TestContext */

/**
 * @typedef {object} TestModule
 * @property {string} name
 * @property {(t: TestContext) => Promise<void>} run
 */

const TEST_TIMEOUT_MS = Number(process.env.KALSHIFLOW_E2E_TIMEOUT_MS ?? 60_000);

async function main() {
  const baseUrl = appUrlFromEnv();
  const filter = process.argv[2] ?? "";
  const tests = (await loadTests()).filter((t) => t.name.includes(filter));
  if (tests.length === 0) {
    throw new Error(`No e2e test matches ${JSON.stringify(filter)}.`);
  }

  const shown = new URL(baseUrl.href);
  shown.search = ""; // never print the token
  console.log(`e2e against ${shown.href} (${String(tests.length)} test(s))`);
  let failed = 0;
  for (const test of tests) {
    const started = Date.now();
    const outcome = await runOne(test, baseUrl);
    const took = `${String(Date.now() - started)} ms`;
    if (outcome === null) {
      console.log(`  ok    ${test.name} (${took})`);
    } else {
      failed += 1;
      console.log(`  FAIL  ${test.name} (${took})\n${indent(outcome)}`);
    }
  }
  console.log(failed === 0 ? "e2e: all passed" : `e2e: ${String(failed)} failed`);
  process.exitCode = Math.min(failed, 100);
}

/**
 * @param {TestModule} test
 * @param {URL} baseUrl
 * @returns {Promise<string | null>} null on success, else the failure text.
 */
async function runOne(test, baseUrl) {
  const session = await launchBrowser();
  const token = apiTokenFromEnv(baseUrl);
  /** @type {import("./lib.mjs").OpenedPage[]} */
  const opened = [];
  /** @type {TestContext} */
  const context = {
    baseUrl,
    token,
    async open(path = "/", options = {}) {
      const url = new URL(path, baseUrl);
      url.search = new URL(path, "http://x").search; // the base's ?token= is not the page's
      if (options.signIn !== false) withToken(url, token);
      const page = await openPage(session, url.href, options.expected ?? []);
      opened.push(page);
      return page;
    },
    screenshot,
  };
  try {
    await withTimeout(test.run(context), TEST_TIMEOUT_MS, test.name);
    for (const page of opened) {
      page.assertNoProblems();
    }
    return null;
  } catch (error) {
    const lines = [errorMessage(error)];
    for (const [index, page] of opened.entries()) {
      // Problems explain most failures (e.g. the API proxy answering 502).
      for (const problem of page.problems) {
        if (!lines[0]?.includes(problem)) lines.push(problem);
      }
      try {
        const suffix = index === 0 ? "" : `-page${String(index + 1)}`;
        lines.push(`screenshot: ${await screenshot(page.page, `FAILED-${test.name}${suffix}`)}`);
      } catch (shotError) {
        lines.push(`screenshot failed: ${errorMessage(shotError)}`);
      }
    }
    return lines.join("\n");
  } finally {
    await session.close();
  }
}

/**
 * The API needs a token: the test harness passes the one `kalshiflow up` printed in
 * KALSHIFLOW_E2E_TOKEN, and pages open with it in `?token=`, as a person following
 * the printed link does (the dashboard stores it and removes it from the URL).
 * @param {URL} url
 * @param {string | null} token
 */
function withToken(url, token) {
  if (token !== null && !url.searchParams.has("token")) {
    url.searchParams.set("token", token);
  }
  return url;
}

/** @returns {Promise<TestModule[]>} */
async function loadTests() {
  const dir = fileURLToPath(new URL(".", import.meta.url));
  const files = (await readdir(dir)).filter((f) => f.endsWith(".e2e.mjs")).sort();
  /** @type {TestModule[]} */
  const tests = [];
  for (const file of files) {
    /** @type {Partial<TestModule>} */
    const mod = await import(pathToFileURL(`${dir}${file}`).href);
    if (typeof mod.name !== "string" || typeof mod.run !== "function") {
      throw new Error(`${file} must export \`name\` (string) and \`run(t)\` (async function).`);
    }
    tests.push({ name: mod.name, run: mod.run });
  }
  return tests;
}

/**
 * @template T
 * @param {Promise<T>} promise
 * @param {number} ms
 * @param {string} name
 * @returns {Promise<T>}
 */
function withTimeout(promise, ms, name) {
  /** @type {NodeJS.Timeout | undefined} */
  let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`${name} did not finish within ${String(ms)} ms`));
    }, ms);
  });
  return /** @type {Promise<T>} */ (Promise.race([promise, timeout])).finally(() => {
    clearTimeout(timer);
  });
}

/** @param {string} text */
function indent(text) {
  return text
    .split("\n")
    .map((line) => `        ${line}`)
    .join("\n");
}

main().catch((/** @type {unknown} */ error) => {
  console.error(`e2e: ${errorMessage(error)}`);
  process.exitCode = 2;
});
