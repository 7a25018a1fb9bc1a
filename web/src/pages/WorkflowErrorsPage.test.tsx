/** @jest-environment jsdom */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import { WorkflowErrorsDocument } from '../generated/graphql';
import { AGGREGATE_REFETCH_MS } from '../live/useLiveRefetch';
import { pushTaskStatusChange, recordStates, repeatedMock } from '../testing/liveEvents';
import { renderWithApollo } from '../testing/renderWithApollo';
import { WorkflowErrorsPage } from './WorkflowErrorsPage';

const cluster = (
  representative: string,
  attempts: number,
  tasks: number,
  templateNames: string[],
  sampleTaskIds: string[],
) => ({
  __typename: 'ErrorCluster',
  representative,
  attempts,
  tasks,
  templateNames,
  sampleTaskIds,
  firstAt: '2026-11-26T10:00:00.000Z',
  lastAt: '2026-11-26T11:30:00.000Z',
});
const KEY_ERROR =
  "exit code 1: KeyError: 'location_12'\nTraceback (most recent call last):\nKeyError: 'location_12'";
const OOM = 'Slurm job 4411 ran out of memory (OUT_OF_MEMORY)';

const errorsData = (clusters: unknown[], lastEventId = '30') => ({
  workflow: {
    __typename: 'Workflow',
    id: '2',
    name: 'forecast',
    lastEventId,
    taskTemplates: [
      { __typename: 'WorkflowTaskTemplate', id: '3', name: 'fit' },
      { __typename: 'WorkflowTaskTemplate', id: '4', name: 'agg' },
    ],
    errorClusters: clusters,
  },
});
const errorsRequest = (templateName: string | null) => ({
  query: WorkflowErrorsDocument,
  variables: { id: '2', templateName, first: 50 },
});
const errorsMock = (templateName: string | null, clusters: unknown[]) => ({
  request: errorsRequest(templateName),
  result: { data: errorsData(clusters) },
});
const clusterSizes = (container: HTMLElement) =>
  [...container.querySelectorAll('[data-cluster-size]')].map((e) => e.getAttribute('data-cluster-size'));

const render = (mocks: unknown[], route = '/workflows/2/errors') =>
  renderWithApollo(<WorkflowErrorsPage />, {
    route,
    path: '/workflows/:id/errors',
    mocks: mocks as never,
  });

describe('WorkflowErrorsPage', () => {
  it('lists the clusters with their text, counts, templates, times and links to sample tasks', async () => {
    const { container } = render([
      errorsMock(null, [
        cluster(KEY_ERROR, 40, 12, ['fit'], ['7', '9']),
        cluster(OOM, 3, 3, ['agg', 'fit'], ['8', '10', '11']),
      ]),
    ]);
    await screen.findByText(/40 attempts/);
    const items = [...container.querySelectorAll('[data-cluster-size]')] as HTMLElement[];
    expect(items.map((item) => item.getAttribute('data-cluster-size'))).toEqual(['40', '3']);
    expect(items[0]!.querySelector('pre')!.textContent).toBe(KEY_ERROR);
    expect(items[0]!.textContent).toContain('40 attempts of 12 tasks · template fit');
    expect(items[1]!.textContent).toContain('3 attempts of 3 tasks · templates agg, fit');
    const links = within(items[0]!).getAllByRole('link');
    expect(links.map((link) => [link.textContent, link.getAttribute('href')])).toEqual([
      ['task 7', '/tasks/7'],
      ['task 9', '/tasks/9'],
    ]);
    // More tasks than samples: the list says so.
    expect(items[0]!.textContent).toContain('…');
    expect(screen.getByRole('link', { name: 'forecast' }).getAttribute('href')).toBe('/workflows/2');
  });

  it('filters by template from the select and from the query string', async () => {
    const { container } = render([
      errorsMock(null, [cluster(KEY_ERROR, 40, 12, ['fit'], ['7']), cluster(OOM, 3, 3, ['agg'], ['8'])]),
      errorsMock('agg', [cluster(OOM, 2, 2, ['agg'], ['8'])]),
    ]);
    await screen.findByText(/40 attempts/);
    fireEvent.change(screen.getByRole('combobox', { name: 'Template' }), { target: { value: 'agg' } });
    await waitFor(() =>
      expect(
        [...container.querySelectorAll('[data-cluster-size]')].map((e) =>
          e.getAttribute('data-cluster-size'),
        ),
      ).toEqual(['2']),
    );
    expect((screen.getByRole('combobox', { name: 'Template' }) as HTMLSelectElement).value).toBe('agg');
  });

  it('reads the template filter from the address', async () => {
    render([errorsMock('fit', [])], '/workflows/2/errors?template=fit');
    expect(await screen.findByText('No failed attempt of template fit.')).toBeTruthy();
  });

  it('follows the workflow’s task changes from the cursor read with the clusters: a new error appears, the filter kept', async () => {
    const fit = repeatedMock(errorsRequest('fit'), [
      errorsData([cluster(KEY_ERROR, 40, 12, ['fit'], ['7'])], '30'),
      errorsData([cluster(KEY_ERROR, 40, 12, ['fit'], ['7']), cluster(OOM, 1, 1, ['fit'], ['13'])], '31'),
    ]);
    const { container, subscriptions } = render([fit.mock], '/workflows/2/errors?template=fit');
    await screen.findByText(/40 attempts/);
    await waitFor(() => expect(subscriptions.operation?.variables).toEqual({ workflowId: '2', since: '30' }));
    const shown = recordStates(
      container,
      () =>
        `${container.querySelector('.workflow-errors-page')?.getAttribute('aria-busy')} ${clusterSizes(container).join()}`,
    );
    pushTaskStatusChange(subscriptions, { id: '31', taskId: '13', toStatus: 'ERROR_FATAL', workflowId: '2' });
    await waitFor(() => expect(clusterSizes(container)).toEqual(['40', '1']));
    shown.stop();
    // While the refetch ran the clusters read before stayed on the page, marked busy.
    expect(shown.states).toEqual(['true 40', 'false 40,1']);
    expect(container.querySelectorAll('pre')[1]!.textContent).toBe(OOM);
    expect(fit.requests()).toBe(2);
    expect((screen.getByRole('combobox', { name: 'Template' }) as HTMLSelectElement).value).toBe('fit');
  });

  it('keeps the clusters on screen when a refetch fails, and says so', async () => {
    const { container, subscriptions } = render([
      errorsMock(null, [cluster(KEY_ERROR, 40, 12, ['fit'], ['7'])]),
      { request: errorsRequest(null), error: new Error('the server went away') },
    ]);
    await screen.findByText(/40 attempts/);
    await waitFor(() => expect(subscriptions.operation?.variables).toEqual({ workflowId: '2', since: '30' }));
    pushTaskStatusChange(subscriptions, { id: '31', taskId: '13', toStatus: 'ERROR_FATAL', workflowId: '2' });
    expect((await screen.findByRole('alert')).textContent).toBe(
      'Could not load the latest errors. the server went away',
    );
    expect(clusterSizes(container)).toEqual(['40']);
  });

  it('folds a burst of changes into one refetch per interval', async () => {
    jest.useFakeTimers();
    try {
      const all = repeatedMock(errorsRequest(null), [
        errorsData([cluster(KEY_ERROR, 40, 12, ['fit'], ['7'])], '30'),
        errorsData([cluster(KEY_ERROR, 41, 12, ['fit'], ['7'])], '31'),
        errorsData([cluster(KEY_ERROR, 43, 13, ['fit'], ['7'])], '34'),
      ]);
      const { container, subscriptions } = render([all.mock]);
      await waitFor(() =>
        expect(subscriptions.operation?.variables).toEqual({ workflowId: '2', since: '30' }),
      );
      // The first change refetches at once; the four after it, within the interval, make one more refetch.
      for (const id of ['31', '32', '33', '34', '35'])
        pushTaskStatusChange(subscriptions, {
          id,
          taskId: `t${id}`,
          toStatus: 'ERROR_FATAL',
          workflowId: '2',
        });
      await waitFor(() => expect(clusterSizes(container)).toEqual(['41']));
      expect(all.requests()).toBe(2);
      await act(async () => jest.advanceTimersByTime(AGGREGATE_REFETCH_MS));
      await waitFor(() => expect(clusterSizes(container)).toEqual(['43']));
      expect(all.requests()).toBe(3);
      await act(async () => jest.advanceTimersByTime(10 * AGGREGATE_REFETCH_MS));
      expect(all.requests()).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });

  it('says when the workflow does not exist', async () => {
    render([
      {
        request: { query: WorkflowErrorsDocument, variables: { id: '2', templateName: null, first: 50 } },
        result: { data: { workflow: null } },
      },
    ]);
    expect((await screen.findByRole('alert')).textContent).toContain('Workflow 2 was not found');
  });
});
