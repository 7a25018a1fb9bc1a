/** @jest-environment jsdom */
import { render } from '@testing-library/react';
import { PageTitle } from './PageTitle';
import { PageQueryState } from './QueryState';

describe('PageQueryState', () => {
  const state = (props: { error?: Error; loaded: boolean }) =>
    render(
      <PageQueryState
        title={<PageTitle>Task 5</PageTitle>}
        what="task 5"
        notFound={{ what: 'Task', id: '5' }}
        {...props}
      />,
    ).container;

  it('sets the title and says why the page has nothing to show: the error first, then loading, then not found', () => {
    const failed = state({ error: new Error('the server went away'), loaded: true });
    expect(document.title).toBe('Task 5 · Jobmon');
    expect(failed.innerHTML).toBe(
      '<div class="error" role="alert"><strong>Could not load task 5.</strong> the server went away</div>',
    );
    expect(state({ loaded: false }).innerHTML).toBe(
      '<p class="loading" role="status" aria-live="polite">Loading task 5…</p>',
    );
    expect(state({ loaded: true }).innerHTML).toBe(
      '<div class="error" role="alert"><strong>Task 5 was not found.</strong></div>',
    );
  });
});
