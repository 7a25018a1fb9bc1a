/** @jest-environment jsdom */
import { screen, within } from '@testing-library/react';
import { TemplateSuggestionDocument, WorkflowUsageDocument } from '../generated/graphql';
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

const mocks = [
  {
    request: {
      query: WorkflowUsageDocument,
      variables: { id: '7', maxPointsPerTemplate: POINTS_PER_TEMPLATE },
    },
    result: {
      data: {
        workflow: {
          __typename: 'Workflow',
          id: '7',
          name: 'wf',
          tool: { __typename: 'Tool', id: '1', name: 'demo' },
          resourceUsage: [
            usage,
            {
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
            },
          ],
        },
      },
    },
  },
  {
    request: { query: TemplateSuggestionDocument, variables: { tool: 'demo', name: 'fit', percentile: 95 } },
    result: {
      data: {
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
            basedOnAttempts: 40,
          },
        },
      },
    },
  },
  {
    request: { query: TemplateSuggestionDocument, variables: { tool: 'demo', name: 'idle', percentile: 95 } },
    result: { data: { taskTemplate: null } },
  },
];

describe('UsagePage', () => {
  it('draws used against requested and the distribution per template, with summary, waste and suggestion', async () => {
    const { container } = renderWithApollo(<UsagePage />, {
      mocks,
      route: '/workflows/7/usage',
      path: '/workflows/:id/usage',
    });
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
});
