import type { Config } from '@jobmon/api';
import { startTestServer, testDialects, type TestServer } from '@jobmon/api/testing';
import type { Page } from 'playwright-core';
import { CHROMIUM_PATH, chromiumAvailable, launchChromium, type Chromium } from './chromium';

type Dialect = ReturnType<typeof testDialects>[number];

// Shared by the browser tests (src/web): they run in Debian's Chromium against real API servers that serve
// the UI built by the global setup (web-global-setup.ts).

/**
 * `describe` when Chromium is there (or with CI=true, where a missing Chromium fails); otherwise the
 * suite is skipped with a warning.
 */
export function describeInChromium(name: string, suite: () => void): void {
  if (chromiumAvailable() || process.env.CI === 'true') describe(name, suite);
  else {
    console.warn(`[web e2e] ${CHROMIUM_PATH} missing: "${name}" skipped (run scripts/chromium-up.sh)`);
    describe.skip(name, suite);
  }
}

/** The web UI built by the global setup, for startTestServer's `webDir`. */
export function testWebDir(): string {
  const webDir = process.env.JOBMON_TEST_WEB_DIR;
  if (!webDir)
    throw new Error('JOBMON_TEST_WEB_DIR is not set: the e2e-web project global setup builds the UI');
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

/** What a web UI browser suite works with: one Chromium page, and the current database's real API server. */
export interface WebUiContext {
  readonly page: Page;
  readonly browser: Chromium;
  readonly server: TestServer;
  readonly dialect: Dialect;
}

/** Where a browser test file departs from the common frame. */
export interface WebUiOptions {
  /** Config for each database's API server, over the test defaults (e.g. `{ auth: true }`). */
  readonly server?: Partial<Config>;
  /** The browser window's size; launchChromium's default when absent. */
  readonly viewport?: { readonly width: number; readonly height: number };
  /** The page's default timeout for waits and actions (30 s when absent). */
  readonly timeoutMs?: number;
  /** Console lines that are the point of the tests (e.g. Chromium's line for a refused request). */
  readonly allowConsole?: RegExp;
}

/**
 * The common frame of the web UI's browser test files: one Chromium for the file (a console error, a CSP
 * violation included, fails the test it happens in, unless `allowConsole` matches it), and for each test
 * database a real API server serving the built UI, stopped (after the page has left it) once its tests
 * are done. `suite` runs once per database, its hooks after these.
 */
export function describeWebUi(
  name: string,
  suite: (ui: WebUiContext) => void,
  options: WebUiOptions = {},
): void {
  describeInChromium(name, () => {
    let browser: Chromium | undefined;
    let page: Page | undefined;
    beforeAll(async () => {
      browser = await launchChromium(options.viewport && { ...options.viewport });
      page = await browser.newPage();
      page.setDefaultTimeout(options.timeoutMs ?? 30_000);
    });
    afterAll(async () => {
      await browser?.close();
    });
    afterEach(() => {
      if (!browser) return;
      // Each test answers for its own console lines only, so they are taken out of the list.
      const lines = browser.consoleErrors.splice(0);
      const unexpected = options.allowConsole
        ? lines.filter((line) => !options.allowConsole!.test(line))
        : lines;
      expect(unexpected).toEqual([]);
    });

    describe.each(testDialects())('on %s', (dialect) => {
      let server: TestServer | undefined;
      beforeAll(async () => {
        server = await startTestServer(dialect, { ...options.server, webDir: testWebDir() });
      });
      afterAll(async () => {
        // A blank page first: the UI's socket to this server closes before the server does.
        await page?.goto('about:blank');
        await server?.stop();
      });
      const started = <T>(value: T | undefined, what: string): T => {
        if (value === undefined) throw new Error(`${what} is not started yet (use it inside a hook or test)`);
        return value;
      };
      suite({
        get page() {
          return started(page, 'the page');
        },
        get browser() {
          return started(browser, 'Chromium');
        },
        get server() {
          return started(server, 'the API server');
        },
        dialect,
      });
    });
  });
}
