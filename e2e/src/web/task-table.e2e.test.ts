import fs from 'node:fs';
import type { TestServer } from '@jobmon/api/testing';
import type { Page } from 'playwright-core';
import { describeWebUi, waitForTitle } from '../testing/web-ui';
import { ScriptedDistributor, submitWorkflow } from '../testing/scripted-distributor';

// The task table in Debian's Chromium against a real API server (SQLite, then MySQL): a workflow with a
// failure → its "1 failed" count → the table filtered to the failed task with its error → its status set
// from the table. The test is the distributor, so it decides how each task ends; every wait is for a
// selector or a condition.

describeWebUi('task table in Chromium', (ui) => {
  const { dialect } = ui;
  let page: Page;
  let server: TestServer;
  let distributor: ScriptedDistributor;

  beforeAll(async () => {
    ({ page, server } = ui);
    distributor = await ScriptedDistributor.register(server.graphql, `table-e2e-${dialect}-${process.pid}`);
  });

  async function taskStatus(id: string): Promise<string> {
    const result = await server.graphql<{ task: { status: string } }>(
      'query($id: ID!) { task(id: $id) { status } }',
      { id },
    );
    if (!result.data) throw new Error(JSON.stringify(result.errors));
    return result.data.task.status;
  }

  it('goes from the failed count to the failed row with its error, and sets its status from the table', async () => {
    const workflow = await submitWorkflow(server.graphql, {
      tool: 'table-e2e',
      workflowArgs: `failure-${dialect}-${process.pid}`,
      name: 'one failure',
      templates: ['step', 'after'],
      tasks: [
        { key: 'ok-1', template: 'step', args: { n: 1 } },
        { key: 'broken', template: 'step', args: { n: 2 }, maxAttempts: 1 },
        { key: 'ok-3', template: 'step', args: { n: 3 } },
        { key: 'then', template: 'after', args: { n: 4 }, upstream: ['broken'] },
      ],
    });
    const broken = workflow.taskIdsByKey.get('broken')!;
    const attempts = (await distributor.claim(1000)).filter((a) =>
      ['ok-1', 'broken', 'ok-3'].some((key) => workflow.taskIdsByKey.get(key) === a.taskId),
    );
    expect(attempts).toHaveLength(3);
    await distributor.launchAndRun(attempts);
    await distributor.finish(attempts.filter((a) => a.taskId !== broken));
    await distributor.finish(
      attempts.filter((a) => a.taskId === broken),
      { outcome: 'ERROR', exitCode: 3, errorMessage: 'exploded at row 7' },
    );

    await page.goto(`${server.url}/workflows/${workflow.id}`);
    // The DAG opens at a zoom where its labels read (≥ 11 px), its top near the top of the canvas,
    // and the minimap is beside the nodes, not over them.
    await page.locator('.dag [data-task-id]').first().waitFor();
    await page.locator('.dag .react-flow__minimap').waitFor();
    const view = await page.evaluate(() => {
      const viewport = document.querySelector<HTMLElement>('.dag .react-flow__viewport')!;
      const zoom = new DOMMatrix(getComputedStyle(viewport).transform).a;
      const label = document.querySelector<HTMLElement>('.dag .dag-task a')!;
      const minimap = document.querySelector('.dag .react-flow__minimap')!.getBoundingClientRect();
      const flow = document.querySelector('.dag-flow')!.getBoundingClientRect();
      const nodes = [...document.querySelectorAll('.dag .react-flow__node')].map((n) =>
        n.getBoundingClientRect(),
      );
      const overlaps = nodes.filter(
        (r) =>
          r.right > minimap.left &&
          r.left < minimap.right &&
          r.bottom > minimap.top &&
          r.top < minimap.bottom,
      ).length;
      return {
        labelPx: parseFloat(getComputedStyle(label).fontSize) * zoom,
        overlaps,
        topGap: Math.min(...nodes.map((r) => r.top)) - flow.top,
        nodes: nodes.length,
      };
    });
    expect(view.nodes).toBe(4);
    expect(view.labelPx).toBeGreaterThanOrEqual(11);
    expect(view.overlaps).toBe(0);
    expect(view.topGap).toBeGreaterThanOrEqual(0);
    expect(view.topGap).toBeLessThanOrEqual(60);

    const failedCount = page.locator('.header-progress').getByRole('link', { name: '1 failed' });
    await failedCount.click();
    await page.waitForURL(`**/workflows/${workflow.id}/tasks?status=ERROR_FATAL`);
    await waitForTitle(page, 'Tasks of one failure · Jobmon');

    const row = page.locator(`tr[data-task-id="${broken}"][data-status="ERROR_FATAL"]`);
    await row.waitFor();
    expect(await page.locator('tbody tr').count()).toBe(1);
    expect(await row.textContent()).toContain('exploded at row 7');
    expect(await row.textContent()).toContain('1.5 s');

    // The CSV of the filtered set: the header and that row.
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Download CSV' }).click(),
    ]);
    expect(download.suggestedFilename()).toBe(`workflow-${workflow.id}-tasks.csv`);
    const csv = fs.readFileSync(await download.path(), 'utf8').split('\r\n');
    expect(csv[0]).toBe('id,key,name,template,status,attempts,last_error,runtime_seconds,max_rss_mb');
    expect(csv.slice(1)).toEqual([expect.stringMatching(new RegExp(`^${broken},broken,`)), '']);
    expect(csv[1]).toContain(',step,ERROR_FATAL,1,exploded at row 7,1.5,42');

    // Mark it DONE from the table: its row leaves the failed filter, live.
    await row.getByRole('checkbox').check();
    await page.getByLabel('Set status to').selectOption('DONE');
    page.once('dialog', (dialog) => void dialog.accept());
    await page.getByRole('button', { name: 'Set status' }).click();
    await page.getByText('No task matches these filters.').waitFor();
    expect(await taskStatus(broken)).toBe('DONE');

    // Without the filter the table shows every task.
    await page.getByRole('button', { name: 'any status' }).click();
    await page.waitForURL(`**/workflows/${workflow.id}/tasks`);
    await page.locator(`tr[data-task-id="${broken}"][data-status="DONE"]`).waitFor();
    expect(await page.locator('tbody tr').count()).toBe(4);
  });
});
