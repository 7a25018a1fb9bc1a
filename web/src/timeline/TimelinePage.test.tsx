/** @jest-environment jsdom */
import { act, fireEvent, screen } from '@testing-library/react';
import { WorkflowTimelineDocument } from '../generated/graphql';
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

const mocks = [
  {
    request: { query: WorkflowTimelineDocument, variables: { id: '7', limit: TIMELINE_CAP } },
    result: { data: { workflow: { __typename: 'Workflow', id: '7', name: 'wf', timeline } } },
  },
];

describe('TimelinePage', () => {
  it('draws attempts in packed lanes coloured by outcome, the number running, and zooms', async () => {
    renderWithApollo(<TimelinePage />, {
      mocks,
      route: '/workflows/7/timeline',
      path: '/workflows/:id/timeline',
    });
    const gantt = await screen.findByRole('img', { name: /Gantt chart of 3 attempts/ });
    expect(gantt.getAttribute('data-chart')).toBe('gantt');
    // the retry (6 s–10 s) fits after the first try (0–5 s) in lane 0; the other task needs lane 1
    expect(gantt.getAttribute('data-lanes')).toBe('2');
    expect(gantt.getAttribute('data-drawn')).toBe('3');
    expect(screen.getByText(/1 retries/)).toBeTruthy();
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
});
