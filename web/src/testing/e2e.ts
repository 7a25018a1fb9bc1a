import type { Page } from 'playwright-core';
import { chromiumAvailable } from './chromium';

// Shared by the e2e tests (src/e2e): they run in Debian's Chromium against real API servers that serve the
// UI built by the global setup.

/**
 * `describe` when Chromium is there (or with CI=true, where a missing Chromium fails); otherwise the
 * suite is skipped with a warning.
 */
export function describeInChromium(name: string, suite: () => void): void {
  if (chromiumAvailable() || process.env.CI === 'true') describe(name, suite);
  else {
    console.warn(`[web e2e] /usr/bin/chromium missing: "${name}" skipped (run scripts/chromium-up.sh)`);
    describe.skip(name, suite);
  }
}

/** The web UI built by the global setup, for startTestServer's `webDir`. */
export function testWebDir(): string {
  const webDir = process.env.JOBMON_TEST_WEB_DIR;
  if (!webDir) throw new Error('JOBMON_TEST_WEB_DIR is not set: the web project global setup builds the UI');
  return webDir;
}

/** Waits for the document title (set by an effect after the page renders). */
export function waitForTitle(page: Page, title: string | RegExp): Promise<unknown> {
  return page
    .waitForFunction(
      ([exact, source]) =>
        exact !== null ? document.title === exact : new RegExp(source!).test(document.title),
      typeof title === 'string' ? ([title, null] as const) : ([null, title.source] as const),
    )
    .catch(async (error: Error) => {
      throw new Error(`title is "${await page.title()}", not ${String(title)}: ${error.message}`);
    });
}
