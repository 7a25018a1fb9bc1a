/** @jest-environment jsdom */
import { render, screen } from '@testing-library/react';
import { MemoryRouter } from 'react-router-dom';
import { StatusCountLinks } from './StatusCountLinks';

describe('StatusCountLinks', () => {
  it('links each group to its own tasks: retrying to the tasks on a retry, a group beside them to the others', () => {
    render(
      <MemoryRouter>
        <StatusCountLinks
          workflowId="7"
          template="fit"
          counts={[
            { status: 'QUEUED', count: 3, retrying: 1 },
            { status: 'RUNNING', count: 4, retrying: 0 },
            { status: 'ERROR_RECOVERABLE', count: 1, retrying: 1 },
            { status: 'DONE', count: 5, retrying: 0 },
          ]}
        />
      </MemoryRouter>,
    );
    const href = (name: string) =>
      decodeURIComponent(screen.getByRole('link', { name }).getAttribute('href')!);
    expect(href('2 retrying')).toBe('/workflows/7/tasks?retrying=true&template=fit');
    // 2 of the 3 QUEUED tasks are pending; the third is counted as retrying.
    expect(href('2 pending')).toBe(
      '/workflows/7/tasks?status=REGISTERING,QUEUED&retrying=false&template=fit',
    );
    expect(href('4 running')).toBe('/workflows/7/tasks?status=RUNNING&template=fit');
    expect(href('5 done')).toBe('/workflows/7/tasks?status=DONE&template=fit');
  });
});
