import { createApiToken, Role } from '@jobmon/api';
import { startTestServer, type TestServer } from '@jobmon/api/testing';
import type { Page } from 'playwright-core';
import { describeWebUi, testWebDir, waitForTitle } from '../testing/web-ui';
import { ScriptedDistributor, submitWorkflow } from '../testing/scripted-distributor';

// /reports in Debian's Chromium against a real server (SQLite, and MySQL when there), under the server's
// Content-Security-Policy: GraphiQL loads with its Monaco workers and the schema's docs, an example report
// runs and its first list shows as a table, and a report saved from the page is listed.

describeWebUi(
  'reports page in Chromium',
  (ui) => {
    const { dialect } = ui;
    let page: Page;
    let server: TestServer;
    let workflowId: string;

    beforeAll(async () => {
      ({ page, server } = ui);
      const submitted = await submitWorkflow(server.graphql, {
        tool: 'reports-e2e',
        workflowArgs: `reports-${dialect}`,
        name: 'reports e2e',
        templates: ['fit', 'load'],
        tasks: [
          { key: 'fit-1', template: 'fit', args: { loc: 1 } },
          { key: 'load-1', template: 'load', args: { loc: 1 } },
        ],
      });
      workflowId = submitted.id;
      // fit-1 fails every attempt (ERROR_FATAL after its last); load-1 ends DONE.
      const distributor = await ScriptedDistributor.register(server.graphql, 'reports-e2e');
      const fitId = submitted.taskIdsByKey.get('fit-1');
      for (let round = 0; round < 10; round++) {
        const claimed = await distributor.claim(10);
        if (claimed.length === 0) break;
        await distributor.launchAndRun(claimed);
        await distributor.finish(claimed.filter((a) => a.taskId !== fitId));
        await distributor.finish(
          claimed.filter((a) => a.taskId === fitId),
          { outcome: 'ERROR', exitCode: 3, errorMessage: 'fit failed: singular matrix' },
        );
      }
    });

    it('runs an example report in GraphiQL and shows its result as a table', async () => {
      const response = await page.goto(`${server.url}/reports`);
      // The page is served under the server's policy (which GraphiQL must live with).
      expect(response!.headers()['content-security-policy']).toMatch(/script-src 'self'(;|$)/);
      expect(response!.headers()['content-security-policy']).toContain("frame-ancestors 'none'");
      await waitForTitle(page, /Reports/);
      // GraphiQL's editors (Monaco) and its docs explorer are up.
      await page.waitForSelector('.graphiql-container .graphiql-query-editor .monaco-editor');
      await page.waitForSelector('.graphiql-doc-explorer');
      const example = page.locator('.saved-reports li', { hasText: 'Failed tasks by template' });
      await example.getByRole('button', { name: 'Failed tasks by template' }).click();
      await page.waitForFunction(() =>
        document.querySelector('.graphiql-query-editor')?.textContent?.includes('FailedTasksByTemplate'),
      );
      // The example's variables name workflow 1; this server's workflow is the one submitted above.
      expect(workflowId).toBe('1');
      await page.locator('.graphiql-execute-button').click();
      const table = page.locator('[data-testid="report-table"]');
      await table.waitFor();
      const headers = await table.locator('th').allTextContents();
      expect(headers).toEqual(expect.arrayContaining(['template.name', 'name', 'lastAttempt.errorMessage']));
      const cells = await table.locator('tbody tr').first().locator('td').allTextContents();
      expect(cells).toEqual(expect.arrayContaining(['fit', 'fit failed: singular matrix']));
      await expect(table.locator('tbody tr').count()).resolves.toBe(1);
      // CSV export: a download of the table.
      const [download] = await Promise.all([
        page.waitForEvent('download'),
        page.getByRole('button', { name: 'Export CSV' }).click(),
      ]);
      expect(download.suggestedFilename()).toBe('Failed-tasks-by-template.csv');
    });

    it('saves the report under a name of the viewer’s and lists it', async () => {
      await page.getByLabel('Report name').fill(`failures ${dialect}`);
      await page.getByRole('button', { name: 'Save as new' }).first().click();
      await page.locator('.saved-reports li', { hasText: `failures ${dialect}` }).waitFor();
      const saved = await server.graphql<{ reports: { nodes: { name: string; query: string }[] } }>(
        `query { reports(filter: { name: "failures ${dialect}" }) { nodes { name query } } }`,
      );
      expect(saved.data!.reports.nodes).toHaveLength(1);
      expect(saved.data!.reports.nodes[0]!.query).toContain('FailedTasksByTemplate');
    });

    it('with tokens on, runs reports with the signed-in token and saves them as the viewer’s', async () => {
      const secured = await startTestServer(dialect, { webDir: testWebDir(), auth: true });
      try {
        const { token } = await createApiToken(secured.db, { user: 'alice', role: Role.USER });
        const asAlice: typeof secured.graphql = (query, variables) =>
          secured.graphql(query, variables, { token });
        await submitWorkflow(asAlice, {
          tool: 'reports-e2e',
          workflowArgs: `secured-${dialect}`,
          templates: ['fit'],
          tasks: [{ key: 'fit-1', template: 'fit', args: { loc: 1 } }],
        });
        await page.goto(`${secured.url}/reports`);
        await page.getByLabel('API token').fill(token);
        await page.getByRole('button', { name: 'Sign in' }).click();
        await page.waitForSelector('.graphiql-container .graphiql-query-editor .monaco-editor');
        await page
          .locator('.saved-reports')
          .getByRole('button', { name: 'Workflows by user and status, last 7 days' })
          .click();
        await page.waitForFunction(() =>
          document.querySelector('.graphiql-query-editor')?.textContent?.includes('WorkflowsByUserAndStatus'),
        );
        await page.locator('.graphiql-execute-button').click();
        const table = page.locator('[data-testid="report-table"]');
        await table.waitFor();
        expect(await table.locator('tbody tr').first().locator('td').allTextContents()).toEqual([
          'alice',
          'QUEUED',
          '1',
        ]);
        await page.getByLabel('Report name').fill('my week');
        await page.getByRole('button', { name: 'Save as new' }).first().click();
        const mine = page.locator('.saved-reports li', { hasText: 'my week' });
        await mine.waitFor();
        expect(await mine.locator('.report-owner').textContent()).toBe('alice');
        // Hers: it has a Delete button, the examples none.
        await mine.getByRole('button', { name: 'Delete my week' }).waitFor();
        expect(await page.locator('.saved-reports button', { hasText: 'Delete' }).count()).toBe(1);
        // Signed out for the next test.
        await page.evaluate(() => localStorage.removeItem('jobmon.token'));
      } finally {
        await secured.stop();
      }
    });
  },
  // A CSP violation (a worker, a style, a font) shows as a console error, which fails the test.
  { viewport: { width: 1400, height: 1000 }, timeoutMs: 60_000 },
);
