import { startTestServer, type TestServer } from '@jobmon/api/testing';
import type { Page } from 'playwright-core';
import { chromiumAvailable, launchChromium, type Chromium } from '../testing/chromium';
import { ScriptedDistributor, submitWorkflow, type TaskSpec } from '../testing/protocol';

// The web UI in Debian's Chromium against a real API server (SQLite) that serves the UI built by the
// global setup. The test is the distributor (GraphQL protocol), so it decides when each task ends;
// every wait is for a selector, none is a fixed sleep. Outside CI a missing Chromium skips the suite;
// with CI=true it fails.
const describeInChromium = chromiumAvailable() || process.env.CI === 'true' ? describe : describe.skip;
if (!chromiumAvailable() && process.env.CI !== 'true')
  console.warn('[web e2e] /usr/bin/chromium missing: skipped (run scripts/chromium-up.sh)');

/** A diamond-ish DAG: 1 prepare → 4 fit → 4 summarise → 1 report, in 4 templates. */
function pipeline(): { templates: string[]; tasks: TaskSpec[] } {
  const tasks: TaskSpec[] = [{ key: 'prepare', template: 'prepare', args: { run: 1 } }];
  for (let i = 0; i < 4; i++) {
    tasks.push({ key: `fit-${i}`, template: 'fit', args: { loc: i }, upstream: ['prepare'] });
    tasks.push({ key: `summarise-${i}`, template: 'summarise', args: { loc: i }, upstream: [`fit-${i}`] });
  }
  tasks.push({
    key: 'report',
    template: 'report',
    args: { run: 1 },
    upstream: [0, 1, 2, 3].map((i) => `summarise-${i}`),
  });
  return { templates: ['prepare', 'fit', 'summarise', 'report'], tasks };
}

describeInChromium('web UI in Chromium', () => {
  let server: TestServer;
  let browser: Chromium;
  let page: Page;
  let distributor: ScriptedDistributor;
  let workflowCount = 0;

  const submit = (name: string) =>
    submitWorkflow(server.graphql, {
      tool: 'e2e-tool',
      workflowArgs: `${name}-${++workflowCount}`,
      name,
      ...pipeline(),
    });

  beforeAll(async () => {
    const webDir = process.env.JOBMON_TEST_WEB_DIR;
    if (!webDir)
      throw new Error('JOBMON_TEST_WEB_DIR is not set: the web project global setup builds the UI');
    server = await startTestServer('sqlite', { webDir });
    browser = await launchChromium();
    page = await browser.newPage();
    page.setDefaultTimeout(30_000);
    distributor = await ScriptedDistributor.register(server.graphql, `web-e2e-${process.pid}`);
  });
  afterAll(async () => {
    await browser?.close();
    await server?.stop();
  });
  afterEach(() => {
    // Each scenario must leave no console error (React warnings, failed requests, GraphQL errors).
    if (browser) expect(browser.consoleErrors).toEqual([]);
  });

  it('shows a newly submitted workflow in the list, live', async () => {
    await page.goto(`${server.url}/`);
    // The list has loaded (empty, or a page of older workflows) before the workflow exists.
    await page.locator('.empty, .pager').first().waitFor();
    const workflow = await submit('listed');
    const row = page.locator(`tr[data-workflow-id="${workflow.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('listed');
    expect(await row.textContent()).toContain('e2e-tool');
    await row.getByRole('link', { name: 'listed' }).click();
    await page.waitForURL(`**/workflows/${workflow.id}`);
  });

  it('draws every node of the DAG with its status', async () => {
    const workflow = await submit('drawn');
    await page.goto(`${server.url}/workflows/${workflow.id}`);
    const nodes = page.locator('.dag [data-task-id]');
    await page.waitForFunction(
      (expected) => document.querySelectorAll('.dag [data-task-id]').length === expected,
      workflow.taskIdsByKey.size,
    );
    const drawn = await nodes.evaluateAll((elements) =>
      elements.map((e) => [e.getAttribute('data-task-id'), e.getAttribute('data-status')]),
    );
    expect(new Set(drawn.map(([id]) => id))).toEqual(new Set(workflow.taskIdsByKey.values()));
    // The root is ready to run, the others wait for it.
    const prepare = workflow.taskIdsByKey.get('prepare')!;
    expect(drawn.find(([id]) => id === prepare)?.[1]).toBe('QUEUED');
    expect(drawn.filter(([, status]) => status === 'REGISTERING')).toHaveLength(9);
  });

  it('turns a node RUNNING then DONE on screen as its task runs and ends, without a reload', async () => {
    const workflow = await submit('live');
    await page.goto(`${server.url}/workflows/${workflow.id}`);
    const prepare = workflow.taskIdsByKey.get('prepare')!;
    const node = (status: string) => page.locator(`[data-task-id="${prepare}"][data-status="${status}"]`);
    await node('QUEUED').waitFor();
    // A marker on the window: gone if the page reloads.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));

    const attempts = (await distributor.claim(1000)).filter((a) => a.taskId === prepare);
    expect(attempts).toHaveLength(1);
    await distributor.launchAndRun(attempts);
    await node('RUNNING').waitFor();
    await distributor.finish(attempts);
    await node('DONE').waitFor();
    // Its downstream tasks were queued by the server, and the page shows that too.
    for (let i = 0; i < 4; i++)
      await page
        .locator(`[data-task-id="${workflow.taskIdsByKey.get(`fit-${i}`)}"][data-status="QUEUED"]`)
        .waitFor();
    expect(await page.evaluate(() => (window as unknown as { marker?: number }).marker)).toBe(1);
  });

  it('drills down from the workflow to a task and its attempt, showing the stderr tail', async () => {
    const workflow = await submit('drill');
    const prepare = workflow.taskIdsByKey.get('prepare')!;
    const attempts = (await distributor.claim(1000)).filter((a) => a.taskId === prepare);
    await distributor.launchAndRun(attempts);
    await distributor.finish(attempts, {
      outcome: 'ERROR',
      exitCode: 3,
      errorMessage: 'fit diverged',
      stderrTail: 'Traceback (most recent call last):\nValueError: fit diverged at loc 7\n',
    });

    await page.goto(`${server.url}/workflows/${workflow.id}`);
    await page.locator(`[data-task-id="${prepare}"] a`).click();
    await page.waitForURL(`**/tasks/${prepare}`);
    await page
      .getByRole('heading', { name: /prepare/ })
      .first()
      .waitFor();
    await page.getByRole('link', { name: 'Attempt 1' }).click();
    await page.waitForURL(`**/task-instances/${attempts[0]!.id}`);
    const stderr = page.getByLabel('stderr tail');
    await stderr.waitFor();
    expect(await stderr.textContent()).toContain('ValueError: fit diverged at loc 7');
    expect(await page.locator('.attempt').textContent()).toContain('fit diverged');
  });
});
