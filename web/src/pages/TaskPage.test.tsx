/** @jest-environment jsdom */
import { act, fireEvent, screen, waitFor, within } from '@testing-library/react';
import {
  AuditTimelineDocument,
  SetTaskStatusDocument,
  TaskPageDocument,
  UpdateTaskResourcesDocument,
} from '../generated/graphql';
import { taskStatusChangedResult } from '../testing/liveEvents';
import { renderWithApollo } from '../testing/renderWithApollo';
import { TaskPage } from './TaskPage';

const resources = {
  __typename: 'Resources',
  memoryMb: 2048,
  cores: 2,
  runtimeSeconds: 3600,
  queue: 'all',
  extra: null,
};
const attempt = (id: string, number: number, status: string, stderrTail: string | null) => ({
  __typename: 'TaskInstance',
  id,
  attempt: number,
  status,
  statusUpdatedAt: '2026-11-26T10:02:00.000Z',
  exitCode: status === 'DONE' ? 0 : 137,
  errorKind: status === 'DONE' ? null : 'OUT_OF_MEMORY',
  errorMessage: status === 'DONE' ? null : 'killed for memory',
  hostname: 'node-1',
  backendJobId: `job-${id}`,
  distributorId: '1',
  submittedAt: '2026-11-26T10:00:00.000Z',
  startedAt: '2026-11-26T10:00:01.000Z',
  finishedAt: '2026-11-26T10:01:00.000Z',
  stdoutPath: null,
  stderrPath: `/logs/${id}.err`,
  stdoutTail: null,
  stderrTail,
  resources,
  usage: { __typename: 'ResourceUsage', maxRssMb: 1900, wallSeconds: 59, cpuSeconds: 50 },
});
const link = (id: string, name: string, status: string) => ({ __typename: 'Task', id, name, status });

const taskMock = (task: unknown) => ({
  request: { query: TaskPageDocument, variables: { id: '5' } },
  result: { data: { task } },
});

/** Task 5 as the page reads it, `status` as of AuditEvent `lastEventId`. */
const task5 = (status: string, lastEventId: string, instances: unknown[] = []) => ({
  __typename: 'Task',
  id: '5',
  lastEventId,
  key: 'fit:7',
  name: 'fit loc 7',
  command: 'python fit.py --loc 7',
  status,
  blockedBy: [] as { __typename: 'BlockReason'; kind: string; message: string }[],
  statusUpdatedAt: '2026-11-26T10:02:00.000Z',
  createdAt: '2026-11-26T09:59:00.000Z',
  maxAttempts: 3,
  numAttempts: instances.length,
  args: { loc: 7 },
  attributes: null,
  fallbackQueues: [],
  resources,
  resourceScales: { __typename: 'ResourceScales', memory: 0.5, runtime: 0.5 },
  template: {
    __typename: 'TaskTemplate',
    id: '3',
    name: 'fit',
    commandTemplate: 'python fit.py --loc {loc}',
  },
  workflow: {
    __typename: 'Workflow',
    id: '2',
    name: 'forecast',
    status: 'RUNNING',
    createdBy: 'ana',
    tool: { __typename: 'Tool', id: '1', name: 'fc' },
  },
  upstream: [link('4', 'prepare', 'DONE')],
  downstream: [],
  instances,
});

const timelineMock = {
  request: {
    query: AuditTimelineDocument,
    variables: { filter: { entityType: 'TASK', entityId: '5' }, first: 200 },
  },
  result: {
    data: {
      auditEvents: {
        __typename: 'AuditEventConnection',
        totalCount: 1,
        pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
        nodes: [
          {
            __typename: 'AuditEvent',
            id: '31',
            at: '2026-11-26T10:00:00.000Z',
            entityType: 'TASK',
            entityId: '5',
            workflowId: '2',
            fromStatus: 'QUEUED',
            toStatus: 'INSTANTIATING',
            reason: 'claimed',
            actor: 'distributor 1',
          },
        ],
      },
    },
  },
};

describe('TaskPage', () => {
  it('shows the command, resources, edges, the attempts newest first with their errors and tails, and the timeline', async () => {
    const { container } = renderWithApollo(<TaskPage />, {
      route: '/tasks/5',
      path: '/tasks/:id',
      mocks: [
        taskMock(
          task5('RUNNING', '40', [
            attempt('10', 1, 'RESOURCE_ERROR', 'MemoryError: out of memory\n'),
            attempt('11', 2, 'RUNNING', null),
          ]),
        ),
        timelineMock,
      ],
    });
    expect(await screen.findByText('python fit.py --loc 7')).toBeTruthy();
    expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('fit loc 7');
    expect(
      within(screen.getByRole('region', { name: 'Upstream' }))
        .getByRole('link', { name: 'prepare' })
        .getAttribute('href'),
    ).toBe('/tasks/4');
    expect(within(screen.getByRole('region', { name: 'Downstream' })).getByText('None.')).toBeTruthy();

    const attempts = [...container.querySelectorAll<HTMLElement>('.attempt')];
    expect(attempts.map((a) => a.dataset.attemptId)).toEqual(['11', '10']);
    const failed = attempts[1]!;
    expect(within(failed).getByRole('link', { name: 'Attempt 1' }).getAttribute('href')).toBe(
      '/task-instances/10',
    );
    expect(failed.textContent).toContain('OUT_OF_MEMORY');
    expect(failed.textContent).toContain('killed for memory');
    expect(failed.textContent).toContain('node-1');
    expect(within(failed).getByLabelText('stderr tail').textContent).toBe('MemoryError: out of memory\n');

    // The task runs on: its resources are what its next attempt asks for.
    expect(screen.getByText('Requested resources (next attempt)')).toBeTruthy();

    const timeline = await screen.findByText('claimed');
    expect(timeline.closest('li')!.textContent).toMatch(/QUEUED.*INSTANTIATING.*claimed.*by distributor 1/);
  });

  it('follows its workflow from the cursor read with the task, so a change made before the subscription still shows', async () => {
    const { subscriptions } = renderWithApollo(<TaskPage />, {
      route: '/tasks/5',
      path: '/tasks/:id',
      mocks: [
        taskMock(task5('QUEUED', '40')),
        timelineMock,
        // The refetch after the replayed change, and the timeline of the new status.
        taskMock({ ...task5('RUNNING', '41'), statusUpdatedAt: '2026-11-26T10:03:00.000Z' }),
        timelineMock,
      ],
    });
    const pageStatus = () => document.querySelector('.task-page')?.getAttribute('data-status');
    await waitFor(() => expect(pageStatus()).toBe('QUEUED'));
    // The subscription starts from the page's read: the server replays every later event first.
    await waitFor(() => expect(subscriptions.operation?.variables).toEqual({ workflowId: '2', since: '40' }));
    act(() => {
      // The task ran between the page's query and its subscription: replayed, it updates the page.
      subscriptions.simulateResult(
        taskStatusChangedResult({
          id: '41',
          taskId: '5',
          fromStatus: 'QUEUED',
          toStatus: 'RUNNING',
          workflowId: '2',
        }),
      );
    });
    await waitFor(() => expect(pageStatus()).toBe('RUNNING'));
    expect(screen.getByRole('heading', { level: 1 }).textContent).toContain('RUNNING');
  });

  it('calls a finished task’s resources requested, not those of a next attempt', async () => {
    renderWithApollo(<TaskPage />, {
      route: '/tasks/5',
      path: '/tasks/:id',
      mocks: [taskMock(task5('DONE', '40', [attempt('10', 1, 'DONE', null)])), timelineMock],
    });
    expect(await screen.findByText('Requested resources')).toBeTruthy();
    expect(screen.queryByText(/next attempt/)).toBeNull();
  });

  it('says every reason a task waits (blockedBy), each marked with its kind', async () => {
    const reason = (kind: string, message: string) => ({ __typename: 'BlockReason' as const, kind, message });
    const blockedBy = [
      reason(
        'WORKFLOW_LIMIT',
        'The workflow is paused (maxConcurrentlyRunning 0): raise its limit to run tasks',
      ),
      reason(
        'NO_DISTRIBUTOR_FOR_QUEUE',
        "No distributor of bob is registered: a distributor runs only its own user's work",
      ),
    ];
    const { container } = renderWithApollo(<TaskPage />, {
      route: '/tasks/5',
      path: '/tasks/:id',
      mocks: [taskMock({ ...task5('QUEUED', '40'), blockedBy }), timelineMock],
    });
    const reasons = await screen.findByRole('status', { name: 'Why it is waiting' });
    const items = within(reasons).getAllByRole('listitem');
    expect(items.map((item) => item.getAttribute('data-block-kind'))).toEqual([
      'WORKFLOW_LIMIT',
      'NO_DISTRIBUTOR_FOR_QUEUE',
    ]);
    expect(items[1]!.textContent).toBe(`No distributor: ${blockedBy[1]!.message}`);
    expect(container.querySelectorAll('[data-block-kind]')).toHaveLength(2);
  });

  it('shows no reason for a task that is not waiting', async () => {
    renderWithApollo(<TaskPage />, {
      route: '/tasks/5',
      path: '/tasks/:id',
      mocks: [taskMock(task5('RUNNING', '40')), timelineMock],
    });
    expect(await screen.findByText('python fit.py --loc 7')).toBeTruthy();
    expect(screen.queryByRole('status', { name: 'Why it is waiting' })).toBeNull();
  });

  it('says when the task does not exist', async () => {
    renderWithApollo(<TaskPage />, { route: '/tasks/5', path: '/tasks/:id', mocks: [taskMock(null)] });
    expect((await screen.findByRole('alert')).textContent).toContain('Task 5 was not found');
  });

  it('sets its status from the page (after a confirmation), then shows the new status', async () => {
    jest.spyOn(window, 'confirm').mockReturnValue(true);
    renderWithApollo(<TaskPage />, {
      route: '/tasks/5',
      path: '/tasks/:id',
      mocks: [
        taskMock(task5('ERROR_FATAL', '40', [attempt('10', 1, 'ERROR', null)])),
        timelineMock,
        {
          request: {
            query: SetTaskStatusDocument,
            variables: { taskIds: ['5'], status: 'DONE', recursive: false },
          },
          result: {
            data: {
              setTaskStatus: [
                { __typename: 'Task', id: '5', status: 'DONE', statusUpdatedAt: '2026-11-26T10:09:00.000Z' },
              ],
            },
          },
        },
        taskMock({
          ...task5('DONE', '42', [attempt('10', 1, 'ERROR', null)]),
          statusUpdatedAt: '2026-11-26T10:09:00.000Z',
        }),
        timelineMock,
      ],
    });
    await screen.findByText('python fit.py --loc 7');
    fireEvent.change(screen.getByLabelText('Set status to'), { target: { value: 'DONE' } });
    fireEvent.click(screen.getByRole('button', { name: 'Set status' }));
    expect(window.confirm).toHaveBeenCalledWith('Set 1 task to DONE?');
    await waitFor(() =>
      expect(document.querySelector('.task-page')?.getAttribute('data-status')).toBe('DONE'),
    );
    jest.restoreAllMocks();
  });

  it('changes the resources of its next attempt: only the fields changed are sent', async () => {
    renderWithApollo(<TaskPage />, {
      route: '/tasks/5',
      path: '/tasks/:id',
      mocks: [
        taskMock(task5('QUEUED', '40')),
        timelineMock,
        {
          request: {
            query: UpdateTaskResourcesDocument,
            variables: { taskIds: ['5'], resources: { memoryMb: 4096, queue: 'long' } },
          },
          result: {
            data: {
              updateTaskResources: [
                {
                  __typename: 'Task',
                  id: '5',
                  resources: { ...resources, memoryMb: 4096, queue: 'long' },
                },
              ],
            },
          },
        },
        taskMock({ ...task5('QUEUED', '41'), resources: { ...resources, memoryMb: 4096, queue: 'long' } }),
        timelineMock,
      ],
    });
    await screen.findByText('python fit.py --loc 7');
    const update = screen.getByRole('button', { name: 'Update resources' }) as HTMLButtonElement;
    expect(update.disabled).toBe(true);
    expect((screen.getByLabelText('Memory (MiB)') as HTMLInputElement).value).toBe('2048');
    fireEvent.change(screen.getByLabelText('Memory (MiB)'), { target: { value: '4096' } });
    fireEvent.change(screen.getByLabelText('Queue'), { target: { value: 'long' } });
    fireEvent.click(update);
    // The page shows what the next attempt asks for now.
    await waitFor(() =>
      expect(
        (
          screen
            .getByRole('form', { name: 'Resources of the next attempt' })
            .querySelector('input') as HTMLInputElement
        ).value,
      ).toBe('4096'),
    );
    await waitFor(() => expect(screen.getByText(/4\.0 GiB/)).toBeTruthy());
  });
});
