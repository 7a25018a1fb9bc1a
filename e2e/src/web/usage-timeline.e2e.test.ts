import type { TestServer } from '@jobmon/api/testing';
import type { Page } from 'playwright-core';
import { describeWebUi, waitForTitle } from '../testing/web-ui';
import { ScriptedDistributor, submitWorkflow } from '../testing/scripted-distributor';

// The usage and timeline pages in Debian's Chromium against a real API server (SQLite, then MySQL): the
// test is the distributor, so it knows what ran (4 tasks of 1 GB / 10 min each, one failed once and
// retried; every attempt reports 42 MB). Waits are for selectors, none is a fixed sleep.

describeWebUi('usage and timeline pages in Chromium', (ui) => {
  const { dialect } = ui;
  let page: Page;
  let server: TestServer;
  let workflowId: string;

  beforeAll(async () => {
    ({ page, server } = ui);
    const distributor = await ScriptedDistributor.register(
      server.graphql,
      `usage-e2e-${dialect}-${process.pid}`,
    );
    const workflow = await submitWorkflow(server.graphql, {
      tool: 'usage-e2e-tool',
      workflowArgs: `usage-${dialect}-${process.pid}`,
      name: 'usage',
      templates: ['fit'],
      tasks: [0, 1, 2, 3].map((i) => ({
        key: `fit-${i}`,
        template: 'fit',
        args: { i },
        resources: { memoryMb: 1024, runtimeSeconds: 600 },
      })),
    });
    workflowId = workflow.id;
    const first = await distributor.claim(10);
    expect(first).toHaveLength(4);
    await distributor.launchAndRun(first);
    await distributor.finish(first.slice(0, 1), { outcome: 'ERROR', exitCode: 1, errorMessage: 'flaky' });
    await distributor.finish(first.slice(1));
    const retry = await distributor.claim(10);
    expect(retry).toHaveLength(1);
    await distributor.launchAndRun(retry);
    await distributor.finish(retry);
  });

  it('the usage page plots used against requested and the distribution, and suggests resources', async () => {
    await page.goto(`${server.url}/workflows/${workflowId}/usage`);
    await waitForTitle(page, /^Usage · workflow/);
    const section = page.locator('section[data-template="fit"]');
    // 4 DONE attempts of 42 MB against 1024 MB requested: one dot each in the memory scatter.
    await section.locator('[data-chart="usage-scatter"]').first().locator('circle').nth(3).waitFor();
    expect(await section.locator('[data-chart="usage-scatter"]').first().locator('circle').count()).toBe(4);
    await section.locator('[data-chart="usage-distribution"] svg').waitFor();
    const memory = section.locator('tr[data-measure="MiB"] td');
    expect(await memory.allTextContents()).toEqual(['1,024 MiB', '42 MiB', '42 MiB', '42 MiB', '96 %']);
    // p95 42 MB × 1.2 → 256 MB; 1.5 s × 1.2 → 1 min.
    await section.locator('.usage-suggestion[data-suggested-memory-mb="256"]').waitFor();
  });

  it('the timeline draws the 5 attempts on a canvas, with the number running, and zooms', async () => {
    await page.goto(`${server.url}/workflows/${workflowId}/timeline`);
    await waitForTitle(page, /^Timeline · workflow/);
    await page.locator('canvas[data-chart="gantt"][data-drawn="5"]').waitFor();
    // (zooming in draws fewer: the attributes below are read from the canvas whatever it drew)
    const gantt = page.locator('canvas[data-chart="gantt"]');
    await page.locator('canvas[data-chart="concurrency"][data-peak="4"]').waitFor();
    await page.getByText(/5 attempts \(1 retry,/).waitFor();
    const span = async () =>
      Number(await gantt.getAttribute('data-view-to')) - Number(await gantt.getAttribute('data-view-from'));
    const before = await span();
    await gantt.hover();
    await page.mouse.wheel(0, -200);
    await page.waitForFunction((wide) => {
      const c = document.querySelector('canvas[data-chart="gantt"]');
      return c && Number(c.getAttribute('data-view-to')) - Number(c.getAttribute('data-view-from')) < wide;
    }, before);
    expect(await span()).toBeLessThan(before);
  });
});
