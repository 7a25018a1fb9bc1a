/** @jest-environment jsdom */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import { ToolNamesDocument, WorkflowListDocument } from '../generated/graphql';
import { renderWithApollo } from '../testing/renderWithApollo';
import { PAGE_SIZE, parseAttributeFilter, WorkflowListPage } from './WorkflowListPage';

const counts = (done: number, running: number) => ({
  __typename: 'StatusCounts',
  total: done + running,
  byStatus: [
    { __typename: 'TaskStatusCount', status: 'DONE', count: done, retrying: 0 },
    { __typename: 'TaskStatusCount', status: 'RUNNING', count: running, retrying: 0 },
  ],
});

const workflow = (id: string, name: string, status: string, done: number, running: number) => ({
  __typename: 'Workflow',
  id,
  name,
  workflowArgs: `args-${id}`,
  status,
  createdAt: '2026-11-26T10:00:00.000Z',
  statusUpdatedAt: '2026-11-26T10:05:00.000Z',
  createdBy: 'ana',
  taskCount: done + running,
  tool: { __typename: 'Tool', id: '1', name: 'forecasting' },
  statusCounts: counts(done, running),
  latestRun: null,
});

const listMock = (
  filter: Record<string, unknown>,
  nodes: ReturnType<typeof workflow>[],
  hasNextPage = false,
  after: string | null = null,
) => ({
  request: { query: WorkflowListDocument, variables: { filter, first: PAGE_SIZE, after } },
  result: {
    data: {
      workflows: {
        __typename: 'WorkflowConnection',
        totalCount: nodes.length,
        pageInfo: { __typename: 'PageInfo', hasNextPage, endCursor: hasNextPage ? 'c1' : null },
        nodes,
      },
    },
  },
});
const toolsMock = {
  request: { query: ToolNamesDocument },
  result: { data: { tools: [{ __typename: 'Tool', id: '1', name: 'forecasting' }] } },
};

describe('WorkflowListPage', () => {
  it('lists workflows with tool, name, status, progress and a link to each', async () => {
    const { container } = renderWithApollo(<WorkflowListPage />, {
      mocks: [
        listMock({}, [workflow('2', 'fit all', 'RUNNING', 3, 1), workflow('1', 'old', 'DONE', 4, 0)]),
        toolsMock,
      ],
    });
    expect(screen.getByRole('status').textContent).toMatch(/Loading workflows/);
    const row = await waitFor(() => {
      const element = container.querySelector<HTMLElement>('tr[data-workflow-id="2"]');
      expect(element).not.toBeNull();
      return element!;
    });
    expect(row.dataset.status).toBe('RUNNING');
    expect(within(row).getByRole('link', { name: 'fit all' }).getAttribute('href')).toBe('/workflows/2');
    expect(within(row).getByText('forecasting')).toBeTruthy();
    expect(within(row).getByRole('img').getAttribute('aria-label')).toBe('Tasks: 3 done, 1 running');
    expect(screen.getByText(/Page 1 · 2 workflows/)).toBeTruthy();
    expect((screen.getByRole('button', { name: /Older/ }) as HTMLButtonElement).disabled).toBe(true);
  });

  it('spells a failure out in words beside a bar that still shows it, linking to the failed tasks; counts are pluralised', async () => {
    const failing = {
      ...workflow('2', 'big', 'FAILED', 4999, 0),
      taskCount: 5000,
      statusCounts: {
        __typename: 'StatusCounts',
        total: 5000,
        byStatus: [
          { __typename: 'TaskStatusCount', status: 'DONE', count: 4999, retrying: 0 },
          { __typename: 'TaskStatusCount', status: 'ERROR_FATAL', count: 1, retrying: 0 },
        ],
      },
    };
    const { container } = renderWithApollo(<WorkflowListPage />, {
      mocks: [listMock({}, [failing]), toolsMock],
    });
    const failed = await screen.findByRole('link', { name: '1 failed' });
    expect(failed.getAttribute('href')).toBe('/workflows/2/tasks?status=ERROR_FATAL');
    const row = container.querySelector<HTMLElement>('tr[data-workflow-id="2"]')!;
    expect(row.textContent).toContain('5,000 tasks · 1 failed');
    const segment = row.querySelector<HTMLElement>('.progress-segment[data-group="failed"]')!;
    expect(segment.style.minWidth).not.toBe('');
    expect(screen.getByText(/Page 1 · 1 workflow$/)).toBeTruthy();
  });

  it('counts a task running again after a failed attempt as retrying, not as running', async () => {
    const retried = {
      ...workflow('3', 'flaky', 'RUNNING', 1, 2),
      statusCounts: {
        __typename: 'StatusCounts',
        total: 3,
        byStatus: [
          { __typename: 'TaskStatusCount', status: 'DONE', count: 1, retrying: 0 },
          { __typename: 'TaskStatusCount', status: 'RUNNING', count: 2, retrying: 1 },
        ],
      },
    };
    const { container } = renderWithApollo(<WorkflowListPage />, {
      mocks: [listMock({}, [retried]), toolsMock],
    });
    const retrying = await screen.findByRole('link', { name: '1 retrying' });
    const row = container.querySelector<HTMLElement>('tr[data-workflow-id="3"]')!;
    expect(within(row).getByRole('img').getAttribute('aria-label')).toBe(
      'Tasks: 1 done, 1 running, 1 retrying',
    );
    expect(row.querySelector<HTMLElement>('.progress-segment[data-group="retrying"]')!.dataset.count).toBe(
      '1',
    );
    expect(row.querySelector<HTMLElement>('.progress-segment[data-group="running"]')!.dataset.count).toBe(
      '1',
    );
    // The tasks on a retry, whatever their status.
    expect(retrying.getAttribute('href')).toBe('/workflows/3/tasks?retrying=true');
  });

  it('filters by status through the query, with an empty state when nothing matches', async () => {
    renderWithApollo(<WorkflowListPage />, {
      mocks: [
        listMock({}, [workflow('2', 'fit all', 'RUNNING', 3, 1)]),
        listMock({ status: ['FAILED'] }, []),
        toolsMock,
      ],
    });
    await screen.findByRole('link', { name: 'fit all' });
    fireEvent.change(screen.getByLabelText('Status'), { target: { value: 'FAILED' } });
    expect((await screen.findByText('No workflow matches these filters.')).tagName).toBe('P');
  });

  it('searches by name or workflowArgs once typing pauses', async () => {
    renderWithApollo(<WorkflowListPage />, {
      mocks: [
        listMock({}, [workflow('2', 'fit all', 'RUNNING', 3, 1)]),
        listMock({ search: 'args-9' }, [workflow('9', 'the ninth', 'DONE', 1, 0)]),
        toolsMock,
      ],
    });
    await screen.findByRole('link', { name: 'fit all' });
    fireEvent.change(screen.getByLabelText('Search'), { target: { value: 'args-9' } });
    expect(await screen.findByRole('link', { name: 'the ninth' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'fit all' })).toBeNull();
  });

  it('filters by attributes (key=value pairs) once typing pauses', async () => {
    renderWithApollo(<WorkflowListPage />, {
      mocks: [
        listMock({}, [workflow('2', 'fit all', 'RUNNING', 3, 1)]),
        listMock({ attributes: { release: 'gbd2023', stage: 'final' } }, [
          workflow('7', 'final run', 'DONE', 1, 0),
        ]),
        toolsMock,
      ],
    });
    await screen.findByRole('link', { name: 'fit all' });
    fireEvent.change(screen.getByLabelText('Attributes'), {
      target: { value: 'release=gbd2023, stage=final' },
    });
    expect(await screen.findByRole('link', { name: 'final run' })).toBeTruthy();
    expect(screen.queryByRole('link', { name: 'fit all' })).toBeNull();
  });

  it('reads key=value pairs; a part without a key is left out', () => {
    expect(parseAttributeFilter('a=1, b = two=2 ,cd')).toEqual({ a: '1', b: 'two=2' });
    expect(parseAttributeFilter(' , =x')).toBeNull();
    expect(parseAttributeFilter('')).toBeNull();
  });

  it('pages forward with the connection cursor and back', async () => {
    renderWithApollo(<WorkflowListPage />, {
      mocks: [
        listMock({}, [workflow('30', 'newest', 'RUNNING', 1, 1)], true),
        listMock({}, [workflow('5', 'older', 'DONE', 2, 0)], false, 'c1'),
        toolsMock,
      ],
    });
    await screen.findByRole('link', { name: 'newest' });
    fireEvent.click(screen.getByRole('button', { name: /Older/ }));
    expect(await screen.findByRole('link', { name: 'older' })).toBeTruthy();
    expect(screen.getByText(/Page 2/)).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: /Newer/ }));
    expect(await screen.findByRole('link', { name: 'newest' })).toBeTruthy();
  });

  it('shows the error when the list cannot be loaded', async () => {
    renderWithApollo(<WorkflowListPage />, {
      mocks: [
        {
          request: { query: WorkflowListDocument, variables: { filter: {}, first: PAGE_SIZE, after: null } },
          error: new Error('server unreachable'),
        },
        toolsMock,
      ],
    });
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /Could not load the workflows.*server unreachable/,
    );
  });
});
