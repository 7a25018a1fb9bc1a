/** @jest-environment jsdom */
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { useLocation } from 'react-router-dom';
import { WorkflowDagDocument, type WorkflowDagQuery } from '../generated/graphql';
import { prepareJsdomForXyflow } from '../testing/jsdomForXyflow';
import { renderWithApollo } from '../testing/renderWithApollo';
import { layoutDag } from './dagLayout';
import { COLLAPSE_ABOVE, DAG_LABEL_PX, DagView, initialViewport, MIN_READABLE_ZOOM } from './DagView';

beforeAll(prepareJsdomForXyflow);

type DagNode = NonNullable<WorkflowDagQuery['workflow']>['dag']['nodes'][number] & { __typename: 'DagNode' };
const taskNode = (id: string, status: DagNode['status'], template = 'fit'): DagNode => ({
  __typename: 'DagNode',
  id: `task:${id}`,
  taskId: id,
  label: `${template} ${id}`,
  template,
  collapsed: false,
  status,
  size: 1,
});
const dagResult = (nodes: DagNode[], edges: [string, string][], collapsed = false) => ({
  data: {
    workflow: {
      __typename: 'Workflow' as const,
      id: '1',
      dag: {
        __typename: 'Dag' as const,
        lastEventId: '50',
        collapsed,
        nodes,
        edges: edges.map(([source, target]) => ({
          __typename: 'DagEdge' as const,
          source,
          target,
          count: 1,
        })),
      },
    },
  },
});
const dagMock = (expand: string[], result: ReturnType<typeof dagResult>) => ({
  request: { query: WorkflowDagDocument, variables: { id: '1', collapseAbove: COLLAPSE_ABOVE, expand } },
  result,
});

const statusEvent = (id: string, taskId: string, toStatus: string) => ({
  result: {
    data: {
      taskStatusChanged: {
        __typename: 'AuditEvent',
        id,
        at: new Date().toISOString(),
        entityType: 'TASK',
        entityId: taskId,
        workflowId: '1',
        fromStatus: null,
        toStatus,
        reason: null,
        actor: null,
      },
    },
  },
});

/** Shows the router's path, to see where a click or a key went. */
function CurrentPath() {
  return <output data-testid="path">{useLocation().pathname}</output>;
}

const nodeStatus = (container: HTMLElement, taskId: string) =>
  container.querySelector(`[data-task-id="${taskId}"]`)?.getAttribute('data-status');

describe('DagView', () => {
  it('draws every task node, then restyles one from a live status change without a new layout', async () => {
    const layout = jest.fn(layoutDag);
    const { container, subscriptions } = renderWithApollo(
      <DagView workflowId="1" templateCounts={new Map()} />,
      {
        mocks: [
          dagMock(
            [],
            dagResult(
              [taskNode('7', 'QUEUED'), taskNode('8', 'REGISTERING'), taskNode('9', 'REGISTERING')],
              [
                ['task:7', 'task:8'],
                ['task:7', 'task:9'],
              ],
            ),
          ),
        ],
        layout,
      },
    );
    expect(screen.getByRole('status').textContent).toMatch(/Loading the DAG/);
    await waitFor(() => expect(container.querySelectorAll('[data-task-id]')).toHaveLength(3));
    expect(nodeStatus(container, '7')).toBe('QUEUED');
    expect(screen.getByRole('link', { name: 'fit 7' }).getAttribute('href')).toBe('/tasks/7');

    act(() => {
      // Older than the DAG read (lastEventId 50): already shown, never applied over it.
      subscriptions.simulateResult(statusEvent('49', '9', 'QUEUED'));
      subscriptions.simulateResult(statusEvent('100', '7', 'RUNNING'));
      subscriptions.simulateResult(statusEvent('101', '7', 'DONE'));
      subscriptions.simulateResult(statusEvent('102', '8', 'QUEUED'));
    });
    await waitFor(() => expect(nodeStatus(container, '7')).toBe('DONE'));
    expect(nodeStatus(container, '8')).toBe('QUEUED');
    expect(nodeStatus(container, '9')).toBe('REGISTERING');
    expect(layout).toHaveBeenCalledTimes(1);
    // Followed from the DAG's cursor.
    expect(subscriptions.operation?.variables).toEqual({ workflowId: '1', since: '50' });
  });

  it('makes each node a labelled tab stop (the link inside is not a second one); Enter opens the task', async () => {
    const { container, subscriptions } = renderWithApollo(
      <>
        <DagView workflowId="1" templateCounts={new Map()} />
        <CurrentPath />
      </>,
      {
        route: '/workflows/1',
        mocks: [
          dagMock(
            [],
            dagResult([taskNode('7', 'QUEUED'), taskNode('8', 'REGISTERING')], [['task:7', 'task:8']]),
          ),
        ],
      },
    );
    await waitFor(() => expect(container.querySelectorAll('[data-task-id]')).toHaveLength(2));
    const wrapperOf = (taskId: string) =>
      container.querySelector(`[data-task-id="${taskId}"]`)!.closest<HTMLElement>('.react-flow__node')!;
    expect(wrapperOf('7').tabIndex).toBe(0);
    expect(wrapperOf('7').getAttribute('aria-label')).toBe('Task fit 7, QUEUED');
    expect(screen.getByRole('link', { name: 'fit 7' }).tabIndex).toBe(-1);
    // The label follows live changes.
    act(() => subscriptions.simulateResult(statusEvent('60', '7', 'RUNNING')));
    await waitFor(() => expect(wrapperOf('7').getAttribute('aria-label')).toBe('Task fit 7, RUNNING'));

    wrapperOf('8').focus();
    fireEvent.keyDown(wrapperOf('8'), { key: 'Enter' });
    await waitFor(() => expect(screen.getByTestId('path').textContent).toBe('/tasks/8'));
  });

  it.each(['its Expand button', 'Enter on the focused node'])(
    'shows a collapsed template with its live counts and expands it into its tasks (%s)',
    async (how) => {
      const collapsedNode: DagNode = {
        __typename: 'DagNode',
        id: 'template:fit',
        taskId: null,
        label: 'fit',
        template: 'fit',
        collapsed: true,
        status: 'QUEUED',
        size: 2,
      };
      const { container } = renderWithApollo(
        <DagView
          workflowId="1"
          templateCounts={
            new Map([
              [
                'fit',
                [
                  { status: 'DONE', count: 1 },
                  { status: 'QUEUED', count: 1 },
                ],
              ],
            ])
          }
        />,
        {
          mocks: [
            dagMock([], dagResult([collapsedNode], [], true)),
            dagMock(
              ['fit'],
              dagResult([taskNode('7', 'DONE'), taskNode('8', 'QUEUED')], [['task:7', 'task:8']], true),
            ),
          ],
        },
      );
      const group = await waitFor(() => {
        const element = container.querySelector('[data-template="fit"]');
        expect(element).not.toBeNull();
        return element as HTMLElement;
      });
      // The most pressing status of its live counts (not the snapshot's), with the counts as text.
      expect(group.getAttribute('data-status')).toBe('QUEUED');
      expect(group.textContent).toContain('2 tasks');
      expect(group.querySelector('[role="img"]')?.getAttribute('aria-label')).toBe(
        'Tasks: 1 done, 1 pending',
      );

      if (how === 'its Expand button') fireEvent.click(screen.getByRole('button', { name: 'Expand' }));
      else {
        const node = group.closest<HTMLElement>('.react-flow__node')!;
        expect(node.getAttribute('aria-label')).toBe('Template fit, 2 tasks');
        node.focus();
        fireEvent.keyDown(node, { key: 'Enter' });
      }
      await waitFor(() => expect(container.querySelectorAll('[data-task-id]')).toHaveLength(2));
      expect(container.querySelector('[data-template="fit"]')).toBeNull();
      expect(screen.getByRole('button', { name: 'Collapse fit' })).toBeTruthy();
    },
  );

  it('says so when the DAG cannot be loaded', async () => {
    renderWithApollo(<DagView workflowId="1" templateCounts={new Map()} />, {
      mocks: [
        {
          request: {
            query: WorkflowDagDocument,
            variables: { id: '1', collapseAbove: COLLAPSE_ABOVE, expand: [] },
          },
          error: new Error('connection refused'),
        },
      ],
    });
    expect((await screen.findByRole('alert')).textContent).toMatch(
      /Could not load the DAG.*connection refused/,
    );
  });
});

describe('initialViewport', () => {
  const canvas = { width: 1200, height: 600 };

  it('fits a small graph, its top near the top of the canvas, never above MAX zoom', () => {
    const bounds = { minX: 0, minY: 0, maxX: 400, maxY: 300 };
    const view = initialViewport(bounds, canvas.width, canvas.height)!;
    expect(view.zoom).toBeGreaterThanOrEqual(MIN_READABLE_ZOOM);
    expect(view.zoom).toBeLessThanOrEqual(1.5);
    // The graph's top edge on screen, and its horizontal centre at the canvas centre.
    expect(view.y + bounds.minY * view.zoom).toBe(24);
    expect(view.x + ((bounds.minX + bounds.maxX) / 2) * view.zoom).toBe(canvas.width / 2);
    // All of it is on screen.
    expect(view.y + bounds.maxY * view.zoom).toBeLessThanOrEqual(canvas.height);
  });

  it('shows the top of a graph too large to fit at a zoom where labels are at least 11 px', () => {
    const bounds = { minX: -20_000, minY: 100, maxX: 20_000, maxY: 9_000 };
    const view = initialViewport(bounds, canvas.width, canvas.height)!;
    expect(view.zoom).toBe(MIN_READABLE_ZOOM);
    expect(DAG_LABEL_PX * view.zoom).toBeGreaterThanOrEqual(11);
    expect(view.y + bounds.minY * view.zoom).toBe(24);
  });

  it('a graph that would fit only below the readable zoom is not shrunk to fit', () => {
    // 1,500 px tall: fitting 600 px would need zoom 0.37.
    const view = initialViewport({ minX: 0, minY: 0, maxX: 300, maxY: 1500 }, canvas.width, canvas.height)!;
    expect(view.zoom).toBe(MIN_READABLE_ZOOM);
  });

  it('leaves a canvas without a size to React Flow', () => {
    expect(initialViewport({ minX: 0, minY: 0, maxX: 10, maxY: 10 }, 0, 0)).toBeNull();
  });
});

describe('initialViewport of a wide graph', () => {
  it('centres on the top row (its roots), not on the middle of the graph', () => {
    // A root at the left above a 40,000 px wide row.
    const bounds = { minX: 0, minY: 0, maxX: 40_000, maxY: 300, topCenterX: 90 };
    const view = initialViewport(bounds, 1200, 600)!;
    expect(view.x + 90 * view.zoom).toBe(600);
    // A graph that fits is centred as a whole whatever its top row.
    const small = initialViewport({ ...bounds, maxX: 400, topCenterX: 90 }, 1200, 600)!;
    expect(small.x + 200 * small.zoom).toBe(600);
  });
});
