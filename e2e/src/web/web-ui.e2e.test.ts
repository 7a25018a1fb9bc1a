import { Relay, type TestServer } from '@jobmon/api/testing';
import type { Page } from 'playwright-core';
import { describeWebUi, waitForTitle } from '../testing/web-ui';
import { ScriptedDistributor, submitWorkflow, type TaskSpec } from '../testing/scripted-distributor';

// The web UI in Debian's Chromium against a real API server that serves the UI built by the global
// setup, once on SQLite and once on MySQL (one browser for the file, one server per database). The test
// is the distributor (GraphQL protocol), so it decides when each task ends; every wait is for a selector
// or a condition, none is a fixed sleep. Outside CI a missing Chromium skips the suite (and a missing
// MySQL its MySQL half); with CI=true either fails.

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

// Each scenario must leave no console error or warning (React warnings, failed requests, GraphQL errors,
// Apollo cache warnings): the frame fails the test otherwise.
describeWebUi('web UI in Chromium', (ui) => {
  const { dialect } = ui;
  let page: Page;
  let server: TestServer;
  let distributor: ScriptedDistributor;
  let workflowCount = 0;

  const submit = (name: string) =>
    submitWorkflow(server.graphql, {
      tool: 'e2e-tool',
      workflowArgs: `${name}-${++workflowCount}`,
      name,
      ...pipeline(),
    });
  const titleIs = (title: string | RegExp) => waitForTitle(page, title);
  const node = (taskId: string, status: string) =>
    page.locator(`.dag [data-task-id="${taskId}"][data-status="${status}"]`);

  beforeAll(async () => {
    ({ page, server } = ui);
    distributor = await ScriptedDistributor.register(server.graphql, `web-e2e-${dialect}-${process.pid}`);
  });

  it('shows a newly submitted workflow in the list, live, without loading the DAG code', async () => {
    await page.goto(`${server.url}/`);
    // The list has loaded (empty, or a page of older workflows) before the workflow exists.
    await page.locator('.empty, .pager').first().waitFor();
    await titleIs('Workflows · Jobmon');
    const workflow = await submit('listed');
    const row = page.locator(`tr[data-workflow-id="${workflow.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('listed');
    expect(await row.textContent()).toContain('e2e-tool');
    // Code split by route: React Flow (the workflow page's chunk) is not loaded by the list.
    const scripts = await page.evaluate(() =>
      performance.getEntriesByType('resource').map((entry) => entry.name),
    );
    expect(scripts.filter((name) => /WorkflowPage/.test(name))).toEqual([]);
    await row.getByRole('link', { name: 'listed' }).click();
    await page.waitForURL(`**/workflows/${workflow.id}`);
    await page.locator('.dag [data-task-id]').first().waitFor();
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
    await titleIs('drawn · Jobmon');
  });

  it('opens a task from the DAG with the keyboard: nodes are tab stops with a visible focus ring', async () => {
    const workflow = await submit('keys');
    await page.goto(`${server.url}/workflows/${workflow.id}`);
    await page.locator('.dag [data-task-id]').first().waitFor();
    // Tab from the top of the page until a DAG node has the focus.
    await page.locator('body').focus();
    let focused: { taskId: string | null; name: string; outline: string } | null = null;
    for (let presses = 0; presses < 60 && !focused?.taskId; presses++) {
      await page.keyboard.press('Tab');
      focused = await page.evaluate(() => {
        const element = document.activeElement;
        if (!element?.classList.contains('react-flow__node')) return null;
        const style = getComputedStyle(element);
        return {
          taskId: element.querySelector('[data-task-id]')?.getAttribute('data-task-id') ?? null,
          name: element.querySelector('a')?.textContent ?? '',
          outline: `${style.outlineStyle} ${style.outlineWidth}`,
        };
      });
    }
    expect(focused?.taskId).toBeTruthy();
    expect(focused!.outline).toBe('solid 3px');
    await page.keyboard.press('Enter');
    await page.waitForURL(`**/tasks/${focused!.taskId}`);
    await page.locator(`.task-page[data-task-id="${focused!.taskId}"]`).waitFor();
    await titleIs(`${focused!.name} (task ${focused!.taskId}) · Jobmon`);
  });

  it('turns a node RUNNING then DONE on screen as its task runs and ends, without a reload', async () => {
    const workflow = await submit('live');
    await page.goto(`${server.url}/workflows/${workflow.id}`);
    const prepare = workflow.taskIdsByKey.get('prepare')!;
    await node(prepare, 'QUEUED').waitFor();
    // A marker on the window: gone if the page reloads.
    await page.evaluate(() => ((window as unknown as { marker: number }).marker = 1));

    const attempts = (await distributor.claim(1000)).filter((a) => a.taskId === prepare);
    expect(attempts).toHaveLength(1);
    await distributor.launchAndRun(attempts);
    await node(prepare, 'RUNNING').waitFor();
    await distributor.finish(attempts);
    await node(prepare, 'DONE').waitFor();
    // Its downstream tasks were queued by the server, and the page shows that too.
    for (let i = 0; i < 4; i++) await node(workflow.taskIdsByKey.get(`fit-${i}`)!, 'QUEUED').waitFor();
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
    await titleIs(/^Attempt 1 of prepare.* · Jobmon$/);
    // The attempt links back to its task and its workflow.
    const breadcrumbs = page.getByRole('navigation', { name: 'Breadcrumbs' });
    expect(await breadcrumbs.locator(`a[href="/tasks/${prepare}"]`).count()).toBe(1);
    expect(await breadcrumbs.locator(`a[href="/workflows/${workflow.id}"]`).count()).toBe(1);
  });

  it('shows on the task page a change made between its query and its subscription', async () => {
    const workflow = await submit('gap');
    const prepare = workflow.taskIdsByKey.get('prepare')!;
    let attempts: Awaited<ReturnType<ScriptedDistributor['claim']>> = [];
    // The task page's first query answers as read (QUEUED); before the page gets it, the task starts.
    await page.route('**/graphql', async (route) => {
      const first = attempts.length === 0;
      if (!first || !/"operationName":"TaskPage"/.test(route.request().postData() ?? ''))
        return route.fallback();
      const response = await route.fetch();
      attempts = (await distributor.claim(1000)).filter((a) => a.taskId === prepare);
      await distributor.launchAndRun(attempts);
      await route.fulfill({ response });
    });
    try {
      await page.goto(`${server.url}/tasks/${prepare}`);
      await page.locator('.task-page').waitFor();
      expect(attempts).toHaveLength(1);
      // No later event comes: only the subscription's replay from Task.lastEventId brings RUNNING.
      await page.locator(`.task-page[data-status="RUNNING"]`).waitFor();
    } finally {
      await page.unrouteAll({ behavior: 'wait' });
    }
    expect(await page.locator('.attempt').first().textContent()).toContain('RUNNING');
  });

  it('after the WebSocket drops, the DAG catches up from the last event it applied, without a refetch', async () => {
    const proxy = await Relay.start(server.url);
    try {
      const workflow = await submit('reconnect');
      const prepare = workflow.taskIdsByKey.get('prepare')!;
      const sentSince: unknown[] = [];
      const dagQueries: string[] = [];
      const onSocket = (socket: import('playwright-core').WebSocket) =>
        socket.on('framesent', ({ payload }) => {
          const message = JSON.parse(String(payload)) as {
            type: string;
            payload?: { operationName?: string; variables?: { since?: unknown } };
          };
          if (message.type === 'subscribe' && message.payload?.operationName === 'TaskStatusChanged')
            sentSince.push(message.payload.variables?.since);
        });
      const onRequest = (request: import('playwright-core').Request) => {
        if (/"operationName":"WorkflowDag"/.test(request.postData() ?? '')) dagQueries.push(request.url());
      };
      page.on('websocket', onSocket);
      page.on('request', onRequest);
      try {
        await page.goto(`${proxy.url}/workflows/${workflow.id}`);
        await node(prepare, 'QUEUED').waitFor();
        const attempts = (await distributor.claim(1000)).filter((a) => a.taskId === prepare);
        await distributor.launchAndRun(attempts);
        await node(prepare, 'RUNNING').waitFor();
        const lastApplied = await newestTaskEventId(server, workflow.id);

        // The socket drops; prepare ends (and queues the fits) while the page is away.
        proxy.cutWebSockets();
        await distributor.finish(attempts);
        proxy.reopenWebSockets();
        await node(prepare, 'DONE').waitFor();
        for (let i = 0; i < 4; i++) await node(workflow.taskIdsByKey.get(`fit-${i}`)!, 'QUEUED').waitFor();

        // Subscribed from the DAG's cursor, then resubscribed from the last event applied.
        expect(sentSince).toHaveLength(2);
        expect(Number(sentSince[1])).toBe(lastApplied);
        expect(Number(sentSince[1])).toBeGreaterThan(Number(sentSince[0]));
        expect(dagQueries).toHaveLength(1);
      } finally {
        page.off('websocket', onSocket);
        page.off('request', onRequest);
        await page.goto('about:blank');
      }
    } finally {
      await proxy.close();
    }
  });
});

/** The id of the newest task status change of a workflow. */
async function newestTaskEventId(server: TestServer, workflowId: string): Promise<number> {
  const result = await server.graphql<{ auditEvents: { nodes: { id: string }[] } }>(
    'query($id: ID!) { auditEvents(filter: { workflowId: $id, entityType: TASK }, first: 1000) { nodes { id } } }',
    { id: workflowId },
  );
  if (!result.data) throw new Error(JSON.stringify(result.errors));
  return Number(result.data.auditEvents.nodes.at(-1)!.id);
}
