/** @jest-environment jsdom */
import { act, screen, waitFor, within } from '@testing-library/react';
import { TemplateSuggestionDocument, WorkflowUsageDocument } from '../generated/graphql';
import { AGGREGATE_REFETCH_MS } from '../live/useLiveRefetch';
import { pushTaskStatusChange, recordStates, repeatedMock } from '../testing/liveEvents';
import { renderWithApollo } from '../testing/renderWithApollo';
import { POINTS_PER_TEMPLATE, UsagePage } from './UsagePage';

const usage = {
  __typename: 'TemplateUsagePoints',
  id: '3',
  name: 'fit',
  doneAttempts: 5,
  capped: true,
  instanceIds: [11, 12, 13, 14],
  runtimeSeconds: [100, 200, 300, 400],
  // one attempt never measured: left out, not drawn at 0
  maxRssMb: [500, null, 700, 1000],
  requestedMemoryMb: [2000, 2000, 2000, 2000],
  requestedRuntimeSeconds: [600, 600, 600, 600],
};

const idle = {
  ...usage,
  id: '4',
  name: 'idle',
  doneAttempts: 0,
  capped: false,
  instanceIds: [],
  runtimeSeconds: [],
  maxRssMb: [],
  requestedMemoryMb: [],
  requestedRuntimeSeconds: [],
};

const usageData = (templates: unknown[], lastEventId = '20') => ({
  workflow: {
    __typename: 'Workflow',
    id: '7',
    name: 'wf',
    lastEventId,
    tool: { __typename: 'Tool', id: '1', name: 'demo' },
    resourceUsage: templates,
  },
});
const usageRequest = {
  query: WorkflowUsageDocument,
  variables: { id: '7', maxPointsPerTemplate: POINTS_PER_TEMPLATE },
};

const suggestionData = (basedOnAttempts: number) => ({
  taskTemplate: {
    __typename: 'TaskTemplate',
    id: '3',
    name: 'fit',
    resourceSuggestion: {
      __typename: 'ResourceSuggestion',
      percentile: 95,
      headroom: 1.2,
      memoryMb: 1280,
      runtimeSeconds: 540,
      basedOnAttempts,
    },
  },
});
const suggestionRequest = (name: string) => ({
  query: TemplateSuggestionDocument,
  variables: { tool: 'demo', name, percentile: 95 },
});

const mocks = [
  { request: usageRequest, result: { data: usageData([usage, idle]) } },
  { request: suggestionRequest('fit'), result: { data: suggestionData(40) } },
  { request: suggestionRequest('idle'), result: { data: { taskTemplate: null } } },
];

/** The template `fit` one more DONE attempt on: 800 MiB, 500 s. */
const usageWithOneMore = {
  ...usage,
  doneAttempts: 6,
  instanceIds: [...usage.instanceIds, 15],
  runtimeSeconds: [...usage.runtimeSeconds, 500],
  maxRssMb: [...usage.maxRssMb, 800],
  requestedMemoryMb: [...usage.requestedMemoryMb, 2000],
  requestedRuntimeSeconds: [...usage.requestedRuntimeSeconds, 600],
};

/** The first `count` attempts of a template's points. */
const pick = (template: typeof usage, count: number) => ({
  instanceIds: template.instanceIds.slice(0, count),
  runtimeSeconds: template.runtimeSeconds.slice(0, count),
  maxRssMb: template.maxRssMb.slice(0, count),
  requestedMemoryMb: template.requestedMemoryMb.slice(0, count),
  requestedRuntimeSeconds: template.requestedRuntimeSeconds.slice(0, count),
});

const renderUsage = (pageMocks: unknown[]) =>
  renderWithApollo(<UsagePage />, {
    mocks: pageMocks as never,
    route: '/workflows/7/usage',
    path: '/workflows/:id/usage',
  });

/** The number of dots of each chart of template `fit`. */
const pointsOfFit = () =>
  [...screen.getByRole('region', { name: /^fit/ }).querySelectorAll('[data-chart]')]
    .map((chart) => chart.getAttribute('data-points'))
    .join();

describe('UsagePage', () => {
  it('draws used against requested and the distribution per template, with summary, waste and suggestion', async () => {
    const { container } = renderUsage(mocks);
    const section = await screen.findByRole('region', { name: /^fit/ });
    expect(within(section).getByText(/latest 4 drawn/)).toBeTruthy();
    const charts = [...section.querySelectorAll('[data-chart]')];
    expect(charts.map((chart) => chart.getAttribute('data-chart'))).toEqual([
      'usage-scatter',
      'usage-scatter',
      'usage-distribution',
    ]);
    // memory: 3 measured pairs; runtime: 4; distribution: 3 + 4 values
    expect(charts.map((chart) => chart.getAttribute('data-points'))).toEqual(['3', '4', '7']);
    // Plot drew into them: the memory scatter has one dot per measured attempt.
    expect(charts[0]!.querySelectorAll('circle')).toHaveLength(3);
    const memory = within(section).getByRole('row', { name: /Memory/ });
    // requested 2000; used p50 of [500, 700, 1000] = 700; unused at the median: 1 - 700/2000 = 65 %
    expect(
      within(memory)
        .getAllByRole('cell')
        .map((cell) => cell.textContent),
    ).toEqual(['2,000 MiB', '700 MiB', '1,000 MiB', '1,000 MiB', '65 %']);
    const suggestion = await within(section).findByText(/Suggested from 40 attempts/);
    expect(suggestion.textContent).toMatch(/1,280 MiB/);
    expect(suggestion.textContent).toMatch(/9 min/);
    const idle = screen.getByRole('region', { name: /^idle/ });
    expect(within(idle).getByText('No DONE attempt yet.')).toBeTruthy();
    expect(idle.querySelectorAll('[data-chart]')).toHaveLength(0);
    expect(container.querySelector('.usage-page')?.getAttribute('data-workflow-id')).toBe('7');
  });

  it('counts one attempt in the singular', async () => {
    const once = { ...usage, doneAttempts: 1, capped: false, ...pick(usage, 1) };
    renderUsage([
      { request: usageRequest, result: { data: usageData([once]) } },
      { request: suggestionRequest('fit'), result: { data: suggestionData(1) } },
    ]);
    const section = await screen.findByRole('region', { name: /^fit/ });
    expect(within(section).getByRole('heading').textContent).toBe('fit 1 DONE attempt');
    const suggestion = await within(section).findByText(/^Suggested from/);
    expect(suggestion.textContent).toMatch(/^Suggested from 1 attempt across the workflows of demo /);
  });

  it('follows the workflow’s task changes from the cursor read with the usage: a new attempt is drawn, the suggestion read again', async () => {
    const page = repeatedMock(usageRequest, [
      usageData([usage, idle], '20'),
      usageData([usageWithOneMore, idle], '21'),
    ]);
    const suggestion = repeatedMock(suggestionRequest('fit'), [suggestionData(40), suggestionData(41)]);
    const { container, subscriptions } = renderUsage([
      page.mock,
      suggestion.mock,
      { request: suggestionRequest('idle'), result: { data: { taskTemplate: null } } },
    ]);
    await screen.findByText(/Suggested from 40 attempts/);
    expect(pointsOfFit()).toBe('3,4,7');
    await waitFor(() => expect(subscriptions.operation?.variables).toEqual({ workflowId: '7', since: '20' }));
    const shown = recordStates(
      container,
      () => `${container.querySelector('.usage-page')?.getAttribute('aria-busy')} ${pointsOfFit()}`,
    );
    pushTaskStatusChange(subscriptions, { id: '21', taskId: '15', toStatus: 'DONE' });
    await waitFor(() => expect(pointsOfFit()).toBe('4,5,9'));
    shown.stop();
    // The charts read before stayed on the page while the refetch ran, marked busy.
    expect(shown.states).toEqual(['true 3,4,7', 'false 4,5,9']);
    const memory = screen.getByRole('region', { name: /^fit/ }).querySelector('[data-chart]')!;
    expect(memory.querySelectorAll('circle')).toHaveLength(4);
    expect(page.requests()).toBe(2);
    await screen.findByText(/Suggested from 41 attempts/);
    expect(suggestion.requests()).toBe(2);
  });

  it('folds a burst of changes into one refetch per interval', async () => {
    jest.useFakeTimers();
    try {
      const page = repeatedMock(usageRequest, [
        usageData([usage, idle], '20'),
        usageData([usage, idle], '21'),
        usageData([usageWithOneMore, idle], '25'),
      ]);
      const { subscriptions } = renderUsage([
        page.mock,
        { request: suggestionRequest('fit'), result: { data: suggestionData(40) }, maxUsageCount: 2 },
        { request: suggestionRequest('idle'), result: { data: { taskTemplate: null } } },
      ]);
      await waitFor(() =>
        expect(subscriptions.operation?.variables).toEqual({ workflowId: '7', since: '20' }),
      );
      // The first change refetches at once; the four after it, within the interval, make one more refetch.
      for (const id of ['21', '22', '23', '24', '25'])
        pushTaskStatusChange(subscriptions, { id, taskId: `t${id}`, toStatus: 'DONE' });
      await waitFor(() => expect(page.requests()).toBe(2));
      await act(async () => jest.advanceTimersByTime(AGGREGATE_REFETCH_MS));
      await waitFor(() => expect(pointsOfFit()).toBe('4,5,9'));
      expect(page.requests()).toBe(3);
      await act(async () => jest.advanceTimersByTime(10 * AGGREGATE_REFETCH_MS));
      expect(page.requests()).toBe(3);
    } finally {
      jest.useRealTimers();
    }
  });
});
