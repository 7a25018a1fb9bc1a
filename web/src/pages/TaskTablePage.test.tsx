/** @jest-environment jsdom */
import { fireEvent, screen, waitFor, within } from '@testing-library/react';
import type { MockLink } from '@apollo/client/testing';
import { useLocation } from 'react-router-dom';
import {
  SetTaskStatusDocument,
  TaskCsvPageDocument,
  TaskTableDocument,
  TaskTableTemplatesDocument,
  WebServerLimitsDocument,
} from '../generated/graphql';
import { pushTaskStatusChange } from '../testing/liveEvents';
import { renderWithApollo } from '../testing/renderWithApollo';
import { TASK_PAGE_SIZE, TaskTablePage } from './TaskTablePage';

const row = (
  id: string,
  status: string,
  more: { lastError?: string | null; wallSeconds?: number | null; maxRssMb?: number | null } = {},
) => ({
  __typename: 'Task',
  id,
  key: `k${id}`,
  name: `fit loc ${id}`,
  status,
  numAttempts: more.wallSeconds === undefined ? 0 : 1,
  maxAttempts: 3,
  lastError: more.lastError ?? null,
  template: { __typename: 'TaskTemplate', id: '3', name: 'fit' },
  lastAttempt:
    more.wallSeconds === undefined
      ? null
      : {
          __typename: 'TaskInstance',
          id: `i${id}`,
          attempt: 1,
          status: status === 'DONE' ? 'DONE' : 'ERROR',
          usage: {
            __typename: 'ResourceUsage',
            wallSeconds: more.wallSeconds,
            maxRssMb: more.maxRssMb ?? null,
          },
        },
});

type Row = ReturnType<typeof row>;

const ID_ASC = { field: 'ID', direction: 'ASC' };

const tableMock = (
  variables: { filter?: Record<string, unknown>; orderBy?: Record<string, unknown>; after?: string | null },
  nodes: Row[],
  { total = nodes.length, next = null as string | null, lastEventId = '40' } = {},
) => ({
  request: {
    query: TaskTableDocument,
    variables: {
      id: '7',
      filter: variables.filter ?? {},
      orderBy: variables.orderBy ?? ID_ASC,
      first: TASK_PAGE_SIZE,
      after: variables.after ?? null,
    },
  },
  result: {
    data: {
      workflow: {
        __typename: 'Workflow',
        id: '7',
        name: 'forecast',
        createdBy: 'ana',
        lastEventId,
        tasks: {
          __typename: 'TaskConnection',
          totalCount: total,
          pageInfo: { __typename: 'PageInfo', hasNextPage: next !== null, endCursor: next ?? 'end' },
          nodes,
        },
      },
    },
  },
});

const templatesMock = {
  request: { query: TaskTableTemplatesDocument, variables: { id: '7' } },
  result: {
    data: {
      workflow: {
        __typename: 'Workflow',
        id: '7',
        taskTemplates: [
          { __typename: 'WorkflowTaskTemplate', id: '3', name: 'fit' },
          { __typename: 'WorkflowTaskTemplate', id: '4', name: 'prepare' },
        ],
      },
    },
  },
};

/** The page, with the URL's query string shown beside it (filters live there). */
function Probe() {
  const location = useLocation();
  return (
    <>
      <output data-testid="search">{location.search}</output>
      <TaskTablePage />
    </>
  );
}

function renderTable(route: string, mocks: MockLink.MockedResponse[]) {
  return renderWithApollo(<Probe />, { route, path: '/workflows/:id/tasks', mocks });
}

const rowsShown = (container: HTMLElement) =>
  [...container.querySelectorAll<HTMLElement>('tbody tr')].map((tr) => [
    tr.dataset.taskId,
    tr.dataset.status,
  ]);
const search = () => decodeURIComponent(screen.getByTestId('search').textContent ?? '');

afterEach(() => jest.restoreAllMocks());

describe('TaskTablePage', () => {
  it('filters by attributes as the workflow list does: key=value pairs, kept in the URL as attr', async () => {
    const { container } = renderTable('/workflows/7/tasks?attr=location%3Dkenya', [
      tableMock({ filter: { attributes: { location: 'kenya' } } }, [row('12', 'DONE')]),
      templatesMock,
      tableMock({ filter: { attributes: { location: 'kenya', sex: '1' } } }, [row('13', 'QUEUED')]),
      tableMock({}, [row('12', 'DONE'), row('13', 'QUEUED'), row('14', 'QUEUED')]),
    ]);
    await waitFor(() => expect(rowsShown(container)).toEqual([['12', 'DONE']]));
    const box = screen.getByLabelText<HTMLInputElement>('Attributes');
    expect(box.value).toBe('location=kenya');
    const attrParam = () => new URLSearchParams(screen.getByTestId('search').textContent ?? '').get('attr');
    fireEvent.change(box, { target: { value: 'location=kenya, sex=1' } });
    await waitFor(() => expect(rowsShown(container)).toEqual([['13', 'QUEUED']]));
    expect(attrParam()).toBe('location=kenya, sex=1');
    fireEvent.change(box, { target: { value: '' } });
    await waitFor(() => expect(rowsShown(container)).toHaveLength(3));
    expect(attrParam()).toBeNull();
  });

  it('reads its filters from the query string and shows each task with its last attempt', async () => {
    const failed = row('12', 'ERROR_FATAL', {
      lastError: 'MemoryError: out of memory',
      wallSeconds: 75,
      maxRssMb: 2048,
    });
    const { container } = renderTable('/workflows/7/tasks?status=ERROR_FATAL&template=fit&search=loc', [
      tableMock({ filter: { status: ['ERROR_FATAL'], template: 'fit', search: 'loc' } }, [failed], {
        total: 1,
      }),
      templatesMock,
    ]);
    await waitFor(() => expect(rowsShown(container)).toEqual([['12', 'ERROR_FATAL']]));
    const tr = container.querySelector('tr[data-task-id="12"]')!;
    expect(tr.textContent).toContain('MemoryError: out of memory');
    expect(tr.querySelector('.task-key')!.textContent).toBe('k12');
    expect(tr.textContent).toContain('1 min 15 s');
    expect(tr.textContent).toContain('2.0 GiB');
    expect(tr.textContent).toContain('1 / 3');
    expect(
      within(tr as HTMLElement)
        .getAllByRole('link')[0]!
        .getAttribute('href'),
    ).toBe('/tasks/12');
    expect(screen.getByText('1 task')).toBeTruthy();
    expect((screen.getByLabelText('ERROR FATAL') as HTMLInputElement).checked).toBe(true);
    expect((screen.getByLabelText('Search') as HTMLInputElement).value).toBe('loc');
    await waitFor(() => expect((screen.getByLabelText('Template') as HTMLSelectElement).value).toBe('fit'));
  });

  it('keeps filter changes in the query string and asks the server for the filtered set', async () => {
    const { container } = renderTable('/workflows/7/tasks?status=ERROR_FATAL', [
      tableMock({ filter: { status: ['ERROR_FATAL'] } }, [row('12', 'ERROR_FATAL')]),
      templatesMock,
      tableMock({ filter: { status: ['DONE', 'ERROR_FATAL'] } }, [
        row('11', 'DONE'),
        row('12', 'ERROR_FATAL'),
      ]),
      tableMock({ filter: { status: ['DONE', 'ERROR_FATAL'], template: 'prepare' } }, []),
    ]);
    await waitFor(() => expect(rowsShown(container)).toEqual([['12', 'ERROR_FATAL']]));
    fireEvent.click(screen.getByLabelText('DONE'));
    await waitFor(() =>
      expect(rowsShown(container)).toEqual([
        ['11', 'DONE'],
        ['12', 'ERROR_FATAL'],
      ]),
    );
    expect(search()).toBe('?status=DONE,ERROR_FATAL');
    await waitFor(() => expect(screen.getAllByRole('option', { name: 'prepare' })).toHaveLength(1));
    fireEvent.change(screen.getByLabelText('Template'), { target: { value: 'prepare' } });
    await screen.findByText('No task matches these filters.');
    expect(search()).toBe('?status=DONE,ERROR_FATAL&template=prepare');
  });

  it('filters by retrying: the tasks on a retry whatever their status, or the others, kept in the query string', async () => {
    const { container } = renderTable('/workflows/7/tasks?retrying=true', [
      tableMock({ filter: { retrying: true } }, [row('12', 'RUNNING'), row('15', 'QUEUED')]),
      templatesMock,
      tableMock({ filter: { status: ['RUNNING'], retrying: true } }, [row('12', 'RUNNING')]),
      tableMock({ filter: { status: ['RUNNING'], retrying: false } }, [row('11', 'RUNNING')]),
      tableMock({ filter: { status: ['RUNNING'] } }, [row('11', 'RUNNING'), row('12', 'RUNNING')]),
    ]);
    await waitFor(() =>
      expect(rowsShown(container)).toEqual([
        ['12', 'RUNNING'],
        ['15', 'QUEUED'],
      ]),
    );
    const select = screen.getByLabelText('Retrying') as HTMLSelectElement;
    expect(select.value).toBe('true');
    fireEvent.click(screen.getByLabelText('RUNNING'));
    await waitFor(() => expect(rowsShown(container)).toEqual([['12', 'RUNNING']]));
    fireEvent.change(select, { target: { value: 'false' } });
    await waitFor(() => expect(rowsShown(container)).toEqual([['11', 'RUNNING']]));
    expect(search()).toBe('?retrying=false&status=RUNNING');
    fireEvent.change(select, { target: { value: '' } });
    await waitFor(() => expect(rowsShown(container)).toHaveLength(2));
    expect(search()).toBe('?status=RUNNING');
  });

  it('sorts on the server: a column header asks for that order, again for the other direction', async () => {
    const { container } = renderTable('/workflows/7/tasks', [
      tableMock({}, [row('1', 'DONE', { wallSeconds: 5 }), row('2', 'DONE', { wallSeconds: 50 })]),
      templatesMock,
      tableMock({ orderBy: { field: 'RUNTIME', direction: 'DESC' } }, [
        row('2', 'DONE', { wallSeconds: 50 }),
        row('1', 'DONE', { wallSeconds: 5 }),
      ]),
      tableMock({ orderBy: { field: 'RUNTIME', direction: 'ASC' } }, [
        row('1', 'DONE', { wallSeconds: 5 }),
        row('2', 'DONE', { wallSeconds: 50 }),
      ]),
    ]);
    await waitFor(() => expect(rowsShown(container).map(([id]) => id)).toEqual(['1', '2']));
    fireEvent.click(screen.getByRole('button', { name: /Runtime/ }));
    await waitFor(() => expect(rowsShown(container).map(([id]) => id)).toEqual(['2', '1']));
    expect(search()).toBe('?sort=RUNTIME&dir=DESC');
    expect(screen.getByRole('columnheader', { name: /Runtime/ }).getAttribute('aria-sort')).toBe(
      'descending',
    );
    fireEvent.click(screen.getByRole('button', { name: /Runtime/ }));
    await waitFor(() => expect(search()).toBe('?sort=RUNTIME'));
    await waitFor(() => expect(rowsShown(container).map(([id]) => id)).toEqual(['1', '2']));
  });

  it('pages with the server’s cursors', async () => {
    const { container } = renderTable('/workflows/7/tasks', [
      tableMock({}, [row('1', 'DONE')], { total: 101, next: 'c1' }),
      templatesMock,
      tableMock({ after: 'c1' }, [row('101', 'QUEUED')], { total: 101 }),
      tableMock({}, [row('1', 'DONE')], { total: 101, next: 'c1' }),
    ]);
    await waitFor(() => expect(rowsShown(container)).toEqual([['1', 'DONE']]));
    expect(screen.getByText('page 1 of 2')).toBeTruthy();
    fireEvent.click(screen.getByRole('button', { name: 'Next →' }));
    await waitFor(() => expect(rowsShown(container)).toEqual([['101', 'QUEUED']]));
    expect(screen.getByText('page 2 of 2')).toBeTruthy();
    expect((screen.getByRole('button', { name: 'Next →' }) as HTMLButtonElement).disabled).toBe(true);
    fireEvent.click(screen.getByRole('button', { name: '← Previous' }));
    await waitFor(() => expect(rowsShown(container)).toEqual([['1', 'DONE']]));
  });

  it('follows the workflow’s task changes from the cursor read with the page, and refetches the page', async () => {
    const { container, subscriptions } = renderTable('/workflows/7/tasks?status=ERROR_FATAL', [
      tableMock({ filter: { status: ['ERROR_FATAL'] } }, [row('12', 'ERROR_FATAL')], { lastEventId: '40' }),
      templatesMock,
      tableMock(
        { filter: { status: ['ERROR_FATAL'] } },
        [row('12', 'ERROR_FATAL'), row('13', 'ERROR_FATAL', { lastError: 'exit 3' })],
        { lastEventId: '41' },
      ),
    ]);
    await waitFor(() => expect(rowsShown(container)).toEqual([['12', 'ERROR_FATAL']]));
    await waitFor(() => expect(subscriptions.operation?.variables).toEqual({ workflowId: '7', since: '40' }));
    pushTaskStatusChange(subscriptions, { id: '41', taskId: '13', toStatus: 'ERROR_FATAL' });
    await waitFor(() =>
      expect(rowsShown(container)).toEqual([
        ['12', 'ERROR_FATAL'],
        ['13', 'ERROR_FATAL'],
      ]),
    );
    expect(container.querySelector('tr[data-task-id="13"]')!.textContent).toContain('exit 3');
  });

  it('downloads the whole filtered set as CSV, a page at a time, in the table’s order', async () => {
    const blobs: Blob[] = [];
    URL.createObjectURL = jest.fn((blob: Blob) => {
      blobs.push(blob);
      return 'blob:tasks';
    });
    URL.revokeObjectURL = jest.fn();
    const click = jest.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => undefined);
    const filter = { status: ['ERROR_FATAL'] };
    const orderBy = { field: 'MAX_RSS', direction: 'DESC' };
    // The server's page size (below the CSV's own 500) bounds each request.
    const limits = {
      request: { query: WebServerLimitsDocument },
      result: { data: { serverLimits: { __typename: 'ServerLimits', maxPageSize: 200 } } },
    };
    const csvPage = (after: string | null, nodes: Row[], next: string | null) => ({
      request: {
        query: TaskCsvPageDocument,
        variables: { id: '7', filter, orderBy, first: 200, after },
      },
      result: {
        data: {
          workflow: {
            __typename: 'Workflow',
            id: '7',
            tasks: {
              __typename: 'TaskConnection',
              pageInfo: { __typename: 'PageInfo', hasNextPage: next !== null, endCursor: next ?? 'end' },
              nodes,
            },
          },
        },
      },
    });
    renderTable('/workflows/7/tasks?status=ERROR_FATAL&sort=MAX_RSS&dir=DESC', [
      tableMock({ filter, orderBy }, [row('12', 'ERROR_FATAL')], { total: 2 }),
      templatesMock,
      limits,
      csvPage(
        null,
        [row('12', 'ERROR_FATAL', { lastError: 'said "no", then, quit', wallSeconds: 3.5, maxRssMb: 900 })],
        'p1',
      ),
      csvPage('p1', [row('13', 'ERROR_FATAL', { lastError: 'line 1\nline 2' })], null),
    ]);
    await screen.findByText('fit loc 12');
    fireEvent.click(screen.getByRole('button', { name: 'Download CSV' }));
    await waitFor(() => expect(click).toHaveBeenCalled());
    expect(blobs).toHaveLength(1);
    const text = await new Promise<string>((resolve) => {
      const reader = new FileReader();
      reader.onload = () => resolve(String(reader.result));
      reader.readAsText(blobs[0]!);
    });
    expect(text).toBe(
      'id,key,name,template,status,attempts,last_error,runtime_seconds,max_rss_mb\r\n' +
        '12,k12,fit loc 12,fit,ERROR_FATAL,1,"said ""no"", then, quit",3.5,900\r\n' +
        '13,k13,fit loc 13,fit,ERROR_FATAL,0,"line 1\nline 2",,\r\n',
    );
    const anchor = click.mock.instances[0] as unknown as HTMLAnchorElement;
    expect(anchor.download).toBe('workflow-7-tasks.csv');
  });

  it('sets the status of the selected rows (with their downstream tasks when asked), then refreshes', async () => {
    jest.spyOn(window, 'confirm').mockReturnValue(true);
    const { container } = renderTable('/workflows/7/tasks?status=ERROR_FATAL', [
      tableMock({ filter: { status: ['ERROR_FATAL'] } }, [
        row('12', 'ERROR_FATAL'),
        row('13', 'ERROR_FATAL'),
        row('14', 'ERROR_FATAL'),
      ]),
      templatesMock,
      {
        request: {
          query: SetTaskStatusDocument,
          variables: { taskIds: ['12', '14'], status: 'QUEUED', recursive: true },
        },
        result: {
          data: {
            setTaskStatus: [
              { __typename: 'Task', id: '12', status: 'QUEUED', statusUpdatedAt: '2026-11-26T10:04:00.000Z' },
              { __typename: 'Task', id: '14', status: 'QUEUED', statusUpdatedAt: '2026-11-26T10:04:00.000Z' },
            ],
          },
        },
      },
      tableMock({ filter: { status: ['ERROR_FATAL'] } }, [row('13', 'ERROR_FATAL')], { lastEventId: '45' }),
    ]);
    await waitFor(() => expect(rowsShown(container)).toHaveLength(3));
    const setButton = () => screen.getByRole('button', { name: /^Set status/ }) as HTMLButtonElement;
    expect(setButton().disabled).toBe(true);
    fireEvent.click(screen.getByLabelText('Select task 12'));
    fireEvent.click(screen.getByLabelText('Select task 14'));
    expect(screen.getByText('2 tasks selected')).toBeTruthy();
    fireEvent.change(screen.getByLabelText('Set status to'), { target: { value: 'QUEUED' } });
    fireEvent.click(screen.getByLabelText('with downstream tasks'));
    fireEvent.click(setButton());
    expect(window.confirm).toHaveBeenCalledWith('Set 2 tasks and their downstream tasks to QUEUED?');
    await waitFor(() => expect(rowsShown(container)).toEqual([['13', 'ERROR_FATAL']]));
    expect(screen.getByText('0 tasks selected')).toBeTruthy();
  });

  it('offers no status change to a viewer who does not own the workflow', async () => {
    const { ViewerContext } = await import('../auth/viewer');
    const { Role } = await import('../generated/graphql');
    renderWithApollo(
      <ViewerContext.Provider value={{ authRequired: true, user: 'bob', role: Role.User }}>
        <TaskTablePage />
      </ViewerContext.Provider>,
      {
        route: '/workflows/7/tasks',
        path: '/workflows/:id/tasks',
        mocks: [tableMock({}, [row('12', 'ERROR_FATAL')]), templatesMock],
      },
    );
    await screen.findByText('fit loc 12');
    fireEvent.click(screen.getByLabelText('Select task 12'));
    const button = screen.getByRole('button', { name: /^Set status/ }) as HTMLButtonElement;
    expect(button.disabled).toBe(true);
    expect(button.title).toContain("ana's workflow");
  });
});
