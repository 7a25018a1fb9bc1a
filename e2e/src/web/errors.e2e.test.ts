import type { TestServer } from '@jobmon/api/testing';
import type { Page } from 'playwright-core';
import { describeWebUi, waitForTitle } from '../testing/web-ui';
import { ScriptedDistributor, submitWorkflow, type ClaimedAttempt } from '../testing/scripted-distributor';

// The errors page and the task page's reasons in Debian's Chromium against a real API server (SQLite,
// then MySQL). The test is the distributor: it fails attempts with two kinds of error, then opens the
// workflow page, follows its "Errors" link, fails one more attempt with a third kind of error while the
// page is open (a new cluster appears, live), filters by template and follows a sample task.

const keyError = (loc: number) => ({
  outcome: 'ERROR' as const,
  exitCode: 1,
  errorMessage: `exit code 1: KeyError: 'location_${loc}'`,
  stderrTail: `Traceback (most recent call last):\n  File "/home/u${loc}/fit.py", line ${10 + loc}, in main\nKeyError: 'location_${loc}'\n`,
});
const outOfMemory = {
  outcome: 'ERROR' as const,
  exitCode: 137,
  errorMessage: 'Slurm job 4411 ran out of memory (OUT_OF_MEMORY)',
};
const diskFull = (run: number) => ({
  outcome: 'ERROR' as const,
  exitCode: 1,
  errorMessage: `exit code 1: cp: error writing '/scratch/run_${run}/out.tmp': No space left on device`,
});

describeWebUi('errors page in Chromium', (ui) => {
  const { dialect } = ui;
  let page: Page;
  let server: TestServer;
  let distributor: ScriptedDistributor;

  beforeAll(async () => {
    ({ page, server } = ui);
    distributor = await ScriptedDistributor.register(server.graphql, `errors-e2e-${dialect}-${process.pid}`);
  });

  const sizes = () =>
    page
      .locator('[data-cluster-size]')
      .evaluateAll((elements) => elements.map((e) => Number(e.getAttribute('data-cluster-size'))));

  it('groups the failed attempts by error, live, filters by template, links to tasks and says why one waits', async () => {
    const workflow = await submitWorkflow(server.graphql, {
      tool: 'errors-e2e',
      workflowArgs: `errors-${dialect}`,
      name: 'errors',
      templates: ['fit', 'copy'],
      tasks: [
        ...[1, 2, 3, 4].map((loc) => ({ key: `fit-${loc}`, template: 'fit', args: { loc } })),
        ...[1, 2].map((run) => ({ key: `copy-${run}`, template: 'copy', args: { run } })),
        { key: 'after', template: 'copy', args: { run: 9 }, upstream: ['fit-1'] },
      ],
    });
    const attempts = await distributor.claim(1000);
    const byKey = new Map<string, ClaimedAttempt>();
    for (const [key, taskId] of workflow.taskIdsByKey) {
      const attempt = attempts.find((a) => a.taskId === taskId);
      if (attempt) byKey.set(key, attempt);
    }
    await distributor.launchAndRun([...byKey.values()]);
    for (const loc of [1, 2, 3]) await distributor.finish([byKey.get(`fit-${loc}`)!], keyError(loc));
    for (const run of [1, 2]) await distributor.finish([byKey.get(`copy-${run}`)!], diskFull(run));

    await page.goto(`${server.url}/workflows/${workflow.id}`);
    await page.getByRole('link', { name: 'Errors' }).click();
    await page.waitForURL(`**/workflows/${workflow.id}/errors`);
    await page.locator('[data-cluster-size]').first().waitFor();
    await waitForTitle(page, `Errors of workflow ${workflow.id} · Jobmon`);
    expect(await sizes()).toEqual([3, 2]);
    const first = page.locator('[data-cluster-size]').first();
    expect(await first.locator('pre').textContent()).toContain("KeyError: 'location_1'");
    expect(await first.textContent()).toContain('3 attempts of 3 tasks · template fit');

    // fit-4, running until now, fails with another error while the page is open: its cluster appears
    // without a reload (the page follows taskStatusChanged from the cursor it read with the clusters).
    await page.evaluate(() => Object.assign(window, { openedBeforeTheFailure: true }));
    await distributor.finish([byKey.get('fit-4')!], outOfMemory);
    await page.waitForFunction(() => document.querySelectorAll('[data-cluster-size]').length === 3);
    expect(await sizes()).toEqual([3, 2, 1]);
    expect(await page.locator('[data-cluster-size]').nth(2).locator('pre').textContent()).toContain(
      'OUT_OF_MEMORY',
    );
    expect(await page.evaluate(() => 'openedBeforeTheFailure' in window)).toBe(true);

    await page.getByRole('combobox', { name: 'Template' }).selectOption('copy');
    await page.waitForURL(`**/workflows/${workflow.id}/errors?template=copy`);
    await page.waitForFunction(() => document.querySelectorAll('[data-cluster-size]').length === 1);
    expect(await sizes()).toEqual([2]);
    expect(await page.locator('[data-cluster-size] pre').textContent()).toContain('No space left on device');

    // A sample task's page; then the task that waits for fit-1 says why.
    const copy1 = workflow.taskIdsByKey.get('copy-1')!;
    await page.getByRole('link', { name: `task ${copy1}` }).click();
    await page.waitForURL(`**/tasks/${copy1}`);
    await page.locator(`.task-page[data-task-id="${copy1}"]`).waitFor();
    await page.goto(`${server.url}/tasks/${workflow.taskIdsByKey.get('after')!}`);
    const reason = page.locator('[data-block-kind="UPSTREAM_NOT_DONE"]');
    await reason.waitFor();
    expect(await reason.textContent()).toBe('Upstream not done: 1 of its 1 upstream task is not DONE yet');
  });
});
