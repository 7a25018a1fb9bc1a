/** @jest-environment jsdom */
import { act, screen, waitFor } from '@testing-library/react';
import { AuditTimelineDocument, TaskInstancePageDocument } from '../generated/graphql';
import { taskStatusChangedResult } from '../testing/liveEvents';
import { renderWithApollo } from '../testing/renderWithApollo';
import { TaskInstancePage } from './TaskInstancePage';

/** Attempt 10 (attempt 1 of task 5) as the page reads it, as of AuditEvent `lastEventId`. */
const distributor = (servesAllUsers: boolean) => ({
  __typename: 'Distributor',
  id: '1',
  name: 'cluster-1',
  owner: 'slurm',
  servesAllUsers,
});
const attemptResult = (status: string, lastEventId: string, servesAllUsers = false) => ({
  data: {
    taskInstance: {
      __typename: 'TaskInstance',
      id: '10',
      lastEventId,
      attempt: 1,
      status,
      // The timeline is keyed by it: a new status reads the timeline again.
      statusUpdatedAt: `2026-11-26T10:0${lastEventId.slice(-1)}:00.000Z`,
      exitCode: null,
      errorKind: null,
      errorMessage: null,
      hostname: 'node-1',
      backendJobId: 'job-10',
      distributorId: '1',
      submittedAt: '2026-11-26T10:00:00.000Z',
      startedAt: null,
      finishedAt: null,
      stdoutPath: null,
      stderrPath: null,
      stdoutTail: null,
      stderrTail: null,
      heartbeatAt: null,
      distributor: distributor(servesAllUsers),
      resources: {
        __typename: 'Resources',
        memoryMb: 1024,
        cores: 1,
        runtimeSeconds: 600,
        queue: 'all',
        extra: null,
      },
      usage: { __typename: 'ResourceUsage', maxRssMb: null, wallSeconds: null, cpuSeconds: null },
      workflowRun: { __typename: 'WorkflowRun', id: '3', status: 'RUNNING' },
      task: {
        __typename: 'Task',
        id: '5',
        name: 'fit loc 7',
        status: 'LAUNCHED',
        workflow: { __typename: 'Workflow', id: '2', name: 'forecast' },
      },
    },
  },
});
const timeline = () => ({
  request: {
    query: AuditTimelineDocument,
    variables: { filter: { entityType: 'TASK_INSTANCE', entityId: '10' }, first: 200 },
  },
  result: {
    data: {
      auditEvents: {
        __typename: 'AuditEventConnection',
        totalCount: 0,
        pageInfo: { __typename: 'PageInfo', hasNextPage: false, endCursor: null },
        nodes: [],
      },
    },
  },
});

describe('TaskInstancePage', () => {
  it('says when its distributor runs every user’s work, as its own operating-system user', async () => {
    renderWithApollo(<TaskInstancePage />, {
      route: '/task-instances/10',
      path: '/task-instances/:id',
      mocks: [
        {
          request: { query: TaskInstancePageDocument, variables: { id: '10' } },
          result: attemptResult('LAUNCHED', '40', true),
        },
        timeline(),
      ],
    });
    expect((await screen.findByRole('note')).textContent).toMatch(/runs every user's work/);
    expect(screen.getByText(/distributor cluster-1 of slurm/)).toBeTruthy();
  });

  it('links back to its task and workflow, and follows its task from the cursor read with the attempt', async () => {
    const { container, subscriptions } = renderWithApollo(<TaskInstancePage />, {
      route: '/task-instances/10',
      path: '/task-instances/:id',
      mocks: [
        {
          request: { query: TaskInstancePageDocument, variables: { id: '10' } },
          result: attemptResult('LAUNCHED', '40'),
        },
        timeline(),
        {
          request: { query: TaskInstancePageDocument, variables: { id: '10' } },
          result: attemptResult('RUNNING', '41'),
        },
        timeline(),
      ],
    });
    const status = () => container.querySelector('.attempt-page')?.getAttribute('data-status');
    await waitFor(() => expect(status()).toBe('LAUNCHED'));
    const breadcrumbs = screen.getByRole('navigation', { name: 'Breadcrumbs' });
    expect([...breadcrumbs.querySelectorAll('a')].map((a) => a.getAttribute('href'))).toEqual([
      '/',
      '/workflows/2',
      '/tasks/5',
    ]);
    await waitFor(() => expect(subscriptions.operation?.variables).toEqual({ workflowId: '2', since: '40' }));
    expect(document.title).toBe('Attempt 1 of fit loc 7 · Jobmon');

    act(() => {
      // Another task's change does nothing; its own task's (replayed from the cursor) refetches.
      subscriptions.simulateResult(
        taskStatusChangedResult({
          id: '41',
          taskId: '6',
          toStatus: 'RUNNING',
          fromStatus: 'LAUNCHED',
          workflowId: '2',
        }),
      );
      subscriptions.simulateResult(
        taskStatusChangedResult({
          id: '42',
          taskId: '5',
          toStatus: 'RUNNING',
          fromStatus: 'LAUNCHED',
          workflowId: '2',
        }),
      );
    });
    await waitFor(() => expect(status()).toBe('RUNNING'));
  });
});
