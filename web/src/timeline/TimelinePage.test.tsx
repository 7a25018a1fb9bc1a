/** @jest-environment jsdom */
import { act, fireEvent, screen, waitFor } from '@testing-library/react';
import { WorkflowTimelineDocument } from '../generated/graphql';
import { AGGREGATE_REFETCH_MS } from '../live/useLiveRefetch';
import { pushTaskStatusChange, recordStates, repeatedMock } from '../testing/liveEvents';
import { renderWithApollo } from '../testing/renderWithApollo';
import { TIMELINE_CAP, TimelinePage } from './TimelinePage';

// jsdom has no canvas: a recording 2D context stands in, so the test sees what was drawn.
const drawn: { fill: string; rect: number[] }[] = [];
const context = {
  canvas: null as unknown as HTMLCanvasElement,
  clearRect: () => drawn.splice(0),
  fillRect(...rect: number[]) {
    drawn.push({ fill: String(this.fillStyle), rect });
  },
  strokeRect: () => undefined,
  fillText: () => undefined,
  beginPath: () => undefined,
  moveTo: () => undefined,
  lineTo: () => undefined,
  stroke: () => undefined,
  fillStyle: '',
  strokeStyle: '',
  lineWidth: 1,
  font: '',
};
beforeAll(() => {
  HTMLCanvasElement.prototype.getContext = function (this: HTMLCanvasElement) {
    return { ...context, canvas: this, fillRect: context.fillRect } as never;
  } as never;
});

const timeline = {
  __typename: 'Timeline',
  origin: '2026-11-26T10:00:00.000Z',
  instanceIds: [1, 2, 3],
  attempts: [1, 2, 1],
  statusNames: ['QUEUED', 'RUNNING', 'DONE', 'ERROR'],
  statusCodes: [3, 2, 2],
  startedMs: [0, 6000, 2000],
  finishedMs: [5000, 10_000, 9000],
  hasMore: false,
  concurrency: {
    __typename: 'Concurrency',
    atMs: [0, 2000, 5000, 6000, 9000, 10_000],
    running: [1, 2, 1, 2, 1, 0],
    truncated: false,
  },
};

const timelineData = (shown: typeof timeline, lastEventId = '60') => ({
  workflow: { __typename: 'Workflow', id: '7', name: 'wf', lastEventId, timeline: shown },
});
const timelineRequest = { query: WorkflowTimelineDocument, variables: { id: '7', limit: TIMELINE_CAP } };
const mocks = [{ request: timelineRequest, result: { data: timelineData(timeline) } }];

/** The timeline with a fourth attempt (task 3's retry, 11 s–12 s). */
const withRetry = {
  ...timeline,
  instanceIds: [1, 2, 3, 4],
  attempts: [1, 2, 1, 2],
  statusCodes: [3, 2, 2, 2],
  startedMs: [0, 6000, 2000, 11_000],
  finishedMs: [5000, 10_000, 9000, 12_000],
  concurrency: {
    ...timeline.concurrency,
    atMs: [...timeline.concurrency.atMs, 11_000, 12_000],
    running: [...timeline.concurrency.running, 1, 0],
  },
};

const renderTimeline = (pageMocks: unknown[]) =>
  renderWithApollo(<TimelinePage />, {
    mocks: pageMocks as never,
    route: '/workflows/7/timeline',
    path: '/workflows/:id/timeline',
  });
const viewOf = (gantt: HTMLElement) => [
  gantt.getAttribute('data-view-from'),
  gantt.getAttribute('data-view-to'),
];

describe('TimelinePage', () => {
  it('counts in the singular where there is one (1 attempt, 1 lane) and in the plural otherwise', async () => {
    const single = {
      ...timeline,
      instanceIds: [1],
      attempts: [1],
      statusCodes: [2],
      startedMs: [0],
      finishedMs: [5000],
      concurrency: { ...timeline.concurrency, atMs: [0, 5000], running: [1, 0] },
    };
    renderTimeline([{ request: timelineRequest, result: { data: timelineData(single) } }]);
    await screen.findByRole('img', { name: 'Gantt chart of 1 attempt' });
    expect(screen.getByText(/^1 attempt \(0 retries, outlined in black\) in 1 lane ·/)).toBeTruthy();
  });

  it('draws attempts in packed lanes coloured by outcome, the number running, and zooms', async () => {
    renderTimeline(mocks);
    const gantt = await screen.findByRole('img', { name: /Gantt chart of 3 attempts/ });
    expect(gantt.getAttribute('data-chart')).toBe('gantt');
    // the retry (6 s–10 s) fits after the first try (0–5 s) in lane 0; the other task needs lane 1
    expect(gantt.getAttribute('data-lanes')).toBe('2');
    expect(gantt.getAttribute('data-drawn')).toBe('3');
    expect(screen.getByText(/^3 attempts \(1 retry, outlined in black\) in 2 lanes ·/)).toBeTruthy();
    const concurrency = screen.getByRole('img', { name: /running over time, at most 2/ });
    expect(concurrency.getAttribute('data-chart')).toBe('concurrency');
    expect(screen.getByRole('list', { name: 'Colours' }).textContent).toMatch(/ERROR.*DONE/);

    const from = Number(gantt.getAttribute('data-view-from'));
    const to = Number(gantt.getAttribute('data-view-to'));
    act(() => fireEvent.click(screen.getByRole('button', { name: 'Zoom in' })));
    const zoomedFrom = Number(gantt.getAttribute('data-view-from'));
    const zoomedTo = Number(gantt.getAttribute('data-view-to'));
    expect(zoomedTo - zoomedFrom).toBeLessThan(to - from);
    act(() => fireEvent.click(screen.getByRole('button', { name: 'Reset' })));
    expect(Number(gantt.getAttribute('data-view-to')) - Number(gantt.getAttribute('data-view-from'))).toBe(
      to - from,
    );
  });

  it('follows the workflow’s task changes from the cursor read with the timeline: a new attempt is drawn, the zoom kept', async () => {
    const page = repeatedMock(timelineRequest, [timelineData(timeline, '60'), timelineData(withRetry, '61')]);
    const { container, subscriptions } = renderTimeline([page.mock]);
    const gantt = await screen.findByRole('img', { name: /Gantt chart of 3 attempts/ });
    await waitFor(() => expect(subscriptions.operation?.variables).toEqual({ workflowId: '7', since: '60' }));
    act(() => fireEvent.click(screen.getByRole('button', { name: 'Zoom in' })));
    act(() => fireEvent.click(screen.getByRole('button', { name: 'Zoom in' })));
    const zoomed = viewOf(gantt);
    const shown = recordStates(
      container,
      () =>
        `${container.querySelector('.timeline-page')?.getAttribute('aria-busy')} ${container
          .querySelector('[data-chart="gantt"]')
          ?.getAttribute('data-attempts')}`,
    );
    pushTaskStatusChange(subscriptions, { id: '61', taskId: '3', toStatus: 'RUNNING' });
    await screen.findByRole('img', { name: /Gantt chart of 4 attempts/ });
    shown.stop();
    // The chart read before stayed on the page while the refetch ran, marked busy.
    expect(shown.states).toEqual(['true 3', 'false 4']);
    expect(page.requests()).toBe(2);
    // Same canvas, same zoom: the refetch does not throw the user's view away.
    expect(screen.getByRole('img', { name: /Gantt chart/ })).toBe(gantt);
    expect(viewOf(gantt)).toEqual(zoomed);
    expect(screen.getByText(/2 retries/)).toBeTruthy();
    expect(screen.getByRole('img', { name: /running over time/ }).getAttribute('data-points')).toBe('8');
  });

  it('folds a burst of changes into one refetch per interval', async () => {
    jest.useFakeTimers();
    try {
      const page = repeatedMock(timelineRequest, [
        timelineData(timeline, '60'),
        timelineData(timeline, '61'),
        timelineData(withRetry, '65'),
      ]);
      const { subscriptions } = renderTimeline([page.mock]);
      await waitFor(() =>
        expect(subscriptions.operation?.variables).toEqual({ workflowId: '7', since: '60' }),
      );
      // The first change refetches at once; the four after it, within the interval, make one more refetch.
      for (const id of ['61', '62', '63', '64', '65'])
        pushTaskStatusChange(subscriptions, { id, taskId: `t${id}`, toStatus: 'RUNNING' });
      await waitFor(() => expect(page.requests()).toBe(2));
      await act(async () => jest.advanceTimersByTime(AGGREGATE_REFETCH_MS));
      await screen.findByRole('img', { name: /Gantt chart of 4 attempts/ });
      expect(page.requests()).toBe(3);
      await act(async () => jest.advanceTimersByTime(10 * AGGREGATE_REFETCH_MS));
      expect(page.requests()).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });
});
